// What the admins' editors (Library settings, Policy, Canned messages) share: a form whose
// Save sends everything at once, one save at a time, with a saved message (role=status)
// that the next edit clears and a refusal shown where it belongs; and loading the form's
// content with a "Loading…" line and a plain error if it fails.

import { reason } from "/widget/dom.js";

/**
 * @param form     the editor's <form>; Enter or its Save button saves
 * @param parts    {button, message, save(), refused(problem)}: `save` resolves to the text
 *                 to show as saved; `refused` shows the server's refusal
 */
export function savingForm(form, { button, message, save, refused }) {
  form.addEventListener("input", () => {
    message.textContent = "";
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    try {
      const saved = await save();
      if (saved) message.textContent = saved;
    } catch (problem) {
      refused(problem);
    } finally {
      button.disabled = false;
    }
  });
}

/** Run `work()` with "Loading `what`…" in `message`; a failure goes in `error`. */
export async function loading(what, { message, error }, work) {
  message.textContent = `Loading ${what}…`;
  try {
    await work();
    message.textContent = "";
    return true;
  } catch (problem) {
    message.textContent = "";
    error.textContent = `Could not load ${what}: ${reason(problem)}`;
    return false;
  }
}
