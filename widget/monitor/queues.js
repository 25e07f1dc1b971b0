// The queues: the New tab (requests waiting in this librarian's queues, oldest first, each with
// Accept, marked when offered to the cooperative) and, for admins, the All tab (every live
// chat in the library, kept live by queue updates; Join opens a chat in progress).

import { clockTime, el, uid, byId as $ } from "/widget/dom.js";
import { alertNewRequest } from "./alerts.js";
import { notice } from "./announce.js";
import { chatChanged } from "./chat-events.js";
import { selectChat, takeTranscript, upsertChat } from "./chats.js";
import { joinChat } from "./conference.js";
import { state } from "./state.js";
import {
  learnLibraryName,
  libraryLabel,
  myPart,
  onLibraryNamed,
  patronName,
  renderStatus,
  servedBy,
  waitingFor,
} from "./status.js";
import { activateTab, onTabActivated, renderCounts } from "./tabs.js";

const ui = {
  newList: $("new-list"),
  newMore: $("new-more"),
  allTable: $("all-table"),
  allBody: $("all-body"),
  allEmpty: $("all-empty"),
};

// --- the New tab ------------------------------------------------------------------------------

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
    const routed = el("p", { className: "request-routed", attrs: { hidden: true } });
    const wait = el("time", { className: "request-wait" });
    const question = el("p", { className: "request-question", attrs: { id: questionId } });
    const node = el(
      "li",
      { className: "request", attrs: { "data-session": id } },
      el("div", { className: "request-head" }, name, meta, routed),
      question,
      el("div", { className: "request-actions" }, wait, accept),
    );
    accept.addEventListener("click", () => acceptChat(id, accept));
    entry = { session, node, name, meta, routed, wait, question };
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
  renderRouted(entry);
  learnLibraryName(session.library);
  entry.question.textContent = session.question || "";
  entry.wait.setAttribute("datetime", session.created_at || "");
  entry.wait.textContent = waitingFor(session.created_at);
  renderCounts();
}

/** Whose request it is, for a cooperative: a partner's patron, or ours offered to partners. */
function renderRouted(entry) {
  const session = entry.session;
  if (session.library !== state.me?.library) {
    entry.routed.textContent = `A patron of ${libraryLabel(session.library)}, a partner library`;
  } else {
    entry.routed.textContent = session.escalated ? "Offered to the cooperative too" : "";
  }
  entry.routed.hidden = !entry.routed.textContent;
}

onLibraryNamed((id) => {
  for (const entry of state.queue.values()) if (entry.session.library === id) renderRouted(entry);
});

function removeRequest(id, { refill = true } = {}) {
  const entry = state.queue.get(id);
  if (!entry) return;
  if (refill) refillSoon();
  state.queue.delete(id);
  const hadFocus = entry.node.contains(document.activeElement);
  const next = entry.node.nextElementSibling || entry.node.previousElementSibling;
  entry.node.remove();
  if (hadFocus) (next ? next.querySelector("button") : $("panel-new")).focus();
  renderCounts();
}

/** "…and N more waiting" under the New list, while a line is longer than what is shown. */
function renderMore() {
  let more = 0;
  for (const count of state.waitingMore.values()) more += count;
  ui.newMore.hidden = more === 0;
  ui.newMore.textContent = more
    ? `…and ${more} more waiting. The oldest are shown; the next come up as these are taken.`
    : "";
  renderCounts();
}

let refilling = null;

/** A shown request left while others wait behind it: ask for the queues again (a `monitor`
 * snapshot, at most one at a time), so New shows the oldest again. */
function refillSoon() {
  let more = 0;
  for (const count of state.waitingMore.values()) more += count;
  if (!more || refilling || !state.socket || state.away) return;
  refilling = setTimeout(async () => {
    try {
      const snapshot = await state.socket.request("monitor");
      if (!state.away) applyQueueSnapshot(snapshot);
    } catch (error) {
      console.warn("refdesk: refreshing the queues failed", error);
    } finally {
      refilling = null;
    }
  }, 300);
}

