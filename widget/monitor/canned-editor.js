// The Canned messages tab (admins): the library's canned messages, each a title and a text, in
// the order the picker lists them. Add, remove and move them, then save them all with
// PUT /api/libraries/{id}/canned. The server checks them (limits.js has its limits); its
// errors are shown inline and name the message they are about. A saved list is what every
// composer's picker offers from then on (canned-lists.js).

import { el, reason, uid, byId as $ } from "/widget/dom.js";
import { limitAttrs, limits, limitText } from "/widget/limits.js";
import { rememberCanned } from "./canned-lists.js";
import { loading, savingForm } from "./save-form.js";

const FIELDS = { title: "title", text: "text" };

/**
 * Builds the tab's content in #panel-canned.
 * @param services {rest(path, options), me()}
 * @returns {{activate(): void, reset(): void}}
 */
export function setupCannedEditor(services) {
  const panel = $("panel-canned");
  const titleId = uid("canned-editor-title");
  const rows = el("ol", { className: "canned-rows" });
  const empty = el("p", { className: "empty", text: "No canned messages yet: add the first one.", attrs: { hidden: true } });
  const add = el("button", { text: "Add canned message", attrs: { type: "button" } });
  const save = el("button", { className: "primary", text: "Save canned messages", attrs: { type: "submit" } });
  const message = el("p", { className: "saved", attrs: { role: "status" } });
  const error = el("p", { className: "error", attrs: { role: "alert" } });
  const form = el(
    "form",
    { attrs: { novalidate: true, "aria-labelledby": titleId } },
    empty,
    rows,
    add,
    el("div", { className: "save-actions" }, save, message, error),
  );
  panel.replaceChildren(
    el("h2", { className: "list-title", text: "Your library's canned messages", attrs: { id: titleId } }),
    el(
      "p",
      { className: "hint" },
      "Librarians put these in a chat's message box (they type / in an empty box, press Alt+C, or choose ",
      "Canned messages), edit them there and send them. Your cooperative's librarians see them when they ",
      "serve your patrons. Up to ",
      limitText("canned_messages"),
      " messages, in the order listed here; a title of up to ",
      limitText("canned_title"),
      " characters and a text of up to ",
      limitText("text"),
      " characters. Changes take effect when saved.",
    ),
    form,
  );
  let loadedFor = null;

  function field(kind, value) {
    const id = uid(`canned-${kind}`);
    const control =
      kind === "title"
        ? el("input", { attrs: { id, type: "text", autocomplete: "off", "data-field": kind, ...limitAttrs("canned_title") } })
        : el("textarea", { attrs: { id, rows: "3", "data-field": kind, ...limitAttrs("text") } });
    control.value = value || "";
    return [el("label", { text: kind === "title" ? "Title" : "Text", attrs: { for: id } }), control];
  }

  /** Named "Move up, message 3" (renumber() keeps the number right). */
  function rowButton(text, action, className) {
    return el("button", { className, text, attrs: { type: "button", "data-action": action } });
  }

  function makeRow(item = {}) {
    const legend = el("legend");
    const row = el(
      "li",
      { className: "canned-row" },
      el(
        "fieldset",
        {},
        legend,
        ...field(FIELDS.title, item.title),
        ...field(FIELDS.text, item.text),
        el(
          "div",
          { className: "canned-row-actions" },
          rowButton("Move up", "up"),
          rowButton("Move down", "down"),
          rowButton("Remove", "remove", "danger"),
        ),
      ),
    );
    return row;
  }

  /** Each row's legend and buttons say which message it is; the ends cannot move further. */
  function renumber() {
    const all = Array.from(rows.children);
    all.forEach((row, index) => {
      const where = `message ${index + 1}`;
      row.querySelector("legend").textContent = `Message ${index + 1}`;
      for (const button of row.querySelectorAll("[data-action]")) {
        button.setAttribute("aria-label", `${button.textContent}, ${where}`);
        const stuck = (button.dataset.action === "up" && index === 0) ||
          (button.dataset.action === "down" && index === all.length - 1);
        if (stuck) button.setAttribute("aria-disabled", "true");
        else button.removeAttribute("aria-disabled");
      }
    });
    empty.hidden = all.length > 0;
  }

  function render(messages) {
    rows.replaceChildren(...messages.map((item) => makeRow(item)));
    renumber();
  }

  function clearMessages() {
    message.textContent = "";
    error.textContent = "";
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  function titleOf(row) {
    return row.querySelector('[data-field="title"]').value.trim() || "untitled";
  }

  function addRow() {
    clearMessages();
    if (rows.children.length >= limits.canned_messages) {
      error.textContent = `A library has at most ${limits.canned_messages} canned messages: remove one first.`;
      return;
    }
    const row = makeRow();
    rows.append(row);
    renumber();
    row.querySelector("input").focus();
  }

  function move(row, by, button) {
    const all = Array.from(rows.children);
    const to = all.indexOf(row) + by;
    if (to < 0 || to >= all.length) return;
    clearMessages();
    if (by < 0) rows.insertBefore(row, all[to]);
    else rows.insertBefore(row, all[to].nextSibling);
    renumber();
    button.focus();
    message.textContent = `“${titleOf(row)}” is now message ${to + 1} of ${all.length}.`;
  }

  function remove(row) {
    const following = row.nextElementSibling || row.previousElementSibling;
    const title = titleOf(row);
    row.remove();
    renumber();
    clearMessages();
    (following ? following.querySelector("input") : add).focus();
    message.textContent = `Removed “${title}”. Save to keep the change.`;
  }

  function collect() {
    return Array.from(rows.children, (row) => ({
      title: row.querySelector('[data-field="title"]').value.trim(),
      text: row.querySelector('[data-field="text"]').value.trim(),
    }));
  }

  /** Mark the field and say which message and field: "Message 3, text: …". */
  function showFieldError(index, kind, detail) {
    const control = rows.children[index]?.querySelector(`[data-field="${kind}"]`);
    if (!control) return false;
    control.setAttribute("aria-invalid", "true");
    error.textContent = `Canned messages not saved. Message ${index + 1}, ${kind}: ${detail}`;
    control.focus();
    return true;
  }

  function showError(problem) {
    const text = reason(problem);
    const where = /'messages\.(\d+)\.(title|text)'/.exec(text);
    const detail = where && text.replace(where[0], "").replace(/^[:\s]+/, "").replace(/^is /, "");
    if (!(where && showFieldError(Number(where[1]), where[2], detail))) {
      error.textContent = `Canned messages not saved: ${text}`;
    }
  }

  /** Empty titles and texts are caught here; everything else the server checks. */
  function checkFilled(messages) {
    for (const [index, item] of messages.entries()) {
      for (const kind of Object.values(FIELDS)) {
        if (!item[kind]) return showFieldError(index, kind, `enter a ${kind}.`);
      }
    }
    return false;
  }

  async function load() {
    const library = services.me().library;
    clearMessages();
    await loading("the canned messages", { message, error }, async () => {
      const reply = await services.rest(`/libraries/${encodeURIComponent(library)}/canned`);
      rememberCanned(library, reply.messages);
      render(reply.messages);
      loadedFor = library;
    });
  }

  async function saveAll() {
    const library = services.me().library;
    clearMessages();
    const messages = collect();
    if (checkFilled(messages)) return "";
    const saved = await services.rest(`/libraries/${encodeURIComponent(library)}/canned`, {
      method: "PUT",
      body: { messages },
    });
    rememberCanned(library, saved.messages);
    render(saved.messages);
    return `Canned messages saved (${saved.messages.length}). Chats offer them from now on.`;
  }

  savingForm(form, { button: save, message, save: saveAll, refused: showError });
  rows.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || button.getAttribute("aria-disabled") === "true") return;
    const row = button.closest(".canned-row");
    if (button.dataset.action === "remove") remove(row);
    else move(row, button.dataset.action === "up" ? -1 : 1, button);
  });
  add.addEventListener("click", () => addRow());

  return {
    activate() {
      if (loadedFor !== services.me()?.library) load();
    },
    reset() {
      loadedFor = null;
      rows.replaceChildren();
      empty.hidden = true;
      clearMessages();
    },
  };
}
