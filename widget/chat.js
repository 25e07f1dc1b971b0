// The patron's chat window: the hosted page /chat/{library} and, with ?embed=1, the panel the
// one-tag widget (qwidget.js) opens on a library's site. Everything a person typed is shown as
// text (textContent), never as HTML.

import { setupChatEnding } from "/widget/chat-ending.js";
import { chatInProgress, librarianWrote, setEmbedded } from "/widget/chat-host.js";
import { messageNode } from "/widget/chat-message.js";
import { setupRating } from "/widget/chat-rating.js";
import { dropChat, saveChat, savedChat } from "/widget/chat-storage.js";
import { clockTime, el, safeUrl, byId as $ } from "/widget/dom.js";
import { applyLimits, limits, setLimits } from "/widget/limits.js";
import { placeInLine } from "/widget/queue-position.js";
import { RefdeskSocket, api, endpoints } from "/widget/refdesk-socket.js";
import { SeqGaps } from "/widget/seq-gaps.js";

const params = new URLSearchParams(location.search);
const library = params.get("library") || decodeURIComponent(location.pathname.split("/").filter(Boolean).pop() || "");
const embedded = params.get("embed") === "1";
const pageUrl = params.get("page") || document.referrer || location.href;
const { ws: wsUrl, api: apiBase } = endpoints(params);
const storageKey = `refdesk:chat:${library}`;
const TYPING_IDLE_MS = 3000;
const TYPING_SHOWN_MS = 6000;

const state = {
  sessionId: null,
  token: null,
  session: null, // the latest SessionView / session_update fields
  position: null, // place in line while waiting (1 = next), null when not known
  followUpOffered: null, // the chat whose follow-up form was filled in (once)
  rated: null, // "rated" | "skipped": the patron answered "How helpful was this chat?"
  messages: new Map(), // seq -> message, each shown once
  socket: null,
  email: null,
  typingSent: false,
  slowedDown: false, // a message was refused as rate_limited and waits to be sent again
  typingTimer: null,
  shownTypingTimer: null,
  libraryName: "",
  focusOnShow: false, // the widget was opened before anything was shown
};

// A gap in the seqs shown (a post lost or late; a librarian's note, never shown here) is given a
// moment, then filled from `history` (seq-gaps.js).
const gaps = new SeqGaps(fillGap);

// --- views ---------------------------------------------------------------------------------

function show(...views) {
  for (const section of document.querySelectorAll(".view")) {
    section.hidden = !views.includes(section.id.replace("view-", ""));
  }
  // An ended chat: what happened, the e-mail and any follow-up form come first (the page's
  // order), the transcript after them.
  document.body.classList.toggle("chat-ended", views.includes("ended"));
  document.body.classList.toggle("following-up", views.includes("chat") && views.includes("leave"));
  if (!views.includes("ended")) rating.hide();
  if (state.focusOnShow) focusEntry();
}

/** Put the keyboard where the patron will type: the message box, the follow-up form, or the
 * first form field. */
function focusEntry() {
  const target =
    followUpTarget() ||
    document.querySelector(
      "#composer:not([hidden]) textarea, .view:not([hidden]) form input, .view:not([hidden]) button:not([hidden])",
    );
  state.focusOnShow = !target || target.closest("[hidden]") !== null;
  if (target && !state.focusOnShow) target.focus();
}

/** The status line is a live region: write it only when it changes, so nothing is re-read. */
function setStatus(text) {
  if ($("status").textContent !== text) $("status").textContent = text;
}

function focusFirst(selector) {
  const target = document.querySelector(selector);
  if (target) target.focus();
}

// --- a reload keeps the chat (chat-storage.js) ---------------------------------------------------

function forget() {
  dropChat(storageKey);
  chatInProgress(false);
  state.sessionId = state.token = state.session = state.position = state.followUpOffered = state.rated = null;
  rating.reset();
  state.messages.clear();
  gaps.reset();
  $("messages").replaceChildren();
  $("earlier").hidden = true;
}

// --- the socket ------------------------------------------------------------------------------

function socket() {
  if (!state.socket) {
    const recycleMs = Number(params.get("recycle_ms")) || undefined; // tests shorten the 2-hour limit
    state.socket = new RefdeskSocket(wsUrl, { onOpen: resume, onFrame, onStatus, recycleMs }).connect();
  }
  return state.socket;
}

