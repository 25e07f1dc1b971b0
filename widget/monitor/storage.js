// What the monitor keeps in the browser: the sign-in token, the view (tab and chat) and
// whether the librarian chose Away, for this tab's session; whether alerts are muted and
// whether desktop alerts were asked for, in local storage. Storage may be full or disabled:
// the monitor then works for the page's life.

import { state } from "./state.js";

export const TOKEN_KEY = "refdesk:monitor:token";
export const VIEW_KEY = "refdesk:monitor:view";
export const MUTE_KEY = "refdesk:monitor:muted";
export const ASKED_KEY = "refdesk:monitor:asked-notifications";
export const AWAY_KEY = "refdesk:monitor:away";

const TABS = ["new", "mine", "questions", "reports", "all", "codes"];

function storage(kind) {
  try {
    return kind === "local" ? window.localStorage : window.sessionStorage;
  } catch {
    return null;
  }
}

export function getItem(kind, key) {
  try {
    return storage(kind)?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** `null` removes the item. */
export function setItem(kind, key, value) {
  try {
    if (value === null) storage(kind)?.removeItem(key);
    else storage(kind)?.setItem(key, value);
  } catch {
    // storage full or disabled: the monitor still works for this page's lifetime
  }
}

/** The tab and chat shown before a reload. */
export function restoreView() {
  try {
    const view = JSON.parse(getItem("session", VIEW_KEY) || "{}");
    if (TABS.includes(view.tab)) state.tab = view.tab;
    state.wantedChat = typeof view.chat === "string" ? view.chat : null;
  } catch {
    state.wantedChat = null;
  }
}

export function saveView() {
  setItem("session", VIEW_KEY, JSON.stringify({ tab: state.tab, chat: state.selected }));
}
