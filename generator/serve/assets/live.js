/* catalog serve: reloads the page after a rebuild and shows content problems.
   Served only by the dev server (never part of a build); external file, so a strict CSP allows it. */
(function () {
  "use strict";
  var script = document.currentScript;
  var loadedBuild = script ? Number(script.getAttribute("data-build")) : 0;
  var panel = null;
  var dismissedVersion = null;

  var SEVERITY = { error: "エラー", warning: "警告" };

  function text(tag, className, content) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (content) node.textContent = content;
    return node;
  }

  function clear() {
    if (panel && panel.parentNode) panel.parentNode.removeChild(panel);
    panel = null;
  }

  function show(state) {
    clear();
    if (state.ok || dismissedVersion === JSON.stringify(state.problems) + state.failure) return;
    panel = text("section", "catalog-live-overlay");
    panel.setAttribute("role", "alert");
    panel.setAttribute("aria-labelledby", "catalog-live-title");
    panel.appendChild(text("h2", "catalog-live-overlay__title", "コンテンツに問題があります"));
    panel.firstChild.id = "catalog-live-title";
    var note = state.build > 0
      ? "最後に成功したビルドを表示しています。ファイルを直して保存すると、この表示は消えます。"
      : "まだ一度もビルドできていません。ファイルを直して保存すると、自動で表示されます。";
    panel.appendChild(text("p", "catalog-live-overlay__note", note + (state.summary ? "（" + state.summary + "）" : "")));
    if (state.failure) panel.appendChild(text("p", "catalog-live-overlay__failure", state.failure));
    var list = text("ol", "catalog-live-overlay__list");
    state.problems.forEach(function (problem) {
      var item = text("li", "catalog-live-overlay__item catalog-live-overlay__item--" + problem.severity);
      item.appendChild(text("code", "catalog-live-overlay__where", problem.path + ":" + problem.line + ":" + problem.col));
      item.appendChild(text("span", "catalog-live-overlay__severity", (SEVERITY[problem.severity] || problem.severity) + "[" + problem.code + "]"));
      item.appendChild(text("span", "catalog-live-overlay__message", problem.message));
      list.appendChild(item);
    });
    panel.appendChild(list);
    var close = text("button", "catalog-live-overlay__close", "閉じる");
    close.type = "button";
    close.addEventListener("click", function () {
      dismissedVersion = JSON.stringify(state.problems) + state.failure;
      clear();
    });
    panel.appendChild(close);
    document.body.appendChild(panel);
  }

  function handle(message) {
    var state = JSON.parse(message.data);
    if (state.build !== loadedBuild && state.build > 0) {
      window.location.reload();
      return;
    }
    show(state);
  }

  if (!window.EventSource) return;
  var source = new EventSource("/_catalog/events");
  ["hello", "reload", "problems"].forEach(function (name) {
    source.addEventListener(name, handle);
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