async function resume(sock) {
  if (!state.token) return;
  const after = state.messages.size ? Math.max(...state.messages.keys()) : 0;
  gaps.reset(); // the resume brings everything after `after`: no gap is known until it has
  try {
    const reply = await sock.request("resume", { patron_token: state.token, after_seq: after });
    for (const message of reply.messages) addMessage(message);
    // Positions sent while the socket was down were lost: only a place in the reply is current.
    const position = reply.position;
    if (Number.isInteger(position)) state.position = position;
    const ended = reply.session.status === "ended";
    applySession({ ...reply.session, ...(ended && reply.follow_up ? { follow_up: reply.follow_up } : {}) });
    const filled = await fillIn(sock, after, reply).then(
      () => true,
      (error) => console.warn("refdesk: catching up failed", error),
    );
    // Caught up: no gap below last_seq. Not caught up: a gap above `after`, filled later.
    gaps.settle(filled ? reply.session.last_seq : after);
  } catch (error) {
    if (error.code === "forbidden" || error.code === "not_found") {
      forget();
      await checkAvailability();
    }
  }
}

function onStatus(status) {
  if (status === "reconnecting") {
    state.position = null; // any change while the socket is down is missed: show none, not a stale one
    setStatus("Connection lost. Reconnecting… Nothing you send will be lost.");
  } else if (status === "open" && state.session) describeSession();
}

function onFrame(frame) {
  if (frame.session_id && frame.session_id !== state.sessionId) return;
  if (frame.type === "message") {
    const isNew = !state.messages.has(frame.seq);
    addMessage(frame);
    if (frame.from.role === "librarian") showTyping(null);
    if (isNew && frame.from.role === "librarian" && frame.kind !== "system") librarianWrote();
  } else if (frame.type === "session_update") {
    applySession(frame);
  } else if (frame.type === "queue_position") {
    state.position = frame.position;
    if (state.session && state.session.status === "waiting") describeSession();
  } else if (frame.type === "typing" && frame.from.role !== "patron") {
    showTyping(frame.typing ? frame.from.name || "The librarian" : null);
  } else if (frame.type === "error" && frame.code === "rate_limited" && frame.ref) {
    // A message sent too fast: the socket keeps it and sends it when told (refdesk-socket.js).
    state.slowedDown = true;
    $("composer-error").textContent = `${frame.message} Your message is kept and will be sent then.`;
  }
}

// --- messages --------------------------------------------------------------------------------

function addMessage(message) {
  if (state.messages.has(message.seq)) return;
  state.messages.set(message.seq, message);
  gaps.arrived(message.seq);
  if (state.slowedDown && message.from.role === "patron") {
    state.slowedDown = false; // what was held back is going out again
    $("composer-error").textContent = "";
  }
  const node = messageNode(message);
  const log = $("messages");
  const later = [...log.children].find((child) => Number(child.dataset.seq) > message.seq);
  log.insertBefore(node, later || null);
  // Scroll the conversation only, never the page: a follow-up form below must stay in view.
  if (!later) log.scrollTop = log.scrollHeight;
}

// A long chat's replies carry its newest messages that fit (docs/protocol.md, "more_before").

/** After `resumed` (the messages after `after`): when older ones were left out, fetch what lies
 * between them and the messages held, so every message is shown once, in order; holding none,
 * offer "Show earlier messages" instead. */
async function fillIn(sock, after, reply) {
  const messages = reply.messages || [];
  if (!messages.length) return;
  if (!after) {
    $("earlier").hidden = !reply.more_before;
    return;
  }
  let before = Math.min(...messages.map((m) => m.seq));
  let more = Boolean(reply.more_before);
  while (more) {
    const page = await sock.request("history", {
      session_id: state.sessionId,
      patron_token: state.token,
      after_seq: after,
      before_seq: before,
    });
    const found = page.messages || [];
    for (const message of found) addMessage(message);
    more = Boolean(page.more_before) && found.length > 0;
    if (found.length) before = Math.min(...found.map((m) => m.seq));
  }
}

/** Fill a gap that did not close by itself: the messages after `after` (the highest held in
 * order), with any that did not fit in the reply. Resolves with the `history` reply. */
async function fillGap(after) {
  const sock = socket();
  const sessionId = state.sessionId;
  const reply = await sock.request("history", { session_id: sessionId, patron_token: state.token, after_seq: after });
  if (state.sessionId !== sessionId) return null; // that chat was put away meanwhile
  for (const message of reply.messages || []) addMessage(message);
  await fillIn(sock, after, reply);
  return reply;
}

/** "Show earlier messages": the page before the oldest message held, put in place without
 * moving what the patron is reading (and not read out message by message). */
