// The librarian chat monitor: sign in, watch the queues, accept chats and serve them. This
// module only wires its parts together; each concern is its own module:
//
//   session.js      signing in, staying signed in, the sign-in and monitor views
//   socket.js       the socket: snapshot and history on every (re)connect, server events
//   queues.js       the New tab (waiting requests, Accept) and admins' All tab
//   chats.js        My Active: each chat's list entry, pane and transcript; unread.js the
//                   patron messages not seen yet; close-ended.js "Close all ended"
//   chat-pane.js    a chat's pane, built from small parts; composer.js (message, URL, note)
//   conference.js   an admin joining a chat from the All tab; transfer.js passing a chat on;
//                   offers.js the chats colleagues offer this librarian
//   pending.js      what was sent and not yet confirmed; typing.js the typing indicators
//   tabs.js         the tab list and its counts; announce.js the connection line and notice
//   alerts.js       chime, title, favicon, desktop notifications, mute
//   colleagues.js   the colleagues online and instant messages with them; availability.js
//                   Available / Away
//   wrapup.js, questions.js, code-editor.js, logout.js   the wrap-up, the Questions and
//                   Codes tabs, logging out with chats in progress
//   reports.js      the Reports tab: a library's chats over a range of dates, with charts,
//                   their numbers as tables, and the CSV
//   canned-picker.js, canned-editor.js   canned messages: the picker in each composer, the
//                   admins' Canned messages tab
//   library-settings.js, policy-editor.js   the admins' Library tab: settings, policy page;
//                   policies.js each library's policy page, policy-summary.js it beside a chat
//   staff.js        the admins' Staff tab (invite, rename, role, deactivate); invitation.js the
//                   set-password view an invitation link opens; password.js changing one's own
//   state.js        what the parts share; storage.js what the browser keeps; status.js how
//                   a chat is described
//
// Every string that comes from a user (names, questions, messages, URLs) reaches the page
// through textContent or a checked href, never as HTML. Field limits come from the server
// (/widget/limits.js).

import { setupAlerts } from "./alerts.js";
import { setupAvailability } from "./availability.js";
import { setupCannedEditor } from "./canned-editor.js";
import { forgetCanned } from "./canned-lists.js";
import { onChatChanged } from "./chat-events.js";
import { closeChat } from "./chats.js";
import { setupCloseEnded } from "./close-ended.js";
import { setupCodeEditor } from "./code-editor.js";
import { forgetCodeLists } from "./code-lists.js";
import { renderAway, setupColleagues } from "./colleagues.js";
import { setupLibrarySettings } from "./library-settings.js";
import { setupLogout } from "./logout.js";
import { forgetPolicies } from "./policies.js";
import { setupPolicyEditor } from "./policy-editor.js";
import { resetOffers } from "./offers.js";
import { setupPassword } from "./password.js";
import { setupQuestions } from "./questions.js";
import { setupReports } from "./reports.js";
import { provideQuestions, services } from "./services.js";
import { carryOn, endSession, startSession } from "./session.js";
import { setupStaff } from "./staff.js";
import { applySnapshot } from "./socket.js";
import { state } from "./state.js";
import { patronName, statusInfo } from "./status.js";
import { activateTab, onTabActivated } from "./tabs.js";
import { setupTransfer } from "./transfer.js";

const questions = setupQuestions(services);
provideQuestions(questions);
const codeEditor = setupCodeEditor(services);
const librarySettings = setupLibrarySettings(services);
const policyEditor = setupPolicyEditor(services);
const cannedEditor = setupCannedEditor(services);
const staff = setupStaff(services);
const reports = setupReports(services);
setupPassword({ carryOn });
const logoutFlow = setupLogout({
  socket: () => state.socket,
  liveChats: () => Array.from(state.chats.values()).filter((chat) => chat.session.status !== "ended"),
  describe: (session) => `${patronName(session)}: ${session.question || "no question"} (${statusInfo(session).text})`,
  signOut: (info) => endSession("", info),
  leaving: (value) => {
    state.leaving = value;
  },
});

onTabActivated((tab) => {
  if (tab === "questions") questions.activate();
  if (tab === "reports") reports.activate();
  if (tab === "codes") codeEditor.activate();
  if (tab === "library") {
    librarySettings.activate();
    policyEditor.activate();
  }
  if (tab === "canned") cannedEditor.activate();
  if (tab === "staff") staff.activate();
});

// The Questions tab loads its list when shown; while shown, chat events keep its "live"
// questions true.
onChatChanged(() => {
  if (state.tab === "questions") questions.refresh();
});

setupAlerts({ showNew: () => activateTab("new") });
const colleagues = setupColleagues();
const availability = setupAvailability({ applySnapshot, changed: () => renderAway() });
setupTransfer();
setupCloseEnded(closeChat);

startSession({
  reset() {
    questions.reset();
    codeEditor.reset();
    librarySettings.reset();
    policyEditor.reset();
    cannedEditor.reset();
    staff.reset();
    reports.reset();
    logoutFlow.reset();
    colleagues.reset();
    availability.reset();
    resetOffers();
    forgetCodeLists();
    forgetPolicies();
    forgetCanned();
  },
});
