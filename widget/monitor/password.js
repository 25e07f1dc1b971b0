// Changing one's password while signed in: a dialog asks for the current password and the new
// one twice (POST /api/password). The service then signs out every other window of this
// librarian; this window carries on with the fresh sign-in it gets back.

import { byId as $ } from "/widget/dom.js";
import { api, endpoints } from "/widget/refdesk-socket.js";
import { notice } from "./announce.js";
import { passwordProblem } from "./invitation.js";
import { state } from "./state.js";

const { api: API } = endpoints();
const ui = {
  button: $("change-password"),
  dialog: $("password-dialog"),
  form: $("password-form"),
  old: $("password-old"),
  password: $("password-new"),
  again: $("password-again"),
  error: $("password-error"),
  cancel: $("password-cancel"),
};

/** `carryOn(token)`: this window's new sign-in (its socket reopened with it). */
export function setupPassword({ carryOn }) {
  ui.button.addEventListener("click", () => {
    ui.form.reset();
    ui.error.textContent = "";
    ui.dialog.showModal();
    ui.old.focus();
  });
  ui.cancel.addEventListener("click", () => ui.dialog.close());
  ui.form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problem = !ui.old.value ? "Enter your current password." : passwordProblem(ui.password.value, ui.again.value);
    ui.error.textContent = problem;
    if (problem) {
      (ui.old.value ? ui.password : ui.old).focus();
      return;
    }
    const button = ui.form.querySelector("button[type=submit]");
    button.disabled = true;
    state.changingPassword = true; // this window's own `signed_out` is expected, not an ending
    try {
      const reply = await api(API, "/password", {
        method: "POST",
        token: state.token,
        body: { old_password: ui.old.value, new_password: ui.password.value },
      });
      ui.dialog.close();
      carryOn(reply.token);
      notice("Your password has been changed. Your other windows have been signed out.");
    } catch (error) {
      ui.error.textContent =
        error && error.status === 401 ? "Your current password is not right." : (error && error.message) || "Try again.";
      ui.old.focus();
    } finally {
      state.changingPassword = false;
      button.disabled = false;
    }
  });
}