async function showEarlier() {
  const button = $("earlier");
  if (button.disabled || !state.sessionId || !state.messages.size) return;
  button.disabled = true;
  const log = $("messages");
  try {
    const reply = await socket().request("history", {
      session_id: state.sessionId,
      patron_token: state.token,
      before_seq: Math.min(...state.messages.keys()),
    });
    const fromBottom = log.scrollHeight - log.scrollTop;
    log.setAttribute("aria-live", "off");
    for (const message of reply.messages || []) addMessage(message);
    log.scrollTop = log.scrollHeight - fromBottom;
    log.setAttribute("aria-live", "polite");
    button.hidden = !reply.more_before;
    if (button.hidden) log.focus();
  } catch (error) {
    $("composer-error").textContent = error.message || "Could not show earlier messages; try again.";
  } finally {
    button.disabled = false;
  }
}

function showTyping(name) {
  clearTimeout(state.shownTypingTimer);
  $("typing").textContent = name ? `${name} is typing…` : "";
  if (name) state.shownTypingTimer = setTimeout(() => showTyping(null), TYPING_SHOWN_MS);
}

// --- the session's state -----------------------------------------------------------------------

function applySession(update) {
  // Every view and update carries the whole librarian state: none means back in the queue.
  state.session = { ...(state.session || {}), ...update, librarian: update.librarian || null };
  if (state.session.status !== "waiting") state.position = null; // a place in line only while waiting
  chatInProgress(state.session.status !== "ended");
  describeSession();
  if (state.session.status === "ended" && update.follow_up) offerFollowUp(update.follow_up);
}

function librarianName() {
  return (state.session.librarian && state.session.librarian.name) || "The librarian";
}

function describeSession() {
  const session = state.session;
  if (session.status === "ended") {
    showEnded();
    return;
  }
  show("chat");
  $("composer").hidden = false;
  if ($("end-confirm").hidden) $("end-chat").hidden = false; // unless it is asking "End this chat?"
  if (session.status === "waiting") {
    const place = placeInLine(state.position);
    setStatus(`Connecting you to a librarian… ${place || "Add any detail that would help while you wait."}`);
  } else if (session.librarian && session.librarian.reconnecting) {
    setStatus(`${librarianName()} is reconnecting… Your chat is kept.`);
  } else {
    setStatus(`You are chatting with ${librarianName()}.`);
  }
}

const ENDED_BY = {
  patron: () => "You ended the chat",
  librarian: () => `${librarianName()} ended the chat`,
  disconnect: () => "The chat ended because you were disconnected for too long",
  exit: () => `${librarianName()} left the service, so the chat ended`,
  unanswered: () => "No librarian was free to take your chat",
};

/** Whether the transcript is mailed, and where. Only a chat a librarian took is mailed
 * (docs/abuse.md): a copy is promised only then. */
function mailText(session) {
  const offer = session.follow_up;
  const mail = state.email || (session.patron && session.patron.email) || (offer && offer.email);
  if (!mail) return "No e-mail address was given, so no copy of the conversation is sent.";
  if (!session.librarian && !session.accepted_at) return `No librarian joined this chat, so no copy of it is sent to ${mail}.`;
  return `A copy of the conversation is on its way to your e-mail, ${mail}.`;
}

/** What happened, the e-mail, and (offerFollowUp) the follow-up form, above the transcript. */
function showEnded() {
  const session = state.session;
  const who = (ENDED_BY[session.ended_by] || (() => "The chat ended"))();
  const when = session.ended_at ? ` at ${clockTime(session.ended_at)}` : "";
  $("ended-text").textContent = `${who}${when}.`;
  $("ended-mail").textContent = mailText(session);
  setStatus(`Chat ended${when}.`);
  const active = document.activeElement;
  const focusGone = !active || active === document.body || $("end-confirm").contains(active) || $("composer").contains(active);
  ending.reset();
  $("composer").hidden = true;
  $("end-chat").hidden = true;
  showTyping(null);
  const leaving = !$("view-leave").hidden;
  show("chat", "ended", ...(leaving ? ["leave"] : []));
  // How helpful was it: only when a librarian has the chat as it ends (nobody to rate
  // otherwise; one who handed it back to the queue took it off the chat, as the server sees it).
  const rateable = Boolean(session.librarian) && session.ended_by !== "unanswered";
  rating.show(rateable ? state.sessionId : null, state.rated);
  $("view-ended").scrollIntoView({ block: "nearest" }); // it comes first: the page may have been further down
  // The keyboard was on what just went (End chat, the message box): it goes to what happened.
  if (focusGone && document.hasFocus() && !state.followUpOffered) $("ended-title").focus();
}

