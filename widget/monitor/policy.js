// A library's chat policy for the librarian serving one of its chats. The monitor opens this
// page in a new tab with rel="opener", so the browser copies its sessionStorage here and the
// sign-in token comes along.

import { el, safeUrl, byId as $ } from "/widget/dom.js";
import { api, endpoints } from "/widget/refdesk-socket.js";

const TOKEN_KEY = "refdesk:monitor:token";

function token() {
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function fail(text, { signIn = false } = {}) {
  $("policy-status").textContent = "";
  const box = $("policy-error");
  box.replaceChildren(el("p", { className: "error", text }));
  if (signIn) {
    box.append(el("p", {}, el("a", { text: "Go to the chat monitor to sign in", attrs: { href: "/monitor/" } })));
  }
}

function orNone(text) {
  return text && String(text).trim() ? String(text) : "Not given";
}

function show(policy) {
  document.title = `${policy.name || policy.library_id} policy · Refdesk`;
  $("policy-title").textContent = `Library policy: ${policy.name || policy.library_id}`;
  $("policy-name").textContent = orNone(policy.name);
  $("policy-id").textContent = orNone(policy.library_id);
  $("policy-cooperative").textContent = orNone(policy.cooperative);
  $("policy-text").textContent = orNone(policy.policy);
  $("policy-hours").textContent = orNone(policy.hours);
  const alternatives = Array.isArray(policy.alternatives) ? policy.alternatives : [];
  const holder = $("policy-alternatives");
  if (alternatives.length === 0) {
    holder.textContent = "None";
  } else {
    holder.replaceChildren(
      el(
        "ul",
        {},
        ...alternatives.map((alternative) => {
          const label = alternative?.label || alternative?.url || "";
          const href = safeUrl(alternative?.url || "");
          if (href) {
            return el(
              "li",
              {},
              el("a", { text: label, attrs: { href, target: "_blank", rel: "noopener noreferrer" } }),
            );
          }
          const text = alternative?.url && alternative.url !== label ? `${label}: ${alternative.url}` : label;
          return el("li", { text });
        }),
      ),
    );
  }
  $("policy-details").hidden = false;
  $("policy-status").textContent = "";
}

async function main() {
  const library = new URLSearchParams(location.search).get("library");
  if (!library) {
    fail("No library was named. Open this page from a chat in the chat monitor.");
    return;
  }
  const signedIn = token();
  if (!signedIn) {
    fail("You are not signed in. Sign in to the chat monitor, then open the policy page from a chat.", {
      signIn: true,
    });
    return;
  }
  const { api: base } = endpoints();
  try {
    show(await api(base, `/libraries/${encodeURIComponent(library)}/policy`, { token: signedIn }));
  } catch (error) {
    if (error && error.status === 401) {
      fail("Your sign-in has expired. Sign in to the chat monitor again.", { signIn: true });
    } else if (error && error.status === 403) {
      fail("You may not see this library's policy: it is not your library or in your cooperative.");
    } else if (error && error.status === 404) {
      fail("There is no library with that id.");
    } else {
      fail("Could not load the policy. Check your connection and reload the page.");
    }
  }
}

main();
