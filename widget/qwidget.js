/* Refdesk Qwidget loader: placeholder until the patron chat UI lands (issue 4). */
(function () {
  var script = document.currentScript;
  var library = script && script.getAttribute("data-library");
  var link = document.createElement("a");
  link.href = new URL("/chat/" + encodeURIComponent(library || ""), script.src).href;
  link.textContent = "Chat with a librarian";
  document.body.appendChild(link);
})();
