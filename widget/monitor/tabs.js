// The tab list (New, My Active, Questions, Reports, All, Codes, Library, Canned messages, Staff):
// the ARIA tabs pattern (arrows, Home and End move, Enter or Space selects, one tab stop) and the
// counts in the tabs' names. Reports is every librarian's; the admins' tabs show only for admins.

import { byId as $ } from "/widget/dom.js";
import { updateBadges } from "./alerts.js";
import { state } from "./state.js";
import { saveView } from "./storage.js";

const ui = {
  tablist: document.querySelector("[role=tablist]"),
  tabs: Array.from(document.querySelectorAll("[role=tab]")),
  counts: { new: $("count-new"), mine: $("count-mine"), all: $("count-all") },
  mineUnread: $("unread-mine"),
  newEmpty: $("new-empty"),
  mineEmpty: $("mine-empty"),
};
const activated = []; // listeners: a tab was selected

/** Call `listener(name)` each time a tab is selected. */
export function onTabActivated(listener) {
  activated.push(listener);
}

/** Admins' tabs (All, Codes, Library, Canned messages, Staff) show only for admins. */
export function showAdminTabs(isAdmin) {
  for (const name of ["all", "codes", "library", "canned", "staff"]) {
    ui.tabs.find((tab) => tab.dataset.tab === name).hidden = !isAdmin;
  }
}

function visibleTabs() {
  return ui.tabs.filter((tab) => !tab.hidden);
}

export function activateTab(name, { focus = false } = {}) {
  let target = ui.tabs.find((tab) => tab.dataset.tab === name && !tab.hidden);
  if (!target) target = ui.tabs[0];
  state.tab = target.dataset.tab;
  for (const tab of ui.tabs) {
    const selected = tab === target;
    tab.setAttribute("aria-selected", selected ? "true" : "false");
    tab.tabIndex = selected ? 0 : -1;
    $(tab.getAttribute("aria-controls")).hidden = !selected;
  }
  if (focus) target.focus();
  saveView();
  for (const listener of activated) listener(state.tab);
}

/** The counts in the tabs (and My Active's chats with unread patron messages), the empty-list
 * texts, and the title and favicon: waiting requests plus chats with unread messages, each
 * something waiting for the librarian. */
export function renderCounts() {
  let waiting = state.queue.size; // shown in New, and those a snapshot cut to fit left out
  for (const more of state.waitingMore.values()) waiting += more;
  ui.counts.new.textContent = String(waiting);
  ui.counts.mine.textContent = String(state.chats.size);
  ui.counts.all.textContent = String(state.all.size);
  const unread = state.unread.size;
  ui.mineUnread.hidden = unread === 0;
  ui.mineUnread.textContent = unread ? `${unread} unread` : "";
  ui.newEmpty.hidden = waiting > 0;
  ui.mineEmpty.hidden = state.chats.size > 0;
  updateBadges(waiting + unread);
}

ui.tablist.addEventListener("click", (event) => {
  const tab = event.target.closest("[role=tab]");
  if (tab) activateTab(tab.dataset.tab, { focus: true });
});

ui.tablist.addEventListener("keydown", (event) => {
  const tabs = visibleTabs();
  const index = tabs.indexOf(document.activeElement);
  if (index < 0) return;
  let next = null;
  if (event.key === "ArrowRight" || event.key === "ArrowDown") next = tabs[(index + 1) % tabs.length];
  else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = tabs[(index - 1 + tabs.length) % tabs.length];
  else if (event.key === "Home") next = tabs[0];
  else if (event.key === "End") next = tabs[tabs.length - 1];
  if (!next) return;
  event.preventDefault();
  for (const tab of ui.tabs) tab.tabIndex = tab === next ? 0 : -1;
  next.focus();
});

// When focus leaves the tab list, the selected tab is again its only stop.
ui.tablist.addEventListener("focusout", (event) => {
  if (ui.tablist.contains(event.relatedTarget)) return;
  for (const tab of ui.tabs) tab.tabIndex = tab.getAttribute("aria-selected") === "true" ? 0 : -1;
});
