// My Active: this librarian's chats. Each chat's list entry and pane (chat-pane.js) are added,
// updated, selected and removed here; its transcript takes each message once, in seq order,
// from the socket, a history reply or the accept reply. A gap in a chat's seqs that does not
// close by itself (a post lost or late) is filled from `history` (seq-gaps.js, one per chat).

import { byId as $ } from "/widget/dom.js";
import { SeqGaps } from "/widget/seq-gaps.js";
import { notice } from "./announce.js";
import { chatChanged } from "./chat-events.js";
import { makeChat, renderChat, renderPolicyLink } from "./chat-pane.js";
import { renderCloseEnded } from "./close-ended.js";
import { messageNode } from "./messages.js";
import { forgetPending, messageShown, showPaneError } from "./pending.js";
import { state } from "./state.js";
import { learnLibraryName, myPart, onLibraryNamed, patronName } from "./status.js";
import { saveView } from "./storage.js";
import { activateTab, onTabActivated, renderCounts } from "./tabs.js";
import { clearTypingTimers, setPatronTyping } from "./typing.js";
import { clearUnread, forgetUnread, messagesAdded, onOpenChat } from "./unread.js";

const ui = { mineList: $("mine-list"), panes: $("panes") };

export function upsertChat(session) {
  let chat = state.chats.get(session.session_id);
  if (!chat) {
    const id = session.session_id;
    chat = makeChat(session, {
      select: (focus) => selectChat(id, { focus }),
      end: () => endChat(chat),
      close: () => closeChat(chat),
      leave: () => leaveChat(chat),
      transfer: () => transferring(chat),
      earlier: () => showEarlier(chat),
    });
    chat.gaps = new SeqGaps((afterSeq) => fillGap(chat, afterSeq)); // settled by its first transcript
    ui.mineList.append(chat.dom.item);
    ui.panes.append(chat.dom.pane);
    state.chats.set(id, chat);
    const held = state.orphans.get(id);
    if (held) {
      state.orphans.delete(id);
      addMessages(chat, held);
    }
    learnLibraryName(session.library);
    renderCounts();
  }
  updateChatSession(chat, session);
  return chat;
}

export function updateChatSession(chat, session) {
  chat.session = { ...chat.session, ...session };
  renderChat(chat);
  renderCloseEnded();
}

export function highestSeq(chat) {
  let highest = 0;
  for (const seq of chat.messages.keys()) if (seq > highest) highest = seq;
  return highest;
}

export function addMessages(chat, messages) {
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
    chat.gaps.arrived(message.seq);
    messageShown(chat, message.seq);
  }
  if (!added) return;
  if (nearBottom) log.scrollTop = log.scrollHeight;
}

