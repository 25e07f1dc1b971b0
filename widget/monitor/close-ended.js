// "Close all ended" at the top of My Active's chat list: the chats that have ended are closed
// (close_chat, as each pane's Close does; a joined chat is only put away), so ended chats do
// not pile up across sign-ins. It asks first, in place, and says which chats have no
// resolution code (reports count those as uncoded): the librarian closes only the coded
// ones (the others stay to be coded), all of them, or none.

import { el, plural, byId as $ } from "/widget/dom.js";
import { notice } from "./announce.js";
import { state } from "./state.js";
import { myPart, patronName } from "./status.js";

const ui = {};
let closeChat = async () => {};
let plan = { coded: [], uncoded: [] }; // the ended chats, as last asked about
let asking = 0; // the latest question: an earlier one still working out codes is dropped

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
    asking += 1;
    ui.box.hidden = true;
    ui.confirm.hidden = true;
    ui.button.hidden = false;
    if (hadFocus) ($("mine-list").querySelector("button") || $("panel-mine")).focus();
  } else {
    ui.box.hidden = false;
    if (!ui.confirm.hidden && count !== plan.coded.length + plan.uncoded.length) ask({ focus: false });
  }
}

/** Whether a chat needs no code to close: coded, or joined (its own librarian codes it). */
async function codedOrJoined(chat) {
  if (myPart(chat.session) === "guest") return true;
  try {
    return await chat.wrapup.isCoded();
  } catch {
    return false;
  }
}

function names(chats) {
  return chats.map((chat) => patronName(chat.session)).join(", ");
}

function question({ coded, uncoded }) {
  const all = coded.length + uncoded.length;
  const head = `Close ${plural(all, "ended chat")}?`;
  if (!uncoded.length) return head;
  if (!coded.length) {
    return all === 1
      ? `${head} It has no resolution code: reports count it as uncoded.`
      : `${head} None has a resolution code: reports count them as uncoded.`;
  }
  const one = uncoded.length === 1;
  return `${head} ${uncoded.length} ${one ? "has" : "have"} no resolution code (${names(uncoded)}): reports count ${one ? "it" : "them"} as uncoded.`;
}

/** Work out which ended chats are coded, then ask. */
async function ask({ focus = true } = {}) {
  const mine = ++asking;
  const chats = endedChats();
  const known = await Promise.all(chats.map(codedOrJoined));
  if (mine !== asking) return;
  plan = { coded: chats.filter((_, i) => known[i]), uncoded: chats.filter((_, i) => !known[i]) };
  ui.question.textContent = question(plan);
  const mixed = plan.coded.length > 0 && plan.uncoded.length > 0;
  ui.closeCoded.hidden = !mixed;
  ui.closeCoded.textContent =
    plan.coded.length === 1 ? "Close the coded chat" : `Close the ${plan.coded.length} coded chats`;
  ui.closeAll.textContent = !plan.uncoded.length ? "Close them" : mixed ? "Close all, uncoded too" : "Close without codes";
  ui.button.hidden = true;
  ui.confirm.hidden = false;
  const first = mixed ? ui.closeCoded : ui.closeAll;
  if (focus || (ui.confirm.contains(document.activeElement) && document.activeElement.hidden)) first.focus();
}

function cancel() {
  asking += 1;
  ui.confirm.hidden = true;
  ui.button.hidden = false;
  ui.button.focus();
}

async function closeThese(which) {
  const chosen = which === "coded" ? plan.coded : [...plan.coded, ...plan.uncoded];
  const chats = chosen.filter((chat) => state.chats.get(chat.session.session_id) === chat);
  const kept = which === "coded" ? plan.uncoded.length : 0;
  for (const button of [ui.closeCoded, ui.closeAll]) button.disabled = true;
  try {
    for (const chat of chats) await closeChat(chat); // one at a time: a refusal shows in its pane
  } finally {
    for (const button of [ui.closeCoded, ui.closeAll]) button.disabled = false;
  }
  const failed = chats.filter((chat) => state.chats.get(chat.session.session_id) === chat).length;
  const closed = chats.length - failed;
  let text = `Closed ${plural(closed, "ended chat")}.`;
  if (failed) text = `Closed ${plural(closed, "chat")}; ${failed} could not be closed.`;
  if (kept) text += ` ${plural(kept, "chat")} with no resolution code ${kept === 1 ? "is" : "are"} still in My Active.`;
  notice(text);
  if (endedChats().length) cancel();
  renderCloseEnded();
}

/** Build the control above the chat list; `close(chat)` closes one chat (chats.js). */
export function setupCloseEnded(close) {
  closeChat = close;
  ui.count = el("span", { text: "0" });
  ui.button = el("button", { className: "secondary", attrs: { type: "button", id: "close-ended" } }, "Close all ended (", ui.count, ")");
  ui.question = el("p", { className: "close-ended-question", attrs: { id: "close-ended-question" } });
  ui.closeCoded = el("button", { className: "danger", text: "Close the coded chats", attrs: { type: "button", hidden: true } });
  ui.closeAll = el("button", { className: "danger", text: "Close them", attrs: { type: "button" } });
  ui.no = el("button", { text: "Keep them", attrs: { type: "button" } });
  ui.confirm = el(
    "div",
    { className: "close-ended-confirm", attrs: { role: "group", "aria-labelledby": "close-ended-question", hidden: true } },
    ui.question,
    el("div", { className: "close-ended-actions" }, ui.closeCoded, ui.closeAll, ui.no),
  );
  ui.box = el("div", { className: "close-ended", attrs: { hidden: true } }, ui.button, ui.confirm);
  $("mine-title").after(ui.box);
  ui.button.addEventListener("click", () => ask());
  ui.no.addEventListener("click", cancel);
  ui.closeCoded.addEventListener("click", () => closeThese("coded"));
  ui.closeAll.addEventListener("click", () => closeThese("all"));
  ui.confirm.addEventListener("keydown", (event) => {
    if (event.key === "Escape") cancel();
  });
  renderCloseEnded();
}
