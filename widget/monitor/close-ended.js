// "Close all ended" at the top of My Active's chat list: every chat that has ended is closed
// (close_chat, as each pane's Close does; a joined chat is only put away), so ended chats do
// not pile up across sign-ins. It asks first, in place, because chats not coded yet are
// closed without codes (as a pane's Close allows).

import { el, plural, byId as $ } from "/widget/dom.js";
import { notice } from "./announce.js";
import { state } from "./state.js";

const ui = {};
let closeChat = async () => {};

function endedChats() {
  return Array.from(state.chats.values()).filter((chat) => chat.session.status === "ended");
}

/** Show the button (with its count) while any chat has ended. */
export function renderCloseEnded() {
  if (!ui.box) return;
  const count = endedChats().length;
  ui.count.textContent = String(count);
  if (count === 0) {
    const hadFocus = ui.box.contains(document.activeElement);
    ui.box.hidden = true;
    ui.confirm.hidden = true;
    ui.button.hidden = false;
    if (hadFocus) ($("mine-list").querySelector("button") || $("panel-mine")).focus();
  } else {
    ui.box.hidden = false;
    if (!ui.confirm.hidden) ui.question.textContent = question(count);
  }
}

function question(count) {
  return `Close ${plural(count, "ended chat")}? Any not coded yet are closed without codes.`;
}

function ask() {
  ui.question.textContent = question(endedChats().length);
  ui.button.hidden = true;
  ui.confirm.hidden = false;
  ui.yes.focus();
}

function cancel() {
  ui.confirm.hidden = true;
  ui.button.hidden = false;
  ui.button.focus();
}

async function closeAll() {
  const chats = endedChats();
  ui.yes.disabled = true;
  try {
    for (const chat of chats) await closeChat(chat); // one at a time: a refusal shows in its pane
  } finally {
    ui.yes.disabled = false;
  }
  const left = endedChats().length;
  const closed = chats.length - left;
  notice(left ? `Closed ${plural(closed, "chat")}; ${left} could not be closed.` : `Closed ${plural(closed, "ended chat")}.`);
  if (left) cancel();
  renderCloseEnded();
}

/** Build the control above the chat list; `close(chat)` closes one chat (chats.js). */
export function setupCloseEnded(close) {
  closeChat = close;
  ui.count = el("span", { text: "0" });
  ui.button = el("button", { className: "secondary", attrs: { type: "button", id: "close-ended" } }, "Close all ended (", ui.count, ")");
  ui.question = el("p", { className: "close-ended-question", attrs: { id: "close-ended-question" } });
  ui.yes = el("button", { className: "danger", text: "Close them", attrs: { type: "button" } });
  ui.no = el("button", { text: "Keep them", attrs: { type: "button" } });
  ui.confirm = el(
    "div",
    { className: "close-ended-confirm", attrs: { role: "group", "aria-labelledby": "close-ended-question", hidden: true } },
    ui.question,
    el("div", { className: "close-ended-actions" }, ui.yes, ui.no),
  );
  ui.box = el("div", { className: "close-ended", attrs: { hidden: true } }, ui.button, ui.confirm);
  $("mine-title").after(ui.box);
  ui.button.addEventListener("click", ask);
  ui.no.addEventListener("click", cancel);
  ui.yes.addEventListener("click", closeAll);
  ui.confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") cancel();
  });
  renderCloseEnded();
}
