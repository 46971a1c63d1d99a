// Previous / Next page for a long quiz: two named buttons and a status line read out on
// every page change. After a page change asked for here, the focus moves to the first
// question of the new page (its heading), once the kernel has put that page in place.
function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "bl-pager";
  box.setAttribute("role", "group");
  box.setAttribute("data-lm-suppress-shortcuts", "true"); // Enter/Space press the buttons
  const previous = document.createElement("button");
  previous.type = "button";
  previous.className = "bl-page-previous jupyter-button";
  previous.textContent = "Previous page";
  const status = document.createElement("span");
  status.className = "bl-page-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  const next = document.createElement("button");
  next.type = "button";
  next.className = "bl-page-next jupyter-button";
  next.textContent = "Next page";
  box.append(previous, status, next);
  el.append(box);

  let waiting = null; // the focus move pending after a click here

  function show() {
    box.setAttribute("aria-label", model.get("label"));
    status.textContent = model.get("status");
    previous.disabled = model.get("page") <= 1;
    next.disabled = model.get("page") >= model.get("page_count");
  }

  function heading(number) {
    const quiz = el.closest(".bl-quiz") || document;
    return [...quiz.querySelectorAll(".bl-question-number")].find(
      (h) => h.textContent.trim() === `Question ${number}`,
    );
  }

  // The kernel swaps the page's questions in; their views render a moment later, so look
  // for the first one's heading until it is there (or give up and focus a pager button).
  function focusFirstQuestion() {
    clearInterval(waiting);
    const wanted = model.get("first");
    const started = Date.now();
    waiting = setInterval(() => {
      const target = heading(wanted);
      if (target || Date.now() - started > 10000) {
        clearInterval(waiting);
        waiting = null;
        if (target) {
          target.tabIndex = -1;
          target.focus();
        } else if (!box.contains(document.activeElement) || document.activeElement.disabled) {
          (next.disabled ? previous : next).focus();
        }
      }
    }, 50);
  }

  let asked = false;
  function go(step) {
    const page = model.get("page") + step;
    if (page < 1 || page > model.get("page_count")) return;
    asked = true;
    model.set("page", page);
    model.save_changes();
  }
  previous.addEventListener("click", () => go(-1));
  next.addEventListener("click", () => go(+1));

  model.on("change", show);
  // "first" changes once the kernel has built the new page: only then is there a heading to find.
  model.on("change:first", () => {
    if (asked) {
      asked = false;
      focusFirstQuestion();
    }
  });
  show();
  return () => clearInterval(waiting);
}

export default { render };
