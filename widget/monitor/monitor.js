// The librarian chat monitor: sign in, watch the queues, accept chats and serve them.
// Its other parts are modules: wrapup.js (the end of a chat), questions.js (the Questions
// tab), code-editor.js (admins' Codes tab), logout.js (logging out with chats in progress).
//
// Every string that comes from a user (names, questions, messages, URLs) reaches the page
// through textContent or a checked href, never as HTML.

import { clockTime, el, safeUrl, uid, vh, byId as $ } from "/widget/dom.js";
import { RefdeskSocket, api, endpoints } from "/widget/refdesk-socket.js";
import { chime, faviconFor, unlockAudio } from "./alerts.js";
import { forgetCodeLists } from "./code-lists.js";
import { setupCodeEditor } from "./code-editor.js";
import { setupLogout } from "./logout.js";
import { messageNode } from "./messages.js";
import { setupQuestions } from "./questions.js";
import { makeWrapup } from "./wrapup.js";

const TOKEN_KEY = "refdesk:monitor:token";
const VIEW_KEY = "refdesk:monitor:view";
const MUTE_KEY = "refdesk:monitor:muted";
const ASKED_KEY = "refdesk:monitor:asked-notifications";
const TITLE = "Refdesk chat monitor";
const PATRON_TYPING_MS = 6000;
const TYPING_RESEND_MS = 3000;
const TYPING_IDLE_MS = 4000;

const { ws: WS_URL, api: API } = endpoints();

const ui = {
  connection: $("connection"),
  account: $("account"),
  signedInAs: $("signed-in-as"),
  mute: $("mute"),
  enableAlerts: $("enable-alerts"),
  logout: $("logout"),
  signin: $("view-signin"),
  signinForm: $("signin-form"),
  email: $("signin-email"),
  password: $("signin-password"),
  signinError: $("signin-error"),
  signinMessage: $("signin-message"),
  monitor: $("view-monitor"),
  notice: $("notice"),
  tablist: document.querySelector("[role=tablist]"),
  tabs: Array.from(document.querySelectorAll("[role=tab]")),
  counts: { new: $("count-new"), mine: $("count-mine"), all: $("count-all") },
  newList: $("new-list"),
  newEmpty: $("new-empty"),
  mineList: $("mine-list"),
  mineEmpty: $("mine-empty"),
  panes: $("panes"),
  allTable: $("all-table"),
  allBody: $("all-body"),
  allEmpty: $("all-empty"),
  favicon: $("favicon"),
  main: $("main"),
};

const state = {
  token: null,
  me: null, // {email, name, library, is_admin}
  socket: null,
  queue: new Map(), // session_id -> {session, node, wait}
  chats: new Map(), // session_id -> chat (see makeChat)
  orphans: new Map(), // session_id -> messages that arrived before the chat was known
  all: new Map(), // session_id -> session (admins)
  pending: new Map(), // ref -> {chat, node, seq?}
  libraryNames: new Map(),
  tab: "new",
  selected: null,
  restored: false,
  wantedChat: null, // the chat selected before a reload
  tokenCheck: null,
};

// --- small helpers --------------------------------------------------------------------------

