"""Bytes → front matter with line numbers and body: every malformed file gets a message naming its line."""

from __future__ import annotations

import pytest

from generator.content.parse import Parsed, parse_data_file, parse_entry

PATH = "content/programs/x.md"


def lines(raw: bytes, path: str = PATH) -> list[str]:
    result = parse_entry(raw, path)
    assert isinstance(result, tuple), f"expected problems, got {result!r}"
    return [p.format() for p in result]


def parsed(raw: bytes) -> Parsed:
    result = parse_entry(raw, PATH)
    assert isinstance(result, Parsed), [p.format() for p in result]
    return result


def test_front_matter_body_and_positions():
    p = parsed(b"---\ntitle: x\nterms:\n  limits: a\nprovider:\n  - b\n---\n# body\n")
    assert p.data == {"title": "x", "terms": {"limits": "a"}, "provider": ["b"]}
    assert p.body == "# body\n"
    assert p.body_line == 8
    assert p.positions[("title",)] == (2, 1)
    assert p.positions[("terms", "limits")] == (4, 3)
    assert p.positions[("provider", 0)] == (6, 5)
    assert p.where(("terms", "limits", "missing")) == (4, 3)
    assert p.where(("nothing",)) == (1, 1)


def test_dates_stay_strings_for_the_date_parser():
    assert parsed(b"---\nupdated: 2023-10-24\n---\n").data == {"updated": "2023-10-24"}


def test_empty_front_matter_is_an_empty_mapping():
    p = parsed(b"---\n---\nbody\n")
    assert p.data == {}
    assert p.body_line == 3


def test_dots_close_front_matter_too():
    assert parsed(b"---\ntitle: x\n...\nbody\n").body == "body\n"


def test_a_later_rule_stays_in_the_body():
    assert parsed(b"---\ntitle: x\n---\nabove\n---\nbelow\n").body == "above\n---\nbelow\n"


def test_utf8_bom_is_accepted():
    p = parsed(b"\xef\xbb\xbf---\ntitle: x\n---\nbody")
    assert p.data == {"title": "x"}
    assert p.positions[("title",)] == (2, 1)


@pytest.mark.parametrize("newline", [b"\r\n", b"\r"])
def test_crlf_and_cr_line_ends_are_accepted(newline):
    raw = newline.join([b"---", b"title: x", b"summary: y", b"---", b"body", b"line2", b""])
    p = parsed(raw)
    assert p.data == {"title": "x", "summary": "y"}
    assert p.positions[("summary",)] == (3, 1)
    assert p.body == "body\nline2\n"
    assert p.body_line == 5


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "1:1: error[empty-file]: ファイルが空です。先頭に --- で囲んだ項目（front matter）を書いてください"),
        (
            b"\n  \n",
            "1:1: error[empty-file]: ファイルが空です。先頭に --- で囲んだ項目（front matter）を書いてください",
        ),
        (
            b"title: x\n",
            "1:1: error[front-matter-missing]: ファイルの先頭に --- で始まる項目（front matter）がありません。1行目を --- にしてください",
        ),
        (
            b"# only a body\n\ntext\n",
            "1:1: error[front-matter-missing]: ファイルの先頭に --- で始まる項目（front matter）がありません。1行目を --- にしてください",
        ),
        (
            b"---\ntitle: x\nsummary: y\n",
            "4:1: error[front-matter-unclosed]: front matter を閉じる --- がありません。この行（本文の始まり）の前に --- だけの行を入れてください",
        ),
        (b"---\n- a\n- b\n---\n", "2:1: error[front-matter-type]: front matter は「キー: 値」の形で書いてください"),
        (b"---\njust text\n---\n", "2:1: error[front-matter-type]: front matter は「キー: 値」の形で書いてください"),
    ],
)
def test_front_matter_shape(raw, expected):
    assert lines(raw) == [f"{PATH}:{expected}"]


def test_duplicate_keys_name_both_lines():
    assert lines(b"---\ntitle: a\nsummary: s\ntitle: b\n---\n") == [
        f"{PATH}:4:1: error[duplicate-key]: キー「title」が2回書かれています（最初は2行目）。1つにまとめてください"
    ]