// --- starting, leaving a question, ending ------------------------------------------------------

async function checkAvailability() {
  try {
    const availability = await api(apiBase, `/libraries/${encodeURIComponent(library)}/availability`);
    setLimits(availability.limits);
    state.libraryName = availability.name;
    $("library-name").textContent = availability.name;
    if (availability.available) {
      setStatus("A librarian is ready to chat.");
      show("start");
    } else {
      showClosed(availability.message, availability.alternatives, availability.hours);
    }
  } catch (error) {
    setStatus(error.status === 404 ? "This chat service is not set up for this library." : "Chat could not be reached. Try again later.");
    show();
  }
}

function showClosed(message, alternatives, hours) {
  setStatus("No librarian is available to chat right now.");
  $("closed-message").textContent = [message, hours ? `Chat hours: ${hours}` : ""].filter(Boolean).join(" ");
  $("alternatives").replaceChildren(
    ...alternatives.map((alternative) => {
      const href = safeUrl(alternative.url) || (/^(tel|mailto):/.test(alternative.url) ? alternative.url : null);
      return el("li", {}, href ? el("a", { text: alternative.label, attrs: { href } }) : el("span", { text: alternative.label }));
    }),
  );
  $("leave-intro").textContent = "Leave your question and a librarian will answer by e-mail.";
  show("closed", "leave");
}

function formError(id, text, field) {
  $(id).textContent = text;
  if (field) field.focus();
}

async function startChat(event) {
  event.preventDefault();
  const name = $("start-name").value.trim();
  const email = $("start-email").value.trim();
  const question = $("start-question").value.trim();
  if (!question) return formError("start-error", "Please type your question.", $("start-question"));
  if (email && !$("start-email").checkValidity()) {
    return formError("start-error", "That e-mail address does not look right.", $("start-email"));
  }
  formError("start-error", "");
  const button = event.submitter || $("start-form").querySelector("button");
  button.disabled = true;
  try {
    const sock = await socket().whenOpen();
    const reply = await sock.request("request_chat", {
      library,
      question,
      ...(name ? { name } : {}),
      ...(email ? { email } : {}),
      page_url: pageUrl.slice(0, limits.page_url),
    });
    if (reply.type === "chat_unavailable") {
      $("leave-name").value = name;
      $("leave-email").value = email;
      $("leave-question").value = question;
      showClosed(reply.message, reply.alternatives);
      return;
    }
    state.sessionId = reply.session_id;
    state.token = reply.patron_token;
    state.email = email || null;
    state.position = Number.isInteger(reply.position) ? reply.position : null;
    gaps.reset(0); // a new chat: its messages start at 1
    saveChat(storageKey, state);
    applySession({ status: "waiting" });
    show("chat");
    focusFirst("#message");
  } catch (error) {
    formError("start-error", error.message || "Something went wrong; try again.");
  } finally {
    button.disabled = false;
  }
}

/** The form to leave the question of a chat that ended without the patron (nobody took it, or
 * they did not come back), filled in from the server's `follow_up` once, brought into view
 * and given the keyboard. */
function offerFollowUp(offer) {
  const first = state.followUpOffered !== offer.session_id;
  if (first) {
    state.followUpOffered = offer.session_id;
    $("leave-name").value = offer.name || "";
    $("leave-email").value = offer.email || "";
    $("leave-question").value = offer.question || "";
    $("leave-intro").textContent = offer.message || "Leave your question and a librarian will answer by e-mail.";
    $("leave-form").dataset.sessionId = offer.session_id;
  }
  show("chat", "ended", "leave");
  if (!first) return; // a repeated offer (another resume) leaves the patron where they are
  // What happened and the form come first on the page (the transcript after them): bring them
  // into view from wherever the chat had the page, then the keyboard to the first thing left
  // to do. Not while the patron is elsewhere (the panel closed, another tab): opening the
  // widget brings them here then (focusEntry).
  $("leave-form").querySelector("button[type=submit]").scrollIntoView({ block: "nearest" });
  $("view-ended").scrollIntoView({ block: "nearest" }); // if not all of it fits, what happened wins
  if (document.hasFocus() && !$("view-leave").contains(document.activeElement)) {
    followUpTarget().focus({ preventScroll: true });
  }
}

/** Where a patron offered the follow-up form goes on: the e-mail field while it is empty,
 * else the Send button. Null when no follow-up form is showing. */
