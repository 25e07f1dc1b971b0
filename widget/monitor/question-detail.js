// One question in the Questions tab: its facts, activity and transcript, and what a librarian
// can do with it (answer, note, message the chat's librarian, close). Acting on a live chat
// also shows in that chat (as QuestionPoint's question list did), which the detail warns about.
// An admin of the patron's library may remove the patron's personal data at once, after
// confirming (DELETE /api/questions/{id}/patron-data; docs/privacy.md). Codes are shown by
// their labels in the patron's library's lists (code-lists.js; the code itself once it is no
// longer listed), and the patron's rating of the chat, when they gave one.

import { dateTime, el, reason, uid } from "/widget/dom.js";
import { limitAttrs } from "/widget/limits.js";
import { codeLists } from "./code-lists.js";
import { messageNode } from "./messages.js";
import { SOURCE_TEXT, labelText, patronText, statusBadge } from "./question-status.js";

const ACTIVITY_TEXT = {
  answer: "Answer",
  note: "Note",
  librarian_message: "Message to the chat's librarian",
  close: "Closed",
};

/**
 * @param services  {rest(path, options)}
 * @param list      the list beside it: {container, select(id), isSelected(id), showError(text),
 *                  updated(id, summary), libraryName(id)}
 * @returns {{open(id, {focus}): Promise<void>, redraw(): void, reset(): void}}
 */