def test_duplicate_keys_in_a_nested_mapping():
    assert lines(b"---\nterms:\n  limits: a\n  cost_coverage: b\n  limits: c\n---\n") == [
        f"{PATH}:5:3: error[duplicate-key]: キー「limits」が2回書かれています（最初は3行目）。1つにまとめてください"
    ]


def test_every_duplicate_key_is_reported():
    assert len(lines(b"---\na: 1\nb: 2\na: 3\nb: 4\na: 5\n---\n")) == 3


ALIAS = "error[yaml-alias]: YAML のアンカー（&）とエイリアス（*）は使えません。値をそのまま書いてください"


def test_aliases_are_refused():
    assert lines(b"---\ntitle: &t hello\nsummary: *t\n---\n") == [f"{PATH}:3:1: {ALIAS}"]


def test_billion_laughs_is_refused_without_expanding():
    levels = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 10):
        prev = chr(ord("a") + n - 1).encode()
        name = chr(ord("a") + n).encode()
        levels.append(name + b": &" + name + b" [" + b",".join([b"*" + prev] * 9) + b"]")
    problems = lines(b"---\n" + b"\n".join(levels) + b"\n---\n")
    assert problems
    assert all("yaml-alias" in p for p in problems)
    # Only the first use of each anchor is reported once per path: nothing is expanded 9^9 times.
    assert len(problems) < 100


def test_undefined_alias():
    assert lines(b"---\ntitle: *nowhere\n---\n") == [
        f"{PATH}:2:8: error[yaml-syntax]: YAML の書き方に誤りがあります: YAML のエイリアス（*）は使えません"
    ]


def test_merge_keys_are_refused():
    assert lines(b"---\nbase: &b {k: 1}\nterms:\n  <<: *b\n---\n")[0] == (
        f"{PATH}:4:3: error[yaml-key]: キーは文字列で書いてください（<< による結合や複合キーは使えません）"
    )


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        (b"!!python/object/apply:os.system [echo]", "tag:yaml.org,2002:python/object/apply:os.system"),
        (b"!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        (b"!!set {a}", "tag:yaml.org,2002:set"),
        (b"!custom x", "!custom"),
    ],
)
def test_tags_are_refused(value, tag):
    assert lines(b"---\ntitle: " + value + b"\n---\n") == [
        f"{PATH}:2:8: error[yaml-tag]: YAML のタグ「{tag}」は使えません"
    ]


def test_complex_keys_are_refused():
    assert lines(b"---\n? [a, b]\n: c\n---\n") == [
        f"{PATH}:2:3: error[yaml-key]: キーは文字列で書いてください（<< による結合や複合キーは使えません）"
    ]


def test_scalar_keys_become_strings_for_the_schema_to_judge():
    assert parsed(b"---\n1: a\ntrue: b\n~: c\n---\n").data == {"1": "a", "true": "b", "~": "c"}


TAB = "error[yaml-syntax]: YAML の書き方に誤りがあります: タブ文字は使えません。インデントには半角スペースを使ってください"


