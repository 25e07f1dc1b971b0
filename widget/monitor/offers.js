// Chats a colleague offers this librarian (`transfer_offer`): each shows above the tabs with
// who offers it, the patron's question, the colleague's note and until when it stands, and
// Accept (the chat opens in My Active, transcript and note included) or Decline. An offer
// that lapses, or that the server no longer holds, goes away with a notice.

import { clockTime, el, reason, uid, byId as $ } from "/widget/dom.js";
import { alertTransferOffer } from "./alerts.js";
import { notice } from "./announce.js";
import { selectChat, takeTranscript, upsertChat } from "./chats.js";
import { state } from "./state.js";
import { libraryLabel, patronName } from "./status.js";
import { activateTab } from "./tabs.js";

const ui = { region: $("offers"), list: $("offer-list") };
const offers = new Map(); // session_id -> {node, timer}

function render() {
  ui.region.hidden = offers.size === 0;
}

function drop(id) {
  const offer = offers.get(id);
  if (!offer) return;
  clearTimeout(offer.timer);
  const hadFocus = offer.node.contains(document.activeElement);
  offer.node.remove();
  offers.delete(id);
  render();
  if (hadFocus) $("tab-mine").focus();
}

async function answer(id, action, buttons, patron) {
  buttons.forEach((button) => (button.disabled = true));
  try {
    const reply = await state.socket.request(action, { session_id: id });
    drop(id);
    if (action === "accept") {
      const chat = upsertChat(reply.session);
      takeTranscript(chat, reply).catch((error) => console.warn("refdesk: transcript failed", error));
      activateTab("mine", { focus: false });
      selectChat(id, { focus: "composer" });
      notice(`You took over the chat with ${patron}.`);
    } else {
      notice(`You declined the chat with ${patron}.`);
    }
  } catch (error) {
    drop(id);
    notice(`The offer of the chat with ${patron} no longer stands: ${reason(error)}`);
  }
}

/** A `transfer_offer` frame. */
export function transferOffered(frame) {
  const session = frame.session;
  const id = session.session_id;
  drop(id);
  const patron = patronName(session);
  const from = frame.from?.name || frame.from?.email || "A colleague";
  const titleId = uid("offer");
  const accept = el("button", { className: "primary", text: "Accept", attrs: { type: "button" } });
  const decline = el("button", { text: "Decline", attrs: { type: "button" } });
  const node = el(
    "li",
    { className: "offer", attrs: { "aria-labelledby": titleId } },
    el("h3", { text: `${from} offers you the chat with ${patron}`, attrs: { id: titleId } }),
    el("p", { text: `${libraryLabel(session.library)}: ${session.question || "no question"}` }),
    frame.note ? el("p", { className: "offer-note", text: `Note: ${frame.note}` }) : null,
    el("p", { className: "hint", text: `Answer by ${clockTime(frame.expires_at)}.` }),
    el("div", { className: "offer-actions" }, accept, decline),
  );
  accept.addEventListener("click", () => answer(id, "accept", [accept, decline], patron));
  decline.addEventListener("click", () => answer(id, "decline", [accept, decline], patron));
  const lapse = Math.max(0, Date.parse(frame.expires_at) - Date.now());
  const timer = setTimeout(() => {
    drop(id);
    notice(`The offer of the chat with ${patron} lapsed.`);
  }, lapse);
  offers.set(id, { node, timer });
  ui.list.append(node);
  render();
  alertTransferOffer(from, session);
}

/** Signed out: no offers. */
export function resetOffers() {
  for (const id of Array.from(offers.keys())) drop(id);
}