function followUpTarget() {
  if (!state.followUpOffered || $("view-leave").hidden) return null;
  return $("leave-email").value.trim() ? $("leave-form").querySelector("button[type=submit]") : $("leave-email");
}

async function leaveQuestion(event) {
  event.preventDefault();
  const name = $("leave-name").value.trim();
  const email = $("leave-email").value.trim();
  const question = $("leave-question").value.trim();
  if (!email || !$("leave-email").checkValidity()) {
    return formError("leave-error", "Please give an e-mail address so a librarian can answer you.", $("leave-email"));
  }
  if (!question) return formError("leave-error", "Please type your question.", $("leave-question"));
  formError("leave-error", "");
  const linked = $("leave-form").dataset.sessionId;
  try {
    const sock = await socket().whenOpen();
    await sock.request("submit_question", {
      library,
      question,
      email,
      ...(name ? { name } : {}),
      ...(linked && state.token ? { session_id: linked, patron_token: state.token } : {}),
    });
    forget();
    show("thanks");
    setStatus("Your question has been sent.");
    focusFirst("#thanks-title");
  } catch (error) {
    formError("leave-error", error.message || "Something went wrong; try again.");
  }
}

function sendMessage(event) {
  event.preventDefault();
  const box = $("message");
  const text = box.value.trim();
  if (!text || !state.sessionId) return;
  socket().sendReliably("send_message", { session_id: state.sessionId, text, patron_token: state.token });
  box.value = "";
  stopTyping();
  box.focus();
}

function typed() {
  if (!state.sessionId || !state.socket) return;
  if (!state.typingSent) {
    state.typingSent = true;
    state.socket.notify("typing", { session_id: state.sessionId, typing: true, patron_token: state.token });
  }
  clearTimeout(state.typingTimer);
  state.typingTimer = setTimeout(stopTyping, TYPING_IDLE_MS);
}

function stopTyping() {
  clearTimeout(state.typingTimer);
  if (state.typingSent && state.socket) {
    state.socket.notify("typing", { session_id: state.sessionId, typing: false, patron_token: state.token });
  }
  state.typingSent = false;
}

/** True once the chat has ended (this request, or before it). */
async function endChat() {
  try {
    await socket().request("end_chat", { session_id: state.sessionId, patron_token: state.token });
    return true;
  } catch (error) {
    if (error.code === "session_ended") return true;
    $("composer-error").textContent = error.message;
    return false;
  }
}

const ending = setupChatEnding(endChat);

// --- "How helpful was this chat?" (chat-rating.js) ------------------------------------------------

const rating = setupRating({
  async rate(fields) {
    // Not whenOpen(): while the socket is down the patron is told so, and can send again.
    await socket().request("rate", { session_id: state.sessionId, patron_token: state.token, ...fields });
  },
  answered(how) {
    state.rated = how;
    saveChat(storageKey, state); // a reload of this ended chat does not ask again
  },
  moveFocus() {
    $("ended-title").focus(); // the form the keyboard was in went: back to what happened
  },
});

function newChat() {
  forget();
  $("start-question").value = "";
  checkAvailability().then(() => focusFirst("#start-question"));
}

// --- wiring ------------------------------------------------------------------------------------

function wire() {
  document.body.classList.toggle("embedded", embedded);
  setEmbedded(embedded);
  applyLimits(); // the defaults, until the library's availability brings the server's
  $("start-form").addEventListener("submit", startChat);
  $("leave-form").addEventListener("submit", leaveQuestion);
  $("composer").addEventListener("submit", sendMessage);
  $("message").addEventListener("input", typed);
  $("message").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("new-chat").addEventListener("click", newChat);
  $("earlier").addEventListener("click", showEarlier);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && embedded) window.parent.postMessage({ type: "refdesk:close" }, "*");
  });
  window.addEventListener("message", (event) => {
    if (event.source === window.parent && event.data && event.data.type === "refdesk:opened") {
      focusEntry();
    }
  });
}

async function main() {
  wire();
  if (!library) {
    setStatus("No library was given.");
    return;
  }
  const saved = savedChat(storageKey);
  if (saved) {
    Object.assign(state, saved);
    setStatus("Reconnecting to your chat…");
    show("chat");
    socket();
    api(apiBase, `/libraries/${encodeURIComponent(library)}/availability`)
      .then((availability) => {
        setLimits(availability.limits);
        $("library-name").textContent = availability.name;
      })
      .catch(() => {});
    return;
  }
  await checkAvailability();
}

main();
