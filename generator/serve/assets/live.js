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

  /* The output path of this page (programs/x/index.html): the server lists, for each of its
     latest builds, the pages whose bytes changed; a page none of them changed stays as it is. */
  function ownPath() {
    var path = window.location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { return null; }
    path = path.replace(/^\//, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }

  function unchangedSince(build, state) {
    var own = ownPath();
    var changes = {};
    (state.changes || []).forEach(function (change) { changes[change[0]] = change[1]; });
    if (own === null || build <= 0) return false;
    for (var b = build + 1; b <= state.build; b++) {
      if (!(b in changes) || changes[b] === null || changes[b].indexOf(own) !== -1) return false;
    }
    return true;
  }

  function pending(state) {
    var note = document.querySelector(".catalog-live-pending");
    if (state.pending && state.ok && !note) {
      note = text("p", "catalog-live-pending", "検索とデータファイルを更新しています…");
      note.setAttribute("role", "status");
      document.body.appendChild(note);
    } else if (note && !(state.pending && state.ok)) {
      note.parentNode.removeChild(note);
    }
  }

  /* One reload at a time: the next builds' messages can arrive while the page is reloading
     (an edit's own page, then the pages it touches, then the background build); a second
     reload would cancel the first mid-way. The reloaded page asks for the latest state. */
  var reloading = false;

  function handle(message) {
    if (reloading) return;
    var state = JSON.parse(message.data);
    if (state.build !== loadedBuild && state.build > 0) {
      if (!unchangedSince(loadedBuild, state)) {
        reloading = true;
        source.close();
        window.location.reload();
        return;
      }
      loadedBuild = state.build;
    }
    pending(state);
    show(state);
  }

  if (!window.EventSource) return;
  var source = new EventSource("/_catalog/events");
  ["hello", "reload", "problems"].forEach(function (name) {
    source.addEventListener(name, handle);
  });
  window.addEventListener("pagehide", function () { source.close(); });
})();
