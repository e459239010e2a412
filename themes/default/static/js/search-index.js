// The index side of the search page: the shards of the Pagefind index, merged.
//
// A large site's index is split into shards (generator/output/search_shards.py), listed in
// pagefind/catalog-shards.json. Each shard is its own Pagefind instance and this module merges
// their answers: a result is known by its shard and id (Pagefind's ids are short hashes,
// unique only within one index), results are ranked by score, facet counts add up, and sorted
// lists are merged with the sort values the manifest gives for each shard. (Pagefind's own
// mergeIndex orders merged results by score even when asked to sort, and its results do not
// say which index they came from.) A small site is one shard: the same code, nothing to merge.

import { queryWords } from "./search-query.js";

const SORT_KEY = "updated";

// The shards of the index, each loaded as its own Pagefind instance. Every shard carries the
// same pagefind.js (one Pagefind version), so the first one's is imported.
export async function loadShards(basePath) {
  const indexRoot = new URL(`${basePath}pagefind/`, location.href);
  const response = await fetch(new URL("catalog-shards.json", indexRoot), { cache: "no-cache" });
  if (!response.ok) throw new Error(`catalog-shards.json: HTTP ${response.status}`);
  const listed = (await response.json()).shards;
  if (!Array.isArray(listed) || !listed.length) throw new Error("catalog-shards.json lists no index");
  const pagefind = await import(new URL(`${listed[0].folder}pagefind.js`, indexRoot).href);
  const open = async (shard, number) => {
    const instance = unsegmented(() =>
      pagefind.createInstance({
        basePath: new URL(shard.folder, indexRoot).pathname,
        baseUrl: basePath,
        exactDiacritics: true,
        // Pagefind boosts a page whose title holds the query's words (5 × by default); the title
        // as tokens is the meta field title_tokens (search_text.py). The other meta fields are
        // kept as written for the result list and must not count: their words are not tokens.
        ranking: { metaWeights: { title_tokens: 5, title: 0, summary: 0, 種別: 0, 状況: 0, updated: 0 } },
      }),
    );
    await instance.init();
    return { number, name: shard.name, sort: shard.sort || {}, instance };
  };
  // The instances share one WebAssembly module, which the first one sets up: started together,
  // each would set up its own and the others' pointers would point into the wrong memory.
  // (init() returns before the module is ready; the first answer waits for it.)
  const first = await open(listed[0], 0);
  await first.instance.filters();
  const others = await Promise.all(listed.slice(1).map((shard, index) => open(shard, index + 1)));
  return [first, ...others];
}

// One search over the given shards; each result is known by `shard:id`.
async function searchShards(shards, term, options) {
  const answers = await Promise.all(shards.map((shard) => shard.instance.search(term, options)));
  return answers.flatMap((answer, index) =>
    (answer ? answer.results : []).map((result) => ({ key: `${shards[index].number}:${result.id}`, result, score: result.score })),
  );
}

// The sort values of a shard's pages in Pagefind's sorted order, from the manifest's runs.
function sortValues(shard) {
  const values = [];
  for (const [value, count] of shard.sort[SORT_KEY] || []) for (let i = 0; i < count; i += 1) values.push(value);
  return values;
}

// What the page needs to facet and sort on its own, loaded once: every page (in order of
// 更新日, newest first) and, for each facet value, the pages that have it. Faceting here
// rather than in Pagefind lets one search combine the lookups of several words (findTerm).
export async function loadCatalog(shards, facetNames) {
  const sorted = await Promise.all(shards.map((shard) => shard.instance.search(null, { sort: { [SORT_KEY]: "desc" } })));
  const ordered = [];
  sorted.forEach((answer, index) => {
    const shard = shards[index];
    const values = sortValues(shard);
    answer.results.forEach((result, position) =>
      ordered.push({ key: `${shard.number}:${result.id}`, result, value: values[position] ?? "", shard: index, position }),
    );
  });
  // Newest first; equal dates keep the shards' order, then Pagefind's order within a shard.
  ordered.sort((a, b) => (a.value < b.value ? 1 : a.value > b.value ? -1 : a.shard - b.shard || a.position - b.position));
  const all = new Map(ordered.map(({ key, result }) => [key, { key, result, score: 0 }]));
  const rank = new Map(ordered.map(({ key }, index) => [key, index]));
  // A facet value is looked up only in the shards that have it (a program's facets are in the programs shard).
  const available = await Promise.all(shards.map((shard) => shard.instance.filters()));
  const holders = {};
  available.forEach((filters, index) => {
    for (const name of facetNames) {
      for (const [value, count] of Object.entries(filters[name] || {})) {
        if (count > 0) ((holders[name] ||= {})[value] ||= []).push(shards[index]);
      }
    }
  });
  const facets = {};
  await Promise.all(
    Object.entries(holders).flatMap(([name, values]) =>
      Object.entries(values).map(async ([value, having]) => {
        const hits = await searchShards(having, null, { filters: { [name]: [value] } });
        (facets[name] ||= {})[value] = new Set(hits.map((hit) => hit.key));
      }),
    ),
  );
  return { all, rank, facets };
}

// Pagefind splits a query into words with Intl.Segmenter when the page's language is Japanese,
// which would cut the index's character pairs apart (地方 創生 → 地 方 創 生). The index is in a
// language Pagefind does not segment ("und", search_text.py), and an instance takes its query
// language from <html lang> when it is created: the attribute says "und" for that moment only
// (no task runs in between, so nothing sees it; the page stays lang="ja").
function unsegmented(create) {
  const html = document.documentElement;
  const language = html.getAttribute("lang");
  html.setAttribute("lang", "und");
  try {
    return create();
  } finally {
    html.setAttribute("lang", language);
  }
}

// The pages that contain every word of the query, each with its Pagefind score (`shard:id` → hit).
// Each word is looked up as the exact phrase of its tokens, which finds only real occurrences
// (Pagefind's plain search drops a word it cannot find and shortens one that matches nothing).
// The pages found are then ranked by one plain search for all the tokens: Pagefind's BM25, with
// titles and headings weighed above the body. A query with no word to look up finds nothing.
export async function findTerm(shards, query) {
  const words = queryWords(query);
  if (!words.length) return new Map();
  const phrase = (word) => (word.prefix ? word.tokens[0] : `"${word.tokens.join(" ")}"`);
  const sets = await Promise.all(words.map((word) => searchShards(shards, phrase(word))));
  let keys = null;
  for (const hits of sets) {
    const found = new Set(hits.map((hit) => hit.key));
    keys = keys ? new Set([...keys].filter((key) => found.has(key))) : found;
    if (!keys.size) return new Map();
  }
  const tokens = [...new Set(words.flatMap((word) => word.tokens))].join(" ");
  const ranked = new Map((await searchShards(shards, tokens)).map((hit) => [hit.key, hit]));
  const found = new Map();
  for (const hit of sets[0]) {
    if (keys.has(hit.key)) found.set(hit.key, ranked.get(hit.key) || { ...hit, score: 0 });
  }
  return found;
}