function storage(kind) {
  try {
    return kind === "local" ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

function getItem(kind, key) {
  try {
    return storage(kind)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function setItem(kind, key, value) {
  try {
    if (value === null) storage(kind)?.removeItem(key);
    else storage(kind)?.setItem(key, value);
  } catch {
    // storage full or disabled: the monitor still works for this page's lifetime
  }
}

function patronName(session) {
  return session?.patron?.name || "Anonymous patron";
}

function libraryLabel(id) {
  return state.libraryNames.get(id) || id;
}

let noticeTimer = null;
function notice(text) {
  clearTimeout(noticeTimer);
  ui.notice.textContent = text;
  noticeTimer = setTimeout(() => {
    ui.notice.textContent = "";
  }, 15000);
}

function waitingFor(iso) {
  const minutes = Math.floor((Date.now() - Date.parse(iso)) / 60000);
  if (!(minutes >= 1)) return "Waiting less than a minute";
  if (minutes < 60) return `Waiting ${minutes} minute${minutes === 1 ? "" : "s"}`;
  const hours = Math.floor(minutes / 60);
  return `Waiting ${hours} hour${hours === 1 ? "" : "s"} ${minutes % 60} min`;
}

// --- status of a chat: text, a shape and a colour --------------------------------------------

function statusInfo(session, mine = true) {
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
      else who = "ended";
      const at = clockTime(session.ended_at);
      return { key: "ended", text: `Ended${at ? ` ${at}` : ""}, ${who}` };
    }
    default:
      return { key: "waiting", text: String(session.status || "Unknown") };
  }
}

function renderStatus(node, session, mine = true) {
  const info = statusInfo(session, mine);
  node.className = `chat-status status-${info.key}`;
  node.replaceChildren(
    el("span", { className: "status-icon", attrs: { "aria-hidden": "true" } }),
    el("span", { className: "status-text", text: info.text }),
  );
}

// --- alerts: sound, title, favicon, desktop notification -------------------------------------

function muted() {
  return getItem("local", MUTE_KEY) === "1";
}

function updateBadges() {
  const count = state.queue.size;
  document.title = count > 0 ? `(${count}) ${TITLE}` : TITLE;
  const url = faviconFor(count);
  if (url && ui.favicon) ui.favicon.href = url;
}

function desktopAlert(session) {
  if (muted() || !("Notification" in window) || Notification.permission !== "granted") return;
  try {
    const note = new Notification("New chat request", {
      body: `${patronName(session)}: ${session.question || ""}`.slice(0, 200),
      tag: `refdesk-${session.session_id}`,
    });
    note.onclick = () => {
      window.focus();
      activateTab("new");
      note.close();
    };
  } catch {
    // some browsers only allow notifications from a service worker
  }
}

function alertNewRequest(session) {
  if (!muted()) chime();
  desktopAlert(session);
}

function updateAlertButton() {
  const hide = !("Notification" in window) || Notification.permission !== "default";
  if (hide && document.activeElement === ui.enableAlerts) ui.mute.focus();
  ui.enableAlerts.hidden = hide;
}

function askNotificationPermission() {
  if (!("Notification" in window) || Notification.permission !== "default") return;
  setItem("local", ASKED_KEY, "1");
  try {
    const result = Notification.requestPermission(() => updateAlertButton());
    if (result && typeof result.then === "function") result.then(updateAlertButton, updateAlertButton);
  } catch {
    updateAlertButton();
  }
}

function renderMute() {
  ui.mute.setAttribute("aria-pressed", muted() ? "true" : "false");
}

// --- views: sign-in and monitor ---------------------------------------------------------------

function setConnection(text, key = "") {
  ui.connection.textContent = text;
  ui.connection.dataset.state = key;
}

/** `message` is an error (an expired sign-in); `info` says what happened (a log-out). */
function showSignIn(message = "", info = "") {
  ui.monitor.hidden = true;
  ui.account.hidden = true;
  ui.signin.hidden = false;
  ui.signinError.textContent = message;
  ui.signinMessage.textContent = info;
  ui.password.value = "";
  document.title = TITLE;
  if (ui.favicon) ui.favicon.href = faviconFor(0) || "data:,";
}

function showMonitor() {
  ui.signin.hidden = true;
  ui.monitor.hidden = false;
  ui.account.hidden = false;
  renderSignedInAs();
  renderMute();
  updateAlertButton();
  for (const name of ["all", "codes"]) ui.tabs.find((tab) => tab.dataset.tab === name).hidden = !state.me.is_admin;
  activateTab(state.tab, { focus: false });
  updateBadges();
}

function renderSignedInAs() {
  if (!state.me) return;
  ui.signedInAs.textContent = `Signed in as ${state.me.name || state.me.email}, ${libraryLabel(state.me.library)}`;
}

async function learnLibraryName(id) {
  if (!id || state.libraryNames.has(id) || !state.token) return;
  state.libraryNames.set(id, id);
  try {
    const policy = await api(API, `/libraries/${encodeURIComponent(id)}/policy`, { token: state.token });
    if (policy.name) state.libraryNames.set(id, policy.name);
  } catch {
    return;
  }
  renderSignedInAs();
  for (const chat of state.chats.values()) {
    if (chat.session.library === id) chat.dom.policyText.textContent = `Policy page: ${libraryLabel(id)}`;
  }
}

function resetState() {
  for (const chat of state.chats.values()) {
    clearTimeout(chat.patronTypingTimer);
    clearTimeout(chat.typingStop);
  }
  state.queue.clear();
  state.chats.clear();
  state.orphans.clear();
  state.all.clear();
  state.pending.clear();
  state.selected = null;
  state.tab = "new";
  state.restored = false;
  ui.newList.replaceChildren();
  ui.mineList.replaceChildren();
  ui.panes.replaceChildren();
  ui.allBody.replaceChildren();
  questions.reset();
  codeEditor.reset();
  logoutFlow.reset();
  forgetCodeLists();
  renderCounts();
}

async function signIn(event) {
  event.preventDefault();
  unlockAudio();
  const email = ui.email.value.trim();
  const password = ui.password.value;
  for (const input of [ui.email, ui.password]) input.removeAttribute("aria-invalid");
  if (!email || !password) {
    const missing = !email ? ui.email : ui.password;
    missing.setAttribute("aria-invalid", "true");
    ui.signinError.textContent = "Enter your e-mail and password.";
    missing.focus();
    return;
  }
  ui.signinError.textContent = "";
  const button = ui.signinForm.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const reply = await api(API, "/login", { method: "POST", body: { email, password } });
    if (getItem("local", ASKED_KEY) !== "1") askNotificationPermission();
    start(reply.token, reply.librarian);
    ui.main.focus();
  } catch (error) {
    if (error && error.status === 401) {
      ui.signinError.textContent = "That e-mail and password do not match. Try again.";
      ui.password.setAttribute("aria-invalid", "true");
      ui.password.focus();
    } else {
      ui.signinError.textContent =
        (error && error.message) || "Could not reach Refdesk. Check your connection and try again.";
    }
  } finally {
    button.disabled = false;
  }
}
function start(token, me) {
  state.token = token;
  state.me = me;
  setItem("session", TOKEN_KEY, token);
  if (!state.restored) restoreView();
  showMonitor();
  learnLibraryName(me.library);
  connect();
}

function restoreView() {
  try {
    const view = JSON.parse(getItem("session", VIEW_KEY) || "{}");
    if (["new", "mine", "questions", "all", "codes"].includes(view.tab)) state.tab = view.tab;
    state.wantedChat = typeof view.chat === "string" ? view.chat : null;
  } catch {
    state.wantedChat = null;
  }
}

function saveView() {
  setItem("session", VIEW_KEY, JSON.stringify({ tab: state.tab, chat: state.selected }));
}

function connect() {
  const url = `${WS_URL}?token=${encodeURIComponent(state.token)}`;
  state.socket = new RefdeskSocket(url, {
    onOpen: (socket) => synchronise(socket),
    onFrame: (frame) => handleFrame(frame),
    onStatus: (status) => socketStatus(status),
  });
  state.socket.connect();
}

function socketStatus(status) {
  if (status === "open") setConnection("Connected", "connected");
  else if (status === "connecting") setConnection("Connecting…", "connecting");
  else if (status === "reconnecting") {
    setConnection("Reconnecting…", "reconnecting");
    checkToken();
  } else if (status === "closed") setConnection(state.token ? "Disconnected" : "Signed out");
}

/** A socket that will not open may have a refused token (the handshake fails with 401). */
function checkToken() {
  if (state.tokenCheck || !state.token) return;
  const token = state.token;
  state.tokenCheck = api(API, "/me", { token })
    .catch((error) => {
      if (error && error.status === 401 && state.token === token) {
        endSession("Your sign-in has expired. Sign in again.");
      }
    })
    .finally(() => {
      setTimeout(() => {
        state.tokenCheck = null;
      }, 5000);
    });
}

function endSession(message, info = "") {
  if (state.socket) state.socket.close();
  state.socket = null;
  state.token = null;
  state.me = null;
  setItem("session", TOKEN_KEY, null);
  setItem("session", VIEW_KEY, null);
  resetState();
  setConnection("Signed out");
  showSignIn(message, info);
  ui.email.focus();
}

// --- synchronising on every (re)connect --------------------------------------------------------

async function synchronise(socket) {
  let snapshot;
  try {
    snapshot = await socket.request("monitor");
  } catch (error) {
    notice(`Could not start monitoring: ${error.message || error.code || "unknown error"}`);
    return;
  }
  applySnapshot(snapshot);
  await Promise.all(
    Array.from(state.chats.values(), (chat) =>
      socket
        .request("history", { session_id: chat.session.session_id, after_seq: highestSeq(chat) })
        .then((reply) => applyHistory(reply))
        .catch((error) => console.warn("refdesk: history failed", error)),
    ),
  );
  if (!state.restored) {
    state.restored = true;
    if (state.wantedChat && state.chats.has(state.wantedChat)) selectChat(state.wantedChat, { focus: false });
    else if (!state.selected && state.chats.size) selectChat(state.chats.keys().next().value, { focus: false });
  }
}

function applySnapshot(snapshot) {
  const waiting = new Set((snapshot.new || []).map((s) => s.session_id));
  for (const id of Array.from(state.queue.keys())) if (!waiting.has(id)) removeRequest(id);
  for (const session of snapshot.new || []) upsertRequest(session);

  const mine = new Set((snapshot.mine || []).map((s) => s.session_id));
  for (const id of Array.from(state.chats.keys())) if (!mine.has(id)) removeChat(id);
  for (const session of snapshot.mine || []) upsertChat(session);

  if (state.me.is_admin) {
    state.all.clear();
    for (const session of snapshot.all || []) state.all.set(session.session_id, session);
    renderAll();
  }
  renderCounts();
}

function applyHistory(reply) {
  const chat = state.chats.get(reply.session?.session_id);
  if (!chat) return;
  updateChatSession(chat, reply.session);
  addMessages(chat, reply.messages || []);
}

// --- frames ---------------------------------------------------------------------------------

function handleFrame(frame) {
  switch (frame.type) {
    case "queue_update":
      return queueUpdate(frame);
    case "message":
      return messageArrived(frame);
    case "session_update":
      return sessionUpdate(frame);
    case "typing":
      return typingArrived(frame);
    case "ack":
      return ackArrived(frame);
    case "error":
      return errorArrived(frame);
    default:
      return undefined;
  }
}

function queueUpdate(frame) {
  const session = frame.session;
  if (!session) return;
  const id = session.session_id;
  if (frame.op === "added") {
    const isNew = !state.queue.has(id);
    upsertRequest(session);
    if (isNew) alertNewRequest(session);
  } else {
    removeRequest(id);
  }
  if (state.me?.is_admin && session.library === state.me.library) {
    if (frame.op === "removed" || session.status === "ended") state.all.delete(id);
    else state.all.set(id, session);
    renderAll();
  }
  renderCounts();
}

function messageArrived(message) {
  const chat = state.chats.get(message.session_id);
  if (!chat) {
    const held = state.orphans.get(message.session_id) || [];
    held.push(message);
    state.orphans.set(message.session_id, held.slice(-200));
    return;
  }
  addMessages(chat, [message]);
  if (message.from?.role === "patron") setPatronTyping(chat, false);
}

function sessionUpdate(frame) {
  const chat = state.chats.get(frame.session_id);
  if (chat) {
    if (frame.status === "waiting") {
      // The chat went back to the queue (this librarian was away too long): no longer ours.
      notice(`The chat with ${patronName(chat.session)} went back to the queue.`);
      removeChat(frame.session_id);
    } else {
      const { type: _type, ...fields } = frame;
      updateChatSession(chat, { ...chat.session, ...fields });
      if (frame.status === "ended") setPatronTyping(chat, false);
    }
  }
  if (state.all.has(frame.session_id)) {
    if (frame.status === "ended") state.all.delete(frame.session_id);
    else state.all.set(frame.session_id, { ...state.all.get(frame.session_id), status: frame.status });
    renderAll();
    renderCounts();
  }
}

function typingArrived(frame) {
  const chat = state.chats.get(frame.session_id);
  if (!chat || frame.from?.role !== "patron") return;
  setPatronTyping(chat, Boolean(frame.typing));
}

function ackArrived(frame) {
  const pending = frame.ref && state.pending.get(frame.ref);
  if (!pending) return;
  if (typeof frame.seq === "number" && !pending.chat.messages.has(frame.seq)) {
    pending.seq = frame.seq; // its message event has not arrived yet: keep "sending" until it does
    return;
  }
  dropPending(frame.ref);
}

function errorArrived(frame) {
  const pending = frame.ref && state.pending.get(frame.ref);
  if (pending) {
    dropPending(frame.ref);
    const why =
      frame.code === "session_ended" ? "This chat has ended." : frame.message || "The service refused it.";
    showPaneError(pending.chat, `Not sent: ${why}`);
    return;
  }
  if (frame.code && frame.code !== "session_ended") console.warn("refdesk:", frame.code, frame.message);
}

function dropPending(ref) {
  const pending = state.pending.get(ref);
  if (!pending) return;
  state.pending.delete(ref);
  pending.node.remove();
}

// --- the New tab ----------------------------------------------------------------------------

function upsertRequest(session) {
  const id = session.session_id;
  let entry = state.queue.get(id);
  if (!entry) {
    const questionId = uid("question");
    const accept = el("button", {
      className: "primary",
      text: "Accept",
      attrs: { type: "button", "aria-describedby": questionId },
    });
    const name = el("h3", { className: "request-name" });
    const meta = el("p", { className: "request-meta" });
    const wait = el("time", { className: "request-wait" });
    const question = el("p", { className: "request-question", attrs: { id: questionId } });
    const node = el(
      "li",
      { className: "request", attrs: { "data-session": id } },
      el("div", { className: "request-head" }, name, meta),
      question,
      el("div", { className: "request-actions" }, wait, accept),
    );
    accept.addEventListener("click", () => acceptChat(id, accept));
    entry = { session, node, name, meta, wait, question };
    state.queue.set(id, entry);
    const later = Array.from(state.queue.values()).find(
      (other) => other !== entry && other.node.isConnected && other.session.created_at > session.created_at,
    );
    ui.newList.insertBefore(node, later ? later.node : null);
  }
  entry.session = session;
  entry.name.textContent = patronName(session);
  const metaParts = [`Queue: ${session.library}`];
  if (session.patron?.email) metaParts.push(session.patron.email);
  entry.meta.textContent = metaParts.join(" · ");
  entry.question.textContent = session.question || "";
  entry.wait.setAttribute("datetime", session.created_at || "");
  entry.wait.textContent = waitingFor(session.created_at);
  renderCounts();
}

function removeRequest(id) {
  const entry = state.queue.get(id);
  if (!entry) return;
  state.queue.delete(id);
  const hadFocus = entry.node.contains(document.activeElement);
  const next = entry.node.nextElementSibling || entry.node.previousElementSibling;
  entry.node.remove();
  if (hadFocus) (next ? next.querySelector("button") : $("panel-new")).focus();
  renderCounts();
}

async function acceptChat(id, button) {
  const entry = state.queue.get(id);
  const name = entry ? patronName(entry.session) : "the patron";
  if (!state.socket) return;
  button.disabled = true;
  try {
    const reply = await state.socket.request("accept", { session_id: id });
    const chat = upsertChat(reply.session);
    addMessages(chat, reply.messages || []);
    removeRequest(id);
    renderCounts();
    activateTab("mine", { focus: false });
    selectChat(id, { focus: "composer" });
    notice(`You accepted the chat with ${name}.`);
  } catch (error) {
    if (error.code === "already_accepted") {
      removeRequest(id);
      notice("Another librarian took this chat.");
    } else if (error.code === "session_ended") {
      removeRequest(id);
      notice(`The chat with ${name} has ended.`);
    } else {
      button.disabled = false;
      notice(`Could not accept the chat: ${error.message || error.code}`);
    }
  }
}

setInterval(() => {
  for (const entry of state.queue.values()) entry.wait.textContent = waitingFor(entry.session.created_at);
}, 15000);

// --- the All tab (admins) ---------------------------------------------------------------------

function renderAll() {
  const rows = Array.from(state.all.values()).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
  ui.allBody.replaceChildren(
    ...rows.map((session) => {
      const status = el("span");
      renderStatus(status, session, false);
      return el(
        "tr",
        {},
        el("td", { text: patronName(session) }),
        el("td", { text: session.question || "" }),
        el("td", {}, status),
        el("td", { text: session.librarian?.name || "—" }),
        el("td", {}, el("time", { text: clockTime(session.created_at), attrs: { datetime: session.created_at } })),
      );
    }),
  );
  ui.allTable.hidden = rows.length === 0;
  ui.allEmpty.hidden = rows.length > 0;
}

// --- counts and tabs -------------------------------------------------------------------------

function renderCounts() {
  ui.counts.new.textContent = String(state.queue.size);
  ui.counts.mine.textContent = String(state.chats.size);
  ui.counts.all.textContent = String(state.all.size);
  ui.newEmpty.hidden = state.queue.size > 0;
  ui.mineEmpty.hidden = state.chats.size > 0;
  updateBadges();
}

function visibleTabs() {
  return ui.tabs.filter((tab) => !tab.hidden);
}

function activateTab(name, { focus = false } = {}) {
  let target = ui.tabs.find((tab) => tab.dataset.tab === name && !tab.hidden);
  if (!target) target = ui.tabs[0];
  state.tab = target.dataset.tab;
  for (const tab of ui.tabs) {
    const selected = tab === target;
    tab.setAttribute("aria-selected", selected ? "true" : "false");
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  if (state.tab === "mine" && state.selected) clearUnread(state.chats.get(state.selected));
  if (focus) target.focus();
  saveView();
  if (state.tab === "questions") questions.activate();
  if (state.tab === "codes") codeEditor.activate();
}

ui.tablist.addEventListener("click", (event) => {
  const tab = event.target.closest("[role=tab]");
  if (tab) activateTab(tab.dataset.tab, { focus: true });
});

ui.tablist.addEventListener("keydown", (event) => {
  const tabs = visibleTabs();
  const index = tabs.indexOf(document.activeElement);
  if (index < 0) return;
  let next = null;
  if (event.key === "ArrowRight" || event.key === "ArrowDown") next = tabs[(index + 1) % tabs.length];
  else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = tabs[(index - 1 + tabs.length) % tabs.length];
  else if (event.key === "Home") next = tabs[0];
  else if (event.key === "End") next = tabs[tabs.length - 1];
  if (!next) return;
  event.preventDefault();
  for (const tab of ui.tabs) tab.tabIndex = tab === next ? 0 : -1;
  next.focus();
});

// When focus leaves the tab list, the selected tab is again its only stop.
ui.tablist.addEventListener("focusout", (event) => {
  if (ui.tablist.contains(event.relatedTarget)) return;
  for (const tab of ui.tabs) tab.tabIndex = tab.getAttribute("aria-selected") === "true" ? 0 : -1;
});

// --- My Active: chats, panes, transcripts ------------------------------------------------------

function upsertChat(session) {
  let chat = state.chats.get(session.session_id);
  if (!chat) {
    chat = makeChat(session);
    state.chats.set(session.session_id, chat);
    const held = state.orphans.get(session.session_id);
    if (held) {
      state.orphans.delete(session.session_id);
      addMessages(chat, held);
    }
    learnLibraryName(session.library);
    renderCounts();
  }
  updateChatSession(chat, session);
  return chat;
}

function makeChat(session) {
  const id = session.session_id;
  const paneId = uid("pane");
  const titleId = uid("pane-title");
  const chat = {
    session,
    messages: new Map(),
    patronTypingTimer: null,
    typingOn: false,
    typingSentAt: 0,
    typingStop: null,
    dom: {},
  };
  const d = chat.dom;

  // The list entry
  d.itemName = el("span", { className: "chat-item-name" });
  d.itemStatus = el("span", { className: "chat-status" });
  d.unread = el("span", { className: "unread", text: "New message", attrs: { hidden: true } });
  d.itemButton = el(
    "button",
    { className: "chat-item", attrs: { type: "button", "aria-controls": paneId } },
    d.itemName,
    vh(", "),
    d.itemStatus,
    d.unread,
  );
  d.itemButton.addEventListener("click", () => selectChat(id, { focus: "pane" }));
  d.item = el("li", { attrs: { "data-session": id } }, d.itemButton);
  ui.mineList.append(d.item);

  // The pane
  d.title = el("h2", { className: "pane-title", attrs: { id: titleId, tabindex: "-1" } });
  d.paneStatus = el("span", { className: "chat-status" });
  const statusLine = el("p", { className: "pane-status", attrs: { "aria-live": "polite" } }, d.paneStatus);
  d.meta = el("p", { className: "pane-meta" });
  d.policyText = el("span");
  d.policy = el(
    "a",
    {
      className: "policy-link",
      attrs: {
        href: `/monitor/policy.html?library=${encodeURIComponent(session.library)}`,
        target: "_blank",
        rel: "opener",
      },
    },
    d.policyText,
    vh(" (opens in a new tab)"),
  );
  d.pageLink = el("span", { className: "page-link" });
  d.endButton = el("button", { className: "danger", text: "End chat", attrs: { type: "button" } });
  d.closeButton = el("button", { text: "Close chat", attrs: { type: "button", hidden: true } });
  d.endButton.addEventListener("click", () => endChat(chat));
  d.closeButton.addEventListener("click", () => closeChat(chat));
  const head = el(
    "div",
    { className: "pane-head" },
    el(
      "div",
      { className: "pane-heading" },
      d.title,
      statusLine,
      el("div", { className: "pane-actions" }, d.endButton),
    ),
    d.meta,
    el("p", { className: "pane-links" }, d.policy, d.pageLink),
  );

  d.log = el("div", {
    className: "transcript",
    attrs: { role: "log", "aria-live": "polite", "aria-label": "Transcript", tabindex: "0" },
  });
  d.typing = el("p", { className: "typing", attrs: { "aria-live": "polite" } });

  // The composer
  const messageId = uid("message");
  const hintId = uid("hint");
  d.text = el("textarea", {
    attrs: { id: messageId, rows: "3", maxlength: "4000", "aria-describedby": hintId },
  });
  const composer = el(
    "form",
    { className: "composer", attrs: { novalidate: true } },
    el("label", { text: "Message", attrs: { for: messageId } }),
    d.text,
    el("p", { className: "hint", text: "Enter sends. Shift+Enter starts a new line.", attrs: { id: hintId } }),
    el("button", { className: "primary", text: "Send", attrs: { type: "submit" } }),
  );
  composer.addEventListener("submit", (event) => {
    event.preventDefault();
    sendMessage(chat);
  });
  d.text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey) {
      event.preventDefault();
      sendMessage(chat);
    }
  });
  d.text.addEventListener("input", () => librarianTyping(chat));
  d.text.addEventListener("blur", () => stopTyping(chat));

  const urlId = uid("push-url");
  d.url = el("input", { attrs: { id: urlId, type: "url", inputmode: "url", maxlength: "4000", autocomplete: "url" } });
  const pushForm = el(
    "form",
    { className: "tool", attrs: { novalidate: true } },
    el("label", { text: "URL to push", attrs: { for: urlId } }),
    el("div", { className: "tool-row" }, d.url, el("button", { text: "Push URL", attrs: { type: "submit" } })),
  );
  pushForm.addEventListener("submit", (event) => {
    event.preventDefault();
    pushUrl(chat);
  });

  const noteId = uid("note");
  d.note = el("input", { attrs: { id: noteId, type: "text", maxlength: "4000", autocomplete: "off" } });
  const noteForm = el(
    "form",
    { className: "tool", attrs: { novalidate: true } },
    el("label", { text: "Librarian note", attrs: { for: noteId } }),
    el("div", { className: "tool-row" }, d.note, el("button", { text: "Add note", attrs: { type: "submit" } })),
  );
  noteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    addNote(chat);
  });

  d.error = el("p", { className: "error", attrs: { role: "alert" } });
  d.composerArea = el("div", { className: "composer-area" }, composer, el("div", { className: "tools" }, pushForm, noteForm));
  d.endedNote = el("p", {
    className: "ended-note",
    text: "This chat has ended. Code it in the wrap-up below, then close it to remove it from My Active.",
    attrs: { hidden: true },
  });
  chat.wrapup = makeWrapup(chat, services, d.closeButton);

  d.pane = el(
    "section",
    { className: "pane", attrs: { id: paneId, "aria-labelledby": titleId, hidden: true } },
    head,
    d.log,
    d.typing,
    d.composerArea,
    d.endedNote,
    d.error,
    chat.wrapup.node,
  );
  ui.panes.append(d.pane);
  return chat;
}

