// What a librarian sends from a chat pane: the message box (Enter sends, Shift+Enter starts a
// new line), a URL to push, and a librarian note (staff only). Each is sent reliably and shows
// as "Sending…" in the transcript until its message arrives (pending.js).
// The message box has a canned-message picker (canned-picker.js).

import { el, safeUrl, uid } from "/widget/dom.js";
import { limitAttrs } from "/widget/limits.js";
import { cannedPicker } from "./canned-picker.js";
import { addPending, showPaneError } from "./pending.js";
import { state } from "./state.js";
import { librarianTyping, stopTyping } from "./typing.js";

function onSubmit(form, send) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  return form;
}

/** The message box and Send; sets chat.dom.text. */
export function buildComposer(chat) {
  const messageId = uid("message");
  const hintId = uid("hint");
  const text = el("textarea", {
    attrs: { id: messageId, rows: "3", ...limitAttrs("text"), "aria-describedby": hintId },
  });
  chat.dom.text = text;
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey) {
      event.preventDefault();
      sendMessage(chat);
    }
  });
  text.addEventListener("input", () => librarianTyping(chat));
  text.addEventListener("blur", () => stopTyping(chat));
  const canned = cannedPicker(chat, text); // "/" in the empty box, Alt+C, or its button
  return onSubmit(
    el(
      "form",
      { className: "composer", attrs: { novalidate: true } },
      el("label", { text: "Message", attrs: { for: messageId } }),
      text,
      el("p", {
        className: "hint",
        text: "Enter sends; Shift+Enter, a new line; / (in an empty box) or Alt+C, canned messages.",
        attrs: { id: hintId },
      }),
      el("button", { className: "primary", text: "Send", attrs: { type: "submit" } }),
      canned.button,
      canned.panel,
    ),
    () => sendMessage(chat),
  );
}

/** A one-line tool: a label, a field and its button. */
function toolForm(label, field, button, send) {
  return onSubmit(
    el(
      "form",
      { className: "tool", attrs: { novalidate: true } },
      el("label", { text: label, attrs: { for: field.id } }),
      el("div", { className: "tool-row" }, field, el("button", { text: button, attrs: { type: "submit" } })),
    ),
    send,
  );
}

/** "URL to push"; sets chat.dom.url. */
export function buildPushUrl(chat) {
  chat.dom.url = el("input", {
    attrs: { id: uid("push-url"), type: "url", inputmode: "url", ...limitAttrs("text"), autocomplete: "url" },
  });
  return toolForm("URL to push", chat.dom.url, "Push URL", () => pushUrl(chat));
}

/** "Librarian note"; sets chat.dom.note. */
export function buildNote(chat) {
  chat.dom.note = el("input", { attrs: { id: uid("note"), type: "text", ...limitAttrs("text"), autocomplete: "off" } });
  return toolForm("Librarian note", chat.dom.note, "Add note", () => addNote(chat));
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

/** The composer and, beside it, the tools: the pane's writing area (hidden once the chat ends). */
export function composerTools(chat) {
  return el(
    "div",
    { className: "composer-area" },
    buildComposer(chat),
    el("div", { className: "tools" }, buildPushUrl(chat), buildNote(chat)),
  );
}
