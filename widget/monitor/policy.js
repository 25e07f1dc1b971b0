// A library's chat policy for the librarian serving one of its chats: its details, the ways
// patrons can reach it instead (links, tel: and mailto: included), and its dated sections.
// The monitor opens this page in a new tab with rel="opener", so the browser copies its
// sessionStorage here and the sign-in token comes along.

import { alternativeList } from "/widget/contact-link.js";
import { dateTime, el, safeUrl, byId as $ } from "/widget/dom.js";
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
  const website = safeUrl(policy.website || "");
  $("policy-website").replaceChildren(
    website
      ? el("a", { text: policy.website, attrs: { href: website, target: "_blank", rel: "noopener noreferrer" } })
      : el("span", { text: orNone(policy.website) }),
  );
  $("policy-hours").textContent = orNone(policy.hours);
  $("policy-alternatives").replaceChildren(alternativeList(policy.alternatives) || "None");
  const sections = Array.isArray(policy.sections) ? policy.sections : [];
  $("policy-updated").textContent = policy.updated_at
    ? `Last updated ${dateTime(policy.updated_at)}`
    : "Not dated: written before policy sections.";
  $("policy-sections").replaceChildren(
    ...(sections.length
      ? sections.flatMap((section) => [
          el("h3", { className: "policy-section-title", text: section.title }),
          el("p", { className: "policy-section-text", text: section.text }),
        ])
      : [el("p", { className: "empty", text: "This library has no policy page yet." })]),
  );
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