function updateChatSession(chat, session) {
  chat.session = { ...chat.session, ...session };
  const s = chat.session;
  const d = chat.dom;
  const name = s.patron?.name;
  d.title.textContent = `Chat with ${name || "patron"}`;
  d.itemName.textContent = patronName(s);
  renderStatus(d.itemStatus, s);
  renderStatus(d.paneStatus, s);
  const meta = [`Queue: ${s.library}`];
  if (s.patron?.email) meta.push(`E-mail: ${s.patron.email}`);
  if (s.created_at) meta.push(`Asked ${clockTime(s.created_at)}`);
  d.meta.textContent = meta.join(" · ");
  d.policyText.textContent = `Policy page: ${libraryLabel(s.library)}`;
  const page = s.page_url && safeUrl(s.page_url);
  d.pageLink.replaceChildren(
    ...(page
      ? [
          " · ",
          el(
            "a",
            { attrs: { href: page, target: "_blank", rel: "noopener noreferrer" } },
            "Patron's page",
            vh(" (opens in a new tab)"),
          ),
        ]
      : []),
  );
  const ended = s.status === "ended";
  const justEnded = ended && !d.pane.classList.contains("is-ended");
  const focusInPane = d.pane.contains(document.activeElement);
  const focusLost = !document.activeElement || document.activeElement === document.body;
  const focusLeaving =
    (focusInPane && (document.activeElement === d.endButton || document.activeElement.closest(".composer-area"))) ||
    (chat.ending && focusLost);
  chat.wrapup.update(s);
  d.endButton.hidden = ended;
  d.closeButton.hidden = !ended;
  d.composerArea.hidden = ended;
  d.endedNote.hidden = !ended;
  d.pane.classList.toggle("is-ended", ended);
  if (ended) {
    stopTyping(chat);
    // The End button and the composer are gone: go on to the wrap-up.
    if (justEnded && focusLeaving && !d.pane.hidden) chat.wrapup.focusStart();
  }
}

