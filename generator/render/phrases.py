"""Japanese line breaks at phrase boundaries: BudouX's phrases, joined by ``<wbr>``.

Browsers break Japanese between any two characters, so a heading can end a line
in the middle of a word (プロジェクトマネー｜ジャー) or split a count (事例 3｜件).
The theme sets ``word-break: keep-all`` on the elements this filter fills (no
break inside a run of letters) with ``overflow-wrap: anywhere`` as the fallback
for a phrase longer than its line, and this module marks where a line may break:
between BudouX's phrases (``budoux``, a small machine-learned model).

BudouX's model is tuned on prose; in titles and names it sometimes splits a word
(損｜害保険, あい｜おい). A boundary is therefore kept only where a reader would
expect one: not inside a run of katakana, of kanji, of Latin letters or digits;
not between a number and what follows it (3件, 2023年); not before closing
punctuation or after opening brackets; not between two hiragana unless the first
ends a particle (市町村支援の｜ための). Spaces stay break opportunities.

The parser costs about 5 µs a character, so each string is parsed once per
build (``Phrases`` holds the results; one is made with each template environment).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

_HIRAGANA = re.compile("[\u3041-\u309f]")
_KATAKANA = re.compile("[\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_KANJI = re.compile("[\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
_WORD = re.compile(r"[0-9A-Za-z０-９Ａ-Ｚａ-ｚ]")
_DIGIT = re.compile(r"[0-9０-９]")
_NO_LINE_START = frozenset(
    "、。，．,.・：:；;！!？?）)]］｝}〕〉》」』】〙〗ー～…‥々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ%％"
)
_NO_LINE_END = frozenset("（([［｛{〔〈《「『【〘〖")
_PARTICLE_ENDS = frozenset("のにはをがとでもへやかよねりてた")
"""Hiragana that end a phrase (particles, verb endings): a break after them reads naturally."""
_SPACE = re.compile(r"(\s+)")
_RANGE_MARKS = "〜～"
_RANGE = re.compile(f"(?<=[^{_RANGE_MARKS}\\s][{_RANGE_MARKS}])(?=.)")
"""A line may break after the 〜 of a range (令和5年度〜｜令和7年度末), whatever BudouX says."""
_COUNTER_KANA = frozenset("かヶヵケ")
"""The か of 1か月 (and its katakana forms): part of the count."""


def _script(char: str) -> str:
    if _KATAKANA.match(char):
        return "katakana"
    if _KANJI.match(char):
        return "kanji"
    if _HIRAGANA.match(char):
        return "hiragana"
    if _WORD.match(char):
        return "word"
    return "other"


def _may_break(left: str, right: str) -> bool:
    """Whether a line may break between the phrases ``left`` and ``right`` (both non-empty)."""
    last, first = left[-1], right[0]
    if first in _NO_LINE_START or last in _NO_LINE_END:
        return False
    if _DIGIT.match(last) or (last in _COUNTER_KANA and len(left) > 1 and _DIGIT.match(left[-2])):
        return False  # 3件, 2023年, 10時間, 1か月
    before, after = _script(last), _script(first)
    if before == "kanji" and _DIGIT.match(first):
        return False  # 令和8年, 第29号
    if before == after and before in ("katakana", "kanji", "word"):
        return False
    if before == after == "hiragana":
        return last in _PARTICLE_ENDS
    return True


LONG = 9
"""A phrase of more characters than this may also break where katakana meets kanji or hiragana
(長野県DX戦略推進｜パートナー｜連携協定): else it would be broken anywhere when it does not fit."""
_SCRIPT_CHANGE = re.compile(
    "(?<=[\u30a0-\u30ff])(?=[\u3005\u3400-\u9fff])"  # katakana | kanji
    "|(?<=[\u3005\u3400-\u9fff])(?=[\u30a1-\u30fa])"  # kanji | katakana
    "|(?<=[\u3041-\u3096])(?=[\u30a1-\u30fa])"  # hiragana | katakana
)


def _long(phrase: str) -> list[str]:
    if len(phrase) <= LONG:
        return [phrase]
    parts = _SCRIPT_CHANGE.split(phrase)
    out = [parts[0]]
    for part in parts[1:]:
        if _may_break(out[-1], part):
            out.append(part)
        else:
            out[-1] += part
    return out


def split(text: str, parse: Callable[[str], list[str]]) -> tuple[str, ...]:
    """``text`` as phrases between which a line may break; joined they give ``text`` back."""
    pieces: list[str] = []
    for chunk in _SPACE.split(text):
        if not chunk:
            continue
        if chunk.isspace():
            if pieces:
                pieces[-1] += chunk
            else:
                pieces.append(chunk)
            continue
        for part in _RANGE.split(chunk):
            start = len(pieces)
            for phrase in parse(part) if not part.isascii() else (part,):
                joined = len(pieces) > start or (
                    pieces and not pieces[-1][-1].isspace() and pieces[-1][-1] not in _RANGE_MARKS
                )
                if joined and not _may_break(pieces[-1], phrase):
                    pieces[-1] += phrase
                else:
                    pieces.append(phrase)
    return tuple(part for piece in pieces for part in _long(piece))


class Phrases:
    """The ``phrases`` filter of one build: ``{{ title|phrases }}`` → escaped phrases joined by ``<wbr>``.

    Results are kept per string for the build: a title is shown on its page, its card
    and in lists; labels on every page.
    """

    def __init__(self) -> None:
        import budoux  # imported here: only a build that renders pages needs the model

        self._parse = budoux.load_default_japanese_parser().parse
        self._done: dict[str, Markup] = {}
        self._split: dict[str, tuple[str, ...]] = {}

    def parts(self, text: object) -> tuple[str, ...]:
        """``text`` as its phrases (the ``phrase_parts`` filter: for values a script shows)."""
        value = "" if text is None else str(text)
        found = self._split.get(value)
        if found is None:
            found = self._split[value] = split(value, self._parse)
        return found

    def __call__(self, text: object) -> Markup:
        if isinstance(text, Markup):
            return text  # already markup: its author decided its breaks
        value = "" if text is None else str(text)
        found = self._done.get(value)
        if found is None:
            found = self._done[value] = join(self.parts(value))
        return found


def join(pieces: tuple[str, ...]) -> Markup:
    """Escaped phrases with ``<wbr>`` between them (none after a space, which is a break already)."""
    out: list[str] = []
    for piece in pieces:
        if out and not out[-1][-1].isspace():
            out.append("<wbr>")
        out.append(str(escape(piece)))
    return Markup("".join(out))
