// Colleagues: the "Colleagues online" panel beside the tabs, and instant messages (IM) with them.
//
// - The roster (state.roster, which the transfer dialog reads too): the librarians of this
//   library and its cooperative who are monitoring now, from the snapshot's `online` and then
//   `roster_update` frames. This librarian is never in it.
// - Conversations: every message sent or received, kept in this page only (the server stores
//   no IM), by colleague, with an unread count for the ones not in view. A colleague who left
//   the roster but has a conversation is listed under "Other conversations".
// - One conversation shows at a time: a live log and a composer (Enter sends). A message that
//   cannot be sent (the colleague signed out, say) shows the server's reason as an alert.
//
// Names, library names and messages reach the page as text only.

import { clockTime, el, reason, vh, byId as $ } from "/widget/dom.js";
import { alertIm } from "./alerts.js";
import { notice } from "./announce.js";
import { state } from "./state.js";
import { learnLibraryName, libraryLabel, onLibraryNamed } from "./status.js";

const ui = {
  panel: $("colleagues"),
  toggle: $("colleagues-toggle"),
  unread: $("colleagues-unread"),
  body: $("colleagues-body"),
  away: $("colleagues-away"),
  online: $("colleague-list"),
  empty: $("colleagues-empty"),
  others: $("colleagues-others"),
  otherList: $("other-list"),
  im: $("im"),
  title: $("im-title"),
  close: $("im-close"),
  log: $("im-log"),
  form: $("im-form"),
  label: $("im-label"),
  text: $("im-text"),
  error: $("im-error"),
};
const conversations = new Map(); // email -> {email, colleague, messages: [{mine, text, at}], unread, draft}
let openEmail = null; // the conversation shown
let sending = false;

const key = (email) => String(email || "").toLowerCase();
const isMe = (email) => key(email) === key(state.me?.email);
const nameOf = (colleague) => colleague.name || colleague.email;

// --- the lists ----------------------------------------------------------------------------------

/** The freshest we know of a colleague: the roster's entry, else the conversation's. */
function colleagueFor(email) {
  return state.roster.get(email) || conversations.get(email)?.colleague || { email };
}

function entry(email) {
  const colleague = colleagueFor(email);
  const unread = conversations.get(email)?.unread || 0;
  const button = el(
    "button",
    {
      className: "colleague",
      attrs: { type: "button", "data-email": email, "aria-current": email === openEmail ? "true" : null },
    },
    el("span", { className: "colleague-name", text: nameOf(colleague) }),
    colleague.library ? vh(", ") : null,
    el("span", { className: "colleague-library", text: libraryLabel(colleague.library) || "" }),
    unread
      ? el(
          "span",
          { className: "im-unread" },
          vh(", "),
          String(unread),
          vh(unread === 1 ? " unread message" : " unread messages"),
        )
      : null,
  );
  button.addEventListener("click", () => openConversation(email));
  return el("li", {}, button);
}

function byName(a, b) {
  return nameOf(colleagueFor(a)).localeCompare(nameOf(colleagueFor(b)));
}

/** Both lists and the unread total, keeping focus on the colleague it was on. */
function renderLists() {
  const focused = ui.panel.contains(document.activeElement) ? document.activeElement.dataset.email : undefined;
  const online = Array.from(state.roster.keys()).sort(byName);
  const others = Array.from(conversations.keys())
    .filter((email) => !state.roster.has(email))
    .sort(byName);
  ui.online.replaceChildren(...online.map(entry));
  ui.otherList.replaceChildren(...others.map(entry));
  ui.empty.hidden = online.length > 0;
  ui.others.hidden = others.length === 0;
  const total = Array.from(conversations.values()).reduce((sum, c) => sum + c.unread, 0);
  ui.unread.textContent = total ? `${total} unread` : "";
  ui.unread.hidden = total === 0;
  if (focused) {
    const again = ui.panel.querySelector(`button[data-email="${CSS.escape(focused)}"]`);
    (again || ui.toggle).focus();
  }
}

onLibraryNamed(() => renderLists());

function setExpanded(expanded) {
  ui.toggle.setAttribute("aria-expanded", expanded ? "true" : "false");
  ui.body.hidden = !expanded;
  ui.panel.classList.toggle("is-collapsed", !expanded);
  if (expanded && openEmail) markRead(openEmail);
}

const expanded = () => !ui.body.hidden;

// --- conversations ------------------------------------------------------------------------------

function conversation(colleague) {
  const email = key(colleague.email);
  let talk = conversations.get(email);
  if (!talk) {
    talk = { email, colleague: { ...colleague, email }, messages: [], unread: 0, draft: "" };
    conversations.set(email, talk);
  } else if (colleague.name || colleague.library) {
    talk.colleague = { ...talk.colleague, ...colleague, email };
  }
  return talk;
}

