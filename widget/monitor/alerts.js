// Everything that tells a librarian a request is waiting: a two-note chime (WebAudio, so no
// media file and nothing for a CSP to block), the count in the title, a favicon with the count
// drawn on it, and a desktop notification (asked for once at the first sign-in, then offered
// by the "Enable desktop alerts" button). A patron's message in a chat out of view (unread.js)
// and a colleague's message chime and notify too.
// "Mute alerts" silences the chime and the notification, and is remembered in local storage.

import { byId as $ } from "/widget/dom.js";
import { patronName } from "./status.js";
import { ASKED_KEY, MUTE_KEY, getItem, setItem } from "./storage.js";

const TITLE = "Refdesk chat monitor";

const ui = {
  mute: $("mute"),
  enableAlerts: $("enable-alerts"),
  favicon: $("favicon"),
};
let onNotificationClick = () => {};

// --- sound ------------------------------------------------------------------------------------

let audio = null;

export function unlockAudio() {
  const Context = window.AudioContext || window.webkitAudioContext;
  if (!Context) return;
  try {
    if (!audio) audio = new Context();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  } catch {
    audio = null;
  }
}

function chime() {
  if (!audio) unlockAudio();
  if (!audio) return;
  try {
    if (audio.state === "suspended") audio.resume().catch(() => {});
    const start = audio.currentTime + 0.01;
    const gain = audio.createGain();
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.35);
    gain.connect(audio.destination);
    for (const [frequency, offset] of [
      [880, 0],
      [1320, 0.12],
    ]) {
      const tone = audio.createOscillator();
      tone.type = "sine";
      tone.frequency.setValueAtTime(frequency, start + offset);
      tone.connect(gain);
      tone.start(start + offset);
      tone.stop(start + offset + 0.22);
    }
  } catch {
    // no sound available: the title, favicon and notification still tell
  }
}

// --- title and favicon ------------------------------------------------------------------------

const faviconCache = new Map();

function faviconFor(count) {
  const key = Math.min(count, 10);
  if (faviconCache.has(key)) return faviconCache.get(key);
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const g = canvas.getContext("2d");
  if (!g) return null;
  g.fillStyle = "#1d4ed8";
  g.beginPath();
  g.roundRect ? g.roundRect(4, 8, 50, 38, 10) : g.rect(4, 8, 50, 38);
  g.fill();
  g.beginPath();
  g.moveTo(14, 44);
  g.lineTo(12, 58);
  g.lineTo(28, 44);
  g.fill();
  g.fillStyle = "#ffffff";
  for (const x of [17, 29, 41]) {
    g.beginPath();
    g.arc(x, 27, 4, 0, Math.PI * 2);
    g.fill();
  }
  if (count > 0) {
    g.fillStyle = "#c5221f";
    g.beginPath();
    g.arc(46, 20, 18, 0, Math.PI * 2);
    g.fill();
    g.fillStyle = "#ffffff";
    g.font = "bold 24px sans-serif";
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(count > 9 ? "9+" : String(count), 46, 21);
  }
  const url = canvas.toDataURL("image/png");
  faviconCache.set(key, url);
  return url;
}

/** The title and the favicon: "(3) Refdesk chat monitor" where 3 is what is waiting for the
 * librarian, waiting requests plus chats with unread patron messages (tabs.js counts). */
export function updateBadges(count) {
  document.title = count > 0 ? `(${count}) ${TITLE}` : TITLE;
  const url = faviconFor(count);
  if (url && ui.favicon) ui.favicon.href = url;
}

/** Signed out: the plain title and icon. */
export function clearBadges() {
  document.title = TITLE;
  if (ui.favicon) ui.favicon.href = faviconFor(0) || "data:,";
}

// --- mute ---------------------------------------------------------------------------------------

function muted() {
  return getItem("local", MUTE_KEY) === "1";
}

export function renderMute() {
  ui.mute.setAttribute("aria-pressed", muted() ? "true" : "false");
}

