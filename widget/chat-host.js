// What the chat window inside the one-tag widget tells the library's page (qwidget.js): that
// the librarian wrote (the loader shows a badge on its button and announces it while the
// panel is closed) and whether a chat is in progress (the loader then loads the window again
// on the site's next page, so the chat and its alerts carry on). Nothing anyone wrote leaves
// the frame: the host page is another site, with its own scripts.

let embedded = false;

export function setEmbedded(value) {
  embedded = value && window.parent !== window;
}

function tell(message) {
  if (embedded) window.parent.postMessage(message, "*"); // no content: any page may hear it
}

/** A new message from the librarian (not one caught up after a reload). */
export function librarianWrote() {
  tell({ type: "refdesk:message" });
}

/** Whether a chat is waiting or in progress. */
export function chatInProgress(active) {
  tell({ type: "refdesk:chat", active: Boolean(active) });
}
