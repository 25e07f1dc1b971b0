// The monitor's socket: opened with the sign-in token, and on every (re)connect it asks for a
// `monitor` snapshot and each open chat's missed messages (`history`), then restores the chat
// selected before a reload. Server events are handed to the module that owns them.

import { RefdeskSocket, endpoints } from "/widget/refdesk-socket.js";
import { notice } from "./announce.js";
import { applyChatSnapshot, chatSessionUpdate, messageArrived, requestHistory, selectChat } from "./chats.js";
import { ackArrived, errorArrived } from "./pending.js";
import { allSessionUpdate, applyQueueSnapshot, queueUpdate } from "./queues.js";
import { state } from "./state.js";
import { renderCounts } from "./tabs.js";
import { typingArrived } from "./typing.js";

const { ws: WS_URL } = endpoints();

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
  applyQueueSnapshot(snapshot);
  applyChatSnapshot(snapshot.mine || []);
  renderCounts();
  await Promise.all(
    Array.from(state.chats.values(), (chat) =>
      requestHistory(socket, chat).catch((error) => console.warn("refdesk: history failed", error)),
    ),
  );
  if (!state.restored) {
    state.restored = true;
    if (state.wantedChat && state.chats.has(state.wantedChat)) selectChat(state.wantedChat, { focus: false });
    else if (!state.selected && state.chats.size) selectChat(state.chats.keys().next().value, { focus: false });
  }
}

function handleFrame(frame) {
  switch (frame.type) {
    case "queue_update":
      return queueUpdate(frame);
    case "message":
      return messageArrived(frame);
    case "session_update":
      chatSessionUpdate(frame);
      return allSessionUpdate(frame);
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
