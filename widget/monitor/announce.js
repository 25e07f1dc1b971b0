// The monitor's two live regions: the connection line in the header and the notice above
// the tabs (what just happened: an accepted chat, a chat another librarian took…).

import { byId as $ } from "/widget/dom.js";

const connection = $("connection");
const noticeLine = $("notice");
let noticeTimer = null;

export function setConnection(text, key = "") {
  connection.textContent = text;
  connection.dataset.state = key;
}

/** Say something for 15 seconds. */
export function notice(text) {
  clearTimeout(noticeTimer);
  noticeLine.textContent = text;
  noticeTimer = setTimeout(() => {
    noticeLine.textContent = "";
  }, 15000);
}
