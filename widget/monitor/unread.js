// Patron messages the librarian has not seen: a chat is "in view" only while My Active shows
// it and the browser tab is visible. A patron message in a chat out of view counts as unread
// (on the chat's list entry and on the My Active tab), adds the chat to the title and favicon
// count (tabs.js: waiting requests + chats with unread messages), and alerts like a new
// request (alerts.js: the chime Mute silences, a desktop notification while the page is
// hidden). Showing the chat, or coming back to the browser tab with it shown, clears it.

import { vh } from "/widget/dom.js";
import { alertPatronMessage } from "./alerts.js";
import { state } from "./state.js";
import { renderCounts } from "./tabs.js";

let openChat = () => {};

/** `open(id)` shows a chat in My Active (a desktop notification was clicked). */
export function onOpenChat(open) {
  openChat = open;
}

/** The chat is on screen: My Active, selected, and the browser tab visible. */
export function inView(chat) {
  return (
    state.tab === "mine" &&
    state.selected === chat.session.session_id &&
    document.visibilityState !== "hidden"
  );
}

function render(chat) {
  const count = state.unread.get(chat.session.session_id) || 0;
  const node = chat.dom.unread;
  node.hidden = count === 0;
  node.replaceChildren(...(count ? [vh(", "), `${count} new message${count === 1 ? "" : "s"}`] : []));
  renderCounts();
}

/**
 * Messages just added to a chat's transcript. Patron messages out of view count as unread;
 * `alert` (a live message, not a catch-up after a reconnect) also chimes and notifies.
 */
export function messagesAdded(chat, messages, { alert = true } = {}) {
  const fromPatron = messages.filter((message) => message.from?.role === "patron");
  if (!fromPatron.length || inView(chat)) return;
  const id = chat.session.session_id;
  state.unread.set(id, (state.unread.get(id) || 0) + fromPatron.length);
  render(chat);
  if (alert) alertPatronMessage(chat.session, fromPatron[fromPatron.length - 1], () => openChat(id));
}

export function clearUnread(chat) {
  if (!chat || !state.unread.has(chat.session.session_id)) return;
  state.unread.delete(chat.session.session_id);
  render(chat);
}

/** The chat is gone (closed, passed on, signed out). */
export function forgetUnread(id) {
  if (state.unread.delete(id)) renderCounts();
}

// Back to the browser tab: the chat shown is seen now.
document.addEventListener("visibilitychange", () => {
  const chat = state.selected && state.chats.get(state.selected);
  if (chat && inView(chat)) clearUnread(chat);
});
