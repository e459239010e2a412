// The passage a search result quotes: a sentence of the page as the page shows it.
//
// The index holds tokens, not text (search_text.py), so the passage is taken from the result's
// own page, fetched like any link (and then in the browser's cache when the visitor opens it).
// Its text is read with the indexer's rules: inside data-pagefind-body, outside
// data-pagefind-ignore (lists of other entries, badges, navigation), without table headers and
// captions (labels). The passage is the sentence with most of the query's words; a long one
// starts at a phrase boundary (、) before the first match. The title and the summary are shown
// on the result already and are never quoted.

import { matchRanges, normalize } from "./search-query.js";

const INLINE = new Set(
  "a abbr b bdi bdo cite code data del dfn em i ins kbd mark q rp rt ruby s samp small span strong sub sup time u var wbr".split(" "),
);
const SKIPPED = new Set(
  "script style template noscript svg form select textarea button iframe object canvas th caption".split(" "),
);
const SENTENCE = /[^。！？!?]+[。！？!?]*|[。！？!?]+/gu;
const BOUNDARY = /[、，,\s「『（(・：:]/u;
const LONGEST = 120;
const BEFORE_MATCH = 45;

const pages = new Map();

// The blocks of text of the page at `url` (cached); [] when it cannot be read.
export function pageBlocks(url) {
  if (!pages.has(url)) {
    pages.set(
      url,
      fetch(url)
        .then((response) => (response.ok ? response.text() : ""))
        .then((html) => blocksOf(new DOMParser().parseFromString(html, "text/html")))
        .catch(() => []),
    );
  }
  return pages.get(url);
}

// The page's own text as blocks (paragraphs, list items, cells), whitespace collapsed.
export function blocksOf(doc) {
  const blocks = [];
  let buffer = "";
  const flush = () => {
    const text = buffer.replace(/\s+/g, " ").trim();
    if (text) blocks.push(text);
    buffer = "";
  };
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        buffer += child.nodeValue;
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue;
      const name = child.localName;
      if (child.hasAttribute("data-pagefind-ignore") || SKIPPED.has(name)) {
        if (!INLINE.has(name)) flush();
        continue;
      }
      if (name === "br" || !INLINE.has(name)) flush();
      walk(child);
      if (!INLINE.has(name)) flush();
    }
  };
  for (const body of doc.querySelectorAll("[data-pagefind-body]")) {
    walk(body);
    flush();
  }
  return blocks;
}

// The passage of `blocks` to quote for `query`, or null: { text, ranges } with the matches as
// [start, end) ranges of `text`. `shown` are texts the result shows already (title, summary).
export function passage(blocks, query, shown = []) {
  const skip = new Set(shown.map((text) => normalize(text)));
  const words = normalize(query).split(" ").filter(Boolean);
  let best = null;
  for (const block of blocks) {
    if (skip.has(normalize(block))) continue;
    for (const sentence of block.match(SENTENCE) || []) {
      const text = sentence.trim();
      const found = words.filter((word) => matchRanges(text, word).length).length;
      if (!found) continue;
      const prose = /[。！？!?]$/u.test(text) || text.length >= 25;
      const rank = found * 2 + (prose ? 1 : 0);
      if (!best || rank > best.rank) best = { rank, text };
    }
  }
  return best ? trim(best.text, matchRanges(best.text, query)) : null;
}

// A sentence cut to about LONGEST characters around its first match, at phrase boundaries.
function trim(text, ranges) {
  if (text.length <= LONGEST) return { text, ranges };
  const first = ranges.length ? ranges[0][0] : 0;
  let from = 0;
  if (first > BEFORE_MATCH) {
    for (let i = first - 1; i >= first - BEFORE_MATCH; i -= 1) {
      if (BOUNDARY.test(text[i])) {
        from = i + 1;
        break;
      }
    }
  }
  let to = text.length;
  if (to - from > LONGEST) {
    to = from + LONGEST;
    for (let i = to; i > Math.max(from, first) + 20; i -= 1) {
      if (BOUNDARY.test(text[i - 1])) {
        to = i;
        break;
      }
    }
  }
  const head = from > 0 ? "…" : "";
  const tail = to < text.length ? "…" : "";
  const shift = head.length - from;
  return {
    text: head + text.slice(from, to) + tail,
    ranges: ranges
      .filter(([start, end]) => start >= from && end <= to)
      .map(([start, end]) => [start + shift, end + shift]),
  };
}
