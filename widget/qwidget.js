/*! Refdesk chat widget loader. Embed with one tag:
 *  <script src="https://YOUR-REFDESK/widget/qwidget.js" data-library="LIBRARY-ID" async></script>
 *  Optional: data-ws (WebSocket URL), data-api (REST base), data-chat-page (chat page URL),
 *  data-label (button text). All default to the script's own origin.
 *  No cookies; the chat UI loads in a frame from that origin only when the patron opens it. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.getAttribute("data-library")) return;
  var origin = new URL(script.src).origin;
  var data = script.dataset;
  var library = data.library;
  var storageKey = "refdesk:widget-open:" + library;
  var panel, frame, launcher;

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

    document.body.appendChild(panel);
    document.body.appendChild(launcher);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
    window.addEventListener("message", function (event) {
      if (event.origin === origin && frame && event.source === frame.contentWindow &&
          event.data && event.data.type === "refdesk:close") close();
    });
  }

  function open() {
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
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    try { sessionStorage.setItem(storageKey, "1"); } catch (e) { /* storage may be off */ }
    frame.focus();
    tellOpened();
  }

  function tellOpened() {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: "refdesk:opened" }, origin);
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    try { sessionStorage.removeItem(storageKey); } catch (e) { /* storage may be off */ }
    launcher.focus();
  }

  function start() {
    build();
    var wasOpen = false;
    try { wasOpen = sessionStorage.getItem(storageKey) === "1"; } catch (e) { /* storage may be off */ }
    if (wasOpen) open();
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
