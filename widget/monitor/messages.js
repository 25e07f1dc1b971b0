// One transcript entry: sender, time and text. Notes (staff only) are labelled "Librarian
// note"; URLs become links that open in a new tab without the opener. Text only, never HTML.

import { clockTime, el, safeUrl } from "/widget/refdesk-socket.js";

export function senderName(message) {
  if (message.from?.name) return message.from.name;
  if (message.from?.role === "patron") return "Patron";
  if (message.from?.role === "librarian") return "Librarian";
  return "Refdesk";
}

const KIND_LABELS = { note: "Librarian note", answer: "Answer from the question list" };

export function messageNode(message) {
  const kind = message.kind || "chat";
  const role = message.from?.role || "system";
  const head = el("p", { className: "msg-head" });
  if (KIND_LABELS[kind]) head.append(el("span", { className: `${kind}-label`, text: KIND_LABELS[kind] }), " ");
  head.append(
    el("span", { className: "sender", text: senderName(message) }),
    " ",
    el("time", { className: "msg-time", text: clockTime(message.sent_at), attrs: { datetime: message.sent_at } }),
  );
  let body;
  const href = kind === "url" ? safeUrl(message.text) : null;
  if (href) {
    body = el(
      "p",
      { className: "msg-text" },
      el("a", { text: message.text, attrs: { href, target: "_blank", rel: "noopener noreferrer" } }),
    );
  } else {
    body = el("p", { className: "msg-text", text: message.text });
  }
  return el("div", { className: `msg msg-${kind} from-${role}`, attrs: { "data-seq": message.seq } }, head, body);
}
