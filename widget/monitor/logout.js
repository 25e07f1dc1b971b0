// Logging out, as QuestionPoint's "exit the system" did. With no chat in progress, Log out
// sends `logout` at once. With chats in progress, a modal dialog lists them and offers to end them (`logout` ends them with
// ended_by "exit"), to transfer them back to the queue first (`transfer` each, then `logout`),
// or to cancel. Either way the page then returns to sign-in, saying how many chats ended.

import { el, plural, reason, byId as $ } from "/widget/dom.js";

const LOGOUT_WAIT_MS = 5000;
const LEFT = "logged-out"; // the dialog's returnValue when it closes because the librarian left

function within(promise, ms) {
  return Promise.race([
    promise,
    new Promise((_, reject) =>
      setTimeout(() => reject({ code: "timeout", message: "The service did not answer; try again." }), ms),
    ),
  ]);
}

export function outcome(ended, transferred = 0) {
  const endedText = ended === 0 ? "No chats were ended." : `${plural(ended, "chat")} ${ended === 1 ? "was" : "were"} ended.`;
  const movedText = transferred
    ? ` ${plural(transferred, "chat")} went back to the queue for another librarian.`
    : "";
  return `You have logged out. ${endedText}${movedText}`;
}

/**
 * @param services {socket(), liveChats(): [{session}], describe(session): string,
 *                  signOut(message): void, leaving(boolean): void}
 */
export function setupLogout(services) {
  const ui = {
    button: $("logout"),
    dialog: $("logout-dialog"),
    list: $("logout-chats"),
    error: $("logout-error"),
    end: $("logout-end"),
    transfer: $("logout-transfer"),
    cancel: $("logout-cancel"),
  };
  let busy = false;

  function setBusy(value) {
    busy = value;
    for (const button of [ui.end, ui.transfer, ui.cancel]) button.disabled = value;
    ui.dialog.setAttribute("aria-busy", value ? "true" : "false");
  }

  function renderList(chats) {
    ui.list.replaceChildren(...chats.map((chat) => el("li", { text: services.describe(chat.session) })));
  }

  async function logout() {
    const socket = services.socket();
    services.leaving(true); // the sign-in ends with this: nothing more is asked with it
    try {
      return await within(socket.request("logout"), LOGOUT_WAIT_MS);
    } catch (error) {
      services.leaving(false);
      throw error;
    }
  }

  function finish(message) {
    if (ui.dialog.open) ui.dialog.close(LEFT);
    services.signOut(message);
  }

  async function start() {
    const socket = services.socket();
    const live = services.liveChats();
    if (!socket || !socket.isOpen) {
      finish(live.length ? "You have logged out while offline. Chats in progress go back to the queue." : "");
      return;
    }
    if (live.length === 0) {
      ui.button.disabled = true;
      try {
        const reply = await logout();
        finish(outcome((reply.ended || []).length));
      } catch {
        finish(""); // signed out here all the same; the server ends nothing that is not live
      } finally {
        ui.button.disabled = false;
      }
      return;
    }
    renderList(live);
    ui.error.textContent = "";
    setBusy(false);
    ui.dialog.returnValue = "";
    ui.dialog.showModal();
    ui.cancel.focus();
  }

  async function endAll() {
    setBusy(true);
    ui.error.textContent = "";
    try {
      const reply = await logout();
      finish(outcome((reply.ended || []).length));
    } catch (error) {
      ui.error.textContent = `Could not log out: ${reason(error)}`;
    } finally {
      setBusy(false);
    }
  }

  async function transferAll() {
    setBusy(true);
    ui.error.textContent = "";
    const socket = services.socket();
    let moved = 0;
    const failed = [];
    for (const chat of services.liveChats()) {
      try {
        await socket.request("transfer", { session_id: chat.session.session_id });
        moved += 1;
      } catch (error) {
        if (error.code !== "session_ended") failed.push(`${services.describe(chat.session)}: ${reason(error)}`);
      }
    }
    if (failed.length) {
      renderList(services.liveChats());
      ui.error.textContent = `Not logged out. Could not transfer ${failed.join("; ")}`;
      setBusy(false);
      return;
    }
    try {
      const reply = await logout();
      finish(outcome((reply.ended || []).length, moved));
    } catch (error) {
      ui.error.textContent = `The chats went back to the queue, but logging out failed: ${reason(error)}`;
    } finally {
      setBusy(false);
    }
  }

  ui.button.addEventListener("click", () => start());
  ui.end.addEventListener("click", () => endAll());
  ui.transfer.addEventListener("click", () => transferAll());
  ui.cancel.addEventListener("click", () => ui.dialog.close());
  ui.dialog.addEventListener("cancel", (event) => {
    if (busy) event.preventDefault(); // Escape does not abandon a logout half done
  });
  ui.dialog.addEventListener("close", () => {
    if (ui.dialog.returnValue !== LEFT) ui.button.focus();
  });

  return {
    /** Sign-out from elsewhere (an expired token): drop the dialog without a fuss. */
    reset() {
      if (ui.dialog.open) ui.dialog.close(LEFT);
      setBusy(false);
    },
  };
}
