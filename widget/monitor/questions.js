// The Questions tab: the librarian's library's question list (GET /api/questions), newest
// first, with status and label filters and "Load more"; one question opens beside it
// (question-detail.js). "Show" switches to the questions of partner libraries' patrons whose
// chats this library's librarians served (served_for_partners=true), which they may read
// and act on as on their own.

import { dateTime, el, reason, vh, byId as $ } from "/widget/dom.js";
import { setupQuestionDetail } from "./question-detail.js";
import { SOURCE_TEXT, labelBadge, patronText, statusBadge } from "./question-status.js";

const PAGE_SIZE = 20;
const SCOPES = {
  own: { title: "Your library's questions", empty: "No questions match." },
  partners: {
    title: "Questions your library served for partners",
    empty: "No questions your library served for partners match.",
  },
};

/**
 * @param services {rest(path, options), showTab(name)}
 * @returns {{activate(): void, refresh(): void, open(id): Promise<void>, reset(): void}}
 */
export function setupQuestions(services) {
  const ui = {
    filters: $("question-filters"),
    scope: $("filter-scope"),
    title: $("questions-title"),
    status: $("filter-status"),
    label: $("filter-label"),
    refresh: $("questions-refresh"),
    message: $("questions-message"),
    error: $("questions-error"),
    empty: $("questions-empty"),
    list: $("question-list"),
    more: $("questions-more"),
    detail: $("question-detail"),
  };
  const entries = new Map(); // question_id -> {summary, item, button}
  let next = null;
  let selected = null;
  let loads = 0;
  const libraryNames = new Map(); // library id -> name (or the id until it is known)

  // --- library names (a partner's question belongs to another library's list) --------------

  function libraryName(id) {
    if (!id) return "";
    if (!libraryNames.has(id)) {
      libraryNames.set(id, id);
      services
        .rest(`/libraries/${encodeURIComponent(id)}/policy`)
        .then((policy) => {
          if (!policy.name) return;
          libraryNames.set(id, policy.name);
          for (const entry of entries.values()) if (entry.summary.library === id) renderRow(entry);
          detail.redraw();
        })
        .catch(() => {});
    }
    return libraryNames.get(id);
  }

  function scope() {
    return SCOPES[ui.scope.value] ? ui.scope.value : "own";
  }

  function showScope() {
    ui.title.textContent = SCOPES[scope()].title;
    ui.empty.textContent = SCOPES[scope()].empty;
  }

  // --- the list ------------------------------------------------------------------------------

  function query(cursor) {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (scope() === "partners") params.set("served_for_partners", "true");
    if (ui.status.value) params.set("status", ui.status.value);
    const label = ui.label.value.trim().toLowerCase().replace(/\s+/g, "_");
    if (label) params.set("label", label);
    if (cursor) params.set("cursor", cursor);
    return `/questions?${params}`;
  }

  async function load({ more = false } = {}) {
    const mine = ++loads;
    ui.error.textContent = "";
    ui.message.textContent = more ? "Loading more questions…" : "Loading questions…";
    ui.more.disabled = true;
    let reply;
    try {
      reply = await services.rest(query(more ? next : null));
    } catch (error) {
      if (mine !== loads) return;
      ui.message.textContent = "";
      ui.error.textContent = `Could not load the questions: ${reason(error)}`;
      ui.more.disabled = false;
      return;
    }
    if (mine !== loads) return; // a newer load replaced this one
    if (!more) {
      entries.clear();
      ui.list.replaceChildren();
    }
    let firstNew = null;
    for (const summary of reply.questions || []) {
      if (entries.has(summary.question_id)) continue;
      const entry = makeRow(summary);
      firstNew = firstNew || entry;
      ui.list.append(entry.item);
    }
    next = reply.next || null;
    ui.more.hidden = !next;
    ui.more.disabled = false;
    ui.empty.hidden = entries.size > 0;
    ui.message.textContent =
      entries.size === 0
        ? ""
        : `Showing ${entries.size} question${entries.size === 1 ? "" : "s"}${next ? "; more are available" : ""}.`;
    if (more && firstNew) firstNew.button.focus();
    else if (more && ui.more.hidden) ui.list.lastElementChild?.querySelector("button")?.focus();
  }

  /**
   * The first page again, merged into the list in place (a chat ended, a request came in):
   * rows are updated, new ones put where they belong, and rows of that page's span that no
   * longer match the filters removed; focus and "Load more" stay where they are. Several
   * calls close together fetch once.
   */
  let refreshTimer = null;
  let settleTimer = null;
  function refresh() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refreshNow, 300);
    // The service files an ended chat's question just after telling its sockets: look again
    // once that has surely happened.
    clearTimeout(settleTimer);
    settleTimer = setTimeout(refreshNow, 2500);
  }

  async function refreshNow() {
    const mine = loads;
    let reply;
    try {
      reply = await services.rest(query(null));
    } catch {
      return; // the next event, the Refresh button or showing the tab again tries again
    }
    if (mine !== loads) return; // a full load started meanwhile
    const fresh = reply.questions || [];
    const ids = new Set(fresh.map((q) => q.question_id));
    const oldest = fresh.length ? fresh[fresh.length - 1].created_at : "";
    for (const [id, entry] of Array.from(entries)) {
      if (ids.has(id) || (reply.next && entry.summary.created_at < oldest)) continue;
      if (entry.item.contains(document.activeElement)) {
        const near = entry.item.nextElementSibling || entry.item.previousElementSibling;
        (near?.querySelector("button") || ui.list.closest("[role=tabpanel]"))?.focus();
      }
      entry.item.remove();
      entries.delete(id);
    }
    let cursor = ui.list.firstElementChild;
    for (const summary of fresh) {
      let entry = entries.get(summary.question_id);
      if (entry) {
        entry.summary = { ...entry.summary, ...summary };
        renderRow(entry);
      } else {
        entry = makeRow(summary);
      }
      if (entry.item === cursor) cursor = cursor.nextElementSibling;
      else ui.list.insertBefore(entry.item, cursor);
    }
    ui.empty.hidden = entries.size > 0;
  }

  function makeRow(summary) {
    const button = el("button", {
      className: "question-item",
      attrs: { type: "button", "aria-controls": "question-detail" },
    });
    const item = el("li", { attrs: { "data-question": summary.question_id } }, button);
    const entry = { summary, item, button };
    button.addEventListener("click", () => open(summary.question_id, { focus: true }));
    entries.set(summary.question_id, entry);
    renderRow(entry);
    return entry;
  }

  function renderRow(entry) {
    const q = entry.summary;
    entry.button.replaceChildren(
      el("span", { className: "question-item-text", text: q.question || "(no question text)" }),
      vh(", "),
      el(
        "span",
        { className: "question-item-meta" },
        patronText(q.patron),
        " · ",
        SOURCE_TEXT[q.source] || String(q.source || ""),
        " · ",
        el("time", { text: dateTime(q.created_at), attrs: { datetime: q.created_at } }),
      ),
      ...(forPartner(q)
        ? [vh(", "), el("span", { className: "question-item-library", text: `Patron of ${libraryName(q.library)}` })]
        : []),
      vh(", "),
      el("span", { className: "question-item-badges" }, statusBadge(q.status), ...(q.labels || []).map(labelBadge)),
    );
    if (q.question_id === selected) entry.button.setAttribute("aria-current", "true");
    else entry.button.removeAttribute("aria-current");
  }

  /** A question of another library's patron (one this library served for a partner). */
  function forPartner(q) {
    const mine = services.me?.()?.library;
    return Boolean(q.library) && (mine ? q.library !== mine : scope() === "partners");
  }

  function markSelected() {
    for (const entry of entries.values()) renderRow(entry);
  }

  ui.filters.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  ui.status.addEventListener("change", () => load());
  ui.scope.addEventListener("change", () => {
    showScope();
    load();
  });
  ui.refresh.addEventListener("click", () => load());
  ui.more.addEventListener("click", () => load({ more: true }));

  const detail = setupQuestionDetail(services, {
    container: ui.detail,
    select(id) {
      selected = id;
      markSelected();
    },
    isSelected: (id) => selected === id,
    libraryName,
    showError(text) {
      ui.error.textContent = text;
    },
    updated(id, summary) {
      const entry = entries.get(id);
      if (!entry) return;
      entry.summary = { ...entry.summary, ...summary };
      renderRow(entry);
    },
  });
  const open = detail.open;

  return {
    activate() {
      load();
    },
    refresh,
    async open(id) {
      services.showTab("questions");
      await open(id, { focus: true });
    },
    reset() {
      loads += 1;
      clearTimeout(refreshTimer);
      clearTimeout(settleTimer);
      entries.clear();
      ui.list.replaceChildren();
      detail.reset();
      ui.scope.value = "own";
      showScope();
      libraryNames.clear();
      ui.status.value = "";
      ui.label.value = "";
      ui.message.textContent = "";
      ui.error.textContent = "";
      ui.empty.hidden = true;
      ui.more.hidden = true;
      next = null;
      selected = null;
    },
  };
}
