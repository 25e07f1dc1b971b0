// The Codes tab (admins): edit the library's wrap-up code lists, resolution codes (code,
// label, the question status the code sets) and descriptive codes (code, label), and save
// them with PUT /api/libraries/{id}/codes. The server checks them; its errors are shown.

import { el, reason, byId as $ } from "/widget/dom.js";
import { limitAttrs } from "/widget/limits.js";
import { codeLists, rememberCodeLists } from "./code-lists.js";

const STATUSES = [
  ["answered", "Answered"],
  ["pending", "Pending"],
  ["open", "Open"],
  ["referred", "Referred"],
  ["closed", "Closed"],
];

const LISTS = {
  resolution: { name: "resolution", fields: ["code", "label", "status"] },
  descriptive: { name: "descriptive", fields: ["code", "label"] },
};

/**
 * @param services {rest(path, options), me()}
 * @returns {{activate(): void, reset(): void}}
 */
export function setupCodeEditor(services) {
  const ui = {
    form: $("codes-form"),
    message: $("codes-message"),
    error: $("codes-error"),
    save: $("codes-save"),
    rows: { resolution: $("resolution-rows"), descriptive: $("descriptive-rows") },
    add: { resolution: $("add-resolution"), descriptive: $("add-descriptive") },
  };
  let loadedFor = null;

  function input(list, field, value) {
    const attrs = { type: "text", autocomplete: "off", "data-field": field };
    if (field === "code") Object.assign(attrs, limitAttrs("code"), { spellcheck: "false", autocapitalize: "none" });
    else Object.assign(attrs, limitAttrs("code_label"));
    const node = el("input", { attrs });
    node.value = value || "";
    return node;
  }

  function statusSelect(value) {
    const select = el("select", { attrs: { "data-field": "status" } });
    select.append(...STATUSES.map(([code, text]) => el("option", { text, attrs: { value: code } })));
    select.value = value || "answered";
    return select;
  }

  function makeRow(kind, item = {}) {
    const cells = LISTS[kind].fields.map((field) =>
      el("td", {}, field === "status" ? statusSelect(item.status) : input(kind, field, item[field])),
    );
    const remove = el("button", { className: "danger", attrs: { type: "button", "data-remove": "true" } });
    remove.addEventListener("click", () => removeRow(kind, row));
    const row = el("tr", {}, ...cells, el("td", {}, remove));
    return row;
  }

  /** Each control's name says its list and row: "Code, resolution row 3". */
  function renumber(kind) {
    Array.from(ui.rows[kind].children).forEach((row, index) => {
      const where = `${kind} row ${index + 1}`;
      for (const control of row.querySelectorAll("[data-field]")) {
        const field = control.dataset.field;
        control.setAttribute("aria-label", `${field.charAt(0).toUpperCase()}${field.slice(1)}, ${where}`);
      }
      const remove = row.querySelector("[data-remove]");
      remove.textContent = "Remove";
      remove.setAttribute("aria-label", `Remove ${where}`);
    });
  }

  function render(lists) {
    for (const kind of Object.keys(LISTS)) {
      ui.rows[kind].replaceChildren(...(lists[kind] || []).map((item) => makeRow(kind, item)));
      renumber(kind);
    }
  }

  function addRow(kind) {
    const row = makeRow(kind);
    ui.rows[kind].append(row);
    renumber(kind);
    clearMessages();
    row.querySelector("input").focus();
  }

  function removeRow(kind, row) {
    const following = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber(kind);
    clearMessages();
    (following ? following.querySelector("input") : ui.add[kind]).focus();
  }

  function collect() {
    const lists = {};
    for (const kind of Object.keys(LISTS)) {
      lists[kind] = Array.from(ui.rows[kind].children, (row) => {
        const item = {};
        for (const control of row.querySelectorAll("[data-field]")) item[control.dataset.field] = control.value.trim();
        return item;
      });
    }
    return lists;
  }

  function clearMessages() {
    ui.message.textContent = "";
    ui.error.textContent = "";
    for (const node of ui.form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  /** "'resolution.7.code': String should match …" names a control: mark it and say where. */
  function showError(error) {
    const text = reason(error);
    const where = /'(resolution|descriptive)\.(\d+)\.(code|label|status)'/.exec(text);
    const control = where && ui.rows[where[1]].children[Number(where[2])]?.querySelector(`[data-field="${where[3]}"]`);
    if (control) {
      control.setAttribute("aria-invalid", "true");
      const detail = text.replace(where[0], "").replace(/^[:\s]+/, "");
      ui.error.textContent = `Code lists not saved. ${control.getAttribute("aria-label")}: ${detail} Codes use lower-case letters, digits and underscores.`;
      control.focus();
    } else {
      ui.error.textContent = `Code lists not saved: ${text}`;
    }
  }

  async function load() {
    const library = services.me().library;
    clearMessages();
    ui.message.textContent = "Loading the code lists…";
    try {
      render(await codeLists(services.rest, library));
      loadedFor = library;
      ui.message.textContent = "";
    } catch (error) {
      ui.message.textContent = "";
      ui.error.textContent = `Could not load the code lists: ${reason(error)}`;
    }
  }

  async function save() {
    const library = services.me().library;
    clearMessages();
    ui.save.disabled = true;
    try {
      const saved = await services.rest(`/libraries/${encodeURIComponent(library)}/codes`, {
        method: "PUT",
        body: collect(),
      });
      rememberCodeLists(library, saved);
      render(saved);
      ui.message.textContent = "Code lists saved. New wrap-ups use them.";
    } catch (error) {
      showError(error);
    } finally {
      ui.save.disabled = false;
    }
  }

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    save();
  });
  ui.form.addEventListener("input", () => {
    ui.message.textContent = "";
  });
  for (const kind of Object.keys(LISTS)) ui.add[kind].addEventListener("click", () => addRow(kind));

  return {
    activate() {
      if (loadedFor !== services.me()?.library) load();
    },
    reset() {
      loadedFor = null;
      for (const kind of Object.keys(LISTS)) ui.rows[kind].replaceChildren();
      ui.message.textContent = "";
      ui.error.textContent = "";
    },
  };
}
