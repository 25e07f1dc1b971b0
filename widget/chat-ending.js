// "End chat" in the chat window's header, away from the message box, and asking first in place:
// "End this chat? [End chat] [Keep chatting]". The question starts on Keep chatting (the safe
// answer); Escape keeps chatting too. Ending hands the keyboard to the ended notice.

import { byId as $ } from "/widget/dom.js";

/**
 * @param endChat  async () => boolean: ends the chat (true: it has ended, and the server's
 *                 session_update shows it)
 * @returns {{reset(): void}}  reset() puts the question away (the chat ended some other way)
 */
export function setupChatEnding(endChat) {
  const ui = {
    button: $("end-chat"),
    confirm: $("end-confirm"),
    yes: $("end-confirm-yes"),
    no: $("end-confirm-no"),
  };

  function ask() {
    ui.button.hidden = true;
    ui.confirm.hidden = false;
    ui.no.focus();
  }

  function keepChatting() {
    const hadFocus = ui.confirm.contains(document.activeElement);
    ui.confirm.hidden = true;
    ui.button.hidden = false;
    if (hadFocus) ui.button.focus();
  }

  async function end() {
    ui.yes.disabled = true;
    let ended = false;
    try {
      ended = await endChat();
    } finally {
      ui.yes.disabled = false;
    }
    if (!ended) keepChatting(); // an error is shown under the message box
  }

  ui.button.addEventListener("click", ask);
  ui.no.addEventListener("click", keepChatting);
  ui.yes.addEventListener("click", end);
  ui.confirm.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    event.stopPropagation(); // not the widget's "close the panel"
    keepChatting();
  });

  return {
    reset() {
      ui.confirm.hidden = true;
    },
  };
}
