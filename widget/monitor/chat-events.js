// "Something happened to a chat": every session_update of this librarian's chats and every
// queue_update (a request added, taken or gone; for admins, any change to a live chat of
// their library). Lists that show chats without owning them (the Questions tab's "live"
// questions) listen here to stay true without a reload.

const listeners = [];

/** Call `listener(session)` after each chat event. */
export function onChatChanged(listener) {
  listeners.push(listener);
}

export function chatChanged(session) {
  for (const listener of listeners) listener(session);
}
