// A button that moves a list item, named after the item for screen readers
// ("Move ‘Walk briskly’ up"); the visible text stays short ("Up"), and is part of the
// name. The name arrives escaped (like all bank text in widget state) and is decoded
// to text by an inert parser; it is only ever set as an attribute, never as markup.
const decode = (escaped) => new DOMParser().parseFromString(escaped, "text/html").documentElement.textContent;

function render({ model, el }) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "bl-move-button jupyter-button";
  button.setAttribute("data-lm-suppress-shortcuts", "true"); // Enter/Space press the button
  const arrow = document.createElement("span");
  arrow.setAttribute("aria-hidden", "true");
  const label = document.createElement("span");
  button.append(arrow, label);
  el.append(button);
  function show() {
    arrow.textContent = model.get("arrow") ? `${model.get("arrow")} ` : "";
    label.textContent = model.get("label");
    const name = decode(model.get("name_html"));
    button.setAttribute("aria-label", name);
    button.title = name;
    button.disabled = model.get("disabled");
  }
  button.addEventListener("click", () => {
    if (!button.disabled) model.send({ event: "click" });
  });
  model.on("change", show);
  show();
}

export default { render };