export function setupQuestionDetail(services, list) {
  let current = null; // the detail shown: GET /api/questions/{id}
  let currentLists = null; // the code lists of its library, or null when they could not be read

  const d = {};
  d.title = el("h3", { className: "detail-title", attrs: { id: "question-detail-title", tabindex: "-1" } });
  d.question = el("p", { className: "detail-question" });
  d.warning = el(
    "p",
    { className: "live-warning", attrs: { hidden: true } },
    el("strong", { text: "This chat is live." }),
    " Actions here also appear in the live chat: an answer goes to the patron at once, and notes, messages and a close show as librarian notes to the chat's librarian.",
  );
  d.facts = el("dl", { className: "facts" });
  d.done = el("p", { className: "saved", attrs: { role: "status" } });
  d.error = el("p", { className: "error", attrs: { role: "alert" } });

  function textForm(label, button, rows = "3") {
    const id = uid("question-action");
    const hintId = uid("question-action-hint");
    const text = el("textarea", { attrs: { id, rows, ...limitAttrs("text"), "aria-describedby": hintId } });
    const hint = el("p", { className: "hint", attrs: { id: hintId } });
    const submit = el("button", { text: button, attrs: { type: "submit" } });
    const form = el(
      "form",
      { className: "detail-action", attrs: { novalidate: true } },
      el("label", { text: label, attrs: { for: id } }),
      hint,
      text,
      submit,
    );
    return { form, text, hint, submit };
  }

  d.answer = textForm("Answer", "Send answer");
  d.answer.submit.className = "primary";
  d.note = textForm("Note", "Add note", "2");
  d.note.hint.textContent = "Kept in the question's activity list for librarians.";
  d.message = textForm("Message to the chat's librarian", "Send to the chat's librarian", "2");
  d.close = el("button", { className: "danger", text: "Close question", attrs: { type: "button" } });
  // Admins of the patron's library: remove the patron's personal data, after a confirmation.
  d.forget = el("button", { className: "danger", text: "Remove patron's personal data", attrs: { type: "button" } });
  d.forgetHint = el("p", { className: "hint", attrs: { id: uid("forget-hint") } });
  d.forget.setAttribute("aria-describedby", d.forgetHint.id);
  d.forgetConfirm = el("div", { className: "confirm-forget", attrs: { hidden: true } });
  d.privacy = el(
    "div",
    { className: "detail-privacy", attrs: { hidden: true } },
    el("h4", { text: "Patron's personal data" }),
    d.forgetHint,
    d.forget,
    d.forgetConfirm,
  );
  d.activityEmpty = el("p", { className: "empty", text: "Nothing yet." });
  d.activity = el("ol", { className: "activity" });
  d.transcriptEmpty = el("p", { className: "empty", text: "No chat transcript: this question came from a form." });
  d.transcript = el("div", { className: "question-transcript" });

  list.container.replaceChildren(
    d.title,
    d.question,
    d.warning,
    d.facts,
    el(
      "div",
      { className: "detail-actions" },
      el("h4", { text: "Act on this question" }),
      d.answer.form,
      d.note.form,
      d.message.form,
      el("div", { className: "detail-close" }, d.close),
      d.privacy,
      d.done,
      d.error,
    ),
    el("h4", { text: "Activity" }),
    d.activityEmpty,
    d.activity,
    el("h4", { text: "Transcript" }),
    d.transcriptEmpty,
    d.transcript,
  );

  d.answer.form.addEventListener("submit", (event) => {
    event.preventDefault();
    act("answer", d.answer);
  });
  d.note.form.addEventListener("submit", (event) => {
    event.preventDefault();
    act("notes", d.note);
  });
  d.message.form.addEventListener("submit", (event) => {
    event.preventDefault();
    act("librarian-message", d.message);
  });
  d.close.addEventListener("click", () => act("close", null));
  d.forget.addEventListener("click", confirmForget);

  function fact(term, ...value) {
    return [el("dt", { text: term }), el("dd", {}, ...value)];
  }

  function renderDetail(q) {
    const live = q.status === "live";
    d.title.textContent = `Question from ${patronText(q.patron)}`;
    d.question.textContent = q.question || "";
    d.warning.hidden = !live;
    const labels = (q.labels || []).map(labelText).join(", ");
    d.facts.replaceChildren(
      ...fact("Status", statusBadge(q.status)),
      ...(labels ? fact("Labels", labels) : []),
      ...fact("Source", SOURCE_TEXT[q.source] || String(q.source || "")),
      ...fact("Patron", patronText(q.patron), q.patron?.email ? ` (${q.patron.email})` : ""),
      ...(q.patron_data_removed_at
        ? fact(
            "Personal data",
            "Removed ",
            el("time", { text: dateTime(q.patron_data_removed_at), attrs: { datetime: q.patron_data_removed_at } }),
          )
        : []),
      ...(partnerServed(q)
        ? [...fact("Patron's library", libraryText(q.library)), ...fact("Served by", libraryText(q.served_by_library))]
        : []),
      ...fact("Asked", el("time", { text: dateTime(q.created_at), attrs: { datetime: q.created_at } })),
      ...(q.resolution ? fact("Resolution code", codeLabel("resolution", q.resolution)) : []),
      ...(q.descriptive?.length
        ? fact("Descriptive codes", q.descriptive.map((code) => codeLabel("descriptive", code)).join(", "))
        : []),
      ...(q.in_analytics === false ? fact("Analytics", "Left out of reports") : []),
      ...(Number.isInteger(q.rating) ? fact("Patron's rating", `${q.rating} of 5`) : []),
      ...(Number.isInteger(q.rating) && q.rating_comment
        ? [el("dt", { text: "Patron's comment" }), el("dd", { className: "rating-comment", text: q.rating_comment })]
        : []),
      ...fact("Question id", q.question_id),
    );
    const email = q.patron?.email;
    if (live) d.answer.hint.textContent = `Sent into the live chat${email ? ` and e-mailed to ${email}` : ""}.`;
    else if (email) d.answer.hint.textContent = `E-mailed to ${email} with the question.`;
    else d.answer.hint.textContent = "This question has no e-mail address and no live chat, so an answer cannot reach the patron.";
    d.message.form.hidden = !q.session_id;
    d.message.hint.textContent = live
      ? "Shown in the live chat to its librarian, never to the patron."
      : "Kept in the question's activity list.";
    d.close.hidden = q.status === "closed";
    renderPrivacy(q, live);

    const activity = q.activity || [];
    d.activityEmpty.hidden = activity.length > 0;
    d.activity.replaceChildren(
      ...activity.map((entry) =>
        el(
          "li",
          {},
          el("span", { className: "activity-kind", text: ACTIVITY_TEXT[entry.kind] || entry.kind }),
          " by ",
          el("span", { className: "activity-by", text: entry.by_name || entry.by || "a librarian" }),
          ", ",
          el("time", { text: dateTime(entry.at), attrs: { datetime: entry.at } }),
          el("p", { className: "activity-text", text: entry.text }),
        ),
      ),
    );
    const transcript = q.transcript || [];
    d.transcriptEmpty.hidden = transcript.length > 0;
    d.transcriptEmpty.textContent = q.session_id ? "No messages." : "No chat transcript: this question came from a form.";
    d.transcript.replaceChildren(...transcript.slice().sort((a, b) => a.seq - b.seq).map(messageNode));
  }

  /** The admins' removal of the patron's personal data: offered once the chat has ended and
   * while there is something to remove (the page a patron asked from is in `session`). */
  function renderPrivacy(q, live) {
    const me = services.me && services.me();
    const admin = Boolean(me?.is_admin) && me.library === q.library;
    const held = Boolean(q.patron?.name || q.patron?.email || q.session?.page_url || q.session?.patron?.name);
    d.privacy.hidden = !admin || (!held && !q.patron_data_removed_at);
    d.forgetConfirm.hidden = true;
    d.forgetConfirm.replaceChildren();
    d.forget.hidden = !held;
    d.forget.disabled = live;
    if (!held) d.forgetHint.textContent = "Removed: the question, the transcript's words and the codes stay for reports.";
    else if (live) d.forgetHint.textContent = "The chat is still going on: the patron's data can be removed once it has ended.";
    else
      d.forgetHint.textContent = `Removed by itself after your library's retention period. You can remove the name, e-mail address and page now${q.session_id ? ", here and in the chat" : ""}; the question, the transcript's words and the codes stay.`;
  }

  function confirmForget() {
    if (!current) return;
    const yes = el("button", { className: "danger", text: "Remove personal data", attrs: { type: "button" } });
    const no = el("button", { text: "Cancel", attrs: { type: "button" } });
    const text = el("p", {
      className: "confirm",
      attrs: { id: uid("forget-confirm") },
      text: `Remove ${patronText(current.patron)}'s name, e-mail address and page${current.session_id ? " from this question and its chat" : " from this question"}? This cannot be undone.`,
    });
    yes.setAttribute("aria-describedby", text.id);
    yes.addEventListener("click", () => forget(yes));
    no.addEventListener("click", () => {
      d.forgetConfirm.hidden = true;
      d.forgetConfirm.replaceChildren();
      d.forget.hidden = false;
      d.forget.focus();
    });
    d.forgetConfirm.replaceChildren(text, el("div", { className: "confirm-buttons" }, yes, no));
    d.forgetConfirm.hidden = false;
    d.forget.hidden = true;
    no.focus();
  }

  async function forget(button) {
    if (!current) return;
    const id = current.question_id;
    d.done.textContent = "";
    d.error.textContent = "";
    button.disabled = true;
    try {
      await services.rest(`/questions/${encodeURIComponent(id)}/patron-data`, { method: "DELETE" });
    } catch (error) {
      button.disabled = false;
      d.error.textContent = `Not removed: ${reason(error)}`;
      return;
    }
    await open(id);
    d.done.textContent = "The patron's personal data has been removed.";
    d.title.focus();
  }

  /** A code's label in its library's list; the code itself once it is no longer there. */
  function codeLabel(kind, code) {
    const item = (currentLists?.[kind] || []).find((entry) => entry.code === code);
    return item?.label || code;
  }

  /** A chat served by a librarian of a partner library (the patron's library is another). */
  function partnerServed(q) {
    return Boolean(q.served_by_library) && q.served_by_library !== q.library;
  }

  function libraryText(id) {
    return (list.libraryName && list.libraryName(id)) || id;
  }

  async function open(id, { focus = false } = {}) {
    list.select(id);
    d.done.textContent = "";
    d.error.textContent = "";
    for (const form of [d.answer, d.note, d.message]) form.text.value = "";
    let question;
    try {
      question = await services.rest(`/questions/${encodeURIComponent(id)}`);
    } catch (error) {
      if (!list.isSelected(id)) return;
      current = null;
      list.container.hidden = true;
      list.showError(`Could not open the question: ${reason(error)}`);
      return;
    }
    if (!list.isSelected(id)) return;
    const lists = await codeLists(services.rest, question.library).catch(() => null);
    if (!list.isSelected(id)) return;
    current = question;
    currentLists = lists;
    list.showError("");
    renderDetail(question);
    list.container.hidden = false;
    list.updated(id, summaryOf(question));
    if (focus) d.title.focus();
  }

  function summaryOf(question) {
    const { activity: _a, session: _s, transcript: _t, ...summary } = question;
    return summary;
  }

  const DONE = {
    answer: (live) => (live ? "Answer sent. It is in the live chat too." : "Answer sent by e-mail."),
    notes: (live) => (live ? "Note added. The chat's librarian sees it in the chat." : "Note added."),
    "librarian-message": (live) =>
      live ? "Message sent to the chat's librarian." : "Message kept in the activity list.",
    close: (live) =>
      live
        ? "Closed while the chat is live: the chat goes on and the question stays live until it ends."
        : "Question closed.",
  };

  async function act(kind, form) {
    if (!current) return;
    const id = current.question_id;
    const live = current.status === "live";
    d.done.textContent = "";
    d.error.textContent = "";
    let body;
    if (form) {
      const text = form.text.value.trim();
      if (!text) {
        form.text.setAttribute("aria-invalid", "true");
        d.error.textContent = "Write something first.";
        form.text.focus();
        return;
      }
      form.text.removeAttribute("aria-invalid");
      body = { text };
    }
    const button = form ? form.submit : d.close;
    button.disabled = true;
    try {
      await services.rest(`/questions/${encodeURIComponent(id)}/${kind}`, { method: "POST", body: body || {} });
    } catch (error) {
      d.error.textContent = `Not done: ${reason(error)}`;
      return;
    } finally {
      button.disabled = false;
    }
    if (form) form.text.value = "";
    const message = DONE[kind](live);
    await open(id);
    d.done.textContent = message;
    if (kind === "close" && d.close.hidden) d.title.focus();
  }

  return {
    open,
    /** Draw the question shown again (a library's name became known), keeping what is typed. */
    redraw() {
      if (current) renderDetail(current);
    },
    reset() {
      list.container.hidden = true;
      current = null;
      currentLists = null;
    },
  };
}
