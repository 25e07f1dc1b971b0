// Typing indicators in a chat pane: "Patron is typing…" (cleared after 6 s without news, or
// when the patron's message arrives), and the librarian's own typing sent to the patron (sent
// again every 3 s while typing goes on, stopped after 4 s idle, on blur, on send or at the end).

import { state } from "./state.js";

const PATRON_TYPING_MS = 6000;
const TYPING_RESEND_MS = 3000;
const TYPING_IDLE_MS = 4000;

export function setPatronTyping(chat, typing) {
  clearTimeout(chat.patronTypingTimer);
  chat.dom.typing.textContent = typing ? "Patron is typing…" : "";
  if (typing) chat.patronTypingTimer = setTimeout(() => setPatronTyping(chat, false), PATRON_TYPING_MS);
}

/** A `typing` frame from the server. */
export function typingArrived(frame) {
  const chat = state.chats.get(frame.session_id);
  if (!chat || frame.from?.role !== "patron") return;
  setPatronTyping(chat, Boolean(frame.typing));
}

/** The librarian typed in the chat's message box. */
export function librarianTyping(chat) {
  if (chat.session.status === "ended" || !state.socket) return;
  if (!chat.dom.text.value.trim()) {
    stopTyping(chat);
    return;
  }
  const now = Date.now();
  if (!chat.typingOn || now - chat.typingSentAt > TYPING_RESEND_MS) {
    state.socket.notify("typing", { session_id: chat.session.session_id, typing: true });
    chat.typingOn = true;
    chat.typingSentAt = now;
  }
  clearTimeout(chat.typingStop);
  chat.typingStop = setTimeout(() => stopTyping(chat), TYPING_IDLE_MS);
}

export function stopTyping(chat) {
  clearTimeout(chat.typingStop);
  if (!chat.typingOn) return;
  chat.typingOn = false;
  chat.typingSentAt = 0;
  if (state.socket && chat.session.status !== "ended") {
    state.socket.notify("typing", { session_id: chat.session.session_id, typing: false });
  }
}

/** The chat is gone (or the librarian signed out): no timer may fire for it. */
export function clearTypingTimers(chat) {
  clearTimeout(chat.patronTypingTimer);
  clearTimeout(chat.typingStop);
}