@pytest.mark.parametrize(
    ("raw", "line"),
    [(b"---\ntitle: x\n\tsummary: y\n---\n", 3), (b"---\ntitle: x\nprovider:\n\t- a\n---\n", 4)],
)
def test_tabs_are_named(raw, line):
    assert lines(raw) == [f"{PATH}:{line}:1: {TAB}"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            b"---\ntitle: a: b\n---\n",
            '2:9: error[yaml-syntax]: YAML の書き方に誤りがあります: ここに「:」は置けません。値に「:」を含めるときは全体を "…" で囲んでください',
        ),
        (
            b'---\ntitle: "abc\n---\n',
            '2:8: error[yaml-syntax]: YAML の書き方に誤りがあります: 引用符「"」が閉じられていません。値の終わりに「"」を書いてください',
        ),
        (
            b"---\nprovider:\n  - a\n - b\n---\n",
            "4:1: error[yaml-syntax]: YAML の書き方に誤りがあります: 字下げ（1文字）が同じ段の 3行目（2文字）とそろっていません",
        ),
        (
            "---\ntitle: ああ\x07b\n---\n".encode(),
            "2:10: error[yaml-syntax]: YAML の書き方に誤りがあります: 使えない制御文字（U+0007）が含まれています",
        ),
        (
            b"---\nterms:\n  fiscal_rate: .nan\n---\n",
            "3:16: error[invalid-number]: 「.nan」は数値として使えません。ふつうの数値で書いてください",
        ),
        (
            b"---\nx: -.inf\n---\n",
            "2:4: error[invalid-number]: 「-.inf」は数値として使えません。ふつうの数値で書いてください",
        ),
        (
            b"---\ntitle: [a\nb: c\n---\n",
            "3:2: error[yaml-syntax]: YAML の書き方に誤りがあります: [ ] が閉じられていないか、要素の区切りの「,」がありません",
        ),
        (
            b"---\ntitle: {a: 1\nb: c\n---\n",
            "3:2: error[yaml-syntax]: YAML の書き方に誤りがあります: { } が閉じられていないか、要素の区切りの「,」がありません",
        ),
        (
            b"---\ntitle: @x\n---\n",
            '2:8: error[yaml-syntax]: YAML の書き方に誤りがあります: 「@」「`」「%」などで始まる値は全体を "…" で囲んでください',
        ),
        (
            b"---\ntitle: [a, , b]\n---\n",
            "2:12: error[yaml-syntax]: YAML の書き方に誤りがあります: 値が書かれていないか、記号の使い方が正しくありません",
        ),
        (
            b"---\ntitle: - a\n---\n",
            "2:8: error[yaml-syntax]: YAML の書き方に誤りがあります: 「- 」で始まるリストは、キーの次の行から字下げして書いてください",
        ),
        (
            b"---\ntitle: x\nterms:\n" + b"".join(b"  " * i + b"a:\n" for i in range(1, 40)) + b"---\n",
            "36:67: error[yaml-depth]: 入れ子が深すぎます（32段まで）。インデントを見直してください",
        ),
        (
            b"---\ntitle: " + b"[" * 2000 + b"]" * 2000 + b"\n---\n",
            "2:1007: error[yaml-syntax]: YAML の書き方に誤りがあります: 入れ子（かっこやインデント）が深すぎます",
        ),
    ],
)
def test_yaml_syntax_errors_are_explained_in_japanese(raw, expected):
    assert lines(raw) == [f"{PATH}:{expected}"]


def test_shift_jis_is_named():
    raw = "---\ntitle: 地域情報化アドバイザー\n---\n".encode("cp932")
    assert lines(raw) == [
        f"{PATH}:2:8: error[encoding]: ファイルが UTF-8 ではなく Shift_JIS で保存されているようです。UTF-8 で保存し直してください"
    ]


def test_other_encodings_are_refused():
    assert lines("---\ntitle: café\n---\n".encode("latin-1")) == [
        f"{PATH}:2:11: error[encoding]: ファイルが UTF-8 ではありません。UTF-8 で保存し直してください"
    ]


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("utf-16", "ファイルが UTF-16 で保存されています。UTF-8 で保存し直してください"),
        ("utf-16-le", "ファイルが UTF-16 で保存されているようです。UTF-8 で保存し直してください"),
        ("utf-16-be", "ファイルが UTF-16 で保存されているようです。UTF-8 で保存し直してください"),
    ],
)
def test_utf16_is_named(encoding, message):
    assert lines("---\ntitle: テスト\n---\n本文\n".encode(encoding)) == [f"{PATH}:1:1: error[encoding]: {message}"]


def test_nul_byte_names_its_line():
    assert lines(b"---\ntitle: x\nsummary: a\x00b\n---\n") == [
        f"{PATH}:3:1: error[nul-byte]: ファイルに NUL 文字（0x00）が含まれています。テキストファイルとして保存し直してください"
    ]


def test_data_files_keep_list_positions():
    result = parse_data_file(b"- id: producer\n  name: x\n- id: engineer\n", "content/archetypes.yaml")
    assert isinstance(result, Parsed)
    assert result.data == [{"id": "producer", "name": "x"}, {"id": "engineer"}]
    assert result.positions[(1,)] == (3, 3)
    assert result.positions[(1, "id")] == (3, 3)


