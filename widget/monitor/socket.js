// The monitor's socket: opened with a one-time connect ticket (POST /api/ws-ticket, fetched
// with the sign-in token before every attempt, so the token itself never goes in a URL that
// a proxy or access log could keep), and on every (re)connect it asks for a
// `monitor` snapshot and each open chat's missed messages (`history`), then restores the chat
// selected before a reload. A librarian who chose Away is taken off the queues again straight
// after the snapshot (availability.js). Server events are handed to the module that owns them.

import { RefdeskSocket, api, endpoints } from "/widget/refdesk-socket.js";
import { notice } from "./announce.js";
import { stayAway } from "./availability.js";
import { applyChatSnapshot, chatSessionUpdate, messageArrived, requestHistory, selectChat } from "./chats.js";
import { imArrived, rosterUpdate, setRoster } from "./colleagues.js";
import { rejoinChats } from "./conference.js";
import { transferOffered } from "./offers.js";
import { ackArrived, errorArrived } from "./pending.js";
import { applyQueueSnapshot, queueUpdate } from "./queues.js";
import { state } from "./state.js";
import { myPart } from "./status.js";
import { renderCounts } from "./tabs.js";
import { transferDeclined } from "./transfer.js";
import { typingArrived } from "./typing.js";

const { ws: WS_URL, api: API } = endpoints();

let signedOut = () => {};

/** `listener(frame)`: this librarian's sign-in ended elsewhere (`signed_out`): logged out in
 * another window, a new password, deactivated, or a new role. The server closes the socket. */
export function onSignedOut(listener) {
  signedOut = listener;
}

/** `onStatus(status)`: "connecting", "open", "reconnecting" or "closed". */
export function connect({ onStatus }) {
  state.socket = new RefdeskSocket(ticketUrl, {
    onOpen: (socket) => synchronise(socket),
    onFrame: (frame) => handleFrame(frame),
    onStatus,
  });
  state.socket.connect();
}

/** The address of one connect attempt: a fresh ticket each time (it works once, for 30 s).
 * Without a sign-in, or when the service refuses it, the attempt fails (and session.js, seeing
 * the socket reconnect, checks the sign-in and goes back to the sign-in form if it is gone). */
async function ticketUrl() {
  if (!state.token) throw new Error("not signed in");
  const { ticket } = await api(API, "/ws-ticket", { method: "POST", token: state.token });
  return `${WS_URL}?ticket=${encodeURIComponent(ticket)}`;
}

export function disconnect() {
  if (state.socket) state.socket.close();
  state.socket = null;
}

// Queue and chat events that arrive while a snapshot is on its way may be newer than what the
// snapshot read (another Lambda posted them meanwhile): one more snapshot, read after them,
// settles it.
let changesWhileSynchronising = null;

async function freshSnapshot(socket) {
  for (let attempt = 0; attempt < 2; attempt += 1) {
    changesWhileSynchronising = 0;
    const snapshot = await socket.request("monitor");
    const raced = changesWhileSynchronising > 0;
    changesWhileSynchronising = null;
    if (!raced || attempt === 1) return snapshot;
  }
  return null; // not reached
}

async function synchronise(socket) {
  let snapshot;
  try {
    snapshot = await freshSnapshot(socket);
  } catch (error) {
    changesWhileSynchronising = null;
    notice(`Could not start monitoring: ${error.message || error.code || "unknown error"}`);
    return;
  }
  applySnapshot(snapshot);
  if (state.away) await stayAway(socket);
  const mine = new Set((snapshot.mine || []).map((session) => session.session_id));
  const cut = Boolean(snapshot.more?.mine); // not all our chats were listed: catch up on every one held
  await Promise.all([
    rejoinChats(socket),
    ...Array.from(state.chats.values(), (chat) =>
      mine.has(chat.session.session_id) || (cut && myPart(chat.session) !== "guest")
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
  applyChatSnapshot(snapshot.mine || [], { complete: !snapshot.more?.mine });
  setRoster(snapshot.online);
  renderCounts();
}

function handleFrame(frame) {
  if (changesWhileSynchronising !== null && ["queue_update", "session_update"].includes(frame.type)) {
    changesWhileSynchronising += 1;
  }
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