function highestSeq(chat) {
  let highest = 0;
  for (const seq of chat.messages.keys()) if (seq > highest) highest = seq;
  return highest;
}

function addMessages(chat, messages) {
  const log = chat.dom.log;
  const nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  let added = false;
  for (const message of messages.slice().sort((a, b) => a.seq - b.seq)) {
    if (typeof message.seq !== "number" || chat.messages.has(message.seq)) continue;
    chat.messages.set(message.seq, message);
    const node = messageNode(message);
    // Before the first shown message with a higher seq, or before the "sending" entries.
    let before = null;
    for (const child of log.children) {
      const seq = child.dataset.seq ? Number(child.dataset.seq) : Number.POSITIVE_INFINITY;
      if (seq > message.seq) {
        before = child;
        break;
      }
    }
    log.insertBefore(node, before);
    added = true;
    for (const [ref, pending] of state.pending) {
      if (pending.chat === chat && pending.seq === message.seq) dropPending(ref);
    }
  }
  if (!added) return;
  if (nearBottom) log.scrollTop = log.scrollHeight;
  if (!(state.tab === "mine" && state.selected === chat.session.session_id)) {
    chat.dom.unread.hidden = false;
  }
}

function clearUnread(chat) {
  if (chat) chat.dom.unread.hidden = true;
}