/** `focus`: "composer" (the message box, if the chat is live), "pane" (its title) or false. */
export function selectChat(id, { focus = false } = {}) {
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

export function removeChat(id) {
  const chat = state.chats.get(id);
  if (!chat) return;
  clearTypingTimers(chat);
  chat.gaps.reset();
  forgetPending(chat);
  forgetUnread(id);
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
  renderCloseEnded();
  if (hadFocus) {
    const first = ui.mineList.querySelector("button");
    (first || $("panel-mine")).focus();
  }
}

/** Signed out: no chats, no timers. */
export function resetChats() {
  for (const chat of state.chats.values()) {
    clearTypingTimers(chat);
    chat.gaps.reset();
  }
  state.chats.clear();
  state.orphans.clear();
  state.pending.clear();
  state.unread.clear();
  state.selected = null;
  ui.mineList.replaceChildren();
  ui.panes.replaceChildren();
  renderCloseEnded();
}

// --- what the server says ---------------------------------------------------------------------

/** The `mine` part of a `monitor` snapshot: chats no longer ours go (chats joined as a guest
 * stay: conference.js joins them again), the others are updated. A snapshot cut to fit
 * (`complete` false) lists only some of our chats, so none is taken away on its word. */
export function applyChatSnapshot(sessions, { complete = true } = {}) {
  const mine = new Set(sessions.map((s) => s.session_id));
  for (const [id, chat] of Array.from(state.chats)) {
    if (complete && !mine.has(id) && myPart(chat.session) !== "guest") removeChat(id);
  }
  for (const session of sessions) upsertChat(session);
}

/** Ask for what a chat missed (after a reconnect, or when ending it found it ended). */
export async function requestHistory(socket, chat) {
  const reply = await socket.request("history", {
    session_id: chat.session.session_id,
    after_seq: highestSeq(chat),
  });
  await applyHistory(reply, socket);
}

async function applyHistory(reply, socket) {
  const chat = state.chats.get(reply.session?.session_id);
  if (!chat) return;
  updateChatSession(chat, reply.session);
  const caughtUp = highestSeq(chat); // 0: a reload's whole transcript, nothing unread in it
  await takeTranscript(chat, reply, socket);
  if (caughtUp) messagesAdded(chat, (reply.messages || []).filter((m) => m.seq > caughtUp), { alert: false });
}

/** A gap that did not close by itself: what came after `afterSeq` (the highest held in order).
 * A patron's message found here counts as unread as it would have live. Resolves with the
 * `history` reply (SeqGaps settles the gap up to its last_seq). */
async function fillGap(chat, afterSeq) {
  const socket = state.socket;
  if (!socket || state.chats.get(chat.session.session_id) !== chat) return null;
  const reply = await socket.request("history", { session_id: chat.session.session_id, after_seq: afterSeq });
  if (state.chats.get(chat.session.session_id) !== chat) return null; // closed meanwhile
  const found = (reply.messages || []).filter((m) => !chat.messages.has(m.seq));
  await takeTranscript(chat, reply, socket);
  messagesAdded(chat, found);
  return reply;
}

// --- a long chat: its replies carry the newest messages that fit ----------------------------------

function lowestSeq(chat) {
  let lowest = 0;
  for (const seq of chat.messages.keys()) if (!lowest || seq < lowest) lowest = seq;
  return lowest;
}

/** "Show earlier messages" shows while messages older than the oldest held may exist. */
function setEarlier(chat, more) {
  chat.moreBefore = more;
  chat.dom.earlier.hidden = !more;
}

/** A reply carrying a chat's newest messages (`accepted`, `joined`, `history`). When it says
 * older ones were left out (`more_before`), what lies between them and the messages already
 * held is fetched at once (`history {after_seq, before_seq}`); with nothing held before them,
 * "Show earlier messages" is offered instead. */
export async function takeTranscript(chat, reply, socket = state.socket) {
  await fillTranscript(chat, reply, socket);
  // Every message up to the reply's last_seq is held now: any gap below it is settled.
  chat.gaps.settle(reply.session?.last_seq);
}

async function fillTranscript(chat, reply, socket) {
  const messages = reply.messages || [];
  addMessages(chat, messages);
  if (!messages.length) return;
  const first = Math.min(...messages.map((m) => m.seq));
  let below = 0; // the newest message held from before this reply
  for (const seq of chat.messages.keys()) if (seq < first && seq > below) below = seq;
  if (!below) {
    setEarlier(chat, Boolean(reply.more_before));
    return;
  }
  let before = first;
  let more = Boolean(reply.more_before);
  while (more && socket) {
    const page = await socket.request("history", {
      session_id: chat.session.session_id,
      after_seq: below,
      before_seq: before,
    });
    const found = page.messages || [];
    addMessages(chat, found);
    more = Boolean(page.more_before) && found.length > 0;
    if (found.length) before = Math.min(...found.map((m) => m.seq));
  }
}

/** "Show earlier messages": the page before the oldest message held, put in place without
 * moving what the librarian is reading, and told to a screen reader once (not message by
 * message). */
async function showEarlier(chat) {
  if (!state.socket || chat.loadingEarlier) return;
  chat.loadingEarlier = true;
  const button = chat.dom.earlier;
  const log = chat.dom.log;
  button.disabled = true;
  try {
    const reply = await state.socket.request("history", {
      session_id: chat.session.session_id,
      before_seq: lowestSeq(chat) || 1,
    });
    const fromBottom = log.scrollHeight - log.scrollTop;
    log.setAttribute("aria-live", "off");
    addMessages(chat, reply.messages || []);
    log.scrollTop = log.scrollHeight - fromBottom;
    log.setAttribute("aria-live", "polite");
    setEarlier(chat, Boolean(reply.more_before));
    const count = (reply.messages || []).length;
    notice(`Showing ${count} earlier message${count === 1 ? "" : "s"}.`);
    if (button.hidden) log.focus();
  } catch (error) {
    showPaneError(chat, `Could not load earlier messages: ${error.message || error.code}`);
  } finally {
    chat.loadingEarlier = false;
    button.disabled = false;
  }
}

/** A `message` frame; held until its chat is known (an accept reply may come after it). */
export function messageArrived(message) {
  const chat = state.chats.get(message.session_id);
  if (!chat) {
    const held = state.orphans.get(message.session_id) || [];
    held.push(message);
    state.orphans.set(message.session_id, held.slice(-200));
    return;
  }
  const isNew = !chat.messages.has(message.seq);
  addMessages(chat, [message]);
  if (isNew) messagesAdded(chat, [message]);
  if (message.from?.role === "patron") setPatronTyping(chat, false);
}

/** A `session_update` frame for one of this librarian's chats. It may say the chat is no
 * longer ours: back in a queue (transferred, or this librarian was away too long), or taken
 * over by the colleague it was offered to. */
export function chatSessionUpdate(frame) {
  const chat = state.chats.get(frame.session_id);
  chatChanged(frame);
  if (!chat) return;
  const name = patronName(chat.session);
  if (frame.status === "waiting") {
    notice(`The chat with ${name} went back to the queue.`);
    removeChat(frame.session_id);
    return;
  }
  const { type: _type, ...fields } = frame;
  updateChatSession(chat, { ...chat.session, ...fields, librarians: frame.librarians || null });
  if (frame.status === "ended") setPatronTyping(chat, false);
  if (myPart(chat.session) === null) {
    notice(`${frame.librarian?.name || "A colleague"} took over the chat with ${name}.`);
    removeChat(frame.session_id);
  }
}

// --- the pane's End and Close -----------------------------------------------------------------

async function endChat(chat) {
  if (!state.socket) return;
  chat.dom.endButton.disabled = true;
  chat.dom.error.textContent = "";
  chat.ending = true;
  try {
    await state.socket.request("end_chat", { session_id: chat.session.session_id });
  } catch (error) {
    if (error.code === "session_ended") {
      requestHistory(state.socket, chat).catch(() => {});
    } else {
      showPaneError(chat, `Could not end the chat: ${error.message || error.code}`);
    }
  } finally {
    chat.ending = false;
    chat.dom.endButton.disabled = false;
  }
}

export async function closeChat(chat) {
  if (!state.socket) return;
  const id = chat.session.session_id;
  const name = patronName(chat.session);
  if (myPart(chat.session) === "guest") {
    // Its librarian codes and closes it; a guest only puts it away.
    removeChat(id);
    notice(`Closed the chat with ${name}.`);
    return;
  }
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

async function leaveChat(chat) {
  if (!state.socket) return;
  const id = chat.session.session_id;
  chat.dom.leaveButton.disabled = true;
  try {
    await state.socket.request("leave", { session_id: id });
    removeChat(id);
    notice(`You left the chat with ${patronName(chat.session)}.`);
  } catch (error) {
    chat.dom.leaveButton.disabled = false;
    showPaneError(chat, `Could not leave the chat: ${error.message || error.code}`);
  }
}

// The pane's Transfer button opens the transfer dialog (transfer.js), which registers here.
let transferring = () => {};

/** `open(chat)` runs when a pane's Transfer button is pressed. */
export function onTransfer(open) {
  transferring = open;
}

onTabActivated((tab) => {
  if (tab === "mine" && state.selected) clearUnread(state.chats.get(state.selected));
});

// A desktop notification for a patron's message opens its chat.
onOpenChat((id) => {
  activateTab("mine", { focus: false });
  selectChat(id, { focus: "composer" });
});

onLibraryNamed((id) => {
  for (const chat of state.chats.values()) if (chat.session.library === id) renderPolicyLink(chat);
});
