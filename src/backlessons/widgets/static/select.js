// A drop-down whose label and options are texts (HTML escaped in the kernel): the left
// item is the <label>, so it is the control's accessible name; option texts go in as
// HTML and the browser shows them as plain text.
function render({ model, el }) {
  const id = `bl-select-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  const row = document.createElement("div");
  row.className = "bl-select";
  row.setAttribute("data-lm-suppress-shortcuts", "true"); // arrows belong to the drop-down
  const label = document.createElement("label");
  label.htmlFor = id;
  label.className = "bl-select-label";
  const select = document.createElement("select");
  select.id = id;
  const mark = document.createElement("span");
  mark.className = "bl-mark";
  row.append(label, select, mark);
  el.append(row);

  function build() {
    label.innerHTML = model.get("description"); // escaped by backlessons.markup
    select.replaceChildren();
    if (!model.get("required")) {
      const blank = document.createElement("option");
      blank.value = "";
      blank.textContent = model.get("placeholder");
      select.append(blank);
    }
    model.get("labels").forEach((html, i) => {
      const option = document.createElement("option");
      option.value = String(i);
      option.innerHTML = html; // escaped; an <option> keeps only the text
      select.append(option);
    });
    sync();
  }
  function sync() {
    const value = model.get("value");
    select.value = value === null ? "" : String(value);
    select.disabled = model.get("disabled");
    const state = model.get("mark");
    row.dataset.mark = state;
    mark.textContent = state === "correct" ? "✓ Correct" : state === "incorrect" ? "✗ Incorrect" : "";
  }
  // Arrow keys step through the options, as a closed drop-down does on its own, even when
  // JupyterLab's notebook has claimed the keys (it prevents their default action).
  select.addEventListener("keydown", (event) => {
    const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
    if (step === undefined || event.altKey || select.disabled) return;
    event.preventDefault();
    event.stopPropagation();
    const at = Math.min(Math.max(select.selectedIndex + step, 0), select.options.length - 1);
    if (at !== select.selectedIndex) {
      select.selectedIndex = at;
      select.dispatchEvent(new Event("change"));
    }
  });
  select.addEventListener("change", () => {
    model.set("value", select.value === "" ? null : Number(select.value));
    model.save_changes();
  });
  model.on("change:labels", build);
  model.on("change:description", build);
  model.on("change:required", build);
  model.on("change:value", sync);
  model.on("change:disabled", sync);
  model.on("change:mark", sync);
  build();
}

export default { render };
