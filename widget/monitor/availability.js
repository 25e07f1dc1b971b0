// Available or Away, the two buttons in the header. Away is `stop_monitoring`: new requests
// are no longer offered to this librarian (the New tab empties and says so, because no more
// updates come to it), colleagues see them go offline, and their chats go on. Available is
// `monitor` again, whose fresh snapshot fills the New tab.
//
// The choice is kept for this tab's session (storage.js), so a reload or a reconnect stays
// Away: socket.js sends `monitor` on every (re)connect (that is how chats are rejoined) and,
// for a librarian who is Away, `stop_monitoring` straight after (stayAway).

import { reason, byId as $ } from "/widget/dom.js";
import { notice } from "./announce.js";
import { applyQueueSnapshot } from "./queues.js";
import { state } from "./state.js";
import { AWAY_KEY, getItem, setItem } from "./storage.js";

const ui = {
  available: $("available"),
  away: $("away"),
  awayNotice: $("away-notice"),
  newPanel: $("panel-new"),
};
let hooks = { applySnapshot: () => {}, changed: () => {} };
let busy = false; // a change is on its way to the server

function render() {
  ui.available.setAttribute("aria-pressed", state.away ? "false" : "true");
  ui.away.setAttribute("aria-pressed", state.away ? "true" : "false");
  ui.awayNotice.hidden = !state.away;
  ui.newPanel.toggleAttribute("data-away", state.away);
  hooks.changed(state.away);
}

function remember(away) {
  state.away = away;
  setItem("session", AWAY_KEY, away ? "1" : null);
  render();
}

/** After a (re)connect's `monitor`, a librarian who is Away stops being offered requests. */
export async function stayAway(socket) {
  try {
    await socket.request("stop_monitoring");
  } catch (error) {
    notice(`Could not stay Away: ${reason(error)}`);
  }
}

async function choose(away) {
  if (busy || away === state.away || !state.socket) return;
  busy = true;
  try {
    if (away) {
      await state.socket.request("stop_monitoring");
      remember(true);
      // Nothing more is offered, so the waiting list would go stale: New empties (All stays).
      applyQueueSnapshot({ new: [], all: Array.from(state.all.values()) });
      notice("You are Away: new requests are not offered to you.");
    } else {
      const snapshot = await state.socket.request("monitor");
      remember(false);
      hooks.applySnapshot(snapshot);
      notice("You are Available: new requests are offered to you.");
    }
  } catch (error) {
    notice(`Could not change your availability: ${reason(error)}`);
  } finally {
    busy = false;
  }
}

/**
 * Wire the Available and Away buttons, starting as this tab last chose.
 * @param applySnapshot  shows a `queue_snapshot` (socket.js), when coming back
 * @param changed        runs with `away` whenever it changes
 * @returns {{reset: () => void}}  sign-out: Available again, and forgotten
 */
export function setupAvailability({ applySnapshot, changed }) {
  hooks = { applySnapshot, changed };
  state.away = getItem("session", AWAY_KEY) === "1";
  ui.available.addEventListener("click", () => choose(false));
  ui.away.addEventListener("click", () => choose(true));
  render();
  return { reset: () => remember(false) };
}
