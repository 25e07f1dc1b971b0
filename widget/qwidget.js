/*! Refdesk chat widget loader. Embed with one tag:
 *  <script src="https://YOUR-REFDESK/widget/qwidget.js" data-library="LIBRARY-ID" async></script>
 *  Optional: data-ws (WebSocket URL), data-api (REST base), data-chat-page (chat page URL),
 *  data-label (button text), data-title-alert (the page's title shows "(1)" while a librarian's
 *  message waits unread). All default to the script's own origin.
 *  No cookies; the chat UI loads in a frame from that origin only when the patron opens it (or,
 *  on the site's next page, while a chat is in progress). While the panel is closed a message
 *  from the librarian puts a count on the button and is announced (a visually hidden live
 *  region); the message itself never leaves the frame. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-library")) return;
  var origin = new URL(script.src).origin;
  var data = script.dataset;
  var library = data.library;
  var storageKey = "refdesk:widget-open:" + library;
  var chatKey = "refdesk:widget-chat:" + library; // a chat is in progress: load the frame
  var panel, frame, launcher, badge, live;
  var unread = 0;
  var pageTitle = null, titleShown = null; // the page's own title, and the one shown instead

  function remember(key, on) {
    try {
      if (on) sessionStorage.setItem(key, "1"); else sessionStorage.removeItem(key);
    } catch (e) { /* storage may be off */ }
  }

  function remembered(key) {
    try { return sessionStorage.getItem(key) === "1"; } catch (e) { return false; }
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function chatPageUrl() {
    var url = new URL(data.chatPage || origin + "/chat/" + encodeURIComponent(library));
    url.searchParams.set("embed", "1");
    if (data.ws) url.searchParams.set("ws", data.ws);
    url.searchParams.set("api", data.api || origin + "/api");
    url.searchParams.set("page", location.href.slice(0, 1500));
    return url.href;
  }

  function build() {
    var sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = origin + "/widget/qwidget.css";
    document.head.appendChild(sheet);

    launcher = document.createElement("button");
    launcher.type = "button";
    launcher.className = "refdesk-launcher";
    launcher.textContent = data.label || "Chat with a librarian";
    badge = make("span", "refdesk-unread");
    badge.hidden = true;
    launcher.appendChild(badge);
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-controls", "refdesk-panel");
    launcher.addEventListener("click", function () {
      if (panel.hidden) open(); else close();
    });

    panel = document.createElement("div");
    panel.id = "refdesk-panel";
    panel.className = "refdesk-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Chat with a librarian");
    panel.hidden = true;

    var bar = document.createElement("div");
    bar.className = "refdesk-bar";
    var title = document.createElement("span");
    title.textContent = "Ask a librarian";
    var closer = document.createElement("button");
    closer.type = "button";
    closer.className = "refdesk-close";
    closer.textContent = "Close";
    closer.setAttribute("aria-label", "Close the chat window (the chat stays open)");
    closer.addEventListener("click", close);
    bar.appendChild(title);
    bar.appendChild(closer);
    panel.appendChild(bar);

    live = make("div", "refdesk-vh");
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");

    document.body.appendChild(panel);
    document.body.appendChild(launcher);
    document.body.appendChild(live);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
    window.addEventListener("message", function (event) {
      if (event.origin !== origin || !frame || event.source !== frame.contentWindow || !event.data) return;
      var type = event.data.type;
      if (type === "refdesk:close") close();
      else if (type === "refdesk:chat") remember(chatKey, event.data.active === true);
      else if (type === "refdesk:message" && panel.hidden) showUnread(unread + 1);
    });
  }

  /** The count on the button, what is announced, and (data-title-alert) the page's title. */
  function showUnread(count) {
    unread = count;
    badge.hidden = !count;
    badge.textContent = "";
    live.textContent = "";
    if (count) {
      var number = make("span", "", String(count));
      number.setAttribute("aria-hidden", "true");
      badge.appendChild(number);
      var words = count === 1 ? "1 new message" : count + " new messages";
      badge.appendChild(make("span", "refdesk-vh", " (" + words + ")"));
      live.textContent = (count === 1 ? "New message from the librarian" : words + " from the librarian") +
        ". Open the chat with a librarian to read " + (count === 1 ? "it." : "them.");
    }
    if (!("titleAlert" in data)) return;
    if (titleShown === null || document.title !== titleShown) pageTitle = document.title; // the page may retitle itself
    titleShown = count ? "(" + count + ") " + pageTitle : null;
    document.title = titleShown || pageTitle;
  }

  /** The chat window in the panel, loaded once (it keeps its socket while the panel is closed). */
  function load() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.className = "refdesk-frame";
      frame.title = "Chat with a librarian";
      frame.src = chatPageUrl();
      frame.addEventListener("load", function () {
        if (!panel.hidden) tellOpened();
      });
      panel.appendChild(frame);
    }
  }

  function open() {
    load();
    showUnread(0);
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    remember(storageKey, true);
    frame.focus();
    tellOpened();
  }

  function tellOpened() {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: "refdesk:opened" }, origin);
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    remember(storageKey, false);
    launcher.focus();
  }

  function start() {
    build();
    if (remembered(storageKey)) open();
    else if (remembered(chatKey)) load(); // closed, with a chat in progress: its alerts carry on
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
