// A hold timer that runs in the browser (no kernel round trips): a named Start/Stop
// button, a progress bar, and a status line read out at start, stop and the end.
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "bl-hold-timer";
  box.setAttribute("data-lm-suppress-shortcuts", "true"); // Enter/Space press the button
  const button = document.createElement("button");
  button.type = "button";
  button.className = "bl-timer-toggle jupyter-button";
  const bar = document.createElement("progress");
  bar.className = "bl-timer-progress";
  const count = document.createElement("span");
  count.className = "bl-timer-count";
  count.setAttribute("aria-hidden", "true");
  const status = document.createElement("span");
  status.className = "bl-visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  box.append(button, bar, count, status);
  el.append(box);

  let elapsed = 0;
  let ticking = null;
  const total = () => model.get("seconds");
  const name = () => model.get("label");

  function show() {
    button.textContent = ticking ? `Stop ${name()}` : elapsed >= total() ? `Restart ${name()}` : `Start ${name()}`;
    button.setAttribute("aria-pressed", ticking ? "true" : "false");
    bar.max = total();
    bar.value = elapsed;
    bar.setAttribute("aria-label", `${name()}: ${elapsed} of ${total()} seconds`);
    count.textContent = `${elapsed} / ${total()} s`;
  }
  function stop(message) {
    clearInterval(ticking);
    ticking = null;
    status.textContent = message;
    show();
  }
  button.addEventListener("click", () => {
    if (ticking) return stop(`${name()} stopped at ${elapsed} seconds.`);
    if (elapsed >= total()) elapsed = 0;
    status.textContent = `${name()} started: ${total()} seconds.`;
    ticking = setInterval(() => {
      elapsed += 1;
      if (elapsed >= total()) stop(`${name()} done: ${total()} seconds held.`);
      else show();
    }, 1000);
    show();
  });
  model.on("change", show);
  show();
  return () => clearInterval(ticking);
}

export default { render };