function selectChat(id, { focus = false } = {}) {
  const chat = state.chats.get(id);
  if (!chat) return;
  state.selected = id;
  for (const [otherId, other] of state.chats) {
    const selected = otherId === id;
    other.dom.pane.hidden = !selected;
    if (selected) other.dom.itemButton.setAttribute("aria-current", "true");
    else other.dom.itemButton.removeAttribute("aria-current");
  }
  if (state.tab === "mine") clearUnread(chat);
  const log = chat.dom.log;
  log.scrollTop = log.scrollHeight;
  if (focus === "composer" && !chat.dom.composerArea.hidden) chat.dom.text.focus();
  else if (focus) chat.dom.title.focus();
  saveView();
}

function removeChat(id) {
  const chat = state.chats.get(id);
  if (!chat) return;
  clearTimeout(chat.patronTypingTimer);
  clearTimeout(chat.typingStop);
  for (const [ref, pending] of state.pending) if (pending.chat === chat) state.pending.delete(ref);
  const hadFocus = chat.dom.pane.contains(document.activeElement) || chat.dom.item.contains(document.activeElement);
  state.chats.delete(id);
  chat.dom.item.remove();
  chat.dom.pane.remove();
  if (state.selected === id) {
    state.selected = null;
    const next = state.chats.keys().next();
    if (!next.done) selectChat(next.value);
    saveView();
  }
  renderCounts();
  if (hadFocus) {
    const first = ui.mineList.querySelector("button");
    (first || $("panel-mine")).focus();
  }
}

