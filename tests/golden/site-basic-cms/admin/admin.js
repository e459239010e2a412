/* The editor's page (/admin/): Decap CMS is loaded just before this file.
 *
 * - The preview pane uses the site's own stylesheet and shows an entry as its page begins
 *   (title, summary, body), so that text reads as it will on the site.
 * - When the local editing server (`catalog serve`) refuses a save, its Japanese messages stay
 *   on screen until closed (Decap's own notice disappears after a few seconds).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var CMS = window.CMS;
  if (!CMS || !script) {
    return;
  }
  CMS.registerPreviewStyle(script.getAttribute("data-site-css"));

  /* Words Decap's Japanese interface lacks (it would show them in English), and one it gets wrong
     (an entry being edited is not being created). */
  var ja = CMS.getLocale && CMS.getLocale("ja");
  var widgets = ja && ja.editor && ja.editor.editorWidgets;
  if (widgets) {
    widgets.list = Object.assign({add: "%{item}を追加", addType: "%{item}を追加"}, widgets.list || {});
    widgets.object = Object.assign({expand: "開く", collapse: "閉じる"}, widgets.object || {});
  }
  if (ja && ja.editor && ja.editor.editorToolbar) {
    ja.editor.editorToolbar.backCollection = "%{collectionLabel}の一覧へ";
  }

  var h = window.h;
  var createClass = window.createClass;
  var kinds = {programs: "支援制度", partners: "連携企業", cases: "事例", roles: "人材の役割"};

  function preview(kind) {
    return createClass({
      render: function () {
        var data = this.props.entry.get("data");
        var badges = [];
        if (kind) {
          badges.push(h("span", {className: "entry-kind", key: "kind"}, kind));
        }
        if (data.get("draft")) {
          badges.push(h("span", {className: "badge badge--draft", key: "draft"}, "下書き"));
        }
        return h("main", {className: "main main--page"},
          h("article", {},
            h("h1", {}, data.get("title") || "（題名）"),
            badges.length ? h("p", {className: "entry-badges"}, badges) : null,
            h("p", {className: "lead"}, data.get("summary") || ""),
            h("div", {className: "prose"}, this.props.widgetFor("body"))));
      }
    });
  }
  Object.keys(kinds).forEach(function (name) {
    CMS.registerPreviewTemplate(name, preview(kinds[name]));
  });
  CMS.registerPreviewTemplate("pages", preview(""));

  if (script.getAttribute("data-local") !== "true") {
    return;
  }

  /* The refusals of the local editing server, kept on screen. */
  var panel = null;

  function showRefusal(answer) {
    if (panel) {
      panel.remove();
    }
    panel = document.createElement("section");
    panel.className = "catalog-refusal";
    panel.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.textContent = answer.title || "保存できませんでした";
    panel.appendChild(heading);
    var intro = document.createElement("p");
    intro.textContent = answer.hint || "ファイルには何も書き込んでいません。入力した内容は画面に残っています。次の問題を直してから、もう一度保存してください。";
    panel.appendChild(intro);
    var list = document.createElement("ul");
    (answer.problems || []).forEach(function (problem) {
      var item = document.createElement("li");
      item.textContent = problem.shown || problem.message;
      list.appendChild(item);
    });
    if (!list.childNodes.length && answer.error) {
      var only = document.createElement("li");
      only.textContent = answer.error;
      list.appendChild(only);
    }
    panel.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "閉じる";
    close.addEventListener("click", function () {
      panel.remove();
      panel = null;
    });
    panel.appendChild(close);
    document.body.appendChild(panel);
  }

  var writes = {persistEntry: true, deleteFile: true, deleteFiles: true, persistMedia: true};
  var originalFetch = window.fetch.bind(window);
  window.fetch = function (resource, options) {
    var pending = originalFetch(resource, options);
    var action = null;
    try {
      action = options && typeof options.body === "string" ? JSON.parse(options.body).action : null;
    } catch (ignored) {
      action = null;
    }
    if (!writes[action]) {
      return pending;
    }
    return pending.then(function (response) {
      if (response.ok) {
        if (panel) {
          panel.remove();
          panel = null;
        }
      } else {
        response.clone().json().then(showRefusal, function () {
          showRefusal({error: "保存できませんでした（サーバーの応答 " + response.status + "）"});
        });
      }
      return response;
    });
  };
})();
