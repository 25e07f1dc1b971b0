// One transcript entry: sender, time and text. Notes (staff only) are labelled "Librarian
// note"; Refdesk's own messages "to the patron" (they speak to the patron: "You ended the
// chat."); URLs become links that open in a new tab without the opener. Text only, never HTML.

import { clockTime, el, linkOrText } from "/widget/dom.js";

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
  head.append(el("span", { className: "sender", text: senderName(message) }), " ");
  if (role === "system") head.append(el("span", { className: "system-label", text: "to the patron" }), " ");
  head.append(
    el("time", { className: "msg-time", text: clockTime(message.sent_at), attrs: { datetime: message.sent_at } }),
  );
  const body =
    kind === "url"
      ? el("p", { className: "msg-text" }, linkOrText(message.text))
      : el("p", { className: "msg-text", text: message.text });
  return el("div", { className: `msg msg-${kind} from-${role}`, attrs: { "data-seq": message.seq } }, head, body);
}