function showPaneError(chat, text) {
  chat.dom.error.textContent = text;
}

function addPending(chat, ref, label, text) {
  const node = el(
    "div",
    { className: "msg msg-pending" },
    el("p", { className: "msg-head" }, el("span", { className: "sender", text: label })),
    el("p", { className: "msg-text", text }),
  );
  chat.dom.log.append(node);
  chat.dom.log.scrollTop = chat.dom.log.scrollHeight;
  state.pending.set(ref, { chat, node, seq: null });
}

function sendMessage(chat) {
  const text = chat.dom.text.value.trim();
  if (!text || !state.socket) return;
  chat.dom.error.textContent = "";
  const ref = state.socket.sendReliably("send_message", { session_id: chat.session.session_id, text });
  addPending(chat, ref, "Sending…", text);
  chat.dom.text.value = "";
  stopTyping(chat);
}

function pushUrl(chat) {
  const raw = chat.dom.url.value.trim();
  const href = safeUrl(raw);
  if (!href || !state.socket) {
    chat.dom.url.setAttribute("aria-invalid", "true");
    showPaneError(chat, "Enter a web address that starts with http:// or https://.");
    chat.dom.url.focus();
    return;
  }
  chat.dom.url.removeAttribute("aria-invalid");
  chat.dom.error.textContent = "";
  const ref = state.socket.sendReliably("push_url", { session_id: chat.session.session_id, url: raw });
  addPending(chat, ref, "Sending link…", raw);
  chat.dom.url.value = "";
}

