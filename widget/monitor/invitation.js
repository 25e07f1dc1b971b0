// The link in an invitation e-mail opens the monitor at /monitor/?invite=TOKEN: this view sets
// the librarian's first password with it (POST /api/password) and signs them straight in. The
// token leaves the address bar at once, so it is not kept in the history or a bookmark.

import { byId as $ } from "/widget/dom.js";
import { limits } from "/widget/limits.js";
import { api, endpoints } from "/widget/refdesk-socket.js";

const { api: API } = endpoints();
const ui = {
  view: $("view-set-password"),
  form: $("set-password-form"),
  password: $("set-password-new"),
  again: $("set-password-again"),
  error: $("set-password-error"),
};

/** The invitation token in the address, taken out of it; null when there is none. */
export function takeInvitation() {
  const url = new URL(location.href);
  const token = url.searchParams.get("invite");
  if (!token) return null;
  url.searchParams.delete("invite");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
  return token;
}

/** What is wrong with a new password and its repetition, or "" (shared with password.js). */
export function passwordProblem(password, again) {
  if (password.length < limits.password_min) return `A password needs at least ${limits.password_min} characters.`;
  if (password !== again) return "The two passwords are not the same.";
  return "";
}

/** Show the view; `signedIn(reply)` gets the sign-in the server gives back. */
export function showSetPassword(token, signedIn) {
  ui.view.hidden = false;
  ui.password.focus();
  ui.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = passwordProblem(ui.password.value, ui.again.value);
    ui.password.toggleAttribute("aria-invalid", Boolean(problem));
    ui.error.textContent = problem;
    if (problem) {
      ui.password.focus();
      return;
    }
    const button = ui.form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const reply = await api(API, "/password", {
        method: "POST",
        body: { invite_token: token, new_password: ui.password.value },
      });
      ui.view.hidden = true;
      ui.form.reset();
      signedIn(reply);
    } catch (error) {
      ui.error.textContent =
        error && error.status === 401
          ? "This invitation link has been used or has expired. Ask your library's admin to send a new one."
          : (error && error.message) || "Could not reach Refdesk. Try again.";
    } finally {
      button.disabled = false;
    }
  });
}
