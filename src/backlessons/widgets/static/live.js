// Feedback that screen readers announce: a polite live region that exists before the
// kernel fills it, so the change is read out. HTML is escaped in the kernel.
function render({ model, el }) {
  const region = document.createElement("div");
  region.className = "bl-live";
  region.setAttribute("role", "status");
  region.setAttribute("aria-live", "polite");
  el.append(region);
  const show = () => (region.innerHTML = model.get("value"));
  model.on("change:value", show);
  show();
}

export default { render };