// --- desktop notifications ----------------------------------------------------------------------

/** `onClick()` runs when the notification is clicked (by default: show the New tab). */
function desktopAlert(title, body, tag, onClick = () => onNotificationClick()) {
  if (muted() || !("Notification" in window) || Notification.permission !== "granted") return;
  try {
    const note = new Notification(title, { body: body.slice(0, 200), tag: `refdesk-${tag}` });
    note.onclick = () => {
      window.focus();
      onClick();
      note.close();
    };
  } catch {
    // some browsers only allow notifications from a service worker
  }
}

/** The button shows while the browser has neither granted nor refused notifications. */
export function updateAlertButton() {
  const hide = !("Notification" in window) || Notification.permission !== "default";
  if (hide && document.activeElement === ui.enableAlerts) ui.mute.focus();
  ui.enableAlerts.hidden = hide;
}

function askNotificationPermission() {
  if (!("Notification" in window) || Notification.permission !== "default") return;
  setItem("local", ASKED_KEY, "1");
  try {
    const result = Notification.requestPermission(() => updateAlertButton());
    if (result && typeof result.then === "function") result.then(updateAlertButton, updateAlertButton);
  } catch {
    updateAlertButton();
  }
}

/** At sign-in: ask for notifications unless this browser was asked before. */
export function askOnceForNotifications() {
  if (getItem("local", ASKED_KEY) !== "1") askNotificationPermission();
}

// --- a new request --------------------------------------------------------------------------------

export function alertNewRequest(session) {
  if (!muted()) chime();
  desktopAlert("New chat request", `${patronName(session)}: ${session.question || ""}`, session.session_id);
}

/** A colleague offers this librarian a chat. */
export function alertTransferOffer(from, session) {
  if (!muted()) chime();
  desktopAlert(`${from} offers you a chat`, `${patronName(session)}: ${session.question || ""}`, session.session_id);
}

// --- a patron's message in a chat out of view -------------------------------------------------

let lastMessageChime = 0;

/**
 * A patron wrote in one of this librarian's chats while it was out of view (unread.js): the
 * chime (at most one every 2 seconds, however fast they type) and, while the page is hidden,
 * a desktop notification; both silenced by Mute. `onClick()` shows the chat.
 */
export function alertPatronMessage(session, message, onClick = () => {}) {
  const now = Date.now();
  if (!muted() && now - lastMessageChime > 2000) {
    lastMessageChime = now;
    chime();
  }
  if (document.visibilityState === "hidden") {
    const text = message.kind === "url" ? `Link: ${message.text}` : String(message.text ?? "");
    desktopAlert(`Message from ${patronName(session)}`, text, `msg-${session.session_id}`, onClick);
  }
}

// --- a colleague's message ------------------------------------------------------------------------

/**
 * An instant message from a colleague (`from`: {email, name}): the chime and a desktop
 * notification, both silenced by Mute; `onClick()` (open the conversation) runs when the
 * notification is clicked.
 */
export function alertIm(from, text, onClick = () => {}) {
  if (!muted()) chime();
  const title = `Message from ${from?.name || from?.email || "a colleague"}`;
  desktopAlert(title, String(text ?? ""), `im-${from?.email}`, onClick);
}

/** Wire the Mute and Enable buttons; `showNew()` runs when a notification is clicked. */
export function setupAlerts({ showNew }) {
  onNotificationClick = showNew;
  ui.mute.addEventListener("click", () => {
    setItem("local", MUTE_KEY, muted() ? null : "1");
    renderMute();
    if (!muted()) unlockAudio();
  });
  ui.enableAlerts.addEventListener("click", () => askNotificationPermission());
  // Browsers start audio only after a gesture: the first click or key press unlocks it.
  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(type, unlockAudio, { capture: true, passive: true });
  }
  window.addEventListener("storage", (event) => {
    if (event.key === MUTE_KEY) renderMute();
  });
}
