// How a chat is described: the patron's name, its library's name, how long it has waited,
// and its status as text, a shape and a colour (never colour alone).

import { clockTime, el } from "/widget/dom.js";
import { libraryPolicy, onPolicyChanged } from "./policies.js";
import { state } from "./state.js";

const named = []; // listeners: a library's name became known

export function patronName(session) {
  return session?.patron?.name || "Anonymous patron";
}

export function libraryLabel(id) {
  return state.libraryNames.get(id) || id;
}

/** Call `listener(id)` whenever a library's name is learnt. */
export function onLibraryNamed(listener) {
  named.push(listener);
}

/** Fetch a library's name once (its policy page), for the header and the chat panes. */
export async function learnLibraryName(id) {
  if (!id || state.libraryNames.has(id) || !state.token) return;
  state.libraryNames.set(id, id);
  try {
    const policy = await libraryPolicy(id); // fetched once, shared with the chat panes' policy view
    if (policy.name) state.libraryNames.set(id, policy.name);
  } catch {
    return;
  }
  for (const listener of named) listener(id);
}

// A library renamed in the Library tab is renamed wherever it is shown.
onPolicyChanged((id, policy) => {
  if (!policy?.name || state.libraryNames.get(id) === policy.name) return;
  state.libraryNames.set(id, policy.name);
  for (const listener of named) listener(id);
});

export function waitingFor(iso) {
  const minutes = Math.floor((Date.now() - Date.parse(iso)) / 60000);
  if (!(minutes >= 1)) return "Waiting less than a minute";
  if (minutes < 60) return `Waiting ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  return `Waiting ${hours} hour${hours === 1 ? "" : "s"} ${minutes % 60} min`;
}

/** `mine`: the chat is this librarian's (so "ended by you"). */
export function statusInfo(session, mine = true) {
  switch (session.status) {
    case "waiting":
      return { key: "waiting", text: "Waiting" };
    case "active":
      return { key: "active", text: "Active" };
    case "reconnecting":
      return { key: "reconnecting", text: "Reconnecting" };
    case "ended": {
      let who;
      if (session.ended_by === "librarian") {
        who = mine ? "ended by you" : `ended by ${session.librarian?.name || "a librarian"}`;
      } else if (session.ended_by === "patron") who = "closed by patron";
      else if (session.ended_by === "disconnect") who = "patron did not reconnect";
      else if (session.ended_by === "exit") who = "ended: librarian left";
      else if (session.ended_by === "unanswered") who = "nobody was free to take it";
      else who = "ended";
      const at = clockTime(session.ended_at);
      return { key: "ended", text: `Ended${at ? ` ${at}` : ""}, ${who}` };
    }
    default:
      return { key: "waiting", text: String(session.status || "Unknown") };
  }
}

export function renderStatus(node, session, mine = true) {
  const info = statusInfo(session, mine);
  node.className = `chat-status status-${info.key}`;
  node.replaceChildren(
    el("span", { className: "status-icon", attrs: { "aria-hidden": "true" } }),
    el("span", { className: "status-text", text: info.text }),
  );
}

/** This librarian's part in a chat: "owner" (theirs), "guest" (joined to help), or null (the
 * chat was passed on, or they left it). Staff views name each librarian's e-mail. */
export function myPart(session) {
  const me = state.me?.email;
  const owner = session.librarian?.email;
  if (!owner || owner === me) return "owner";
  return (session.librarians || []).some((person) => person.email === me) ? "guest" : null;
}

/** Who serves a chat, for the All tab: "Ann (with Bo)". */
export function servedBy(session) {
  const [owner, ...guests] = session.librarians || (session.librarian ? [session.librarian] : []);
  if (!owner) return "—";
  const names = guests.map((person) => person.name).filter(Boolean);
  return names.length ? `${owner.name} (with ${names.join(", ")})` : owner.name || "—";
}
