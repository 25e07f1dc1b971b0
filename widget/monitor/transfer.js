// Passing a chat on, from its pane's Transfer button: a dialog offers it to a colleague who
// is online (they have a minute to accept or decline) or puts it in a library's queue, with
// a note for the next librarian that the patron never sees. A chat put in a queue leaves My
// Active at once; an offer's outcome comes back as a line under the pane's head, or as the
// chat leaving My Active when the colleague takes it over (chats.js).

import { el, reason, byId as $ } from "/widget/dom.js";
import { notice } from "./announce.js";
import { showHandoff } from "./chat-pane.js";
import { onTransfer, removeChat } from "./chats.js";
import { state } from "./state.js";
import { libraryLabel, patronName } from "./status.js";

const ui = {
  dialog: $("transfer-dialog"),
  form: $("transfer-form"),
  about: $("transfer-about"),
  target: $("transfer-target"),
  note: $("transfer-note"),
  error: $("transfer-error"),
  send: $("transfer-send"),
  cancel: $("transfer-cancel"),
};
let current = null; // the chat being transferred

function colleagues() {
  return Array.from(state.roster.values())
    .filter((person) => person.email !== state.me?.email)
    .sort((a, b) => (a.name || a.email).localeCompare(b.name || b.email));
}

function option(value, text) {
  return el("option", { text, attrs: { value } });
}

function fillTargets() {
  const people = colleagues();
  ui.target.replaceChildren(
    el(
      "optgroup",
      { attrs: { label: people.length ? "Colleagues online" : "Colleagues online: none" } },
      ...people.map((person) =>
        option(`librarian:${person.email}`, `${person.name || person.email} (${libraryLabel(person.library)})`),
      ),
    ),
    el(
      "optgroup",
      { attrs: { label: "Queues" } },
      ...(state.queues.length ? state.queues : [state.me.library]).map((id) =>
        option(`library:${id}`, `${libraryLabel(id)} queue`),
      ),
    ),
  );
}

function open(chat) {
  current = chat;
  ui.about.textContent = `The chat with ${patronName(chat.session)}: ${chat.session.question || "no question"}`;
  fillTargets();
  ui.note.value = "";
  ui.error.textContent = "";
  ui.send.disabled = false;
  ui.dialog.showModal();
  ui.target.focus();
}

async function send(event) {
  event.preventDefault();
  const chat = current;
  if (!chat || !state.socket) return;
  const [kind, to] = ui.target.value.split(/:(.*)/s);
  const note = ui.note.value.trim();
  const name = patronName(chat.session);
  const label = ui.target.selectedOptions[0]?.textContent || to;
  ui.send.disabled = true;
  ui.error.textContent = "";
  try {
    await state.socket.request("transfer", {
      session_id: chat.session.session_id,
      [kind]: to,
      ...(note ? { note } : {}),
    });
  } catch (error) {
    ui.send.disabled = false;
    ui.error.textContent = `Could not transfer the chat: ${reason(error)}`;
    return;
  }
  ui.dialog.close();
  if (kind === "library") {
    removeChat(chat.session.session_id);
    notice(`You passed the chat with ${name} to the ${label}.`);
    return;
  }
  const text = `Offered to ${label}: waiting for their answer (the offer lapses after a minute).`;
  showHandoff(chat, text);
  notice(text);
  chat.dom.title.focus();
}

/** A `transfer_declined` frame: the colleague declined, did not answer, or went offline. */
export function transferDeclined(frame) {
  const chat = state.chats.get(frame.session_id);
  if (chat) showHandoff(chat, frame.message);
  notice(frame.message);
}

export function setupTransfer() {
  onTransfer(open);
  ui.form.addEventListener("submit", send);
  ui.cancel.addEventListener("click", () => ui.dialog.close()); // focus returns to Transfer
}
