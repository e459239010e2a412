// The search page: our own small interface on Pagefind's JavaScript API (pagefind.js).
//
// The page works without this script (it says so and links the index pages). With it:
// the query from the URL is in the box at once; it is NFKC-normalised like the indexed text
// (ＤＸ → DX); Enter that confirms a kana-kanji conversion never searches or navigates; the
// count is announced through a polite live region; facets combine as "any of the ticked
// values" within a facet and "all facets" across them; the query, facets and sort live in
// the URL, so a search can be shared and the back button works. A result shows its page's
// title and summary as written and quotes the sentence of the page that matches
// (search-snippet.js). Everything is loaded from this site only.
//
// The index may be split into shards; search-index.js loads them and merges their answers.

import { findTerm, loadCatalog, loadShards } from "./search-index.js";
import { matchRanges, normalize } from "./search-query.js";
import { pageBlocks, passage } from "./search-snippet.js";

const FACETS = ["種別", "人材像", "所管", "制度の種類", "状況", "都道府県"];
const FIXED_ORDER = {
  種別: ["支援制度", "人材像", "人材の役割", "事例", "連携企業", "サイトの案内"],
  状況: ["実施中", "開始予定", "募集中", "活動中", "終了", "最新の状況は未確認", "モデル（典型例）"],
};
const PAGE_SIZE = 20;
const TYPING_DELAY_MS = 300;

const root = document.querySelector("[data-search]");
if (root) {
  start(root).catch((error) => {
    showLoadFailure(root);
    // Visible in the console for whoever maintains the site; the page already says what to do.
    console.warn("検索を読み込めませんでした:", error);
  });
}

async function start(root) {
  const form = root.querySelector("form");
  const input = form.elements.namedItem("q");
  const sortSelect = form.elements.namedItem("sort");
  const facetBox = root.querySelector("[data-search-facets]");
  const status = root.querySelector("[data-search-status]");
  const list = root.querySelector("[data-search-results]");
  const more = root.querySelector("[data-search-more]");
  const empty = root.querySelector("[data-search-empty]");
  const clear = root.querySelector("[data-search-clear]");
  const chosen = root.querySelector("[data-search-chosen]");

  root.classList.add("is-enhanced");
  // The search from the URL is shown before the index has loaded; facets follow with the index.
  const requested = readUrl();
  input.value = requested.q;
  sortSelect.value = requested.sort === "updated" ? "updated" : "";
  setStatus(status, requested.q ? `「${requested.q}」を検索する準備をしています…` : "検索の準備をしています…");

  const basePath = root.dataset.basePath || "/";
  const shards = await loadShards(basePath);
  const catalog = await loadCatalog(shards, FACETS);

  // What the box says now: the URL's words, or what was typed while the index was loading.
  const initial = { ...readUrl(), q: normalize(input.value), sort: sortSelect.value };
  const checkboxes = buildFacets(facetBox, catalog.facets, initial.facets);
  applyToControls(initial);
  // On a phone the facets start folded, so that the results come first; ticks from the URL stay in view.
  if (matchMedia("(max-width: 56em)").matches && !Object.keys(initial.facets).length) facetBox.open = false;

  let sequence = 0;
  let timer = 0;
  let matches = [];
  let searched = "";
  let shown = 0;

  async function run() {
    clearTimeout(timer);
    const current = readControls();
    const mine = ++sequence;
    const anyFacet = Object.keys(current.facets).length > 0;
    const ticked = Object.values(current.facets).reduce((sum, values) => sum + values.length, 0);
    chosen.textContent = ticked ? `（${ticked}件選択中）` : "";
    if (!current.q && !anyFacet) {
      updateCounts(checkboxes, catalog, catalog.all, current.facets);
      list.replaceChildren();
      more.hidden = true;
      empty.hidden = true;
      setStatus(status, "キーワードを入力するか、絞り込みの条件を選んでください。");
      return;
    }
    const found = current.q ? await findTerm(shards, current.q) : catalog.all;
    if (mine !== sequence) return;
    updateCounts(checkboxes, catalog, found, current.facets);
    matches = [...found.values()].filter((hit) => passes(catalog, hit.key, current.facets, null));
    if (current.sort === "updated" || !current.q) {
      matches.sort((a, b) => (catalog.rank.get(a.key) ?? Infinity) - (catalog.rank.get(b.key) ?? Infinity));
    } else {
      matches.sort((a, b) => b.score - a.score);
    }
    shown = 0;
    searched = current.q;
    list.replaceChildren();
    await showMore(mine, false);
    if (mine !== sequence) return;
    empty.hidden = matches.length > 0;
    const query = current.q ? `「${current.q}」で` : "選んだ条件で";
    setStatus(status, matches.length ? `${query}${matches.length}件見つかりました。` : `${query}見つかりませんでした（0件）。`);
  }

  async function showMore(mine, moveFocus) {
    const next = matches.slice(shown, shown + PAGE_SIZE);
    const data = await Promise.all(next.map((hit) => hit.result.data()));
    if (mine !== sequence) return;
    const first = list.children.length;
    for (const item of data) {
      const card = resultCard(item, searched);
      list.append(card);
      addPassage(card, item, searched).catch((error) => {
        card.dataset.passage = "none";
        console.warn("抜粋を作れませんでした:", error);
      });
    }
    shown += next.length;
    more.hidden = shown >= matches.length;
    if (moveFocus && data.length) list.children[first].querySelector("a").focus();
  }

  function readControls() {
    const facets = {};
    for (const box of checkboxes) {
      if (box.checked) (facets[box.name] ||= []).push(box.value);
    }
    return { q: normalize(input.value), sort: sortSelect.value, facets };
  }

  function applyToControls(state) {
    input.value = state.q;
    sortSelect.value = state.sort === "updated" ? "updated" : "";
    for (const box of checkboxes) box.checked = (state.facets[box.name] || []).includes(box.value);
  }

  function urlOf(current) {
    const params = new URLSearchParams();
    if (current.q) params.set("q", current.q);
    for (const name of FACETS) for (const value of current.facets[name] || []) params.append(name, value);
    if (current.sort === "updated") params.set("sort", "updated");
    const query = params.toString();
    return query ? `${location.pathname}?${query}` : location.pathname;
  }

  function remember(push) {
    const url = urlOf(readControls());
    if (url === location.pathname + location.search) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function commit() {
    remember(true);
    run().catch(reportFailure);
  }

  function reportFailure(error) {
    setStatus(status, "検索中に問題が起きました。ページを読み込み直すか、一覧から探してください。");
    console.warn("検索に失敗しました:", error);
  }

  input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    // We search ourselves: never let the browser submit the form and reload the page.
    event.preventDefault();
    // This Enter confirms a kana-kanji conversion (keyCode 229: Safari reports it that way).
    if (event.isComposing || event.keyCode === 229) return;
    commit();
  });
  input.addEventListener("input", (event) => {
    if (event.isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      remember(false);
      run().catch(reportFailure);
    }, TYPING_DELAY_MS);
  });
  input.addEventListener("compositionend", () => input.dispatchEvent(new Event("input")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    commit();
  });
  form.addEventListener("change", (event) => {
    if (event.target !== input) commit();
  });
  clear.addEventListener("click", () => {
    for (const box of checkboxes) box.checked = false;
    commit();
    input.focus();
  });
  more.addEventListener("click", () => showMore(sequence, true).catch(reportFailure));
  window.addEventListener("popstate", () => {
    applyToControls(readUrl());
    run().catch(reportFailure);
  });

  await run();
  root.dataset.ready = "true";
}


