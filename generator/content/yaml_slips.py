"""The common slips of a person editing YAML by hand, found at the line they must change.

libyaml reports where it gave up, which is often lines after the slip: a key
without a space after its ``:`` is read as text that runs on until the next
``key:``; an unclosed quote swallows every line up to the next quote. Given the
error (or a value that parsed but only because of a slip), these functions find
the line to edit and say what to change there. Pure: text in, positions and
Japanese messages out. Positions are 0-based in the YAML text; ``first`` is the
file's line number of its first line, for the line numbers messages name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

import yaml

Slip = tuple[int, int, str]
"""(line, column, message), 0-based."""

_KEY = r"[a-z_][a-z0-9_]*"
"""A field name as the schemas write them: a capitalised word before a colon is text, not a slip."""
_FULLWIDTH_COLON = re.compile(rf"^\s*(?:- )?{_KEY}[ \u3000]*(：)")
_IDEOGRAPHIC_AFTER_COLON = re.compile(rf"^\s*(?:- )?{_KEY}(:)\u3000")
_NO_SPACE = re.compile(rf"^\s*(?:- )?({_KEY})(:)[^\s/:]")
_DASH_IDEOGRAPHIC = re.compile(r"^\s*(-)\u3000")
_DASH_NO_SPACE = re.compile(r"^\s*(-)[^\s-]")
_FULLWIDTH_DASH = re.compile(r"^\s*(－)")
_KEY_LINE = re.compile(rf"^\s*(?:- )?{_KEY}:(?:\s|$)")
_TAB_INDENT = re.compile(r"^ *(\t)")
_VALUE_AT = re.compile(rf"^\s*(?:-\s+)?(?:{_KEY}:\s+)?")
"""What comes before a value on its line: the indentation, a list's "- ", a "key: "."""

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader (PyYAML's own where it is missing), as parse.py reads the file with."""

TAB = "タブ文字は使えません。インデントには半角スペースを使ってください"
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def split_lines(text: str) -> list[str]:
    """The lines as libyaml counts them (NEL, LS and PS end a line too), so that its marks index them."""
    return _BREAK.split(text)


def slip_on_line(text: str) -> tuple[int, str] | None:
    """(column, message) of a slip a person makes writing ``key: value`` or ``- item`` on this line."""
    if m := _FULLWIDTH_COLON.match(text):
        return m.start(
            1
        ), "「：」が全角です。半角の「:」に直し、後ろに半角スペースを入れてください（例: level: national）"
    if m := _IDEOGRAPHIC_AFTER_COLON.match(text):
        return m.start(1), "「:」の後のスペースが全角です。半角スペースに直してください"
    if m := _NO_SPACE.match(text):
        value = text[m.end(2) :].split(" #", 1)[0].strip()
        return m.start(2), f"「:」の後に半角スペースがありません。「{m.group(1)}: {value}」のように書いてください"
    if m := _DASH_IDEOGRAPHIC.match(text):
        return m.start(1), "リストの「-」の後のスペースが全角です。半角スペースに直してください"
    if m := _FULLWIDTH_DASH.match(text):
        return m.start(1), "リストの「－」が全角です。半角の「-」に直し、後ろに半角スペースを入れてください"
    if m := _DASH_NO_SPACE.match(text):
        value = text[m.end(1) :].split(" #", 1)[0].strip()
        return m.start(1), f"リストの「-」の後に半角スペースがありません。「- {value}」のように書いてください"
    return None


def diagnose(exc: yaml.MarkedYAMLError, text: str, first: int = 1) -> Slip | None:
    """Where the slip behind a libyaml error is, when it is one of the common ones."""
    lines = split_lines(text)
    mark = exc.problem_mark or exc.context_mark
    if mark is None:
        return None
    at = min(mark.line, len(lines) - 1)
    for index in range(at + 1):  # a tab in the indentation breaks everything after it
        if m := _TAB_INDENT.match(lines[index]):
            return index, m.start(1), TAB
    context, problem = exc.context or "", exc.problem or ""
    if context == "while scanning a quoted scalar" and exc.context_mark is not None:
        return _unclosed(lines, exc.context_mark.line, exc.context_mark.column)
    quote = swallowing_quote(text, at)
    if quote is not None:
        return quote
    if "simple key" in context and exc.context_mark is not None:
        at = exc.context_mark.line  # the line libyaml read as a key without its ':'
    for index in _statement(lines, at):
        found = slip_on_line(lines[index])
        if found is not None:
            return index, found[0], found[1]
    if "simple key" in context:
        return (
            at,
            _indent(lines[at]),
            "この行に「キー: 値」の「:」がありません。値の続きなら前の行とそろえ、新しい項目なら「キー: 値」で書いてください",
        )
    if "expected key" in problem or "'-' indicator" in problem:
        after = _after_value(lines[at], mark.column)
        if after is not None:
            return at, mark.column, after
    if (
        any(
            s in problem
            for s in ("did not find expected key", "expected '-' indicator", "mapping values are not allowed")
        )
        or "<block end>" in problem
    ):
        return indentation(lines, at, first, mapping_value="mapping values" in problem, column=mark.column)
    return None


def _after_value(line: str, column: int) -> str | None:
    """Text after a value that ended on its line: ``"DX" 推進`` or ``[注] 補足``, where libyaml wants a new key."""
    before = line[:column].rstrip()
    if not before.endswith(('"', "'", "]", "}")):
        return None
    rest = _VALUE_AT.sub("", line)
    lead, value = line[: len(line) - len(rest)].strip(), rest.partition(" #")[0].rstrip()
    quoted = f'"{value}"' if '"' not in value else f"'{value}'" if "'" not in value else None
    example = f"（例: {' '.join(filter(None, (lead, quoted)))}）" if quoted else ""
    if before.endswith(('"', "'")):
        return f"引用符で囲んだ部分の後ろに文字が続いています。値の一部だけを囲むことはできません。値全体を囲んでください{example}"
    return f'「[」や「{{」で始まる値は一覧として読まれ、かっこの後ろに文字を続けられません。文として書くときは値全体を "…" で囲んでください{example}'


def _statement(lines: Sequence[str], at: int) -> list[int]:
    """The error's line and the lines before it that libyaml may have read as the same value."""
    found = [at]
    index = at - 1
    while index >= 0:
        text = lines[index]
        if text.strip() and not text.lstrip().startswith("#"):
            found.append(index)
            if _KEY_LINE.match(text):
                break
        index -= 1
    return found


def swallowing_quote(text: str, before: int) -> Slip | None:
    """A quoted value opened before line ``before`` that ran on over lines that look like ``key:`` lines."""
    lines = split_lines(text)
    loader = _LOADER(text)
    try:
        while (token := loader.get_token()) is not None:
            start, end = token.start_mark, token.end_mark
            if start.line > before:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") and end.line > start.line:
                if any(_KEY_LINE.match(lines[i]) for i in range(start.line + 1, min(end.line, len(lines) - 1) + 1)):
                    return _unclosed(lines, start.line, start.column)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    return None


def _unclosed(lines: Sequence[str], line: int, col: int) -> Slip:
    return line, col, _unclosed_message(lines[line][col : col + 1] if line < len(lines) else '"')


def _unclosed_message(quote: str) -> str:
    quote = quote if quote in ('"', "'") else '"'
    return f"引用符「{quote}」が閉じられていません。値の終わりに「{quote}」を書いてください"


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def closing_fence(lines: Sequence[str]) -> int:
    """Where the missing closing ``---`` of a front matter belongs: the line the body starts on.

    ``lines`` follow the opening ``---``. libyaml stops at the first line of the
    body that is not YAML (a Markdown heading reads as a comment); the body starts
    at the first line after the last YAML line before it.
    """
    text = "\n".join(lines)
    try:
        yaml.compose(text, Loader=_LOADER)
        stop = len(lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.context_mark if "simple key" in (exc.context or "") else (exc.problem_mark or exc.context_mark)
        stop = min(mark.line, len(lines)) if mark is not None else len(lines)
    except yaml.YAMLError:
        stop = len(lines)
    content = [i for i in _content_lines(lines) if i < stop]
    last = content[-1] if content else -1
    return next((i for i in range(last + 1, len(lines)) if lines[i].strip()), last + 1)


def _content_lines(lines: Sequence[str]) -> list[int]:
    return [i for i, t in enumerate(lines) if t.strip() and not t.lstrip().startswith("#")]


def _usual_step(lines: Sequence[str]) -> int | None:
    """How many spaces the file indents by, where it opens a block (``key:`` then a deeper line)."""
    content = _content_lines(lines)
    steps: Counter[int] = Counter()
    for a, b in zip(content, content[1:]):
        opens = lines[a].split(" #", 1)[0].rstrip().endswith(":")
        if opens and _indent(lines[b]) > _indent(lines[a]):
            steps[_indent(lines[b]) - _indent(lines[a])] += 1
    return steps.most_common(1)[0][0] if steps else None


def indentation(lines: Sequence[str], at: int, first: int = 1, *, mapping_value: bool = False, column: int = 0) -> Slip:
    """The line whose indentation disagrees with its neighbours', found from the line libyaml stopped at."""
    content = [i for i in _content_lines(lines) if i <= at]
    prev = content[content.index(at) - 1] if at in content and content.index(at) > 0 else None
    mine = _indent(lines[at])
    if mapping_value and (prev is None or mine <= _indent(lines[prev])):
        return at, column, 'ここに「:」は置けません。値に「:」を含めるときは全体を "…" で囲んでください'
    if prev is None:
        return at, column, "インデント（字下げ）がそろっていません"
    theirs = _indent(lines[prev])
    if mine > theirs:
        return (
            at,
            0,
            f"字下げ（{mine}文字）が前の行（{prev + first}行目、{theirs}文字）より深くなっています。前の行の続きでなければ字下げをそろえてください",
        )
    if mine == theirs:  # the same depth, but a list item and a "key: value" line side by side
        here, there = lines[at].lstrip(), lines[prev].lstrip()
        if there.startswith("- ") and ":" in there and not here.startswith("- "):
            key = there[2:].split(":", 1)[0].strip()
            return (
                at,
                0,
                (
                    f"{prev + first}行目の「- 」の項目の続きなら、字下げを {mine + 2}文字にして「{key}」とそろえてください。"
                    "新しい項目なら先頭に「- 」を付けてください"
                ),
            )
        return (
            at,
            0,
            f"「- 」で始まる行と「キー: 値」の行が同じ字下げ（{mine}文字）に混ざっています。どちらかにそろえてください",
        )
    # A dedent to a depth no open block has: the block above, or this line, is off.
    parent = next((i for i in reversed(content[: content.index(prev)]) if _indent(lines[i]) < theirs), None)
    top = next(i for i in content if (parent is None or i > parent) and i <= prev)
    base = _indent(lines[parent]) if parent is not None else 0
    step = _usual_step(lines)
    if step is not None and mine - base == step and theirs - base != step:
        return (
            top,
            0,
            f"字下げ（{theirs}文字）が同じ段の {at + first}行目（{mine}文字）とそろっていません。ほかの段と同じく {step}文字ずつ下げてください",
        )
    return at, 0, f"字下げ（{mine}文字）が同じ段の {top + first}行目（{theirs}文字）とそろっていません"


def suspicious_scalar(node: yaml.ScalarNode, text: str) -> Slip | None:
    """A value that parsed only because of a slip: ``-item``, ``key:value`` on its own line, a run-on quote.

    Reads ``text`` around the value by its marks (libyaml counts characters), without splitting the file.
    """
    start, end = node.start_mark, node.end_mark
    quoted = node.style in ('"', "'")
    if node.style and not quoted:  # a block scalar (| or >) is text by design
        return None
    line_start = start.index - start.column
    if not quoted and text[line_start : start.index].strip() == "":  # written as a key or an item
        line_end = _BREAK.search(text, start.index)
        found = slip_on_line(text[line_start : line_end.start() if line_end else len(text)])
        if found is not None:
            return start.line, found[0], found[1]
    if end.line == start.line:
        return None
    for line, line_text in enumerate(split_lines(text[line_start : end.index])[1:], start=start.line + 1):
        if quoted:
            if _KEY_LINE.match(line_text):
                return start.line, start.column, _unclosed_message(text[start.index])
        elif line_text.lstrip().startswith("- ") or _KEY_LINE.match(line_text) or slip_on_line(line_text):
            return (
                line,
                _indent(line_text),
                "字下げがそろっていないため、前の行の値の続きとして読まれています。同じ段の行と字下げをそろえてください",
            )
    return None
