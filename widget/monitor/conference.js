// Working together on a chat: an admin joins a live chat of their library from the All tab
// (QuestionPoint's conferencing) and it opens in My Active beside their own; after a dropped
// connection the monitor joins again, which only moves the admin's seat to the new socket.
// Leaving is the pane's "Leave chat" (chats.js).

import { reason } from "/widget/dom.js";
import { notice } from "./announce.js";
import { removeChat, selectChat, takeTranscript, upsertChat } from "./chats.js";
import { state } from "./state.js";
import { myPart, patronName } from "./status.js";
import { activateTab } from "./tabs.js";

/** Join a chat from the All tab and open it. */
export async function joinChat(session, button) {
  if (!state.socket) return;
  button.disabled = true;
  try {
    const reply = await state.socket.request("join", { session_id: session.session_id });
    openJoined(reply);
    activateTab("mine", { focus: false });
    selectChat(session.session_id, { focus: "composer" });
    notice(`You joined the chat with ${patronName(session)}.`);
  } catch (error) {
    button.disabled = false;
    notice(`Could not join the chat: ${reason(error)}`);
  }
}

function openJoined(reply) {
  const chat = upsertChat(reply.session);
  takeTranscript(chat, reply).catch((error) => console.warn("refdesk: transcript failed", error));
  return chat;
}

/** After a (re)connect: take this socket back into every live chat this admin had joined. */
export function rejoinChats(socket) {
  const joined = Array.from(state.chats.values()).filter(
    (chat) => myPart(chat.session) === "guest" && chat.session.status !== "ended",
  );
  return Promise.all(
    joined.map((chat) =>
      socket.request("join", { session_id: chat.session.session_id }).then(openJoined, (error) => {
        removeChat(chat.session.session_id);
        notice(`You are no longer in the chat with ${patronName(chat.session)}: ${reason(error)}`);
      }),
    ),
  );
}
