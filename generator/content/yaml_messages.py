"""libyaml's refusal of a file, said to the editor: a Problem in Japanese at the line to change.

``parse.parse_yaml`` reads the YAML; when libyaml refuses it, this says why in the editor's
words. A slip an editor often makes (a missing space, a quote left open) is recognised by
``yaml_slips`` and named at its own line; otherwise libyaml's message is matched with a hint.
"""

from __future__ import annotations

import yaml

from ..problems import Problem, error
from .yaml_slips import diagnose

_YAML_HINTS: tuple[tuple[str, str], ...] = (
    ("found character '\\t'", "タブ文字は使えません。インデントには半角スペースを使ってください"),
    ("found a tab character", "タブ文字は使えません。インデントには半角スペースを使ってください"),
    ("mapping values are not allowed", 'ここに「:」は置けません。値に「:」を含めるときは全体を "…" で囲んでください'),
    ("could not find expected ':'", "「キー: 値」の「:」が見つかりません"),
    ("did not find expected key", "インデント（字下げ）がそろっていません"),
    ("did not find expected '-' indicator", "リストの「- 」の位置がそろっていません"),
    ("found undefined alias", "YAML のエイリアス（*）は使えません"),
    ("found unexpected end of stream", "引用符（\" や '）やかっこが閉じられていません"),
    ("found unknown escape character", '"…" の中の \\ の使い方が正しくありません'),
    ("expected <block end>, but found", "インデント（字下げ）がそろっていません"),
    ("but found another document", "front matter の中に --- を書くことはできません"),
    ("special characters are not allowed", "使えない制御文字が含まれています"),
    ("unacceptable character", "使えない制御文字が含まれています"),
    ("exceeded maximum nesting depth", "入れ子（かっこやインデント）が深すぎます"),
    ("did not find expected ',' or ']'", "[ ] が閉じられていないか、要素の区切りの「,」がありません"),
    ("did not find expected ',' or '}'", "{ } が閉じられていないか、要素の区切りの「,」がありません"),
    ("found character that cannot start any token", '「@」「`」「%」などで始まる値は全体を "…" で囲んでください'),
    ("did not find expected node content", "値が書かれていないか、記号の使い方が正しくありません"),
    ("block sequence entries are not allowed", "「- 」で始まるリストは、キーの次の行から字下げして書いてください"),
)


def yaml_problem(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Problem:
    slip = diagnose(exc, text, first_line)
    if slip is not None:
        line, col, message = slip
        return error(path, line + first_line, col + 1, "yaml-syntax", f"YAML の書き方に誤りがあります: {message}")
    mark = exc.problem_mark or exc.context_mark
    line = (mark.line + first_line) if mark else first_line
    col = (mark.column + 1) if mark else 1
    detail = f"{exc.context or ''} {exc.problem or ''}".strip()
    lines = text.split("\n")
    if mark and mark.line < len(lines) and lines[mark.line][mark.column : mark.column + 1] == "\t":
        return error(path, line, col, "yaml-syntax", f"YAML の書き方に誤りがあります: {_YAML_HINTS[0][1]}")
    for needle, hint in _YAML_HINTS:
        if needle in detail:
            return error(path, line, col, "yaml-syntax", f"YAML の書き方に誤りがあります: {hint}")
    return error(path, line, col, "yaml-syntax", f"YAML の書き方に誤りがあります（{detail}）")


def reader_problem(exc: yaml.reader.ReaderError, text: str, path: str, first_line: int) -> Problem:
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    index = text.find(char)
    line = text.count("\n", 0, index) + first_line if index >= 0 else first_line
    col = index - (text.rfind("\n", 0, index) + 1) + 1 if index >= 0 else 1
    return error(
        path,
        line,
        col,
        "yaml-syntax",
        f"YAML の書き方に誤りがあります: 使えない制御文字（U+{ord(char[:1] or ' '):04X}）が含まれています",
    )
