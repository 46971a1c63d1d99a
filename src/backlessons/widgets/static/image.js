// An image (a PNG plot or an SVG diagram) with a text alternative that can change with it.
// An <img> never runs scripts inside an SVG.
function render({ model, el }) {
  const img = document.createElement("img");
  img.className = model.get("css_class");
  el.append(img);
  let url = null;
  function show() {
    const bytes = model.get("value");
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([bytes], { type: `image/${model.get("format")}` }));
    img.src = url;
    img.alt = model.get("alt");
  }
  model.on("change:value", show);
  model.on("change:alt", () => (img.alt = model.get("alt")));
  show();
  return () => url && URL.revokeObjectURL(url);
}

export default { render };
