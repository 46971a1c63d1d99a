// A PNG with a text alternative that follows the figure's controls.
function render({ model, el }) {
  const img = document.createElement("img");
  img.className = "bl-figure-image";
  el.append(img);
  let url = null;
  function show() {
    const bytes = model.get("value");
    if (url) URL.revokeObjectURL(url);
    url = URL.createObjectURL(new Blob([bytes], { type: "image/png" }));
    img.src = url;
    img.alt = model.get("alt");
  }
  model.on("change:value", show);
  model.on("change:alt", () => (img.alt = model.get("alt")));
  show();
  return () => url && URL.revokeObjectURL(url);
}

export default { render };
