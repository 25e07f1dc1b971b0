// Canned messages in a chat's composer: a picker that puts a library's ready-made text into the
// message box, where the librarian edits it and sends it as usual (picking never sends).
//
// It opens on "/" typed in an empty message box, on Alt+C in the message box (Option+C still
// types "ç" on a Mac, whose key is not "c"), and with the "Canned messages" button. It lists
// the patron's library's messages (chat.session.library: a partner librarian serving that
// patron gets that library's list), then, under its own heading, the librarian's own library's
// when that is another library. What is typed in its field filters both.
//
// The ARIA combobox pattern with a listbox popup: the field is role=combobox (aria-expanded,
// aria-controls, aria-activedescendant); Up and Down move, Enter puts the message in the box,
// Escape closes, and either way focus goes back to the message box. Opened by "/", Escape
// gives back "/" and what was typed after it, so a message that starts with "/" can still be
// written. Its labels avoid the word "message": the message box is found by its label,
// "Message", and a second label containing it in the same pane would make that ambiguous.

import { el, reason, uid, vh } from "/widget/dom.js";
import { cannedMessages } from "./canned-lists.js";
import { services } from "./services.js";
import { libraryLabel } from "./status.js";

const PREVIEW = 140; // characters of a message's text shown under its title

function preview(text) {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > PREVIEW ? `${line.slice(0, PREVIEW - 1)}…` : line;
}

/** Messages whose title or text has every word of `query`, titles that match first. */
function filtered(messages, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const has = (value) => words.every((word) => value.toLowerCase().includes(word));
  const byTitle = messages.filter((m) => has(m.title));
  const byText = messages.filter((m) => !has(m.title) && has(`${m.title} ${m.text}`));
  return [...byTitle, ...byText];
}

/**
 * The picker for one chat's message box.
 * @param chat  the chat (chat.session.library is the patron's library)
 * @param text  the message box (a textarea)
 * @returns {{button: HTMLElement, panel: HTMLElement, open(how): void}}
 */
