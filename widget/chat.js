// The patron's chat window: the hosted page /chat/{library} and, with ?embed=1, the panel the
// one-tag widget (qwidget.js) opens on a library's site. Everything a person typed is shown as
// text (textContent), never as HTML.

import { messageNode } from "/widget/chat-message.js";
import { dropChat, saveChat, savedChat } from "/widget/chat-storage.js";
import { clockTime, el, safeUrl, byId as $ } from "/widget/dom.js";
import { applyLimits, limits, setLimits } from "/widget/limits.js";
import { placeInLine } from "/widget/queue-position.js";
import { RefdeskSocket, api, endpoints } from "/widget/refdesk-socket.js";

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
  messages: new Map(), // seq -> message, each shown once
  socket: null,
  email: null,
  typingSent: false,
  typingTimer: null,
  shownTypingTimer: null,
  libraryName: "",
  focusOnShow: false, // the widget was opened before anything was shown
};

// --- views ---------------------------------------------------------------------------------

function show(...views) {
  for (const section of document.querySelectorAll(".view")) {
    section.hidden = !views.includes(section.id.replace("view-", ""));
  }
  // A follow-up form under an ended chat: the transcript shrinks so the form has the room.
  document.body.classList.toggle("following-up", views.includes("chat") && views.includes("leave"));
  if (state.focusOnShow) focusEntry();
}

/** Put the keyboard where the patron will type: the message box, the follow-up form, or the
 * first form field. */
function focusEntry() {
  const target =
    followUpTarget() ||
    document.querySelector(
      "#composer:not([hidden]) textarea, .view:not([hidden]) form input, .view:not([hidden]) button",
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
  state.sessionId = state.token = state.session = state.position = state.followUpOffered = null;
  state.messages.clear();
  $("messages").replaceChildren();
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
  try {
    const reply = await sock.request("resume", { patron_token: state.token, after_seq: after });
    for (const message of reply.messages) addMessage(message);
    // Positions sent while the socket was down were lost: only a place in the reply is current.
    const position = reply.position;
    if (Number.isInteger(position)) state.position = position;
    const ended = reply.session.status === "ended";
    applySession({ ...reply.session, ...(ended && reply.follow_up ? { follow_up: reply.follow_up } : {}) });
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
    addMessage(frame);
    if (frame.from.role === "librarian") showTyping(null);
  } else if (frame.type === "session_update") {
    applySession(frame);
  } else if (frame.type === "queue_position") {
    state.position = frame.position;
    if (state.session && state.session.status === "waiting") describeSession();
  } else if (frame.type === "typing" && frame.from.role !== "patron") {
    showTyping(frame.typing ? frame.from.name || "The librarian" : null);
  }
}

// --- messages --------------------------------------------------------------------------------

function addMessage(message) {
  if (state.messages.has(message.seq)) return;
  state.messages.set(message.seq, message);
  const node = messageNode(message);
  const log = $("messages");
  const later = [...log.children].find((child) => Number(child.dataset.seq) > message.seq);
  log.insertBefore(node, later || null);
  // Scroll the conversation only, never the page: a follow-up form below must stay in view.
  if (!later) log.scrollTop = log.scrollHeight;
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
  $("end-chat").hidden = false;
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
  disconnect: () => "The chat ended because the connection was lost",
  exit: () => `${librarianName()} left the service, so the chat ended`,
  unanswered: () => "No librarian was free to take your chat",
};

function showEnded() {
  const session = state.session;
  const who = (ENDED_BY[session.ended_by] || (() => "The chat ended"))();
  const when = session.ended_at ? ` at ${clockTime(session.ended_at)}` : "";
  const mail = state.email || (session.patron && session.patron.email);
  $("ended-text").textContent = `${who}${when}.${mail ? " A copy of the conversation is on its way to your e-mail." : ""}`;
  setStatus(`Chat ended${when}.`);
  $("composer").hidden = true;
  $("end-chat").hidden = true;
  showTyping(null);
  const leaving = !$("view-leave").hidden;
  show("chat", "ended", ...(leaving ? ["leave"] : []));
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
  // In the widget's small panel the form is below the transcript and the ended notice: bring
  // all of it into view, then the keyboard to the first thing left to do. Not while the
  // patron is elsewhere (the panel closed, another tab): opening the widget brings them here
  // then (focusEntry).
  $("view-leave").scrollIntoView({ block: "nearest" });
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

async function endChat() {
  try {
    await socket().request("end_chat", { session_id: state.sessionId, patron_token: state.token });
  } catch (error) {
    if (error.code !== "session_ended") $("composer-error").textContent = error.message;
  }
}

function newChat() {
  forget();
  $("start-question").value = "";
  checkAvailability().then(() => focusFirst("#start-question"));
}

// --- wiring ------------------------------------------------------------------------------------

function wire() {
  document.body.classList.toggle("embedded", embedded);
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
  $("end-chat").addEventListener("click", endChat);
  $("new-chat").addEventListener("click", newChat);
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
