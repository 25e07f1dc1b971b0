// What a chat pane sent that is not yet in its transcript: a "Sending…" entry, dropped when
// the message itself arrives (an ack that names a seq waits for that message), or replaced
// by an error in the pane when the service refuses it.

import { el } from "/widget/dom.js";
import { state } from "./state.js";

/** The pane's error line (role=alert). */
export function showPaneError(chat, text) {
  chat.dom.error.textContent = text;
}

export function addPending(chat, ref, label, text) {
  const node = el(
    "div",
    { className: "msg msg-pending" },
    el("p", { className: "msg-head" }, el("span", { className: "sender", text: label })),
    el("p", { className: "msg-text", text }),
  );
  chat.dom.log.append(node);
  chat.dom.log.scrollTop = chat.dom.log.scrollHeight;
  state.pending.set(ref, { chat, node, seq: null });
}

export function dropPending(ref) {
  const pending = state.pending.get(ref);
  if (!pending) return;
  state.pending.delete(ref);
  pending.node.remove();
}

/** A message with this seq reached the chat's transcript: what waited for it goes. */
export function messageShown(chat, seq) {
  for (const [ref, pending] of state.pending) {
    if (pending.chat === chat && pending.seq === seq) dropPending(ref);
  }
}

/** The chat is gone: forget what it sent. */
export function forgetPending(chat) {
  for (const [ref, pending] of state.pending) if (pending.chat === chat) state.pending.delete(ref);
}

export function ackArrived(frame) {
  const pending = frame.ref && state.pending.get(frame.ref);
  if (!pending) return;
  if (typeof frame.seq === "number" && !pending.chat.messages.has(frame.seq)) {
    pending.seq = frame.seq; // its message event has not arrived yet: keep "sending" until it does
    return;
  }
  dropPending(frame.ref);
}

export function errorArrived(frame) {
  const pending = frame.ref && state.pending.get(frame.ref);
  if (pending && frame.code === "rate_limited") {
    // The socket keeps the frame and sends it again after retry_after: it stays "Sending…".
    showPaneError(pending.chat, `Not sent yet: ${frame.message} It goes out then.`);
    return;
  }
  if (pending) {
    dropPending(frame.ref);
    const why =
      frame.code === "session_ended" ? "This chat has ended." : frame.message || "The service refused it.";
    showPaneError(pending.chat, `Not sent: ${why}`);
    return;
  }
  if (frame.code && frame.code !== "session_ended") console.warn("refdesk:", frame.code, frame.message);
}