export function cannedPicker(chat, text) {
  const panelId = uid("canned");
  const inputId = uid("canned-find");
  const listId = uid("canned-list");
  const hintId = uid("canned-hint");
  const button = el("button", {
    className: "canned-open",
    text: "Canned messages",
    attrs: { type: "button", "aria-expanded": "false", "aria-controls": panelId, "aria-keyshortcuts": "Alt+C" },
  });
  const input = el("input", {
    attrs: {
      id: inputId,
      type: "text",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      "aria-describedby": hintId,
      autocomplete: "off",
      spellcheck: "false",
    },
  });
  const list = el("div", {
    className: "canned-list",
    attrs: { id: listId, role: "listbox", "aria-label": "Canned texts", hidden: true },
  });
  const status = el("p", { className: "canned-status", attrs: { role: "status" } });
  const closeButton = el("button", { className: "secondary", text: "Close", attrs: { type: "button" } });
  const panel = el(
    "div",
    { className: "canned-picker", attrs: { id: panelId, hidden: true } },
    el("label", { text: "Find canned text", attrs: { for: inputId } }),
    input,
    el("p", {
      className: "hint",
      text: "Up and Down arrows choose; Enter puts the message in the message box to edit; Escape closes.",
      attrs: { id: hintId },
    }),
    list,
    status,
    closeButton,
  );

  let isOpen = false;
  let bySlash = false; // opened by "/" in the empty message box
  let selection = [0, 0]; // the message box's selection when the picker opened
  let groups = null; // [{library, messages}] once loaded: the patron's library's first
  let failure = "";
  let shown = []; // [{message, node}] in listbox order
  let active = -1;
  let loads = 0;

  function setActive(index) {
    if (shown[active]) shown[active].node.setAttribute("aria-selected", "false");
    active = index;
    const current = shown[active];
    if (current) {
      current.node.setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", current.node.id);
      current.node.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function option(message) {
    const node = el(
      "div",
      { className: "canned-option", attrs: { id: uid("canned-option"), role: "option", "aria-selected": "false" } },
      el("span", { className: "canned-option-title", text: message.title }),
      vh(": "),
      el("span", { className: "canned-option-text", text: preview(message.text) }),
    );
    const entry = { message, node };
    node.addEventListener("click", () => choose(message));
    node.addEventListener("pointermove", () => {
      const index = shown.indexOf(entry);
      if (index !== active) setActive(index);
    });
    shown.push(entry);
    return node;
  }

  function emptyText() {
    const me = services.me();
    const admin = me?.is_admin && me.library === groups[0].library;
    return `${libraryLabel(groups[0].library)} has no canned messages yet.${admin ? " Add them in the Canned messages tab." : ""}`;
  }

  function render() {
    shown = [];
    active = -1;
    const query = input.value.trim();
    if (!groups) {
      list.replaceChildren();
      status.textContent = failure || "Loading canned messages…";
    } else {
      const found = groups.map((group) => ({ ...group, matches: filtered(group.messages, query) }));
      const total = groups.reduce((sum, group) => sum + group.messages.length, 0);
      const count = found.reduce((sum, group) => sum + group.matches.length, 0);
      if (groups.length > 1) {
        list.replaceChildren(
          ...found
            .filter((group) => group.matches.length)
            .map((group) => {
              const labelId = uid("canned-group");
              return el(
                "div",
                { className: "canned-group", attrs: { role: "group", "aria-labelledby": labelId } },
                el("div", {
                  className: "canned-group-label",
                  text: `${libraryLabel(group.library)} (${group.library === chat.session.library ? "the patron's" : "your"} library)`,
                  attrs: { id: labelId, role: "presentation" },
                }),
                ...group.matches.map(option),
              );
            }),
        );
      } else {
        list.replaceChildren(...found[0].matches.map(option));
      }
      if (!total) status.textContent = failure || emptyText();
      else if (!count) status.textContent = `No canned messages match “${query}”.`;
      else if (query) status.textContent = `${count} of ${total} canned messages match.`;
      else status.textContent = `${total} canned ${total === 1 ? "message" : "messages"}.`;
      if (failure && total) status.textContent += ` ${failure}`;
    }
    list.hidden = shown.length === 0;
    input.setAttribute("aria-expanded", shown.length ? "true" : "false");
    setActive(shown.length ? 0 : -1);
  }

  /** The patron's library's list, then the librarian's own library's if that is another. */
  async function load() {
    const mine = services.me()?.library;
    const libraries = [chat.session.library, ...(mine && mine !== chat.session.library ? [mine] : [])];
    const ticket = ++loads;
    const results = await Promise.allSettled(libraries.map((id) => cannedMessages(services.rest, id)));
    if (ticket !== loads) return;
    const failed = results.find((result) => result.status === "rejected");
    failure = failed ? `Could not load canned messages: ${reason(failed.reason)}` : "";
    groups = libraries
      .map((library, index) => ({
        library,
        messages: results[index].status === "fulfilled" ? results[index].value : [],
      }))
      .filter((group, index) => index === 0 || group.messages.length);
    if (isOpen) render();
  }

  /** `how`: "slash" (typed in the empty box), "key" (Alt+C) or "button". */
  function open(how) {
    if (isOpen) {
      input.focus();
      return;
    }
    isOpen = true;
    bySlash = how === "slash";
    selection = [text.selectionStart, text.selectionEnd];
    input.value = "";
    groups = null;
    failure = "";
    panel.hidden = false;
    button.setAttribute("aria-expanded", "true");
    render();
    input.focus();
    load();
  }

  /** Close; `restore` gives back what "/" opened it with; `focus` returns to the message box. */
  function close({ restore = false, focus = true } = {}) {
    if (!isOpen) return;
    isOpen = false;
    loads += 1; // a list still loading is not shown
    const typed = restore && bySlash ? `/${input.value}` : "";
    panel.hidden = true;
    list.replaceChildren();
    shown = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    button.setAttribute("aria-expanded", "false");
    if (typed) {
      text.setRangeText(typed, selection[0], selection[1], "end");
      text.dispatchEvent(new Event("input", { bubbles: true }));
    }
    if (focus) {
      text.focus();
      if (!typed) text.setSelectionRange(selection[0], selection[1]);
    }
  }

  /** Put the message's text where the box's selection was, caret after it, to edit and send. */
  function choose(message) {
    close();
    text.setRangeText(message.text, selection[0], selection[1], "end");
    text.focus();
    text.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The patron's library's list starts loading when the message box first has focus.
  text.addEventListener("focus", () => cannedMessages(services.rest, chat.session.library).catch(() => {}), {
    once: true,
  });
  text.addEventListener("keydown", (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey) return;
    const slash = event.key === "/" && !event.altKey && text.value === "";
    const shortcut = event.altKey && (event.key === "c" || event.key === "C");
    if (!slash && !shortcut) return;
    event.preventDefault();
    open(slash ? "slash" : "key");
  });

  input.addEventListener("input", () => render());
  input.addEventListener("keydown", (event) => {
    if (event.isComposing) return;
    const count = shown.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (count) setActive(event.key === "ArrowDown" ? (active + 1) % count : (active - 1 + count) % count);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (shown[active]) choose(shown[active].message);
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close({ restore: true });
    } else if (event.key === "Backspace" && bySlash && input.value === "") {
      event.preventDefault();
      close(); // the "/" is taken back: the box is empty again
    }
  });
  // The listbox never takes focus: a click on an option or its scrollbar leaves it in the field.
  list.addEventListener("mousedown", (event) => event.preventDefault());
  closeButton.addEventListener("click", () => close());
  closeButton.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  button.addEventListener("click", () => (isOpen ? close() : open("button")));
  panel.addEventListener("focusout", (event) => {
    if (!panel.contains(event.relatedTarget) && event.relatedTarget !== button) close({ focus: false });
  });

  return { button, panel, open };
}