function addNote(chat) {
  const text = chat.dom.note.value.trim();
  if (!text || !state.socket) return;
  chat.dom.error.textContent = "";
  const ref = state.socket.sendReliably("note", { session_id: chat.session.session_id, text });
  addPending(chat, ref, "Saving note…", text);
  chat.dom.note.value = "";
}

async function endChat(chat) {
  if (!state.socket) return;
  chat.dom.endButton.disabled = true;
  chat.dom.error.textContent = "";
  chat.ending = true;
  try {
    await state.socket.request("end_chat", { session_id: chat.session.session_id });
  } catch (error) {
    if (error.code === "session_ended") {
      state.socket
        .request("history", { session_id: chat.session.session_id, after_seq: highestSeq(chat) })
        .then(applyHistory)
        .catch(() => {});
    } else {
      showPaneError(chat, `Could not end the chat: ${error.message || error.code}`);
    }
  } finally {
    chat.ending = false;
    chat.dom.endButton.disabled = false;
  }
}

async function closeChat(chat) {
  if (!state.socket) return;
  const id = chat.session.session_id;
  const name = patronName(chat.session);
  chat.dom.closeButton.disabled = true;
  try {
    await state.socket.request("close_chat", { session_id: id });
    removeChat(id);
    notice(`Closed the chat with ${name}.`);
  } catch (error) {
    chat.dom.closeButton.disabled = false;
    showPaneError(chat, `Could not close the chat: ${error.message || error.code}`);
  }
}

