// The Library tab's settings form (admins): the library's name, chat hours, website, what a
// patron is told and offered when nobody can chat (a message and a list of alternatives, each
// a label and a web, mailto: or tel: address), its routing times and how long its records are
// kept. GET /api/libraries/{id} fills it in and PUT saves it; the server checks everything, and
// its error is shown beside the field it names. The library id and cooperative are shown, not
// edited: they go back as they came.

import { el, reason, uid, byId as $ } from "/widget/dom.js";
import { limitAttrs, limits } from "/widget/limits.js";
import { reloadPolicy } from "./policies.js";
import { loading, savingForm } from "./save-form.js";

const DEFAULT_MESSAGE =
  "No librarian is available to chat right now. Leave your question and we will answer by e-mail, or try one of these instead.";

/** A labelled control with its hint and its own error line (role=alert). */
function field(key, label, control, hint) {
  control.id = `library-${key}`;
  const hintNode = hint ? el("p", { className: "hint", text: hint, attrs: { id: `library-${key}-hint` } }) : null;
  const error = el("p", { className: "error", attrs: { id: `library-${key}-error`, role: "alert" } });
  control.setAttribute("aria-describedby", [hintNode?.id, error.id].filter(Boolean).join(" "));
  const node = el("div", { className: "field" }, el("label", { text: label, attrs: { for: control.id } }), hintNode, control, error);
  return { node, control, error, label, hint: hintNode };
}

function input(type, attrs = {}) {
  return el("input", { attrs: { type, autocomplete: "off", ...attrs } });
}

function numberValue(control) {
  const text = control.value.trim();
  return text === "" ? null : Number(text);
}

/**
 * @param services {rest(path, options), me()}
 * @returns {{activate(): void, reset(): void}}
 */
