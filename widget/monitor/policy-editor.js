// The Library tab's policy editor (admins): the policy page librarians read beside each chat
// of this library, as sections (a title and a text) that can be added, removed and moved up
// or down, saved with PUT /api/libraries/{id}/policy, which dates them. Errors the server
// names ("'sections.2.title' …") are shown in that section.

import { dateTime, el, reason, uid, byId as $ } from "/widget/dom.js";
import { limitAttrs, limits } from "/widget/limits.js";
import { libraryPolicy, rememberPolicy } from "./policies.js";
import { loading, savingForm } from "./save-form.js";

/**
 * @param services {rest(path, options), me()}
 * @returns {{activate(): void, reset(): void}}
 */
export function setupPolicyEditor(services) {
  const root = $("policy-editor");
  const updated = el("p", { className: "policy-updated" });
  const hint = el("p", { className: "hint" });
  const rows = el("ol", { className: "policy-rows", attrs: { "aria-labelledby": "policy-editor-title" } });
  const empty = el("p", { className: "empty", text: "No sections yet. Add one for each topic: who you serve, borrowing, referrals…" });
  const add = el("button", { text: "Add section", attrs: { type: "button" } });
  const save = el("button", { className: "primary", text: "Save policy", attrs: { type: "submit" } });
  const message = el("p", { className: "saved", attrs: { role: "status" } });
  const error = el("p", { className: "error", attrs: { role: "alert" } });
  const form = el("form", { attrs: { novalidate: true } }, empty, rows, add, el("div", { className: "save-actions" }, save, message, error));
  root.replaceChildren(
    el("h2", { className: "list-title", text: "Policy page", attrs: { id: "policy-editor-title" } }),
    hint,
    updated,
    form,
  );
  let loadedFor = null;

  function renderUpdated(policy) {
    updated.textContent = policy.updated_at
      ? `Last updated ${dateTime(policy.updated_at)}`
      : "Not saved as sections yet: what the page said before is shown as one section.";
  }

  function sectionRow(section = {}) {
    const title = el("input", { attrs: { type: "text", autocomplete: "off", id: uid("policy-title"), "data-field": "title", ...limitAttrs("policy_title") } });
    const text = el("textarea", { attrs: { rows: "5", id: uid("policy-text"), "data-field": "text", ...limitAttrs("policy_text") } });
    title.value = section.title || "";
    text.value = section.text || "";
    const rowError = el("p", { className: "error", attrs: { id: uid("policy-error"), role: "alert" } });
    for (const control of [title, text]) control.setAttribute("aria-describedby", rowError.id);
    const button = (label, action, className) => {
      const node = el("button", { text: label, className, attrs: { type: "button", "data-action": action } });
      node.addEventListener("click", () => act(row, action));
      return node;
    };
    const row = el(
      "li",
      {},
      el(
        "fieldset",
        { className: "policy-row" },
        el("legend", {}),
        el("label", { text: "Title", attrs: { for: title.id } }),
        title,
        el("label", { text: "Text", attrs: { for: text.id } }),
        text,
        el("div", { className: "row-buttons" }, button("Move up", "up"), button("Move down", "down"), button("Remove", "remove", "danger")),
      ),
      rowError,
    );
    row.rowError = rowError;
    return row;
  }

  /** Each section's legend and buttons say its place: "Section 2", "Move up section 2". */
  function renumber() {
    const all = Array.from(rows.children);
    all.forEach((row, index) => {
      const name = `section ${index + 1}`;
      row.querySelector("legend").textContent = `Section ${index + 1}`;
      const up = row.querySelector("[data-action=up]");
      const down = row.querySelector("[data-action=down]");
      up.setAttribute("aria-label", `Move up ${name}`);
      down.setAttribute("aria-label", `Move down ${name}`);
      row.querySelector("[data-action=remove]").setAttribute("aria-label", `Remove ${name}`);
      up.disabled = index === 0;
      down.disabled = index === all.length - 1;
    });
    empty.hidden = all.length > 0;
    add.disabled = all.length >= limits.policy_sections;
    hint.textContent = `Librarians serving your patrons, yours and your cooperative partners', read this beside each chat. Up to ${limits.policy_sections} sections; a title of up to ${limits.policy_title} characters and a text of up to ${limits.policy_text}.`;
  }

  function act(row, action) {
    clearMessages();
    if (action === "remove") {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber();
      (next ? next.querySelector("input") : add).focus();
      return;
    }
    const sibling = action === "up" ? row.previousElementSibling : row.nextElementSibling;
    if (!sibling) return;
    if (action === "up") sibling.before(row);
    else sibling.after(row);
    renumber();
    // Keep the keyboard on the button just used, or on its twin when the row reached an end.
    const same = row.querySelector(`[data-action=${action}]`);
    (same.disabled ? row.querySelector(`[data-action=${action === "up" ? "down" : "up"}]`) : same).focus();
    const position = Array.from(rows.children).indexOf(row) + 1;
    message.textContent = `Moved “${row.querySelector("input").value || "untitled"}” to section ${position}. Save to keep the order.`;
  }

  function render(policy) {
    rows.replaceChildren(...(policy.sections || []).map((section) => sectionRow(section)));
    renumber();
    renderUpdated(policy);
  }

  function collect() {
    return {
      sections: Array.from(rows.children, (row) => ({
        title: row.querySelector("[data-field=title]").value.trim(),
        text: row.querySelector("[data-field=text]").value.trim(),
      })),
    };
  }

  function clearMessages() {
    message.textContent = "";
    error.textContent = "";
    for (const row of rows.children) row.rowError.textContent = "";
    for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  }

  function showError(problem) {
    const text = reason(problem);
    const where = /^'sections\.(\d+)\.(title|text)'[:\s]*/.exec(text);
    const row = where && rows.children[Number(where[1])];
    if (!row) {
      error.textContent = `Policy not saved: ${text}`;
      return;
    }
    let detail = text.slice(where[0].length).replace(/^is /, "");
    detail = detail.charAt(0).toUpperCase() + detail.slice(1);
    const control = row.querySelector(`[data-field=${where[2]}]`);
    control.setAttribute("aria-invalid", "true");
    row.rowError.textContent = `Section ${Number(where[1]) + 1}, ${where[2]}: ${detail}`;
    control.focus();
  }

  async function load() {
    const library = services.me().library;
    clearMessages();
    await loading("the policy", { message, error }, async () => {
      render(await libraryPolicy(library));
      loadedFor = library;
    });
  }

  async function submit() {
    const library = services.me().library;
    clearMessages();
    const saved = await services.rest(`/libraries/${encodeURIComponent(library)}/policy`, { method: "PUT", body: collect() });
    render(saved);
    rememberPolicy(library, saved);
    return "Policy saved. Librarians see it beside each chat now.";
  }

  savingForm(form, { button: save, message, save: submit, refused: showError });
  add.addEventListener("click", () => {
    const row = sectionRow();
    rows.append(row);
    renumber();
    clearMessages();
    row.querySelector("input").focus();
  });

  return {
    activate() {
      if (loadedFor !== services.me()?.library) load();
    },
    reset() {
      loadedFor = null;
      rows.replaceChildren();
      updated.textContent = "";
      clearMessages();
    },
  };
}