def test_data_file_problems_count_lines_from_one():
    result = parse_data_file(b"title: a\ntitle: b\n", "content/site.yaml")
    assert [p.format() for p in result] == [
        "content/site.yaml:2:1: error[duplicate-key]: キー「title」が2回書かれています（最初は1行目）。1つにまとめてください"
    ]


# --- Slips in the file `catalog new` writes: reported on the line the editor changed ------------

_NEW_PROGRAM = None


def _new_program() -> list[str]:
    global _NEW_PROGRAM
    if _NEW_PROGRAM is None:
        from datetime import date

        from generator.editor.scaffold import scaffold

        _NEW_PROGRAM = scaffold(
            "programs", "x", today=date(2026, 11, 26), existing={"archetypes": ("producer",)}
        ).split("\n")
    return list(_NEW_PROGRAM)


@pytest.mark.parametrize(
    "line_start, edit, column, message",
    [
        (
            "level: ",
            lambda t: t.replace("level: ", "level:"),
            6,
            "「:」の後に半角スペースがありません。「level: national」のように書いてください",
        ),
        ("title: ", lambda t: t.replace("title: ", "title:"), 6, "「:」の後に半角スペースがありません。"),
        ("  cost_coverage: ", lambda t: t.replace(": ", ":", 1), 16, "「:」の後に半角スペースがありません。"),
        ("level: ", lambda t: t.replace("level: ", "level： "), 6, "「：」が全角です。半角の「:」に直し"),
        ("kinds:", lambda t: t.replace("kinds:", "kinds："), 6, "「：」が全角です。"),
        ("updated: ", lambda t: t.replace('"2026-11-26"', '"2026-11-26'), 10, '引用符「"」が閉じられていません。'),
        ("summary: ", lambda t: t.replace("summary: ", "summary: '"), 10, "引用符「'」が閉じられていません。"),
        ("  - 総務省", lambda t: t.replace("- ", "-"), 3, "リストの「-」の後に半角スペースがありません。「- 総務省」"),
        ("  - advisor_dispatch", lambda t: t.replace("- ", "－"), 3, "リストの「－」が全角です。"),
        ("  cost_coverage: ", lambda t: " " + t, 1, "字下げ（3文字）が同じ段の"),
        ("  fiscal_rate: ", lambda t: t[1:], 1, "字下げ（1文字）が同じ段の"),
        ("  - 総務省", lambda t: "\t" + t.lstrip(), 1, "タブ文字は使えません。"),
        (
            "    publisher: ",
            lambda t: t[2:],
            1,
            "行目の「- 」の項目の続きなら、字下げを 4文字にして「title」とそろえてください。",
        ),
    ],
)
def test_a_slip_in_a_new_entry_is_reported_on_the_line_changed(line_start, edit, column, message):
    """A 70-line file: libyaml would stop lines later (30:1 for `level:national` on line 28)."""
    text = _new_program()
    index = next(i for i, t in enumerate(text) if t.startswith(line_start))
    text[index] = edit(text[index])
    (problem,) = lines("\n".join(text).encode())
    where, _, said = problem.partition(": error[yaml-syntax]: YAML の書き方に誤りがあります: ")
    assert where == f"{PATH}:{index + 1}:{column}", problem
    assert said.startswith(message) or (message.startswith("行目") and message in said), problem


def test_the_missing_closing_fence_is_reported_where_the_body_starts():
    text = _new_program()
    closing = text.index("---", 1)
    del text[closing]
    (problem,) = lines("\n".join(text).encode())
    assert problem.startswith(
        f"{PATH}:{closing + 1}:1: error[front-matter-unclosed]: front matter を閉じる --- がありません。"
    )
    assert text[closing].startswith("## ")


@pytest.mark.parametrize(
    "raw",
    [
        b"---\nsummary:\n  DX\xef\xbc\x9a\xe8\xa1\x8c\xe6\x94\xbf\n---\n",  # "DX：行政": text, not a key
        b'---\ntitle: "a\n  b"\n---\n',  # a quoted value over two lines
        b"---\nurl: https://example.jp/a:b\n---\n",
        b"---\nsummary: \xe6\x99\x82\xe5\x88\xbb10:30\n---\n",  # 時刻10:30
        b"---\nsummary: a\n  b - c\n---\n",
    ],
)
def test_values_that_only_look_like_slips_are_accepted(raw):
    parsed(raw)


