// "How helpful was this chat?": once a chat a librarian took has ended, the window asks, once.
// Five native radio buttons in a fieldset, an optional comment, Send rating and Skip (the form
// in chat.html, under what happened and any follow-up form). Sent, it gives way to a thank-you
// in a status line; skipped, it goes quietly; refused, the server's words show beside it and
// the form stays. chat.js remembers the answer with the chat (chat-storage.js), so a reload
// of the ended chat asks again only if neither happened.

import { byId as $ } from "/widget/dom.js";

const THANKS = "Thank you for your feedback.";

/**
 * @param rate      async ({rating, comment?}) => void: sends `rate` for the chat being asked
 *                  about; rejects with the error frame ({code, message})
 * @param answered  ("rated" | "skipped") => void: the patron answered (remember it)
 * @param moveFocus () => void: where the keyboard goes when the form it was in goes away
 * @returns {{show(sessionId: string|null, answered: string|null): void, hide(): void, reset(): void}}
 *   show(sessionId, answered) after every change to the ended chat: asks about `sessionId`
 *   unless `answered`, and keeps what is being typed or the thank-you (null: nothing to ask);
 *   hide() while the ended chat is not shown; reset() when the chat is forgotten
 */
export function setupRating({ rate, answered, moveFocus }) {
  const ui = {
    box: $("rating"),
    form: $("rating-form"),
    comment: $("rating-comment"),
    error: $("rating-error"),
    thanks: $("rating-thanks"),
    send: $("rating-form").querySelector("button[type=submit]"),
    skip: $("rating-skip"),
  };
  let asking = null; // the chat this form is about
  let phase = null; // "asking" | "thanked" | "done" (skipped, or answered before a reload)

  function render() {
    ui.form.hidden = phase !== "asking";
    ui.box.hidden = phase !== "asking" && phase !== "thanked";
  }

  function show(sessionId, alreadyAnswered) {
    if (!sessionId) {
      ui.box.hidden = true;
      return;
    }
    if (sessionId !== asking) {
      asking = sessionId;
      phase = alreadyAnswered ? "done" : "asking";
      ui.form.reset();
      ui.error.textContent = "";
      ui.thanks.textContent = "";
    }
    render();
  }

  function reset() {
    asking = phase = null;
    ui.form.reset();
    ui.error.textContent = "";
    ui.thanks.textContent = "";
    render();
  }

  /** Whether the keyboard is still where the patron left it in the form: on it, or nowhere
   * (Send, disabled while sending, lets it go). */
  const stillInForm = () =>
    ui.form.contains(document.activeElement) || !document.activeElement || document.activeElement === document.body;

  async function submit(event) {
    event.preventDefault();
    if (ui.send.disabled || phase !== "asking") return;
    const chosen = ui.form.querySelector("input[name=rating]:checked");
    if (!chosen) {
      ui.error.textContent = "Choose how helpful the chat was, or Skip.";
      ui.form.querySelector("input[name=rating]").focus();
      return;
    }
    const comment = ui.comment.value.trim();
    const about = asking;
    const hadFocus = ui.form.contains(document.activeElement);
    ui.error.textContent = ""; // a repeated refusal is announced again
    ui.send.disabled = true;
    let refused = null;
    try {
      await rate({ rating: Number(chosen.value), ...(comment ? { comment } : {}) });
    } catch (error) {
      refused = error || {};
    }
    ui.send.disabled = false;
    if (asking !== about || phase !== "asking") return; // the chat was left meanwhile
    const keyboardHere = hadFocus && stillInForm(); // not if the patron went elsewhere meanwhile
    if (refused) {
      ui.error.textContent = refused.message || "Your rating could not be sent; try again.";
      if (keyboardHere && !ui.form.contains(document.activeElement)) ui.send.focus();
      return;
    }
    phase = "thanked";
    render();
    ui.thanks.textContent = THANKS;
    answered("rated");
    if (keyboardHere) moveFocus();
  }

  function skip() {
    if (phase !== "asking" || ui.send.disabled) return; // not while a rating is on its way
    const hadFocus = ui.form.contains(document.activeElement);
    phase = "done";
    render();
    answered("skipped");
    if (hadFocus) moveFocus();
  }

  ui.form.addEventListener("submit", submit);
  ui.skip.addEventListener("click", skip);

  return {
    show,
    hide() {
      ui.box.hidden = true;
    },
    reset,
  };
}