function readUrl() {
  const params = new URLSearchParams(location.search);
  const facets = {};
  for (const name of FACETS) {
    // Facet values are compared as the pages write them (the checkboxes put them in the URL).
    const values = params.getAll(name).map((value) => value.trim()).filter(Boolean);
    if (values.length) facets[name] = values;
  }
  return { q: normalize(params.get("q") || ""), sort: params.get("sort") || "", facets };
}

// Within a facet any ticked value will do; every facet with ticks must be satisfied.
function passes(catalog, id, selected, except) {
  for (const [name, values] of Object.entries(selected)) {
    if (name === except) continue;
    if (!values.some((value) => catalog.facets[name]?.[value]?.has(id))) return false;
  }
  return true;
}

function sortedValues(name, values) {
  const order = FIXED_ORDER[name];
  return [...values].sort((a, b) => {
    if (order) {
      const ia = order.includes(a) ? order.indexOf(a) : order.length;
      const ib = order.includes(b) ? order.indexOf(b) : order.length;
      if (ia !== ib) return ia - ib;
    }
    return a.localeCompare(b, "ja");
  });
}

// The phrases of each facet value, worked out when the site was built (BudouX): a label breaks
// between them, never inside a word (プロジェクトマネージャー) or a count.
const PHRASES = Object.fromEntries(
  [...document.querySelectorAll("[data-search-phrases] [data-value]")].map((span) => [
    span.dataset.value,
    [...span.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.data),
  ]),
);

function withBreaks(value) {
  const parts = PHRASES[value];
  if (!Array.isArray(parts)) return [value];
  return parts.flatMap((part, index) => (index ? [document.createElement("wbr"), part] : [part]));
}

