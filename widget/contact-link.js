// A library's alternatives to chat ("Call the desk", "E-mail us", "Our FAQ") as links: web
// addresses open in a new tab, mailto: and tel: open the mail or phone app. Anything else is
// shown as text and never becomes a link. Labels are set as text.

import { el, safeUrl } from "./dom.js";

const MAILTO = /^mailto:[^\s@/?]+@[^\s@/?]+\.[^\s@/?]+(\?\S*)?$/i;
const TEL = /^tel:\+?[0-9().-]*[0-9][0-9().-]*$/i;

/** The href for a web, mailto: or tel: address; null for anything else. */
export function contactHref(url) {
  const text = String(url || "").trim();
  if (MAILTO.test(text) || TEL.test(text)) return text;
  return safeUrl(text);
}

/** An alternative as a link named by its label (text only when its address is not usable). */
export function alternativeLink({ label, url } = {}) {
  const name = label || url || "";
  const href = contactHref(url);
  if (!href) return el("span", { text: url && url !== name ? `${name}: ${url}` : name });
  const web = /^https?:/i.test(href);
  return el("a", {
    text: name,
    attrs: web ? { href, target: "_blank", rel: "noopener noreferrer" } : { href },
  });
}

/** A list of alternatives, or null when there are none. */
export function alternativeList(alternatives, className = "alternative-list") {
  const items = Array.isArray(alternatives) ? alternatives : [];
  if (items.length === 0) return null;
  return el("ul", { className }, ...items.map((item) => el("li", {}, alternativeLink(item))));
}
