// The monitor's socket: opened with the sign-in token, and on every (re)connect it asks for a
// `monitor` snapshot and each open chat's missed messages (`history`), then restores the chat
// selected before a reload. A librarian who chose Away is taken off the queues again straight
// after the snapshot (availability.js). Server events are handed to the module that owns them.

import { RefdeskSocket, endpoints } from "/widget/refdesk-socket.js";
import { notice } from "./announce.js";
import { stayAway } from "./availability.js";
import { applyChatSnapshot, chatSessionUpdate, messageArrived, requestHistory, selectChat } from "./chats.js";
import { imArrived, rosterUpdate, setRoster } from "./colleagues.js";
import { rejoinChats } from "./conference.js";
import { transferOffered } from "./offers.js";
import { ackArrived, errorArrived } from "./pending.js";
import { applyQueueSnapshot, queueUpdate } from "./queues.js";
import { state } from "./state.js";
import { renderCounts } from "./tabs.js";
import { transferDeclined } from "./transfer.js";
import { typingArrived } from "./typing.js";

const { ws: WS_URL } = endpoints();

let signedOut = () => {};

/** `listener(frame)`: this librarian's sign-in ended elsewhere (`signed_out`): logged out in
 * another window, a new password, deactivated, or a new role. The server closes the socket. */
export function onSignedOut(listener) {
  signedOut = listener;
}

/** `onStatus(status)`: "connecting", "open", "reconnecting" or "closed". */
export function connect({ onStatus }) {
  const url = `${WS_URL}?token=${encodeURIComponent(state.token)}`;
  state.socket = new RefdeskSocket(url, {
    onOpen: (socket) => synchronise(socket),
    onFrame: (frame) => handleFrame(frame),
    onStatus,
  });
  state.socket.connect();
}

export function disconnect() {
  if (state.socket) state.socket.close();
  state.socket = null;
}

async function synchronise(socket) {
  let snapshot;
  try {
    snapshot = await socket.request("monitor");
  } catch (error) {
    notice(`Could not start monitoring: ${error.message || error.code || "unknown error"}`);
    return;
  }
  applySnapshot(snapshot);
  if (state.away) await stayAway(socket);
  const mine = new Set((snapshot.mine || []).map((session) => session.session_id));
  await Promise.all([
    rejoinChats(socket),
    ...Array.from(state.chats.values(), (chat) =>
      mine.has(chat.session.session_id)
        ? requestHistory(socket, chat).catch((error) => console.warn("refdesk: history failed", error))
        : null,
    ),
  ]);
  if (!state.restored) {
    state.restored = true;
    if (state.wantedChat && state.chats.has(state.wantedChat)) selectChat(state.wantedChat, { focus: false });
    else if (!state.selected && state.chats.size) selectChat(state.chats.keys().next().value, { focus: false });
  }
}

/** A `queue_snapshot` (each (re)connect, and coming back from Away): the queues, My Active and
 * the colleagues online. While Away nothing is offered, so New stays empty. */
export function applySnapshot(snapshot) {
  state.queues = snapshot.queues || [];
  applyQueueSnapshot(state.away ? { ...snapshot, new: [] } : snapshot);
  applyChatSnapshot(snapshot.mine || []);
  setRoster(snapshot.online);
  renderCounts();
}

function handleFrame(frame) {
  switch (frame.type) {
    case "queue_update":
      return state.away && frame.op === "added" ? undefined : queueUpdate(frame); // Away: nothing new
    case "message":
      return messageArrived(frame);
    case "session_update":
      return chatSessionUpdate(frame);
    case "transfer_offer":
      return transferOffered(frame);
    case "transfer_declined":
      return transferDeclined(frame);
    case "roster_update":
      return rosterUpdate(frame);
    case "signed_out":
      return signedOut(frame);
    case "im":
      return imArrived(frame);
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
