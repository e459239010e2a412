"""The example values `catalog new` writes, and the check that none is published.

A new entry holds an example value on every field, marked ``# ← 書き換えてください``,
and example sentences in its body. While the entry is a draft they are harmless;
once it is not, each one left is an error (``placeholder``), on its line. The
editor confirms a value by removing its mark. Pure: file bytes and the parsed
file in, problems out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..problems import Problem, error
from .parse import Parsed

MARK = "# ← 書き換えてください"
FILL_IN = "（ここに書いてください）"
"""Value of a text field whose schema has no example."""

BODIES: Mapping[str, str] = {
    "programs": "## 制度の概要\n\n（制度の目的と、誰が何を受けられるかを書きます）\n\n## 使い方\n\n（申し込み先や手続きの流れを書きます）\n",
    "partners": "## 連携の内容\n\n（協定で取り組むことを書きます）\n",
    "cases": "## 取り組みの概要\n\n（誰が、どんな課題に、どのように取り組んだかを書きます）\n\n## 成果と課題\n\n（わかっていることだけを書きます）\n",
    "roles": "## どんな役割か\n\n（仕事の内容を書きます。氏名・連絡先・写真など、個人が特定できる情報は書けません）\n",
    "pages": "（ページの本文を書きます）\n",
}
"""The body of a new entry of each collection; its lines in parentheses are examples to replace."""

_BODY_EXAMPLES = frozenset(
    line for body in BODIES.values() for line in body.split("\n") if line.startswith("（") and line.endswith("）")
)
_BODY_HINT = "を書きます"
"""In every example sentence: one search of the body before looking for each of them."""
_MARKED = re.compile(r"(?:^|\s)(#\s*←\s*書き換えてください)")
_KEY = re.compile(r"^\s*(?:- )?([A-Za-z_][A-Za-z0-9_]*)\s*:")
_MARK_BYTES = "書き換えてください".encode()


def placeholder_problems(raw: bytes, parsed: Parsed) -> tuple[Problem, ...]:
    """An error on each example value or sentence left in a file that is not a draft."""
    if parsed.data.get("draft") is True:
        return ()
    if _MARK_BYTES not in raw and _BODY_HINT not in parsed.body:
        return ()
    lines = raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")  # parse accepted it
    problems = []
    for index, line in enumerate(lines[: parsed.body_line - 1]):
        found = _MARKED.search(line)
        if found:
            key = _KEY.match(line)
            what = f"「{key.group(1)}」の値" if key else "この行の値"
            problems.append(
                error(
                    parsed.path,
                    index + 1,
                    found.start(1) + 1,
                    "placeholder",
                    f"{what}が例のままです。この項目の内容に書き換えて、行末の「{MARK}」を消してください"
                    "（使わない任意の項目は項目ごと消します）",
                )
            )
    for offset, line in enumerate(lines[parsed.body_line - 1 :]):
        if line.strip() in _BODY_EXAMPLES:
            problems.append(
                error(
                    parsed.path,
                    parsed.body_line + offset,
                    1,
                    "placeholder",
                    f"本文に例の文「{line.strip()}」が残っています。この項目の内容に書き換えてください",
                )
            )
    return tuple(problems)
