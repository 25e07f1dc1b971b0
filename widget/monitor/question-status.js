// How a question is labelled in the Questions tab's list and detail: its status (text, shape
// and colour, as a chat's), its labels, its source and its patron.

import { el } from "/widget/dom.js";

const STATUS_TEXT = {
  live: "Live",
  open: "Open",
  pending: "Pending",
  answered: "Answered",
  referred: "Referred",
  closed: "Closed",
};
const STATUS_STYLE = {
  live: "active",
  open: "open",
  pending: "reconnecting",
  answered: "answered",
  referred: "open",
  closed: "closed",
};
export const SOURCE_TEXT = { chat: "Chat", form: "Web form", ticket: "Ticket" };

export function statusText(status) {
  return STATUS_TEXT[status] || String(status || "Unknown");
}

export function labelText(label) {
  if (label === "in_progress") return "In progress";
  const words = String(label).replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function statusBadge(status) {
  return el(
    "span",
    { className: `chat-status status-${STATUS_STYLE[status] || "open"}` },
    el("span", { className: "status-icon", attrs: { "aria-hidden": "true" } }),
    el("span", { className: "status-text", text: statusText(status) }),
  );
}

export function labelBadge(label) {
  return el("span", { className: "label-badge", text: labelText(label) });
}

export function patronText(patron) {
  return patron?.name || "Anonymous patron";
}
