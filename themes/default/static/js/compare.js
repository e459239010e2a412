// The comparison of programs (/programs/compare/): sort by any column, filter by 状況・人材像・種類・所管.
//
// Without this script the page shows every program, 実施中 first, then by the end of the period.
// With it: each column header holds a button that sorts by that column (again: the other way), the
// header says how the table is sorted (aria-sort), the filters appear, the number of programs shown
// and the order are announced through a polite live region, and the state lives in the URL
// (?状況=実施中&人材像=エンジニア&並べ替え=期間&順=降順), so a view can be shared and reloaded.
// The table (wide screens, print) and the cards (phones) are sorted and filtered together.

const FACETS = ["状況", "人材像", "種類", "所管"];
const SORT = "並べ替え";
const ORDER = "順";
const DESCENDING = "降順";
const NUMERIC = new Set(["status", "rate", "cap", "archetypes"]);
const DATES = new Set(["period", "reviewed"]);

const table = document.querySelector("[data-compare]");
if (table) start(table);

function start(table) {
  const form = document.querySelector("[data-compare-tools]");
  const details = form.querySelector("[data-compare-details]");
  const chosen = form.querySelector("[data-compare-chosen]");
  const sortSelect = form.querySelector("[data-compare-sort]");
  const orderSelect = form.querySelector("[data-compare-order]");
  const status = document.querySelector("[data-compare-status]");
  const empty = document.querySelector("[data-compare-empty]");
  const tbody = table.tBodies[0];
  const cardList = document.querySelector(".compare-cards");
  const headers = [...table.tHead.rows[0].cells];
  const rows = [...tbody.rows].map((tr, index) => ({
    tr,
    card: cardList ? cardList.querySelector(`[data-row="${CSS.escape(tr.dataset.row)}"]`) : null,
    index,
    values: JSON.parse(tr.dataset.values || "{}"),
    sort: [...tr.cells].map((cell) => cell.dataset.sort ?? ""),
  }));
  const labels = headers.map((th) => th.textContent.trim());
  const keys = headers.map((th) => th.dataset.key);

  // Each header becomes a button; its text (with the phrase breaks) moves into it.
  for (const [column, th] of headers.entries()) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "compare__sort";
    button.append(...th.childNodes);
    button.addEventListener("click", () => {
      const same = state.sort === column;
      state.sort = column;
      state.descending = same ? !state.descending : false;
      apply(true);
    });
    th.append(button);
  }

  const state = readUrl();
  for (const box of form.querySelectorAll("input[type=checkbox]")) {
    box.checked = (state.facets[box.name] || []).includes(box.value);
    box.addEventListener("change", () => {
      state.facets = readFilters();
      apply(true);
    });
  }
  sortSelect.addEventListener("change", () => {
    state.sort = labels.indexOf(sortSelect.value);
    apply(true);
  });
  orderSelect.addEventListener("change", () => {
    state.descending = orderSelect.value === DESCENDING;
    apply(true);
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  form.querySelector("[data-compare-clear]").addEventListener("click", () => {
    for (const box of form.querySelectorAll("input[type=checkbox]")) box.checked = false;
    state.facets = {};
    state.sort = -1;
    state.descending = false;
    apply(true, "絞り込みと並べ替えを元に戻しました。");
  });
  details.open = Object.keys(state.facets).length > 0;
  form.hidden = false;
  apply(false);

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const facets = {};
    for (const name of FACETS) {
      const values = params.getAll(name).filter(Boolean);
      if (values.length) facets[name] = values;
    }
    const sort = labels.indexOf(params.get(SORT) || "");
    return { facets, sort, descending: sort >= 0 && params.get(ORDER) === DESCENDING };
  }

  function readFilters() {
    const facets = {};
    for (const box of form.querySelectorAll("input[type=checkbox]:checked")) {
      (facets[box.name] ||= []).push(box.value);
    }
    return facets;
  }

  function keeps(row) {
    return Object.entries(state.facets).every(([name, wanted]) => (row.values[name] || []).some((v) => wanted.includes(v)));
  }

  function compare(a, b) {
    if (state.sort < 0) return a.index - b.index;
    const x = a.sort[state.sort];
    const y = b.sort[state.sort];
    if (x === "" || y === "") return x === y ? a.index - b.index : x === "" ? 1 : -1; // no value: last
    const key = keys[state.sort];
    const order = NUMERIC.has(key) ? Number(x) - Number(y) : DATES.has(key) ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, "ja");
    return (state.descending ? -order : order) || a.index - b.index;
  }

  function apply(announce, prefix = "") {
    const sorted = [...rows].sort(compare);
    let shown = 0;
    for (const row of sorted) {
      const visible = keeps(row);
      row.tr.hidden = !visible;
      if (row.card) row.card.hidden = !visible;
      tbody.append(row.tr);
      if (row.card) cardList.append(row.card);
      if (visible) shown += 1;
    }
    for (const [column, th] of headers.entries()) {
      if (column === state.sort) th.setAttribute("aria-sort", state.descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    }
    empty.hidden = shown > 0;
    sortSelect.value = state.sort < 0 ? "" : labels[state.sort];
    orderSelect.value = state.descending ? DESCENDING : "";
    const ticked = Object.values(state.facets).reduce((sum, values) => sum + values.length, 0);
    chosen.textContent = ticked ? `（${ticked}件選択中）` : "";
    const order = state.sort < 0
      ? "実施中のものから期間の終わりが近い順"
      : `「${labels[state.sort]}」の${describe(keys[state.sort], state.descending)}`;
    const text = `${prefix}${rows.length}件のうち${shown}件の制度を、${order}に表示しています。`;
    if (announce || status.textContent !== text) status.textContent = text;
    writeUrl();
  }

  function writeUrl() {
    const params = new URLSearchParams();
    for (const name of FACETS) for (const value of state.facets[name] || []) params.append(name, value);
    if (state.sort >= 0) {
      params.set(SORT, labels[state.sort]);
      if (state.descending) params.set(ORDER, DESCENDING);
    }
    const query = params.toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
  }
}

function describe(key, descending) {
  if (key === "status") return descending ? "終了したものから順" : "実施中のものから順";
  if (DATES.has(key)) return descending ? "遅い順" : "早い順";
  if (NUMERIC.has(key)) return descending ? "大きい順" : "小さい順";
  return descending ? "降順" : "昇順";
}
