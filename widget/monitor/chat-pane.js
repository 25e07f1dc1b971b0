// One chat in My Active: its entry in the chat list and its pane, built from small parts: the
// head (title, status, queue, policy and page links; Transfer and End, or Leave for an admin
// who joined), the transcript and typing line, the composer and tools (composer.js), the
// ended note and the wrap-up (wrapup.js; only the chat's own librarian codes it, and its
// Close chat asks first when the chat has no resolution code).
// renderChat() shows a chat's latest session on both.

import { clockTime, el, safeUrl, uid, vh } from "/widget/dom.js";
import { composerTools } from "./composer.js";
import { policySummary } from "./policy-summary.js";
import { services } from "./services.js";
import { libraryLabel, myPart, patronName, renderStatus, servedBy } from "./status.js";
import { stopTyping } from "./typing.js";
import { makeWrapup } from "./wrapup.js";

/**
 * @param session  the chat's SessionView
 * @param actions  {select(focus), end(), close(), leave(), transfer(), earlier()}: what the pane's buttons do
 * @returns the chat: {session, messages (seq -> message), typing timers, dom, wrapup}
 */
export function makeChat(session, actions) {
  const chat = {
    session,
    messages: new Map(),
    patronTypingTimer: null,
    typingOn: false,
    typingSentAt: 0,
    typingStop: null,
    dom: {},
  };
  const d = chat.dom;
  const paneId = uid("pane");
  const titleId = uid("pane-title");
  buildListEntry(chat, paneId, actions);
  const head = buildHead(chat, titleId, actions);
  buildTranscript(chat, actions);
  d.error = el("p", { className: "error", attrs: { role: "alert" } });
  d.handoff = el("p", { className: "handoff", attrs: { role: "status", hidden: true } });
  d.composerArea = composerTools(chat);
  d.endedNote = el("p", { className: "ended-note", attrs: { hidden: true } });
  d.closeButton = el("button", { text: "Close chat", attrs: { type: "button", hidden: true } });
  // A guest only puts the chat away; its librarian is asked first when it has no code.
  d.closeButton.addEventListener("click", () =>
    myPart(chat.session) === "guest" ? actions.close() : chat.wrapup.requestClose(actions.close),
  );
  chat.wrapup = makeWrapup(chat, services, d.closeButton);
  d.pane = el(
    "section",
    { className: "pane", attrs: { id: paneId, "aria-labelledby": titleId, hidden: true } },
    head,
    d.handoff,
    d.earlier,
    d.log,
    d.typing,
    d.composerArea,
    d.endedNote,
    d.error,
    chat.wrapup.node,
  );
  return chat;
}

/** The button in the "My chats" list: name, status, "2 new messages" (unread.js). */
function buildListEntry(chat, paneId, actions) {
  const d = chat.dom;
  d.itemName = el("span", { className: "chat-item-name" });
  d.itemStatus = el("span", { className: "chat-status" });
  d.unread = el("span", { className: "unread", attrs: { hidden: true } });
  d.itemButton = el(
    "button",
    { className: "chat-item", attrs: { type: "button", "aria-controls": paneId } },
    d.itemName,
    vh(", "),
    d.itemStatus,
    d.unread,
  );
  d.itemButton.addEventListener("click", () => actions.select("pane"));
  d.item = el("li", { attrs: { "data-session": chat.session.session_id } }, d.itemButton);
}

/** Title, status, End; the queue and e-mail; links to the library's policy and the patron's page,
 * and the library's policy in brief (policy-summary.js). */
function buildHead(chat, titleId, actions) {
  const d = chat.dom;
  d.title = el("h2", { className: "pane-title", attrs: { id: titleId, tabindex: "-1" } });
  d.paneStatus = el("span", { className: "chat-status" });
  const statusLine = el("p", { className: "pane-status", attrs: { "aria-live": "polite" } }, d.paneStatus);
  d.meta = el("p", { className: "pane-meta" });
  d.policyText = el("span");
  d.policy = el(
    "a",
    {
      className: "policy-link",
      attrs: {
        href: `/monitor/policy.html?library=${encodeURIComponent(chat.session.library)}`,
        target: "_blank",
        rel: "opener",
      },
    },
    d.policyText,
    vh(" (opens in a new tab)"),
  );
  d.pageLink = el("span", { className: "page-link" });
  d.endButton = el("button", { className: "danger", text: "End chat", attrs: { type: "button" } });
  d.endButton.addEventListener("click", () => actions.end());
  d.transferButton = el("button", { text: "Transfer…", attrs: { type: "button", "aria-haspopup": "dialog" } });
  d.transferButton.addEventListener("click", () => actions.transfer());
  d.leaveButton = el("button", { text: "Leave chat", attrs: { type: "button", hidden: true } });
  d.leaveButton.addEventListener("click", () => actions.leave());
  d.actions = el("div", { className: "pane-actions" }, d.transferButton, d.endButton, d.leaveButton);
  d.policySummary = policySummary(chat.session.library);
  return el(
    "div",
    { className: "pane-head" },
    el(
      "div",
      { className: "pane-heading" },
      d.title,
      statusLine,
      d.actions,
    ),
    d.meta,
    el("p", { className: "pane-links" }, d.policy, d.pageLink),
    d.policySummary,
  );
}