def test_an_off_block_is_told_the_files_usual_indentation_step():
    """The step the file uses most (2 spaces, four times here; 3 once) is the one the hint asks for,
    however the blocks that use it are ordered."""
    text = (
        "---\ntitle: x\nterms:\n   cost_coverage: a\n  fiscal_rate: 0.5\nurl:\naliases:\n"
        "period:\n  start: 令和5年度\n  end: 令和9年度\nsources:\n  - title: 資料\n    covers:\n      - period.start\n"
        "  - title: 資料2\n    covers:\n      - period.end\n---\n"
    )
    result = parse_entry(text.encode(), "content/programs/x.md")
    assert isinstance(result, tuple)
    assert [p.format() for p in result] == [
        "content/programs/x.md:4:1: error[yaml-syntax]: YAML の書き方に誤りがあります: 字下げ（3文字）が同じ段の 5行目（2文字）とそろっていません。"
        "ほかの段と同じく 2文字ずつ下げてください"
    ]


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        ("---\n# はじめに\n\n本文: x: y\n", 2),  # nothing but a comment before the line libyaml stops at
        ("---\ntitle: a\x07b\n## 本文\n", 3),  # a character libyaml's reader refuses: no position to start from
        ('---\ntitle: "abc\n本文\n', 4),
        ("---\ntitle: x\n- a\n本文\n", 3),
        ("---\ntitle: x\nsummary: [a, b\n## 本文\n", 4),
    ],
)
def test_the_missing_closing_fence_is_placed_where_the_body_starts(raw: str, line: int):
    result = parse_entry(raw.encode(), "content/programs/x.md")
    assert isinstance(result, tuple)
    assert [p.format() for p in result] == [
        f"content/programs/x.md:{line}:1: error[front-matter-unclosed]: front matter を閉じる --- がありません。"
        "この行（本文の始まり）の前に --- だけの行を入れてください"
    ]


# --- Where libyaml gives up is not where the slip is: the line, column and wording the editor reads -----

