// Small DOM and formatting helpers shared by the monitor's modules.

import { el } from "/widget/refdesk-socket.js";

let nextId = 0;

/** A page-unique element id. */
export function uid(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** Text for screen readers only. */
export function vh(text) {
  return el("span", { className: "visually-hidden", text });
}

/** "23 Nov 2026, 09:35" in the librarian's locale, for a stored ISO-8601 stamp. */
export function dateTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return date.toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** "1 chat", "2 chats". */
export function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

/** The message of a refused request (a WebSocket error frame or a REST error body). */
export function reason(error) {
  return (error && (error.message || error.code)) || "unknown error";
}
