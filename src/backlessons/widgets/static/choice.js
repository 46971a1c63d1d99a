// Options chosen by their text: native radios (one answer) or checkboxes (several) in a
// fieldset, so Tab enters the group once and the arrow keys move inside it (the ARIA
// radio-group pattern comes with the browser). Labels arrive as HTML escaped in the kernel.
function render({ model, el }) {
  const name = `bl-choice-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const fieldset = document.createElement("fieldset");
  fieldset.className = "bl-choice-group";
  // JupyterLab's notebook shortcuts (arrows move between cells) must not take the keys.
  fieldset.setAttribute("data-lm-suppress-shortcuts", "true");
  const legend = document.createElement("legend");
  legend.className = "bl-visually-hidden";
  const list = document.createElement("div");
  list.className = "bl-choice-list";
  fieldset.append(legend, list);
  el.append(fieldset);
  let rows = [];

  const chosen = () => rows.flatMap((row, i) => (row.input.checked ? [i] : []));

  function build() {
    legend.textContent = model.get("legend");
    const multiple = model.get("multiple");
    list.replaceChildren();
    rows = model.get("labels").map((html, i) => {
      const label = document.createElement("label");
      label.className = "bl-option-label";
      const input = document.createElement("input");
      input.type = multiple ? "checkbox" : "radio";
      input.name = name;
      input.value = String(i);
      const text = document.createElement("span");
      text.className = "bl-option-text";
      text.innerHTML = html; // escaped by backlessons.markup in the kernel
      const mark = document.createElement("span");
      mark.className = "bl-mark";
      label.append(input, text, mark);
      input.addEventListener("change", () => {
        const picked = chosen();
        model.set("value", multiple ? picked : picked.length ? picked[0] : null);
        model.save_changes();
      });
      list.append(label);
      return { label, input, mark };
    });
    sync();
  }

  function sync() {
    const value = model.get("value");
    const picked = new Set(Array.isArray(value) ? value : value === null ? [] : [value]);
    const marks = model.get("marks");
    const disabled = model.get("disabled");
    const stop = picked.size ? Math.min(...picked) : 0;
    rows.forEach(({ label, input, mark }, i) => {
      input.checked = picked.has(i);
      if (!model.get("multiple")) input.tabIndex = i === stop ? 0 : -1;
      input.disabled = disabled;
      label.classList.toggle("bl-chosen", input.checked);
      const state = marks[i] || "";
      label.dataset.mark = state;
      mark.textContent = state === "correct" ? "✓ Correct" : state === "incorrect" ? "✗ Incorrect" : "";
    });
  }

  // The ARIA radio-group pattern, done here rather than left to the browser: JupyterLab's
  // notebook may claim the arrow keys first. Arrows move the focus and the choice; Tab
  // enters and leaves the group at the chosen (or first) option.
  fieldset.addEventListener("keydown", (event) => {
    if (model.get("multiple") || model.get("disabled")) return;
    const step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
    const at = rows.findIndex((row) => row.input === document.activeElement);
    if (step === undefined || at < 0) return;
    event.preventDefault();
    event.stopPropagation();
    const next = rows[(at + step + rows.length) % rows.length].input;
    next.focus();
    next.checked = true;
    next.dispatchEvent(new Event("change"));
  });

  model.on("change:labels", build);
  model.on("change:multiple", build);
  model.on("change:legend", () => (legend.textContent = model.get("legend")));
  model.on("change:value", sync);
  model.on("change:marks", sync);
  model.on("change:disabled", sync);
  build();
}

export default { render };
