// DOM and formatting helpers for Refdesk's pages (the patron's window and the monitor).
// Every string a person typed goes into the page as text (textContent), never as HTML.

/** document.getElementById, short. */
export const byId = (id) => document.getElementById(id);

/** A short local time ("10:42") for a stored ISO-8601 stamp. */
export function clockTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

/** An element with text content only: every string from a user is set as text, never as HTML. */
export function el(tag, { text, className, attrs } = {}, ...children) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Only http(s) addresses become links. */
export function safeUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/** A pushed address as a link that opens a new tab without the opener, or as plain text
 * when it is not http(s). */
export function linkOrText(text) {
  const href = safeUrl(text);
  return href
    ? el("a", { text, attrs: { href, target: "_blank", rel: "noopener noreferrer" } })
    : el("span", { text });
}

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