/** "Show earlier messages", the transcript (a live log the keyboard can scroll) and the typing line under it. */
function buildTranscript(chat, actions) {
  // Shown while older messages than those held may exist: a long chat's replies carry only its
  // newest messages (chats.js, "more_before").
  chat.dom.earlier = el("button", {
    className: "earlier",
    text: "Show earlier messages",
    attrs: { type: "button", hidden: true },
  });
  chat.dom.earlier.addEventListener("click", () => actions.earlier());
  chat.dom.log = el("div", {
    className: "transcript",
    attrs: { role: "log", "aria-live": "polite", "aria-label": "Transcript", tabindex: "0" },
  });
  chat.dom.typing = el("p", { className: "typing", attrs: { "aria-live": "polite" } });
}

/** A line under the pane's head about passing the chat on ("Offered to Ann…"); "" hides it. */
export function showHandoff(chat, text) {
  chat.dom.handoff.textContent = text;
  chat.dom.handoff.hidden = !text;
}

export function renderPolicyLink(chat) {
  chat.dom.policyText.textContent = `Policy page: ${libraryLabel(chat.session.library)}`;
}

/** Show chat.session on the list entry and the pane. When the chat has just ended and focus
 * was on what goes away (End, the composer), focus goes on to the wrap-up. */
export function renderChat(chat) {
  const s = chat.session;
  const d = chat.dom;
  d.title.textContent = `Chat with ${patronName(s)}`;
  d.itemName.textContent = patronName(s);
  renderStatus(d.itemStatus, s);
  renderStatus(d.paneStatus, s);
  const meta = [`Queue: ${s.library}`];
  if (s.librarians?.length > 1) meta.push(`Librarians: ${servedBy(s)}`);
  if (s.served_by_library && s.served_by_library !== s.library) {
    meta.push(`Served by ${libraryLabel(s.served_by_library)}`);
  }
  if (s.patron?.email) meta.push(`E-mail: ${s.patron.email}`);
  if (s.created_at) meta.push(`Asked ${clockTime(s.created_at)}`);
  d.meta.textContent = meta.join(" · ");
  renderPolicyLink(chat);
  const page = s.page_url && safeUrl(s.page_url);
  d.pageLink.replaceChildren(
    ...(page
      ? [
          " · ",
          el(
            "a",
            { attrs: { href: page, target: "_blank", rel: "noopener noreferrer" } },
            "Patron's page",
            vh(" (opens in a new tab)"),
          ),
        ]
      : []),
  );
  const ended = s.status === "ended";
  const guest = myPart(s) === "guest";
  const justEnded = ended && !d.pane.classList.contains("is-ended");
  const focusInPane = d.pane.contains(document.activeElement);
  const focusLost = !document.activeElement || document.activeElement === document.body;
  const focusLeaving =
    (focusInPane && (d.actions.contains(document.activeElement) ||
        document.activeElement.closest(".composer-area"))) ||
    (chat.ending && focusLost);
  chat.wrapup.update(s);
  d.endButton.hidden = ended || guest;
  d.transferButton.hidden = ended || guest;
  d.leaveButton.hidden = ended || !guest;
  chat.wrapup.node.hidden = guest;
  if (ended) showHandoff(chat, "");
  d.closeButton.hidden = !ended;
  d.composerArea.hidden = ended;
  d.endedNote.hidden = !ended;
  d.endedNote.textContent = guest
    ? "This chat has ended. Its librarian codes it; close it to remove it from My Active."
    : "This chat has ended. Code it in the wrap-up below, then close it to remove it from My Active.";
  d.pane.classList.toggle("is-ended", ended);
  if (ended) {
    stopTyping(chat);
    // The End button and the composer are gone: go on to the wrap-up.
    if (justEnded && focusLeaving && !d.pane.hidden) {
      if (guest) d.closeButton.focus();
      else chat.wrapup.focusStart();
    }
  }
}