SYNTAX = "error[yaml-syntax]: YAML の書き方に誤りがあります: "
NO_SPACE = "「:」の後に半角スペースがありません。"
DASH_NO_SPACE = "リストの「-」の後に半角スペースがありません。"


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        # A value written on a line of its own: the line without its ':', not the next key libyaml stops at.
        (
            "title: x\nsummary\nurl: y\n",
            "3:1: この行に「キー: 値」の「:」がありません。値の続きなら前の行とそろえ、新しい項目なら「キー: 値」で書いてください",
        ),
        # The example in the message is the whole value, up to the comment (not the first word, not the last '#').
        ("level:national\nkinds: y\n", f"2:6: {NO_SPACE}「level: national」のように書いてください"),
        ("title:ＤＸ 推進\nsummary: y\n", f"2:6: {NO_SPACE}「title: ＤＸ 推進」のように書いてください"),
        ("title:研修 # 2024年 #再掲\nsummary: y\n", f"2:6: {NO_SPACE}「title: 研修」のように書いてください"),
        (
            "provider:\n  -総務省 情報流通行政局\n  - b\n",
            f"3:3: {DASH_NO_SPACE}「- 総務省 情報流通行政局」のように書いてください",
        ),
        ("provider:\n  -総務省 # 所管 #1\n  - b\n", f"3:3: {DASH_NO_SPACE}「- 総務省」のように書いてください"),
        # A tab stops libyaml where it stands: it is named before a slip on a line above it.
        ("provider:\n  -a\n\t- b\n", "4:1: タブ文字は使えません。インデントには半角スペースを使ってください"),
        ("title:x\n\tsummary: y\n", "3:1: タブ文字は使えません。インデントには半角スペースを使ってください"),
        # A ': ' inside a value: told to quote it, unless the line is deeper than the one before.
        (
            "title: x\nsummary: a: b\n",
            '3:11: ここに「:」は置けません。値に「:」を含めるときは全体を "…" で囲んでください',
        ),
        (
            "title: a\n  b: c\n",
            "3:1: 字下げ（2文字）が前の行（2行目、0文字）より深くなっています。前の行の続きでなければ字下げをそろえてください",
        ),
        # A list item and a "key: value" at one depth.
        (
            "provider:\n  - a\n  b: c\n",
            "4:1: 「- 」で始まる行と「キー: 値」の行が同じ字下げ（2文字）に混ざっています。どちらかにそろえてください",
        ),
        (
            "sources:\n  - url: https://example.jp/a\n  publisher: x\n",
            "4:1: 3行目の「- 」の項目の続きなら、字下げを 4文字にして「url」とそろえてください。新しい項目なら先頭に「- 」を付けてください",
        ),
        # Text after a value that ended on its line: a part in quotes, a note in brackets (a list to YAML).
        (
            'title: x\nsummary: "DX" 推進\n',
            "3:15: 引用符で囲んだ部分の後ろに文字が続いています。値の一部だけを囲むことはできません。"
            "値全体を囲んでください（例: summary: '\"DX\" 推進'）",
        ),
        (
            'title: "DX" 推進\n',
            "2:13: 引用符で囲んだ部分の後ろに文字が続いています。値の一部だけを囲むことはできません。"
            "値全体を囲んでください（例: title: '\"DX\" 推進'）",
        ),
        (
            'provider:\n  - "総務省" 情報流通行政局  # 所管 #1\n',
            "3:11: 引用符で囲んだ部分の後ろに文字が続いています。値の一部だけを囲むことはできません。"
            "値全体を囲んでください（例: - '\"総務省\" 情報流通行政局'）",
        ),
        (
            "title: x\nsummary: 'a' \"b\" c\n",
            "3:14: 引用符で囲んだ部分の後ろに文字が続いています。値の一部だけを囲むことはできません。値全体を囲んでください",
        ),
        (
            'summary:\n  "DX" 推進\n',
            "3:8: 引用符で囲んだ部分の後ろに文字が続いています。値の一部だけを囲むことはできません。"
            "値全体を囲んでください（例: '\"DX\" 推進'）",
        ),
        (
            "title: x\nsummary: {仮称} 推進事業\n",
            "3:15: 「[」や「{」で始まる値は一覧として読まれ、かっこの後ろに文字を続けられません。"
            '文として書くときは値全体を "…" で囲んでください（例: summary: "{仮称} 推進事業"）',
        ),
        (
            "title: x\nsummary: [注] 補足です\n",
            "3:14: 「[」や「{」で始まる値は一覧として読まれ、かっこの後ろに文字を続けられません。"
            '文として書くときは値全体を "…" で囲んでください（例: summary: "[注] 補足です"）',
        ),
        # A quote closed on a later line, swallowing "key:" lines: named where it opens.
        (
            'title: "abc\nsummary: x\nfoo bar"\nurl: y\nlevel:national\nkinds: z\n',
            '2:8: 引用符「"」が閉じられていません。値の終わりに「"」を書いてください',
        ),
        (
            "title: 'abc\nsummary: x\nfoo bar'\nurl: y\nlevel:national\nkinds: z\n",
            "2:8: 引用符「'」が閉じられていません。値の終わりに「'」を書いてください",
        ),
        ('title: "abc\nsummary: x" y\n', '2:8: 引用符「"」が閉じられていません。値の終わりに「"」を書いてください'),
        # A quoted value over two lines that swallows nothing is no slip: the slip further down is named.
        (
            'title: x\nsummary: "a\n  b"\nurl: y\nlevel:national\nkinds: z\n',
            f"6:6: {NO_SPACE}「level: national」のように書いてください",
        ),
        (
            "title: x\nsummary: 'a\n  b'\nurl: y\nlevel:national\nkinds: z\n",
            f"6:6: {NO_SPACE}「level: national」のように書いてください",
        ),
    ],
)
def test_the_slip_is_named_on_its_own_line(yaml_text, expected):
    assert lines(f"---\n{yaml_text}---\n".encode()) == [f"{PATH}:{expected.replace(': ', f': {SYNTAX}', 1)}"]


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        # A quote run on over a "key:" line, or a value run on over a "key:value" line, parses: still a slip.
        (
            'title: "abc\nsummary: x"\nurl: y\n',
            '2:8: 引用符「"」が閉じられていません。値の終わりに「"」を書いてください',
        ),
        (
            "title: 'abc\nsummary: x'\nurl: y\n",
            "2:8: 引用符「'」が閉じられていません。値の終わりに「'」を書いてください",
        ),
        (
            "summary: a\n  level:national\n",
            "3:3: 字下げがそろっていないため、前の行の値の続きとして読まれています。同じ段の行と字下げをそろえてください",
        ),
    ],
)
def test_a_value_that_parsed_only_because_of_a_slip_is_refused(yaml_text, expected):
    assert lines(f"---\n{yaml_text}---\n".encode()) == [f"{PATH}:{expected.replace(': ', f': {SYNTAX}', 1)}"]


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        # The step is the one the file's blocks use (2 here), not a value's continuation lines (3) nor a
        # key left empty (0); a block off that step is named at its first line.
        (
            "a:\nb:\nc:\nperiod:\n  start: x\nterms:\n   x: 1\n  y: 2\n",
            "8:1: 字下げ（3文字）が同じ段の 9行目（2文字）とそろっていません。ほかの段と同じく 2文字ずつ下げてください",
        ),
        (
            "title: x\nperiod:  # 期間 #1\n  start: a\nterms:\n   a: 1\n  b: 2\n",
            "6:1: 字下げ（3文字）が同じ段の 7行目（2文字）とそろっていません。ほかの段と同じく 2文字ずつ下げてください",
        ),
        (
            "summary: a\n   b\ntitle: c\n   d\nterms:\n    a: 1\n   b: 2\n",
            "8:1: 字下げ（3文字）が同じ段の 7行目（4文字）とそろっていません",
        ),
        # Neither depth is the file's step: the line libyaml stopped at is named, against the block's first line.
        (
            "period:\n  start: a\nterms:\n    a: 1\n   b: 2\n",
            "6:1: 字下げ（3文字）が同じ段の 5行目（4文字）とそろっていません",
        ),
        (
            "period:\n  start: x\nterms:\n    a: 1\n    b: 2\n  c: 3\n",
            "5:1: 字下げ（4文字）が同じ段の 7行目（2文字）とそろっていません。ほかの段と同じく 2文字ずつ下げてください",
        ),
        (
            "title: x\nterms:\n  a:\n      b: 1\n    c: 2\n",
            "5:1: 字下げ（6文字）が同じ段の 6行目（4文字）とそろっていません。ほかの段と同じく 2文字ずつ下げてください",
        ),
        (
            "sources:\n  - title: t\n    covers:\n      - a\n  - title: u\n    covers:\n      - b\n"
            "  - title: v\n    covers:\n     - c\n    x: 1\nterms:\n   p: 1\n  q: 2\n",
            "14:1: 字下げ（3文字）が同じ段の 15行目（2文字）とそろっていません。ほかの段と同じく 2文字ずつ下げてください",
        ),
        # A text block (|) with a line less indented than its first: no block opens with ':' in the file.
        ("summary: |\n    line1\n  line2\nurl: x\n", "4:1: 字下げ（2文字）が同じ段の 3行目（4文字）とそろっていません"),
    ],
)
def test_an_indentation_slip_names_the_block_that_is_off(yaml_text, expected):
    assert lines(f"---\n{yaml_text}---\n".encode()) == [f"{PATH}:{expected.replace(': ', f': {SYNTAX}', 1)}"]


def test_the_missing_closing_fence_of_a_file_without_a_last_line_break():
    """Nothing but a heading after the opening ---, and no line break at the end (as some editors save)."""
    assert lines("---\n\n# 本文".encode()) == [
        f"{PATH}:3:1: error[front-matter-unclosed]: front matter を閉じる --- がありません。"
        "この行（本文の始まり）の前に --- だけの行を入れてください"
    ]