function messageNode(talk, message) {
  const sender = message.mine ? "You" : nameOf(talk.colleague);
  return el(
    "div",
    { className: `msg im-msg ${message.mine ? "im-mine" : "im-theirs"}` },
    el(
      "p",
      { className: "msg-head" },
      el("span", { className: "sender", text: sender }),
      el("time", { text: clockTime(message.at), attrs: { datetime: message.at } }),
    ),
    el("p", { className: "msg-text", text: message.text }),
  );
}

function markRead(email) {
  const talk = conversations.get(email);
  if (talk && talk.unread) {
    talk.unread = 0;
    renderLists();
  }
}

/** Show the conversation with `email` (starting one if need be) and put focus in its box. */
function openConversation(email, { focus = true } = {}) {
  if (openEmail && conversations.has(openEmail)) conversations.get(openEmail).draft = ui.text.value;
  const talk = conversation(colleagueFor(email));
  const name = nameOf(talk.colleague);
  openEmail = talk.email;
  ui.im.hidden = false;
  ui.title.textContent = `Messages with ${name}`;
  ui.label.textContent = `Message to ${name}`;
  ui.error.textContent = "";
  ui.text.removeAttribute("aria-invalid");
  ui.text.value = talk.draft;
  ui.log.replaceChildren(...talk.messages.map((message) => messageNode(talk, message)));
  ui.log.scrollTop = ui.log.scrollHeight;
  talk.unread = 0;
  setExpanded(true);
  renderLists();
  if (focus) ui.text.focus();
}

function closeConversation() {
  const email = openEmail;
  if (email && conversations.has(email)) conversations.get(email).draft = ui.text.value;
  openEmail = null;
  ui.im.hidden = true;
  renderLists();
  const button = ui.panel.querySelector(`button[data-email="${CSS.escape(email || "")}"]`);
  (button || ui.toggle).focus();
}

function append(talk, message) {
  talk.messages.push(message);
  if (talk.email !== openEmail) return;
  ui.log.append(messageNode(talk, message));
  ui.log.scrollTop = ui.log.scrollHeight;
}

async function send() {
  const talk = conversations.get(openEmail);
  const text = ui.text.value.trim();
  if (!talk || sending) return;
  if (!text) {
    ui.text.setAttribute("aria-invalid", "true");
    ui.error.textContent = "Write a message first.";
    return;
  }
  if (!state.socket) return;
  ui.text.removeAttribute("aria-invalid");
  ui.error.textContent = "";
  sending = true;
  try {
    await state.socket.request("im", { librarian: talk.email, text });
    append(talk, { mine: true, text, at: new Date().toISOString() });
    if (talk.email === openEmail) ui.text.value = "";
    else talk.draft = "";
  } catch (error) {
    if (talk.email === openEmail) ui.error.textContent = `Not sent: ${reason(error)}`;
  } finally {
    sending = false;
  }
}

// --- what the server says -----------------------------------------------------------------------

function addToRoster(colleague) {
  if (!colleague?.email || isMe(colleague.email)) return;
  state.roster.set(key(colleague.email), { ...colleague, email: key(colleague.email) });
  learnLibraryName(colleague.library);
}

/** The snapshot's `online`: who is monitoring now. Shows the panel. */
export function setRoster(online) {
  state.roster.clear();
  for (const colleague of online || []) addToRoster(colleague);
  ui.panel.hidden = false;
  renderLists();
}

/** A `roster_update` frame: a colleague came online or went offline (or Away). */
export function rosterUpdate(frame) {
  if (!state.me || !frame.librarian?.email) return;
  if (frame.op === "online") addToRoster(frame.librarian);
  else state.roster.delete(key(frame.librarian.email));
  renderLists();
}

/** An `im` frame: into its conversation, counted unread and alerted unless it is in view. */
export function imArrived(frame) {
  const from = frame.from;
  if (!state.me || !from?.email) return;
  const talk = conversation(from);
  learnLibraryName(from.library);
  append(talk, { mine: false, text: String(frame.text ?? ""), at: frame.sent_at || new Date().toISOString() });
  const inView = talk.email === openEmail && expanded();
  if (!inView) {
    talk.unread += 1;
    notice(`New message from ${nameOf(talk.colleague)}.`);
  }
  renderLists();
  if (!inView || document.hidden) alertIm(talk.colleague, frame.text, () => openConversation(talk.email));
}

/** While Away the server sends no roster updates: the panel says so. */
export function renderAway() {
  ui.away.hidden = !state.away;
}

/** Wire the panel's controls; `reset()` forgets the roster and every conversation (sign-out). */
export function setupColleagues() {
  ui.toggle.addEventListener("click", () => setExpanded(!expanded()));
  ui.close.addEventListener("click", () => closeConversation());
  ui.im.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeConversation();
  });
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  ui.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey) {
      event.preventDefault();
      send();
    }
  });
  renderAway();
  return {
    reset() {
      state.roster.clear();
      conversations.clear();
      openEmail = null;
      ui.im.hidden = true;
      ui.text.value = "";
      ui.error.textContent = "";
      ui.log.replaceChildren();
      ui.panel.hidden = true;
      setExpanded(true);
      renderLists();
    },
  };
}
