// One entry in the patron's conversation: who wrote it, its text (a pushed URL as a link that
// opens a new tab without the opener) and when. Text only, never HTML.

import { clockTime, el, linkOrText } from "/widget/dom.js";

function senderName(message) {
  if (message.from.role === "patron") return "You";
  if (message.from.role === "system") return "Library";
  return message.from.name || "Librarian";
}

export function messageNode(message) {
  const node = el("div", {
    className: `msg msg-${message.from.role} msg-${message.kind}`,
    attrs: { "data-seq": message.seq },
  });
  node.append(el("span", { className: "who", text: senderName(message) }));
  if (message.kind === "url") {
    const link = linkOrText(message.text);
    node.append(el("p", { className: "text" }, el("span", { className: "label", text: "Link: " }), link));
  } else {
    node.append(el("p", { className: "text", text: message.text }));
  }
  node.append(el("time", { text: clockTime(message.sent_at), attrs: { datetime: message.sent_at } }));
  return node;
}
