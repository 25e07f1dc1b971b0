// The wrap-up section of a chat pane: resolution and descriptive codes (set_codes), a ticket
// for follow-up (create_ticket) and an internal note (internal_note). Collapsed while the
// chat runs, opened when it ends. Codes come from the patron's library's lists; how many
// descriptive codes a chat may have is the server's limit (limits.js).
//
// Reports count a chat closed without a resolution code as uncoded, so "Close chat" asks
// first, in place, when this window knows of no saved code: none in the question it
// pre-filled the form from (GET /api/questions/{id}) and none saved here since (set_codes).

import { el, reason, uid } from "/widget/dom.js";
import { limitAttrs, limitText, limits } from "/widget/limits.js";
import { codeLists } from "./code-lists.js";

/**
 * @param chat      the monitor's chat ({session, ...})
 * @param services  {rest(path, options), socket(), openQuestion(id)}
 * @param closeButton  the pane's "Close chat" button, placed at the end of this section
 * @returns {{node: HTMLElement, update(session): void, focusStart(): void,
 *            isCoded(): Promise<boolean>, requestClose(close): Promise<void>}}
 */
export function makeWrapup(chat, services, closeButton) {
  const sessionId = () => chat.session.session_id;
  const d = {};
  let chosen = []; // descriptive codes, in the order they were ticked
  let touched = false; // the librarian changed the codes form (a late prefill must not undo it)
  let ended = null;
  let coded = false; // a resolution code is saved: in the question as read, or by set_codes here
  let readEnded = false; // the question was read after the chat ended (codes set elsewhere before then show)

  // --- codes -------------------------------------------------------------------------------
  const resolutionId = uid("resolution");
  d.resolution = el("select", { attrs: { id: resolutionId, disabled: true } });
  d.resolution.append(el("option", { text: "Loading codes…", attrs: { value: "" } }));

  const countId = uid("descriptive-count");
  const findId = uid("descriptive-find");
  d.count = el("p", { className: "code-count", attrs: { id: countId, "aria-live": "polite" } });
  d.find = el("input", { attrs: { id: findId, type: "search", autocomplete: "off" } });
  d.checkboxes = el("div", { className: "checkbox-list" });
  d.limit = el("p", { className: "error", attrs: { role: "alert" } });
  const descriptive = el(
    "fieldset",
    { className: "descriptive", attrs: { "aria-describedby": countId } },
    el("legend", {}, "Descriptive codes (up to ", limitText("descriptive_codes"), ")"),
    d.count,
    el("label", { text: "Find a descriptive code", attrs: { for: findId } }),
    d.find,
    d.checkboxes,
  );

  const analyticsId = uid("analytics");
  d.analytics = el("input", { attrs: { id: analyticsId, type: "checkbox", checked: true } });
  d.codesSaved = el("p", { className: "saved", attrs: { role: "status" } });
  d.codesError = el("p", { className: "error", attrs: { role: "alert" } });
  d.saveCodes = el("button", { className: "primary", text: "Save codes", attrs: { type: "submit" } });
  const codesForm = el(
    "form",
    { className: "wrapup-codes", attrs: { novalidate: true } },
    el("label", { text: "Resolution code", attrs: { for: resolutionId } }),
    d.resolution,
    descriptive,
    d.limit,
    el("div", { className: "check" }, d.analytics, el("label", { text: "Add to analytics", attrs: { for: analyticsId } })),
    d.saveCodes,
    d.codesSaved,
    d.codesError,
  );
  codesForm.addEventListener("submit", (event) => {
    event.preventDefault();
    saveCodes();
  });
  codesForm.addEventListener("change", (event) => {
    if (event.target === d.find) return; // finding a code changes nothing
    touched = true;
    d.codesSaved.textContent = "";
    if (event.target === d.resolution) d.resolution.removeAttribute("aria-invalid");
  });
  d.checkboxes.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox") return;
    if (box.checked) {
      if (chosen.length >= limits.descriptive_codes) {
        box.checked = false;
        d.limit.textContent = `You can choose up to ${limits.descriptive_codes} descriptive codes. Clear one before choosing another.`;
        return;
      }
      chosen.push(box.value);
    } else {
      chosen = chosen.filter((code) => code !== box.value);
    }
    d.limit.textContent = "";
    renderCount();
  });
  d.find.addEventListener("input", () => filterDescriptive());

  // --- ticket --------------------------------------------------------------------------------
  const ticketId = uid("ticket-note");
  d.ticketNote = el("textarea", { attrs: { id: ticketId, rows: "2", ...limitAttrs("text") } });
  d.ticketDone = el("p", { className: "saved", attrs: { role: "status" } });
  d.ticketOpen = el("button", { text: "Open the ticket", attrs: { type: "button", hidden: true } });
  d.ticketError = el("p", { className: "error", attrs: { role: "alert" } });
  d.createTicket = el("button", { text: "Create a ticket", attrs: { type: "submit" } });
  const ticketForm = el(
    "form",
    { className: "wrapup-tool", attrs: { novalidate: true } },
    el("label", { text: "Ticket note (optional)", attrs: { for: ticketId } }),
    d.ticketNote,
    d.createTicket,
    d.ticketDone,
    d.ticketOpen,
    d.ticketError,
  );
  ticketForm.addEventListener("submit", (event) => {
    event.preventDefault();
    createTicket();
  });
  d.ticketOpen.addEventListener("click", () => {
    if (d.ticketOpen.dataset.question) services.openQuestion(d.ticketOpen.dataset.question);
  });

  // --- internal note -------------------------------------------------------------------------
  const noteId = uid("internal-note");
  const noteHintId = uid("internal-note-hint");
  d.note = el("textarea", { attrs: { id: noteId, rows: "2", ...limitAttrs("text"), "aria-describedby": noteHintId } });
  d.noteDone = el("p", { className: "saved", attrs: { role: "status" } });
  d.noteError = el("p", { className: "error", attrs: { role: "alert" } });
  d.saveNote = el("button", { text: "Save internal note", attrs: { type: "submit" } });
  const noteForm = el(
    "form",
    { className: "wrapup-tool", attrs: { novalidate: true } },
    el("label", { text: "Internal note", attrs: { for: noteId } }),
    el("p", {
      className: "hint",
      text: "For librarians only: never shown to the patron or e-mailed.",
      attrs: { id: noteHintId },
    }),
    d.note,
    d.saveNote,
    d.noteDone,
    d.noteError,
  );
  noteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    saveNote();
  });

  d.summary = el("summary", { text: "Wrap-up" });
  d.node = el(
    "details",
    { className: "wrapup" },
    d.summary,
    el(
      "div",
      { className: "wrapup-body" },
      codesForm,
      el("div", { className: "wrapup-side" }, ticketForm, noteForm, el("div", { className: "wrapup-close" }, closeButton)),
    ),
  );
  d.node.addEventListener("toggle", () => {
    if (d.node.open) loadCodes();
  });

  // --- closing a chat with no code: asked first ---------------------------------------------
  const askId = uid("close-uncoded");
  d.closeUncoded = el("button", { className: "danger", text: "Close without a code", attrs: { type: "button" } });
  d.chooseCode = el("button", { text: "Choose a code", attrs: { type: "button" } });
  // Named briefly (its question is its description), so that "Resolution code" names only the select.
  d.askClose = el(
    "div",
    {
      className: "close-uncoded",
      attrs: { role: "group", "aria-label": "Close without a code?", "aria-describedby": askId, hidden: true },
    },
    el("p", {
      attrs: { id: askId },
      text: "This chat has no resolution code. Choose one and save it, or close without a code (reports count it as uncoded).",
    }),
    el("div", { className: "close-uncoded-actions" }, d.closeUncoded, d.chooseCode),
  );
  closeButton.after(d.askClose);
  let closing = null; // what "Close without a code" does
  d.closeUncoded.addEventListener("click", () => {
    const close = closing;
    hideAsk();
    if (close) close();
  });
  d.chooseCode.addEventListener("click", () => {
    hideAsk();
    d.resolution.removeAttribute("aria-invalid");
    (d.resolution.disabled ? d.summary : d.resolution).focus();
  });
  d.askClose.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    hideAsk();
    closeButton.focus();
  });

  function hideAsk() {
    closing = null;
    d.askClose.hidden = true;
  }

  // --- behaviour -----------------------------------------------------------------------------

  function renderCount() {
    const labels = chosen.map((code) => d.checkboxes.querySelector(`input[value="${CSS.escape(code)}"]`)?.labels?.[0]?.textContent || code);
    d.count.replaceChildren(
      `${chosen.length} of `,
      limitText("descriptive_codes"),
      ` chosen${labels.length ? `: ${labels.join(", ")}` : ""}`,
    );
  }

  function filterDescriptive() {
    const words = d.find.value.trim().toLowerCase();
    for (const row of d.checkboxes.children) {
      const box = row.querySelector("input");
      row.hidden = Boolean(words) && !box.checked && !row.dataset.search.includes(words);
    }
  }

  let loading = null;
  function loadCodes() {
    if (loading) return loading;
    readEnded = chat.session.status === "ended";
    loading = Promise.all([
      codeLists(services.rest, chat.session.library),
      services.rest(`/questions/${encodeURIComponent(sessionId())}`).catch(() => null),
    ])
      .then(([lists, question]) => {
        fillCodes(lists);
        if (question?.resolution) coded = true;
        if (question && !touched) prefill(question);
      })
      .catch((error) => {
        loading = null;
        d.resolution.replaceChildren(el("option", { text: "Codes not loaded", attrs: { value: "" } }));
        d.codesError.textContent = `Could not load the code lists: ${reason(error)}`;
      });
    return loading;
  }

  function fillCodes(lists) {
    const current = d.resolution.value;
    d.resolution.replaceChildren(
      el("option", { text: "Choose a resolution code", attrs: { value: "" } }),
      ...(lists.resolution || []).map((item) => el("option", { text: item.label, attrs: { value: item.code } })),
    );
    d.resolution.value = current;
    d.resolution.disabled = false;
    const known = new Set((lists.descriptive || []).map((item) => item.code));
    chosen = chosen.filter((code) => known.has(code));
    d.checkboxes.replaceChildren(
      ...(lists.descriptive || []).map((item) => {
        const id = uid("descriptive");
        const box = el("input", { attrs: { id, type: "checkbox", value: item.code } });
        box.checked = chosen.includes(item.code);
        return el(
          "div",
          { className: "check", attrs: { "data-search": `${item.label} ${item.code}`.toLowerCase() } },
          box,
          el("label", { text: item.label, attrs: { for: id } }),
        );
      }),
    );
    d.codesError.textContent = "";
    renderCount();
    filterDescriptive();
  }

  function prefill(question) {
    if (question.resolution) d.resolution.value = question.resolution;
    chosen = (question.descriptive || []).slice(0, limits.descriptive_codes);
    for (const box of d.checkboxes.querySelectorAll("input")) box.checked = chosen.includes(box.value);
    if (question.in_analytics === false) d.analytics.checked = false;
    if (question.resolution) d.codesSaved.textContent = "Codes saved";
    renderCount();
  }

  async function saveCodes() {
    d.codesSaved.textContent = "";
    d.codesError.textContent = "";
    const socket = services.socket();
    if (!d.resolution.value) {
      d.resolution.setAttribute("aria-invalid", "true");
      d.codesError.textContent = "Choose a resolution code.";
      d.resolution.focus();
      return;
    }
    if (!socket) return;
    d.saveCodes.disabled = true;
    try {
      await socket.request("set_codes", {
        session_id: sessionId(),
        resolution: d.resolution.value,
        descriptive: chosen.slice(),
        analytics: d.analytics.checked,
      });
      d.codesSaved.textContent = "Codes saved";
      d.limit.textContent = "";
      coded = true;
      hideAsk();
    } catch (error) {
      d.codesError.textContent = `Codes not saved: ${reason(error)}`;
    } finally {
      d.saveCodes.disabled = false;
    }
  }

  async function createTicket() {
    const socket = services.socket();
    if (!socket) return;
    d.ticketDone.textContent = "";
    d.ticketError.textContent = "";
    d.ticketOpen.hidden = true;
    const note = d.ticketNote.value.trim();
    d.createTicket.disabled = true;
    try {
      const reply = await socket.request("create_ticket", { session_id: sessionId(), ...(note ? { note } : {}) });
      d.ticketDone.textContent = `Ticket created: ${reply.question_id}`;
      d.ticketOpen.dataset.question = reply.question_id;
      d.ticketOpen.hidden = false;
      d.ticketNote.value = "";
    } catch (error) {
      d.ticketError.textContent = `No ticket created: ${reason(error)}`;
    } finally {
      d.createTicket.disabled = false;
    }
  }

  async function saveNote() {
    const socket = services.socket();
    const text = d.note.value.trim();
    d.noteDone.textContent = "";
    d.noteError.textContent = "";
    if (!text) {
      d.noteError.textContent = "Write the note first.";
      d.note.focus();
      return;
    }
    if (!socket) return;
    d.saveNote.disabled = true;
    try {
      await socket.request("internal_note", { session_id: sessionId(), text });
      d.note.value = "";
      d.noteDone.textContent = "Internal note saved. It is in the transcript, for librarians only.";
    } catch (error) {
      d.noteError.textContent = `Note not saved: ${reason(error)}`;
    } finally {
      d.saveNote.disabled = false;
    }
  }

  /** Whether a resolution code is saved, as far as this window knows (the question read when
   * the wrap-up opened, or set_codes here); false when that could not be read. */
  async function isCoded() {
    if (!coded) await loadCodes();
    if (!coded && !readEnded) {
      // Read while the chat was live (the wrap-up opened early): read it again, now it has ended.
      readEnded = chat.session.status === "ended";
      const question = await services.rest(`/questions/${encodeURIComponent(sessionId())}`).catch(() => null);
      if (question?.resolution) coded = true;
    }
    return coded;
  }
  let checking = false; // a Close waiting for isCoded

  renderCount();

  return {
    node: d.node,
    /** Open the section when the chat ends (once: the librarian may collapse it again). */
    update(session) {
      const isEnded = session.status === "ended";
      if (isEnded && ended !== true) d.node.open = true;
      ended = isEnded;
    },
    isCoded,
    /** "Close chat": `close()` at once when the chat is coded; otherwise ask first. */
    async requestClose(close) {
      if (checking) return;
      checking = true;
      const known = await isCoded().finally(() => {
        checking = false;
      });
      if (known) {
        hideAsk();
        close();
        return;
      }
      closing = close;
      d.askClose.hidden = false;
      d.chooseCode.focus();
    },
    focusStart() {
      if (!d.node.open) d.node.open = true;
      (d.resolution.disabled ? d.summary : d.resolution).focus();
      loadCodes().then(() => {
        if (document.activeElement === d.summary && d.node.contains(document.activeElement)) d.resolution.focus();
      });
    },
  };
}