function buildFacets(box, facets, requested) {
  const checkboxes = [];
  let serial = 0;
  for (const name of FACETS) {
    // Values asked for in the URL but absent from the index stay visible, so they can be unticked.
    const values = new Set([...Object.keys(facets[name] || {}), ...(requested[name] || [])]);
    if (!values.size) continue;
    const fieldset = document.createElement("fieldset");
    fieldset.className = "search-facet";
    const legend = document.createElement("legend");
    legend.textContent = name;
    fieldset.append(legend);
    const ul = document.createElement("ul");
    for (const value of sortedValues(name, values)) {
      const id = `facet-${++serial}`;
      const li = document.createElement("li");
      const checkbox = document.createElement("input");
      checkbox.type = "checkbox";
      checkbox.id = id;
      checkbox.name = name;
      checkbox.value = value;
      const label = document.createElement("label");
      label.htmlFor = id;
      const text = document.createElement("span");
      text.append(...withBreaks(value));
      const count = document.createElement("span");
      count.className = "search-facet__count";
      label.append(text, count);
      li.append(checkbox, label);
      ul.append(li);
      checkboxes.push(checkbox);
    }
    fieldset.append(ul);
    box.append(fieldset);
  }
  box.hidden = checkboxes.length === 0;
  return checkboxes;
}

// A facet's own ticks do not narrow its own counts: it is counted with the other facets only.
function updateCounts(checkboxes, catalog, found, selected) {
  for (const box of checkboxes) {
    const pages = catalog.facets[box.name]?.[box.value];
    let count = 0;
    if (pages) {
      for (const id of found.keys()) if (pages.has(id) && passes(catalog, id, selected, box.name)) count += 1;
    }
    box.labels[0].querySelector(".search-facet__count").textContent = `（${count}件）`;
    box.closest("li").classList.toggle("is-empty", count === 0 && !box.checked);
  }
}

const STATUS_BADGES = {
  実施中: "badge--active",
  開始予定: "badge--upcoming",
  終了: "badge--ended",
  募集中: "badge--role-open",
  活動中: "badge--role-active",
  "モデル（典型例）": "badge--model",
};

// A status read on a stale entry's last review (「実施中（2023年10月24日の確認時点）」) is never
// coloured as current.
function statusBadge(label) {
  return label.includes("の確認時点") ? "badge--unconfirmed" : STATUS_BADGES[label] || "";
}

function resultCard(item, query) {
  const meta = item.meta || {};
  const value = (name) => (item.filters?.[name] || [])[0];
  const li = document.createElement("li");
  li.className = "card search-result";
  const heading = document.createElement("h2");
  heading.className = "card__title";
  const link = document.createElement("a");
  link.href = item.url;
  link.textContent = meta.title || item.url;
  heading.append(link);
  const badges = document.createElement("p");
  badges.className = "card__badges";
  // 「状況の表示」 is the status as the page states it; 「状況」 the facet it is counted under.
  const shown = value("状況の表示") || value("状況");
  if (shown) {
    const status = span(`badge ${statusBadge(shown)}`.trim(), "");
    status.append(span("visually-hidden", "状況: "), shown);
    badges.append(status, " ");
  }
  if (value("種別")) badges.append(span("card__kind", value("種別")));
  li.append(heading, badges);
  if (meta.summary) li.append(marked(paragraph("card__summary", ""), meta.summary, query));
  if (value("更新日")) li.append(paragraph("search-result__updated", `更新日: ${value("更新日")}`));
  return li;
}

// The sentence of the result's page that matches, once the page is read (search-snippet.js).
// (data-passage says it is done: "quoted" or "none", when no sentence besides those shown has the words.)
async function addPassage(card, item, query) {
  const meta = item.meta || {};
  const found = passage(await pageBlocks(item.url), query, [meta.title || "", meta.summary || ""]);
  if (found) {
    const quote = paragraph("search-result__excerpt", "");
    quote.append(...markNodes(found.text, found.ranges));
    card.insertBefore(quote, card.querySelector(".search-result__updated"));
  }
  card.dataset.passage = found ? "quoted" : "none";
}

// `element` with `text` in it and the query's words in <mark>.
function marked(element, text, query) {
  element.append(...markNodes(text, matchRanges(text, query)));
  return element;
}

function markNodes(text, ranges) {
  const nodes = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    const mark = document.createElement("mark");
    mark.textContent = text.slice(start, end);
    nodes.push(mark);
    at = end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

function span(className, text) {
  const element = document.createElement("span");
  element.className = className;
  element.textContent = text;
  return element;
}

function paragraph(className, text) {
  const element = document.createElement("p");
  element.className = className;
  element.textContent = text;
  return element;
}

function setStatus(status, text) {
  if (status.textContent !== text) status.textContent = text;
}

function showLoadFailure(root) {
  const status = root.querySelector("[data-search-status]");
  if (status) {
    setStatus(
      status,
      "検索を読み込めませんでした。ウェブサーバー経由で開いているか確かめるか、下の一覧から探してください。",
    );
  }
}
