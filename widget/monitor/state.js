// What the monitor knows while it runs, in one object every module imports (no globals).
// Sign-in (token, me, socket) is session.js's; the queues (queue, all) queues.js's; the chats
// (chats, orphans, selected) chats.js's; pending the sent-but-unconfirmed (pending.js); tab
// tabs.js's; the view to restore after a reload (restored, wantedChat) storage.js's.

export const state = {
  token: null,
  me: null, // {email, name, library, is_admin}
  socket: null, // a RefdeskSocket while signed in
  queue: new Map(), // session_id -> {session, node, name, meta, wait, question} (the New tab)
  waitingMore: new Map(), // queue -> requests waiting in it beyond those shown (a cut snapshot)
  chats: new Map(), // session_id -> chat (see chat-pane.js)
  orphans: new Map(), // session_id -> messages that arrived before the chat was known
  unread: new Map(), // session_id -> patron messages not yet seen (unread.js)
  all: new Map(), // session_id -> session (admins' All tab)
  pending: new Map(), // ref -> {chat, node, seq?}: sent, not yet in the transcript
  libraryNames: new Map(), // library id -> name
  roster: new Map(), // email -> {email, name, library}: colleagues monitoring now (colleagues.js)
  queues: [], // the library ids whose requests this librarian is offered (the snapshot's queues)
  away: false, // Away: not offered new requests (availability.js)
  tab: "new",
  selected: null, // the session_id of the chat shown in My Active
  restored: false, // the view saved before a reload has been restored
  wantedChat: null, // the chat selected before a reload
  tokenCheck: null, // a GET /api/me in flight
  changingPassword: false, // a password change in flight (password.js); passwordChangedAt when it went through
  passwordChangedAt: 0,
  leaving: false, // logging out: the sign-in is being revoked (logout.js)
};
