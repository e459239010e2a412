// The query side of the search page, pure functions only: how a typed query is normalised,
// split into the tokens the index holds, and found again in a page's text.
//
// The index holds every run of kanji and kana as its first character, its overlapping character
// pairs and its last character (長野県 → 長 長野 野県 県) and every other word as itself,
// NFKC-normalised and lower-cased (generator/output/search_text.py, which has the same character
// list; a test compares both). A typed word is looked up as the phrase of its tokens, so 地方創生
// finds the pages that contain 地方創生 and no other; words separated by spaces must all be there.

const CJK =
  "\u3005-\u3007" +
  "\u3041-\u3096\u3099-\u309c\u309d-\u309f" +
  "\u30a1-\u30fa\u30fc-\u30ff" +
  "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff" +
  "\u{20000}-\u{3ffff}";
const SEGMENT = new RegExp(`[${CJK}]+|(?:[^\\P{L}${CJK}]|[^\\P{N}${CJK}])+`, "gu");
const IS_CJK = new RegExp(`^[${CJK}]`, "u");
const LETTER_OR_DIGIT = new RegExp(`[^\\P{L}${CJK}]|[^\\P{N}${CJK}]`, "u");

// The form the index and the URL keep: NFKC (ＤＸ → DX), single spaces.
export function normalize(text) {
  return text.normalize("NFKC").replace(/\s+/g, " ").trim();
}

// The words and runs of `text`, as the indexer finds them: [{ text, cjk }].
export function segments(text) {
  const found = [];
  for (const match of normalize(text).toLowerCase().matchAll(SEGMENT)) {
    found.push({ text: match[0], cjk: IS_CJK.test(match[0]) });
  }
  return found;
}

// Every token the indexer writes for `text` (used by the test that compares both sides).
export function indexTokens(text) {
  const tokens = [];
  for (const segment of segments(text)) {
    if (!segment.cjk) tokens.push(segment.text);
    else tokens.push(...runTokens([...segment.text], true, true));
  }
  return tokens;
}

// A run's tokens: its pairs, after its first character when the run starts there and before its
// last character when it ends there (a run of one character is that character).
function runTokens(chars, starts, ends) {
  if (chars.length === 1) return starts || ends ? [chars[0]] : [];
  const tokens = starts ? [chars[0]] : [];
  for (let i = 0; i + 1 < chars.length; i += 1) tokens.push(chars[i] + chars[i + 1]);
  if (ends) tokens.push(chars[chars.length - 1]);
  return tokens;
}

// How one typed word is looked up: the phrase of its tokens, or, for one kanji or kana alone,
// every token that starts with it. Within the word a run starts or ends where another word is
// next to it (年3回 → 年 3 回); at the word's own edges the page's run may go on (推進課 is
// found in DX推進課), so the phrase has only the pairs there.
export function wordQuery(word) {
  const parts = segments(word);
  if (parts.length === 1 && parts[0].cjk && [...parts[0].text].length === 1) {
    return { tokens: [parts[0].text], prefix: true };
  }
  const tokens = [];
  parts.forEach((part, index) => {
    if (!part.cjk) tokens.push(part.text);
    else tokens.push(...runTokens([...part.text], index > 0, index < parts.length - 1));
  });
  return tokens.length ? { tokens, prefix: false } : null;
}

// The words of a query, each as wordQuery gives it; words with nothing to look up are dropped.
export function queryWords(query) {
  return normalize(query)
    .split(" ")
    .map(wordQuery)
    .filter(Boolean);
}

// Where the query's words occur in `text` (as shown on a page): [start, end) ranges in `text`,
// merged and sorted. Words are compared as the index has them: NFKC-normalised, lower-cased, and a
// word of letters or digits only where it is not part of a longer one (DX, not the DX of DXShip).
export function matchRanges(text, query) {
  const { folded, starts, ends } = fold(text);
  const needles = new Set();
  for (const word of normalize(query).toLowerCase().split(" ")) {
    if (!word) continue;
    if (folded.includes(word)) {
      needles.add(word);
      continue;
    }
    // Not there as typed (the page may have punctuation between its parts): mark its parts.
    const parts = segments(word);
    for (const part of parts) if (parts.length === 1 || [...part.text].length > 1) needles.add(part.text);
  }
  const ranges = [];
  for (const needle of needles) {
    for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      if (cutsWord(folded, at, needle[0]) || cutsWord(folded, end - 1, needle[needle.length - 1], 1)) continue;
      ranges.push([starts[at], ends[end - 1]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

// Whether a match whose edge character `edge` is at `at` of `folded` has a letter or digit beside it
// (before it, or after it when `step` is 1) that would make it part of a longer word.
function cutsWord(folded, at, edge, step = -1) {
  if (!LETTER_OR_DIGIT.test(edge)) return false;
  const beside = [...folded.slice(step < 0 ? Math.max(0, at - 2) : at + 1, step < 0 ? at : at + 3)];
  const neighbour = step < 0 ? beside[beside.length - 1] : beside[0];
  return neighbour !== undefined && LETTER_OR_DIGIT.test(neighbour);
}

// `text` NFKC-normalised and lower-cased, with, for every position of the result, where in `text`
// the character it came from starts and ends (a match in the folded text is marked in the original).
function fold(text) {
  let folded = "";
  const starts = [];
  const ends = [];
  const units = text.match(/\P{M}[\p{M}\uff9e\uff9f]*|[\p{M}\uff9e\uff9f]+/gsu) || [];
  let position = 0;
  for (const unit of units) {
    const form = unit.normalize("NFKC").toLowerCase();
    for (let i = 0; i < form.length; i += 1) {
      starts.push(position);
      ends.push(position + unit.length);
    }
    folded += form;
    position += unit.length;
  }
  return { folded, starts, ends };
}
