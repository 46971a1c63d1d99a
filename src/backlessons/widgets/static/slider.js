// A named range slider: a native <input type="range"> with a <label> and a live readout.
function render({ model, el }) {
  const id = `bl-slider-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const wrap = document.createElement("div");
  wrap.className = "bl-slider";
  wrap.setAttribute("data-lm-suppress-shortcuts", "true"); // arrows belong to the slider
  const label = document.createElement("label");
  label.htmlFor = id;
  const input = document.createElement("input");
  input.type = "range";
  input.id = id;
  const readout = document.createElement("output");
  readout.htmlFor = id;
  wrap.append(label, input, readout);
  el.append(wrap);
  const decimals = () => {
    const step = String(model.get("step"));
    return step.includes(".") ? step.split(".")[1].length : 0;
  };
  function show() {
    label.textContent = model.get("description");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    input.disabled = model.get("disabled");
    readout.textContent = Number(model.get("value")).toFixed(decimals());
  }
  // The slider's own keys, done here: JupyterLab's notebook may claim the arrow keys first.
  input.addEventListener("keydown", (event) => {
    const step = Number(input.step) || 1;
    const lo = Number(input.min), hi = Number(input.max), now = Number(input.value);
    const target = {
      ArrowRight: now + step, ArrowUp: now + step, ArrowLeft: now - step, ArrowDown: now - step,
      PageUp: now + 10 * step, PageDown: now - 10 * step, Home: lo, End: hi,
    }[event.key];
    if (target === undefined || input.disabled) return;
    event.preventDefault();
    event.stopPropagation();
    input.value = String(Math.min(Math.max(target, lo), hi));
    input.dispatchEvent(new Event("input"));
    input.dispatchEvent(new Event("change"));
  });
  input.addEventListener("input", () => (readout.textContent = Number(input.value).toFixed(decimals())));
  input.addEventListener("change", () => {
    model.set("value", Number(input.value));
    model.save_changes();
  });
  model.on("change", show);
  show();
}

export default { render };