async function acceptChat(id, button) {
  const entry = state.queue.get(id);
  const name = entry ? patronName(entry.session) : "the patron";
  if (!state.socket) return;
  button.disabled = true;
  try {
    const reply = await state.socket.request("accept", { session_id: id });
    const chat = upsertChat(reply.session);
    takeTranscript(chat, reply).catch((error) => console.warn("refdesk: transcript failed", error));
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

// --- the All tab (admins) -----------------------------------------------------------------------

function renderAll() {
  const rows = Array.from(state.all.values()).sort((a, b) => (a.created_at < b.created_at ? -1 : 1));
  ui.allBody.replaceChildren(...rows.map(allRow));
  ui.allTable.hidden = rows.length === 0;
  ui.allEmpty.hidden = rows.length > 0;
}

function allRow(session) {
  const status = el("span");
  renderStatus(status, session, false);
  if (session.status === "waiting" && session.escalated) status.append(el("span", { text: " (offered to the cooperative)" }));
  const served = session.served_by_library && session.served_by_library !== session.library;
  return el(
    "tr",
    { attrs: { "data-session": session.session_id } },
    el("td", { text: patronName(session) }),
    el("td", { text: session.question || "" }),
    el("td", {}, status),
    el("td", { text: `${servedBy(session)}${served ? ` (${libraryLabel(session.served_by_library)})` : ""}` }),
    el("td", {}, el("time", { text: clockTime(session.created_at), attrs: { datetime: session.created_at } })),
    el("td", {}, allAction(session)),
  );
}

/** A row's way into the chat: Open (already in My Active), Join (in progress), or none yet. */
function allAction(session) {
  const id = session.session_id;
  const name = patronName(session);
  const chat = state.chats.get(id);
  if (chat && myPart(chat.session)) {
    const open = el("button", { text: "Open", attrs: { type: "button", "aria-label": `Open the chat with ${name}` } });
    open.addEventListener("click", () => {
      activateTab("mine", { focus: false });
      selectChat(id, { focus: "pane" });
    });
    return open;
  }
  if (session.status === "waiting") return el("span", { className: "hint", text: "Waiting: accept it in New" });
  const join = el("button", { text: "Join", attrs: { type: "button", "aria-label": `Join the chat with ${name}` } });
  join.addEventListener("click", () => joinChat(session, join));
  return join;
}

// --- what the server says ---------------------------------------------------------------------

/** The `new` and (admins) `all` parts of a `monitor` snapshot. */
export function applyQueueSnapshot(snapshot) {
  const waiting = new Set((snapshot.new || []).map((s) => s.session_id));
  for (const id of Array.from(state.queue.keys())) if (!waiting.has(id)) removeRequest(id, { refill: false });
  for (const session of snapshot.new || []) upsertRequest(session);
  // A long line is cut to its oldest requests; `more.new` says how many wait behind them.
  state.waitingMore = new Map(state.away ? [] : Object.entries(snapshot.more?.new || {}));
  renderMore();
  if (state.me.is_admin) {
    state.all.clear();
    for (const session of snapshot.all || []) state.all.set(session.session_id, session);
    renderAll();
  }
}

const finished = new Map(); // session_id -> last_seq when it was taken or ended (this sign-in)

/** A `queue_update` frame: a request added (alerting when it is new), changed (offered to the
 * cooperative; or, for admins, any change to a live chat) or gone. */
export function queueUpdate(frame) {
  const session = frame.session;
  if (!session) return;
  const id = session.session_id;
  // Events about one request come from different invocations and can cross: an "added" that
  // arrives after the request was taken (or ended) is stale unless the chat moved on since
  // (a return to the queue always posts a message, so its last_seq is higher).
  if (frame.op === "added" && (finished.get(id) ?? -1) >= session.last_seq) return;
  if (frame.op === "taken" || frame.op === "removed" || session.status !== "waiting") {
    finished.set(id, session.last_seq);
  }
  const behind = state.waitingMore.get(frame.queue) || 0; // waiting in that queue, not shown
  if (frame.op === "added") {
    const isNew = !state.queue.has(id);
    if (isNew && behind) {
      state.waitingMore.set(frame.queue, behind + 1); // at the back of a line cut short
      renderMore();
    } else {
      upsertRequest(session);
    }
    if (isNew) alertNewRequest(session);
  } else if (frame.op === "changed" && state.queue.has(id)) {
    if (session.status === "waiting") upsertRequest(session);
    else removeRequest(id);
  } else if (frame.op !== "changed") {
    if (state.queue.has(id)) {
      removeRequest(id);
    } else if (behind) {
      state.waitingMore.set(frame.queue, behind - 1); // one of those not shown
      renderMore();
    }
  }
  if (state.me?.is_admin && session.library === state.me.library) {
    if (frame.op === "removed" || session.status === "ended") state.all.delete(id);
    else state.all.set(id, session);
    renderAll();
  }
  renderCounts();
  chatChanged(session);
}

// Joining, leaving or passing on a chat happens in My Active: the All tab's Open and Join
// buttons are brought up to date each time it is shown.
onTabActivated((tab) => {
  if (tab === "all") renderAll();
});

/** Signed out: empty lists. */
export function resetQueues() {
  state.queue.clear();
  state.waitingMore.clear();
  ui.newMore.hidden = true;
  state.all.clear();
  ui.newList.replaceChildren();
  ui.allBody.replaceChildren();
}
