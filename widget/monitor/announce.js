// The monitor's two live regions in the header: the connection line and, beside it, the
// notice (what just happened: an accepted chat, a chat another librarian took…), which clears
// itself after a few seconds.

import { byId as $ } from "/widget/dom.js";

const connection = $("connection");
const noticeLine = $("notice");
let noticeTimer = null;

export function setConnection(text, key = "") {
  connection.textContent = text;
  connection.dataset.state = key;
}

const NOTICE_MS = 10000;

/** Say something for 10 seconds. */
export function notice(text) {
  clearTimeout(noticeTimer);
  noticeLine.textContent = text;
  noticeTimer = setTimeout(() => {
    noticeLine.textContent = "";
  }, NOTICE_MS);
}