export function setupLibrarySettings(services) {
  const root = $("library-settings");
  const ids = { library: el("dd"), cooperative: el("dd") };
  const fields = {
    name: field("name", "Library name", input("text", limitAttrs("library_name"))),
    hours: field("hours", "Chat hours", input("text", limitAttrs("hours")), "As patrons see it, for example: Mon-Fri 9-17, Sat 10-14."),
    website: field("website", "Website", input("url", { ...limitAttrs("url"), spellcheck: "false" }), "An address starting with https://, or empty."),
    unavailable_message: field(
      "unavailable_message",
      "Message when nobody can chat",
      el("textarea", { attrs: { rows: "3", ...limitAttrs("unavailable_message") } }),
      `Leave empty for the default: “${DEFAULT_MESSAGE}”`,
    ),
    escalate_after_s: field(
      "escalate_after_s",
      "Offer a waiting chat to the cooperative after (seconds)",
      input("number", { step: "1", inputmode: "numeric" }),
      " ",
    ),
    give_up_after_s: field(
      "give_up_after_s",
      "Give up on a waiting chat after (seconds)",
      input("number", { step: "1", inputmode: "numeric" }),
      "The patron is then offered the form to leave their question. It must be longer than the time above.",
    ),
    retention_days: field(
      "retention_days",
      "Keep patrons' personal data for (days)",
      input("number", { step: "1", inputmode: "numeric" }),
      " ",
    ),
  };
  const never = input("checkbox", { id: "library-never-escalate" });
  const rows = el("ol", { className: "alternative-rows" });
  const noAlternatives = el("p", { className: "empty", text: "No alternatives: patrons are offered only the form to leave a question." });
  const addAlternative = el("button", { text: "Add alternative", attrs: { type: "button" } });
  addAlternative.disabled = true; // until the settings arrive: their rows would replace one added before
  const alternativesError = el("p", { className: "error", attrs: { id: "library-alternatives-error", role: "alert" } });
  const save = el("button", { className: "primary", text: "Save settings", attrs: { type: "submit" } });
  const message = el("p", { className: "saved", attrs: { role: "status" } });
  const error = el("p", { className: "error", attrs: { role: "alert" } });
  const form = el(
    "form",
    { attrs: { novalidate: true } },
    fields.name.node,
    fields.hours.node,
    fields.website.node,
    el(
      "fieldset",
      {},
      el("legend", { text: "When nobody can chat" }),
      fields.unavailable_message.node,
      el("h3", { className: "field-title", text: "Alternatives offered to patrons", attrs: { id: "library-alternatives-title" } }),
      el("p", {
        className: "hint",
        attrs: { id: "library-alternatives-hint" },
        text: "Each needs a label and an address: a web page (https://…), an e-mail address (mailto:ask@example.org) or a phone number (tel:+15550100).",
      }),
      noAlternatives,
      rows,
      addAlternative,
      alternativesError,
    ),
    el(
      "fieldset",
      {},
      el("legend", { text: "Routing" }),
      fields.escalate_after_s.node,
      el("div", { className: "check" }, never, el("label", { text: "Never offer this library's chats to the cooperative", attrs: { for: never.id } })),
      fields.give_up_after_s.node,
    ),
    el("fieldset", {}, el("legend", { text: "Privacy" }), fields.retention_days.node),
    el("div", { className: "save-actions" }, save, message, error),
  );
  root.replaceChildren(
    el("h2", { className: "list-title", text: "Library settings", attrs: { id: "library-settings-title" } }),
    el("dl", { className: "library-ids" }, el("dt", { text: "Library id" }), ids.library, el("dt", { text: "Cooperative" }), ids.cooperative),
    form,
  );
  rows.setAttribute("aria-labelledby", "library-alternatives-title");
  let loaded = null; // the settings as last read or saved

  /** The number fields' ranges and hints, from the server's limits. */
  function sizeNumbers() {
    const range = (entry, min, max) => {
      entry.control.setAttribute("min", String(min));
      entry.control.setAttribute("max", String(max));
    };
    range(fields.escalate_after_s, 0, limits.wait_max_s);
    range(fields.give_up_after_s, limits.give_up_min_s, limits.wait_max_s);
    range(fields.retention_days, limits.retention_days_min, limits.retention_days_max);
    fields.escalate_after_s.hint.textContent = `Your library's librarians have the chat to themselves this long (0: offered to everyone at once; at most ${limits.wait_max_s} seconds).`;
    fields.retention_days.hint.textContent = `From ${limits.retention_days_min} to ${limits.retention_days_max} days. When a chat or question ended this long ago, the patron's name, e-mail address and page are removed; the question, the transcript's words and the codes stay for reports. A change applies to chats and questions that end from then on.`;
  }

  function alternativeRow(item = {}) {
    const label = input("text", { "data-field": "label", ...limitAttrs("alternative_label") });
    const url = input("url", { "data-field": "url", spellcheck: "false", ...limitAttrs("url") });
    label.id = uid("alternative-label");
    url.id = uid("alternative-url");
    label.value = item.label || "";
    url.value = item.url || "";
    const rowError = el("p", { className: "error", attrs: { id: uid("alternative-error"), role: "alert" } });
    for (const control of [label, url]) control.setAttribute("aria-describedby", rowError.id);
    const remove = el("button", { className: "danger", text: "Remove", attrs: { type: "button", "data-remove": "true" } });
    const row = el(
      "li",
      {},
      el(
        "fieldset",
        { className: "alternative-row" },
        el("legend", {}),
        el("div", { className: "row-field" }, el("label", { text: "Label", attrs: { for: label.id } }), label),
        el("div", { className: "row-field" }, el("label", { text: "Address", attrs: { for: url.id } }), url),
        remove,
      ),
      rowError,
    );
    row.rowError = rowError;
    remove.addEventListener("click", () => removeRow(row));
    return row;
  }

  function renumber() {
    Array.from(rows.children).forEach((row, index) => {
      row.querySelector("legend").textContent = `Alternative ${index + 1}`;
      row.querySelector("[data-remove]").setAttribute("aria-label", `Remove alternative ${index + 1}`);
    });
    noAlternatives.hidden = rows.children.length > 0;
    addAlternative.disabled = rows.children.length >= limits.alternatives;
  }

  function addRow() {
    const row = alternativeRow();
    rows.append(row);
    renumber();
    clearMessages();
    row.querySelector("input").focus();
  }

  function removeRow(row) {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    renumber();
    clearMessages();
    (next ? next.querySelector("input") : addAlternative).focus();
  }

  function syncNever() {
    fields.escalate_after_s.control.disabled = never.checked;
  }

  function render(settings) {
    loaded = settings;
    ids.library.textContent = settings.library_id;
    ids.cooperative.textContent = settings.cooperative || "None";
    fields.name.control.value = settings.name || "";
    fields.hours.control.value = settings.hours || "";
    fields.website.control.value = settings.website || "";
    fields.unavailable_message.control.value = settings.unavailable_message || "";
    never.checked = settings.escalate_after_s === null;
    fields.escalate_after_s.control.value = settings.escalate_after_s === null ? "" : String(settings.escalate_after_s);
    fields.give_up_after_s.control.value = String(settings.give_up_after_s ?? "");
    fields.retention_days.control.value = String(settings.retention_days ?? "");
    rows.replaceChildren(...(settings.alternatives || []).map((item) => alternativeRow(item)));
    renumber();
    syncNever();
    sizeNumbers();
  }

  function collect() {
    return {
      library_id: loaded.library_id,
      cooperative: loaded.cooperative,
      name: fields.name.control.value.trim(),
      hours: fields.hours.control.value.trim(),
      website: fields.website.control.value.trim(),
      unavailable_message: fields.unavailable_message.control.value.trim(),
      alternatives: Array.from(rows.children, (row) => ({
        label: row.querySelector("[data-field=label]").value.trim(),
        url: row.querySelector("[data-field=url]").value.trim(),
      })),
      escalate_after_s: never.checked ? null : numberValue(fields.escalate_after_s.control),
      give_up_after_s: numberValue(fields.give_up_after_s.control),
      retention_days: numberValue(fields.retention_days.control),
    };
  }

  function clearMessages() {
    message.textContent = "";
    error.textContent = "";
    alternativesError.textContent = "";
    for (const entry of Object.values(fields)) entry.error.textContent = "";
    for (const row of rows.children) row.rowError.textContent = "";
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  /** The server names the field ("'website': …", "'alternatives.2': …"): say it there. */
  function showError(problem) {
    const text = reason(problem);
    const where = /^'([a-z_]+)(?:\.(\d+))?(?:\.(label|url))?'[:\s]*/.exec(text);
    let detail = where ? text.slice(where[0].length).replace(/^is /, "") : text;
    detail = detail.charAt(0).toUpperCase() + detail.slice(1);
    const row = where && where[1] === "alternatives" && where[2] !== undefined ? rows.children[Number(where[2])] : null;
    if (row) {
      const control = row.querySelector(`[data-field=${where[3] || "url"}]`);
      control.setAttribute("aria-invalid", "true");
      row.rowError.textContent = `Alternative ${Number(where[2]) + 1}: ${detail}`;
      control.focus();
    } else if (where && where[1] === "alternatives") {
      alternativesError.textContent = detail;
      addAlternative.focus();
    } else if (where && fields[where[1]]) {
      const entry = fields[where[1]];
      entry.control.setAttribute("aria-invalid", "true");
      entry.error.textContent = detail;
      entry.control.focus();
    } else {
      error.textContent = `Settings not saved: ${text}`;
    }
  }

  async function load() {
    const library = services.me().library;
    addAlternative.disabled = true; // until these settings arrive (render enables it)
    clearMessages();
    const ok = await loading("the settings", { message, error }, async () => {
      render(await services.rest(`/libraries/${encodeURIComponent(library)}`));
    });
    if (!ok) loaded = null;
  }

  async function submit() {
    if (!loaded) return "";
    const library = services.me().library;
    clearMessages();
    render(await services.rest(`/libraries/${encodeURIComponent(library)}`, { method: "PUT", body: collect() }));
    reloadPolicy(library);
    return "Settings saved. Patrons and librarians see them now.";
  }

  savingForm(form, { button: save, message, save: submit, refused: showError });
  never.addEventListener("change", syncNever);
  addAlternative.addEventListener("click", addRow);

  return {
    activate() {
      if (loaded?.library_id !== services.me()?.library) load();
    },
    reset() {
      loaded = null;
      rows.replaceChildren();
      addAlternative.disabled = true;
      form.reset();
      clearMessages();
    },
  };
}
