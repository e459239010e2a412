// The query side of the search page, pure functions only: how a typed query is
// normalised and which spellings of it are looked up in Pagefind's index.

// The indexed text is NFKC-normalised by the indexer (generator/output/search.py).
export function normalize(text) {
  return text.normalize("NFKC").replace(/\s+/g, " ").trim();
}

// Pagefind segments Japanese when indexing into short dictionary words (自治|体), while the
// browser splits the query into longer ones (自治体), and a query word longer than every
// indexed word finds nothing. So a kanji compound of three or more characters is also
// looked up split into pieces of one or two characters (each piece matches the start of an
// indexed word), and a page found that way must have the pieces next to each other. The
// pages found by any spelling are the result, each with its best score.
const KANJI = /^\p{Script=Han}+$/u;
const MAX_SPELLINGS = 24;
const segmenter = new Intl.Segmenter("ja", { granularity: "word" });

export function spellings(query) {
  let variants = [{ words: [], run: 1 }];
  for (const { segment, isWordLike } of segmenter.segment(query)) {
    if (!isWordLike) continue;
    const chars = [...segment];
    const options = [{ text: segment, run: 1 }];
    if (KANJI.test(segment) && chars.length >= 3) {
      for (const split of pieces(chars)) options.push({ text: split.join(" "), run: split.length });
    }
    const next = variants.flatMap((v) => options.map((o) => ({ words: [...v.words, o.text], run: Math.max(v.run, o.run) })));
    variants = next.length <= MAX_SPELLINGS ? next : variants.map((v) => ({ words: [...v.words, segment], run: v.run }));
  }
  const unique = new Map();
  for (const v of variants) if (v.words.length) unique.set(v.words.join(" "), v.run);
  return [...unique].map(([text, run]) => ({ text, run }));
}

// Splits into pieces of one or two characters, never two single characters in a row
// (dictionary words of one kanji are affixes such as 各 or 体, not neighbours).
function pieces(chars, afterSingle = false) {
  if (chars.length === 0) return [[]];
  const out = [];
  for (const size of afterSingle ? [2] : [1, 2]) {
    if (chars.length < size) continue;
    const head = chars.slice(0, size).join("");
    for (const tail of pieces(chars.slice(size), size === 1)) out.push([head, ...tail]);
  }
  return out;
}

export function hasRun(positions, length) {
  const at = new Set(positions);
  return positions.some((start) => {
    for (let i = 1; i < length; i += 1) if (!at.has(start + i)) return false;
    return true;
  });
}