// --- typing indicators -----------------------------------------------------------------------

function setPatronTyping(chat, typing) {
  clearTimeout(chat.patronTypingTimer);
  chat.dom.typing.textContent = typing ? "Patron is typing…" : "";
  if (typing) chat.patronTypingTimer = setTimeout(() => setPatronTyping(chat, false), PATRON_TYPING_MS);
}

function librarianTyping(chat) {
  if (chat.session.status === "ended" || !state.socket) return;
  if (!chat.dom.text.value.trim()) {
    stopTyping(chat);
    return;
  }
  const now = Date.now();
  if (!chat.typingOn || now - chat.typingSentAt > TYPING_RESEND_MS) {
    state.socket.notify("typing", { session_id: chat.session.session_id, typing: true });
    chat.typingOn = true;
    chat.typingSentAt = now;
  }
  clearTimeout(chat.typingStop);
  chat.typingStop = setTimeout(() => stopTyping(chat), TYPING_IDLE_MS);
}

function stopTyping(chat) {
  clearTimeout(chat.typingStop);
  if (!chat.typingOn) return;
  chat.typingOn = false;
  chat.typingSentAt = 0;
  if (state.socket && chat.session.status !== "ended") {
    state.socket.notify("typing", { session_id: chat.session.session_id, typing: false });
  }
}

// --- the other parts: wrap-up, questions, codes, logging out ---------------------------------

const services = {
  me: () => state.me,
  socket: () => state.socket,
  rest: (path, options = {}) => api(API, path, { ...options, token: state.token }),
  showTab: (name) => activateTab(name, { focus: false }),
  openQuestion: (id) => questions.open(id),
};

const questions = setupQuestions(services);
const codeEditor = setupCodeEditor(services);
const logoutFlow = setupLogout({
  socket: () => state.socket,
  liveChats: () => Array.from(state.chats.values()).filter((chat) => chat.session.status !== "ended"),
  describe: (session) => `${patronName(session)}: ${session.question || "no question"} (${statusInfo(session).text})`,
  signOut: (info) => endSession("", info),
});

// --- wiring ---------------------------------------------------------------------------------

ui.signinForm.addEventListener("submit", signIn);
ui.mute.addEventListener("click", () => {
  setItem("local", MUTE_KEY, muted() ? null : "1");
  renderMute();
  if (!muted()) unlockAudio();
});
ui.enableAlerts.addEventListener("click", () => askNotificationPermission());
for (const type of ["pointerdown", "keydown"]) {
  document.addEventListener(type, unlockAudio, {
    capture: true,
    passive: true,
  });
}
window.addEventListener("storage", (event) => {
  if (event.key === MUTE_KEY) renderMute();
});

async function boot() {
  updateBadges();
  renderMute();
  const token = getItem("session", TOKEN_KEY);
  if (!token) {
    setConnection("");
    showSignIn();
    return;
  }
  setConnection("Connecting…");
  try {
    const me = await api(API, "/me", { token });
    start(token, me);
  } catch (error) {
    if (error && (error.status === 401 || error.status === 403)) {
      setItem("session", TOKEN_KEY, null);
      setConnection("Signed out");
      showSignIn("Your sign-in has expired. Sign in again.");
    } else {
      setConnection("Could not reach Refdesk. Retrying…");
      setTimeout(boot, 5000);
    }
  }
}

boot();
