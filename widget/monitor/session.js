// Signing in and staying signed in: the sign-in form (POST /api/login), the token kept for this
// tab so a reload stays signed in (GET /api/me), a token the service refuses (back to sign-in),
// and switching between the sign-in and monitor views. Login and /api/me also bring the
// field limits (limits.js).

import { byId as $ } from "/widget/dom.js";
import { applyLimits, setLimits } from "/widget/limits.js";
import { api, endpoints } from "/widget/refdesk-socket.js";
import { askOnceForNotifications, clearBadges, renderMute, unlockAudio, updateAlertButton } from "./alerts.js";
import { setConnection } from "./announce.js";
import { resetChats } from "./chats.js";
import { resetQueues } from "./queues.js";
import { showSetPassword, takeInvitation } from "./invitation.js";
import { connect, disconnect, onSignedOut } from "./socket.js";
import { state } from "./state.js";
import { libraryLabel, learnLibraryName, onLibraryNamed } from "./status.js";
import { TOKEN_KEY, VIEW_KEY, getItem, restoreView, setItem } from "./storage.js";
import { activateTab, renderCounts, showAdminTabs } from "./tabs.js";

const { api: API } = endpoints();

const ui = {
  account: $("account"),
  signedInAs: $("signed-in-as"),
  signin: $("view-signin"),
  signinForm: $("signin-form"),
  email: $("signin-email"),
  password: $("signin-password"),
  signinError: $("signin-error"),
  signinMessage: $("signin-message"),
  monitor: $("view-monitor"),
  main: $("main"),
};
let resetParts = () => {}; // the tabs that keep their own state (Questions, Codes, the log-out dialog)

// --- the two views ----------------------------------------------------------------------------

/** `message` is an error (an expired sign-in); `info` says what happened (a log-out). */
function showSignIn(message = "", info = "") {
  ui.monitor.hidden = true;
  ui.account.hidden = true;
  ui.signin.hidden = false;
  ui.signinError.textContent = message;
  ui.signinMessage.textContent = info;
  ui.password.value = "";
  clearBadges();
}

function showMonitor() {
  ui.signin.hidden = true;
  ui.monitor.hidden = false;
  ui.account.hidden = false;
  renderSignedInAs();
  renderMute();
  updateAlertButton();
  showAdminTabs(state.me.is_admin);
  activateTab(state.tab, { focus: false });
  renderCounts();
}

function renderSignedInAs() {
  if (!state.me) return;
  ui.signedInAs.textContent = `Signed in as ${state.me.name || state.me.email}, ${libraryLabel(state.me.library)}`;
}

onLibraryNamed(() => renderSignedInAs());

// --- signing in and out ---------------------------------------------------------------------------

async function signIn(event) {
  event.preventDefault();
  unlockAudio();
  const email = ui.email.value.trim();
  const password = ui.password.value;
  for (const input of [ui.email, ui.password]) input.removeAttribute("aria-invalid");
  if (!email || !password) {
    const missing = !email ? ui.email : ui.password;
    missing.setAttribute("aria-invalid", "true");
    ui.signinError.textContent = "Enter your e-mail and password.";
    missing.focus();
    return;
  }
  ui.signinError.textContent = "";
  const button = ui.signinForm.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    signInWith(await api(API, "/login", { method: "POST", body: { email, password } }));
  } catch (error) {
    if (error && error.status === 401) {
      ui.signinError.textContent = "That e-mail and password do not match. Try again.";
      ui.password.setAttribute("aria-invalid", "true");
      ui.password.focus();
    } else {
      ui.signinError.textContent =
        (error && error.message) || "Could not reach Refdesk. Check your connection and try again.";
    }
  } finally {
    button.disabled = false;
  }
}

/** A sign-in the server gave (login, or a password set with an invitation): start monitoring. */
function signInWith(reply) {
  askOnceForNotifications();
  setLimits(reply.limits);
  start(reply.token, reply.librarian);
  ui.main.focus();
}

/** This window's new token (after a password change): the socket reopens with it. */
export function carryOn(token) {
  state.token = token;
  state.passwordChangedAt = Date.now();
  setItem("session", TOKEN_KEY, token);
  disconnect();
  connect({ onStatus: socketStatus });
}

// Signed out elsewhere: back to sign-in, saying why. A password changed in this very window
// signs out its old socket too; that one carries on with its new token instead.
onSignedOut((frame) => {
  const ownChange = state.changingPassword || Date.now() - (state.passwordChangedAt || 0) < 10000;
  if (frame.reason === "password_changed" && ownChange) return;
  endSession("", frame.message);
});

function start(token, me) {
  state.token = token;
  state.me = me;
  setItem("session", TOKEN_KEY, token);
  if (!state.restored) restoreView();
  showMonitor();
  learnLibraryName(me.library);
  connect({ onStatus: socketStatus });
}

function socketStatus(status) {
  if (status === "open") setConnection("Connected", "connected");
  else if (status === "connecting") setConnection("Connecting…", "connecting");
  else if (status === "reconnecting") {
    setConnection("Reconnecting…", "reconnecting");
    checkToken();
  } else if (status === "closed") setConnection(state.token ? "Disconnected" : "Signed out");
}

/** A socket that will not open may have a refused token (its connect ticket is refused with
 * 401). While this window changes its password the old token is refused before the new one
 * arrives (the change signs out every socket first): that refusal is no ending. */
function checkToken() {
  if (state.tokenCheck || !state.token) return;
  const token = state.token;
  state.tokenCheck = api(API, "/me", { token })
    .then((me) => setLimits(me.limits))
    .catch((error) => {
      if (error && error.status === 401 && state.token === token && !state.changingPassword) {
        endSession("Your sign-in has expired. Sign in again.");
      }
    })
    .finally(() => {
      setTimeout(() => {
        state.tokenCheck = null;
      }, 5000);
    });
}

/** Back to sign-in, forgetting the token, the view and every chat shown. */
export function endSession(message, info = "") {
  disconnect();
  state.leaving = false;
  state.token = null;
  state.me = null;
  setItem("session", TOKEN_KEY, null);
  setItem("session", VIEW_KEY, null);
  resetChats();
  resetQueues();
  state.tab = "new";
  state.restored = false;
  resetParts();
  renderCounts();
  setConnection("Signed out");
  showSignIn(message, info);
  ui.email.focus();
}

/**
 * Start: signed in already (a token kept for this tab) or the sign-in form.
 * @param reset  clears what the other tabs keep, at sign-out
 */
export function startSession({ reset }) {
  resetParts = reset;
  ui.signinForm.addEventListener("submit", signIn);
  applyLimits(); // the defaults, until the server's arrive
  boot();
}

async function boot() {
  renderCounts();
  renderMute();
  const invitation = takeInvitation();
  if (invitation) {
    setItem("session", TOKEN_KEY, null); // whoever was signed in here, the invitation is for someone new
    setConnection("");
    showSetPassword(invitation, signInWith);
    return;
  }
  const token = getItem("session", TOKEN_KEY);
  if (!token) {
    setConnection("");
    showSignIn();
    return;
  }
  setConnection("Connecting…");
  try {
    const me = await api(API, "/me", { token });
    setLimits(me.limits);
    start(token, me);
  } catch (error) {
    if (error && (error.status === 401 || error.status === 403)) {
      setItem("session", TOKEN_KEY, null);
      setConnection("Signed out");
      showSignIn("Your sign-in has expired. Sign in again.");
    } else {
      setConnection("Could not reach Refdesk. Retrying…");
      setTimeout(boot, 5000);
    }
  }
}
