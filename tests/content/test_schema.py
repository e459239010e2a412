"""Schema validation: each problem at the offending key's line, with a message an editor can act on."""

from __future__ import annotations

import json
from datetime import date

import pytest
from jsonschema import Draft202012Validator

from generator.content.discover import SourceFile
from generator.content.schema import SCHEMA_NAMES, field_label, load_schema, short_description
from generator.content.validate import validate_archetypes, validate_file, validate_site_config

AS_OF = date(2026, 11, 26)

PROGRAM = """---
title: T
summary: S
provider:
  - 総務省
level: national
kinds:
  - advisor_dispatch
sources:
  - {title: 資料, publisher: 発行者}
updated: "2026-06-01"
reviewed: "2026-06-01"
"""
"""A valid program's front matter up to line 12, without its closing fence."""

ROLE = """---
title: T
summary: S
archetype: producer
host: municipality
engagement:
  form: part_time
status: open
updated: "2026-06-01"
reviewed: "2026-06-01"
kind: real
sources:
  - {title: 資料, publisher: 発行者, published: "2026-06-01"}
"""
"""A valid real role (an open posting with a dated source), without its closing fence."""


PAGE = '---\ntitle: 案内\nsummary: このサイトの使い方です。\nupdated: "2026-06-01"\n---\n本文\n'
"""A valid page of content/pages/."""


def check(kind: str, text: str, slug: str = "x") -> list[str]:
    source = SourceFile(f"content/{kind}/{slug}.md", kind, slug, text.encode())
    return [p.format() for p in validate_file(source, None, AS_OF).problems]


def program(extra: str = "", **replace: str) -> list[str]:
    text = PROGRAM
    for old, new in replace.items():
        text = text.replace(old, new)
    return check("programs", text + extra + "---\n")


P = "content/programs/x.md"


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_valid_2020_12_and_documented_in_japanese(name):
    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    item = schema["items"] if schema["type"] == "array" else schema
    for key, prop in item["properties"].items():
        assert prop.get("description"), f"{name}.{key} has no description"


def test_a_valid_program_has_no_problems():
    assert program() == []


def test_missing_fields_each_once():
    assert check("programs", "---\ntitle: T\n---\n") == [
        f"{P}:1:1: error[missing-field]: 必須の項目「{name}」がありません"
        for name in ("summary", "provider", "level", "kinds", "sources", "updated", "reviewed")
    ]


def test_missing_nested_field_names_its_parent():
    assert check("roles", ROLE.replace("  form: part_time\n", "  remote: true\n") + "---\n") == [
        "content/roles/x.md:6:1: error[missing-field]: 必須の項目「form」がありません（「engagement」（関わり方）の中）"
    ]


def test_unknown_fields_with_did_you_mean():
    assert program("sumary: x\nprovder: y\nfoo: 1\n") == [
        f"{P}:13:1: error[unknown-field]: 知らない項目「sumary」があります。「summary」の間違いではありませんか？",
        f"{P}:14:1: error[unknown-field]: 知らない項目「provder」があります。「provider」の間違いではありませんか？",
        f"{P}:15:1: error[unknown-field]: 知らない項目「foo」があります。使える項目: title, summary, tags, draft, updated, "
        "provider, level, kinds, archetypes, modes, terms, period, aliases, url, sources, reviewed",
    ]


def test_unknown_nested_field():
    assert program("terms:\n  fiscal_rat: 0.7\n") == [
        f"{P}:14:3: error[unknown-field]: 知らない項目「fiscal_rat」があります（「terms」（条件）の中）。「fiscal_rate」の間違いではありませんか？"
    ]


def test_wrong_types():
    assert sorted(program("aliases: 別名\nterms:\n  fiscal_rate: '0.7'\n  annual_cap_yen: 5.5\ndraft: 'yes'\n")) == [
        f"{P}:13:1: error[wrong-type]: 「aliases」（別名・旧称）はリスト（- で始まる行）で書いてください（いまは文字列「別名」）",
        f"{P}:15:3: error[wrong-type]: 「terms.fiscal_rate」（措置率）は数値で書いてください（いまは文字列「0.7」）",
        f"{P}:16:3: error[wrong-type]: 「terms.annual_cap_yen」（年間の上限額）は整数で書いてください（いまは数値 5.5）",
        f"{P}:17:1: error[wrong-type]: 「draft」（下書き）はtrue か falseで書いてください（いまは文字列「yes」）",
    ]


def test_empty_and_null_values():
    assert program(**{"title: T": 'title: ""'}) == [f"{P}:2:1: error[empty-value]: 「title」（制度の正式名称）が空です"]
    assert program(**{"title: T": "title:"}) == [
        f"{P}:2:1: error[wrong-type]: 「title」（制度の正式名称）は文字列で書いてください（いまは空）"
    ]


def test_a_date_written_as_a_number_is_a_wrong_type():
    assert program(**{'updated: "2026-06-01"': "updated: 20260601"}) == [
        f"{P}:11:1: error[wrong-type]: 「updated」（この項目の文章を最後に書き換えた日）は文字列で書いてください（いまは数値 20260601）"
    ]


def test_enum_with_the_japanese_label_gives_the_code():
    assert program(**{"level: national": "level: 国", "advisor_dispatch": "財政措置"}) == [
        f"{P}:6:1: error[invalid-value]: 「level」（制度の主体）に「国」は使えません。「国」なら national と書きます。"
        "使える値: national, prefecture, municipal",
        f"{P}:8:5: error[invalid-value]: 「kinds[1番目]」に「財政措置」は使えません。「財政措置」なら fiscal_measure と書きます。"
        "使える値: advisor_dispatch, personnel_dispatch, fiscal_measure, matching, training, partnership",
    ]


def test_enum_given_a_list_or_mapping():
    assert program(**{"level: national": "level: [national]"}) == [
        f"{P}:6:1: error[wrong-type]: 「level」（制度の主体）は文字列で書いてください（いまはリスト）",
        f"{P}:6:1: error[invalid-value]: 「level」（制度の主体）に「['national']」は使えません。使える値: national, prefecture, municipal",
    ]


def test_enum_without_a_label_lists_the_values():
    assert program(**{"level: national": "level: nation"}) == [
        f"{P}:6:1: error[invalid-value]: 「level」（制度の主体）に「nation」は使えません。「national」の間違いではありませんか？使える値: national, prefecture, municipal"
    ]


def test_role_enums_accept_japanese_hints():
    text = ROLE.replace("archetype: producer", "archetype: プロデューサー").replace("form: part_time", "form: 副業")
    text = text.replace("host: municipality", "host: 市町村").replace("status: open", "status: 募集中")
    assert check("roles", text + "---\n") == [
        "content/roles/x.md:4:1: error[invalid-value]: 「archetype」（人材像）に「プロデューサー」は使えません。「プロデューサー」なら producer と書きます。"
        "使える値: producer, project_manager, service_designer, engineer",
        "content/roles/x.md:5:1: error[invalid-value]: 「host」（受け入れ先）に「市町村」は使えません。「市町村」なら municipality と書きます。"
        "使える値: prefecture, municipality, joint",
        "content/roles/x.md:7:3: error[invalid-value]: 「engagement.form」（形態）に「副業」は使えません。「副業」なら side_job と書きます。"
        "使える値: side_job, fixed_term, part_time, contract, dispatch, concurrent",
        "content/roles/x.md:8:1: error[invalid-value]: 「status」（状況）に「募集中」は使えません。「募集中」なら open と書きます。"
        "使える値: open, active, closed",
    ]


def test_too_long_summary():
    assert program(**{"summary: S": "summary: " + "あ" * 201}) == [
        f"{P}:3:1: error[too-long]: 「summary」（一覧や検索結果に表示する要約）は200文字以内にしてください（いまは201文字）"
    ]


def test_url_pattern():
    assert program("url: www.soumu.go.jp\n") == [
        f"{P}:13:1: error[invalid-value]: 「url」（公式ページのURL）の書き方が正しくありません（いまは「www.soumu.go.jp」）。"
        "URL は http:// か https:// で始めてください"
    ]


def test_ranges():
    assert program("terms:\n  fiscal_rate: 1.5\n  annual_cap_yen: -1\n") == [
        f"{P}:14:3: error[out-of-range]: 「terms.fiscal_rate」（措置率）は1以下にしてください（いまは1.5）",
        f"{P}:15:3: error[out-of-range]: 「terms.annual_cap_yen」（年間の上限額）は0以上にしてください（いまは-1）",
    ]
    assert program("terms:\n  annual_cap_yen: 1000000000000000000000000000000\n") == [
        f"{P}:14:3: error[out-of-range]: 「terms.annual_cap_yen」（年間の上限額）は1000000000000以下にしてください"
        "（いまは1000000000000000000000000000000）"
    ]


def test_lists():
    assert program("tags:\n  - a\n  - a\n") == [
        f"{P}:13:1: error[duplicate-value]: 「tags」（自由なタグ）に同じ値が2回以上書かれています"
    ]
    assert program(**{"provider:\n  - 総務省": "provider: []"}) == [
        f"{P}:4:1: error[too-few]: 「provider」（所管）には少なくとも1個書いてください"
    ]


def test_dates_and_periods_are_checked_after_the_schema():
    assert program("period:\n  start: 令和7年度\n  end: 令和5年度\n") == [
        f"{P}:15:3: error[invalid-period]: 期間の終わり（令和5年度）が始まり（令和7年度）より前です"
    ]
    assert program(**{'updated: "2026-06-01"': "updated: 令和0年1月1日"}) == [
        f"{P}:11:1: error[invalid-date]: 令和0年はありません（元年は「令和元年」または「令和1年」と書きます）"
    ]
    assert program("period:\n  start: 2023年2月30日\n") == [
        f"{P}:14:3: error[invalid-date]: 「2023年2月30日」という日はありません（2月30日は存在しません）"
    ]


def test_case_prefecture_and_ranges():
    text = "---\ntitle: T\nsummary: S\nprefecture: 信州\nmodels: [シェアリング]\nmunicipalities: 2000\nsources: [{title: a, publisher: b}]\nupdated: '2026-06-01'\nreviewed: '2026-06-01'\n---\n"
    assert sorted(check("cases", text)) == [
        "content/cases/x.md:4:1: error[invalid-value]: 「prefecture」（都道府県名）の書き方が正しくありません（いまは「信州」）。"
        "都道府県名を「長野県」「東京都」のように書いてください",
        "content/cases/x.md:5:10: error[invalid-value]: 「models[1番目]」に「シェアリング」は使えません。"
        "使える値: talent_sharing, joint_hiring, talent_pool, support_center, side_job, corporate_partnership",
        "content/cases/x.md:6:1: error[out-of-range]: 「municipalities」（参加する市区町村の数）は1800以下にしてください（いまは2000）",
    ]
    assert check("cases", text.replace("信州", "信州県").replace("[シェアリング]", "[]").replace("2000", "2")) == [
        "content/cases/x.md:4:1: error[invalid-value]: 「信州県」は都道府県名ではありません（例: 長野県、東京都、大阪府、北海道）"
    ]


def test_site_yaml():
    raw = b"title: x\nprefecture: nagano\nbase_url: example.jp/x\nbase_path: /../x/\nlanguage: ja\ndescription: d\nlicense: {name: a, url: b}\nreview_interval_months: 0\n"
    problems = validate_site_config(SourceFile("content/site.yaml", "site", "site", raw)).problems
    assert [p.format() for p in problems] == [
        "content/site.yaml:2:1: error[invalid-value]: 「prefecture」（サイトを運営する都道府県）の書き方が正しくありません（いまは「nagano」）。"
        "都道府県名を「長野県」「東京都」のように書いてください",
        "content/site.yaml:3:1: error[invalid-value]: base_url の「example.jp/x」は公開先の URL として使えません。"
        "https://example.org や https://example.org/dx-catalog/ のように、http:// か https:// で始めて書いてください（? や # は付けられません）",
        "content/site.yaml:4:1: error[invalid-value]: base_path の「/../x/」はパスとして使えません。"
        "/ や /dx-catalog/ のように、半角英数字と - _ . ~ のフォルダ名を / で区切って書いてください（「.」で始まるフォルダ名は使えません）",
        "content/site.yaml:7:20: error[invalid-value]: 「license.url」（ライセンスの説明ページの URL）の書き方が正しくありません（いまは「b」）。URL は http:// か https:// で始めてください",
        "content/site.yaml:8:1: error[out-of-range]: 「review_interval_months」（確認の間隔）は1以上にしてください（いまは0）",
    ]


def test_empty_site_yaml_lists_every_required_field_once():
    problems = validate_site_config(SourceFile("content/site.yaml", "site", "site", b"")).problems
    assert [p.format() for p in problems] == [
        f"content/site.yaml:1:1: error[missing-field]: 必須の項目「{name}」がありません"
        for name in ("title", "prefecture", "base_url", "language", "description", "license")
    ]


def test_archetypes_yaml():
    raw = (
        b"- id: producer\n  name: x\n  summary: y\n  responsibilities: [a]\n"
        b"- id: designer\n  name: x\n  summary: y\n"
        b"- id: producer\n  name: x\n  summary: y\n  responsibilities: [a]\n"
    )
    archetypes, problems = validate_archetypes(SourceFile("content/archetypes.yaml", "archetypes", "archetypes", raw))
    assert archetypes == ()
    assert [p.format() for p in problems] == [
        "content/archetypes.yaml:5:3: error[missing-field]: 必須の項目「responsibilities」がありません（「[2番目]」の中）",
        "content/archetypes.yaml:5:3: error[invalid-value]: 「[2番目].id」（人材像のID）に「designer」は使えません。"
        "「service_designer」の間違いではありませんか？使える値: producer, project_manager, service_designer, engineer",
    ]


def test_archetype_defined_twice():
    raw = b"- id: producer\n  name: x\n  summary: y\n  responsibilities: [a]\n" * 2
    _, problems = validate_archetypes(SourceFile("content/archetypes.yaml", "archetypes", "archetypes", raw))
    assert [p.format() for p in problems] == [
        "content/archetypes.yaml:5:3: error[duplicate-slug]: 人材像「producer」が2回定義されています"
    ]


@pytest.mark.parametrize(
    ("raw", "described"),
    [(b"id: producer\n", "「キー: 値」の組"), (b"", "空"), (b"- a\n", None)],
)
def test_archetypes_yaml_must_be_a_list_of_mappings(raw, described):
    _, problems = validate_archetypes(SourceFile("content/archetypes.yaml", "archetypes", "archetypes", raw))
    if described:
        assert [p.format() for p in problems] == [
            f"content/archetypes.yaml:1:1: error[wrong-type]: この項目はリスト（- で始まる行）で書いてください（いまは{described}）"
        ]
    else:
        assert [p.format() for p in problems] == [
            "content/archetypes.yaml:1:3: error[wrong-type]: 「[1番目]」は「キー: 値」の組で書いてください（いまは文字列「a」）"
        ]


def test_field_label_uses_the_short_description():
    schema = load_schema("programs")
    assert field_label(schema, ["terms", "fiscal_rate"]) == "「terms.fiscal_rate」（措置率）"
    assert field_label(schema, ["sources", 0, "url"]) == "「sources[1番目].url」（資料のURL）"
    assert field_label(schema, []) == "この項目"
    # a key the schema does not describe (a covers path, a key the editor sent) is named as written
    assert field_label(schema, ["terms", "no_such_rate"]) == "「terms.no_such_rate」"
    assert field_label(schema, ["title", "x"]) == "「title.x」"


def test_a_label_is_the_descriptions_first_words_when_they_are_short():
    twenty = "二十文字ちょうどの説明になるように書いた項目の名前"[:20]
    assert len(twenty) == 20
    assert short_description({"description": f"{twenty}（例: x）"}) == twenty
    assert short_description({"description": f"{twenty}名。続き"}) == ""  # 21 characters: a sentence, not a label
    assert field_label({"properties": {"a": {"description": f"{twenty}名"}}}, ["a"]) == "「a」"
    assert short_description({}) == short_description(None) == ""


def test_schema_files_are_utf8_json_with_japanese_text():
    for name in SCHEMA_NAMES:
        text = json.dumps(load_schema(name), ensure_ascii=False)
        assert any("\u3040" <= ch <= "\u9fff" for ch in text), name


# --- which schemas the compiled check may run (schema._keywords) --------------------------------


def test_every_keyword_of_a_schema_is_found_and_values_are_not_keywords():
    """The compiled check runs only when every keyword is one it handles as jsonschema does: a
    keyword missed here could let it accept what jsonschema refuses."""
    from generator.content.schema import _keywords

    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "array", "items": {"dependentSchemas": {}}},
            "b": {"anyOf": [{"not": {}}, {"type": "null"}]},
        },
        "required": ["a"],
        "examples": [{"exampleKey": 1}],
        "enum": [{"enumKey": 1}],
        "const": {"constKey": 1},
    }
    assert _keywords(schema) == {
        "type",
        "properties",
        "items",
        "dependentSchemas",
        "anyOf",
        "not",
        "required",
        "examples",
        "enum",
        "const",
    }
    assert _keywords({"properties": {"type": {"type": "string"}}}) == {"properties", "type"}


def test_a_reference_that_is_not_a_file_name():
    text = ROLE.replace("kind: real\n", "kind: real\nprograms:\n  - Advisor_Program\n") + "---\n"
    (line,) = check("roles", text)
    assert line.endswith(
        "の書き方が正しくありません（いまは「Advisor_Program」）。ファイル名（半角英小文字・数字・ハイフン）で書いてください"
    ), line


def test_a_source_that_covers_a_field_covers_the_fields_inside_it():
    from generator.model import Source

    source = Source("資料", covers=("terms", "period.end"))
    assert source.states("terms") and source.states("terms.fiscal_rate") and source.states("period.end")
    assert not source.states("period") and not source.states("period.start") and not source.states("terms_note")


def test_a_value_of_the_wrong_type_is_shown_as_written_up_to_30_characters():
    thirty = "七割を措置します（上限は年額五百万円、詳しくは要綱の第三条を参照）"[:30]
    assert len(thirty) == 30
    assert program(f"terms:\n  fiscal_rate: {thirty}\n") == [
        f"{P}:14:3: error[wrong-type]: 「terms.fiscal_rate」（措置率）は数値で書いてください（いまは文字列「{thirty}」）"
    ]
    assert program(f"terms:\n  fiscal_rate: {thirty}。\n") == [
        f"{P}:14:3: error[wrong-type]: 「terms.fiscal_rate」（措置率）は数値で書いてください（いまは文字列「{thirty}…」）"
    ]


def test_a_yes_or_no_where_text_belongs_is_named_as_such():
    assert program(**{"title: T": "title: yes"}) == [
        f"{P}:2:1: error[wrong-type]: 「title」（制度の正式名称）は文字列で書いてください（いまはtrue か falseの true）"
    ]


SITE = (
    "title: x\nprefecture: 長野県\nbase_url: https://example.jp/\nlanguage: ja\ndescription: d\n"
    "license: {name: a, url: 'https://example.jp/license'}\n"
)


def test_the_editor_settings_say_how_to_write_the_repository_and_the_login_server():
    raw = (
        SITE
        + "cms:\n  backend: github\n  repo: nagano pref/dx-catalog\n  branch: main\n  base_url: http://auth.example.jp/login\n"
    )
    problems = validate_site_config(SourceFile("content/site.yaml", "site", "site", raw.encode())).problems
    assert [p.format() for p in problems] == [
        "content/site.yaml:9:3: error[invalid-value]: 「cms.repo」（リポジトリ）の書き方が正しくありません（いまは「nagano pref/dx-catalog」）。"
        "リポジトリは「所有者/名前」の形で、半角英数字と . _ - で書いてください（例: nagano-pref/dx-catalog）",
        "content/site.yaml:11:3: error[invalid-value]: 「cms.base_url」（ログインを仲立ちするサーバー）の書き方が正しくありません"
        "（いまは「http://auth.example.jp/login」）。URL は https:// で始め、パスを付けずに書いてください（例: https://auth.example.jp）",
    ]


def test_the_one_language_names_the_value_to_write():
    raw = SITE.replace("language: ja", "language: en")
    problems = validate_site_config(SourceFile("content/site.yaml", "site", "site", raw.encode())).problems
    assert [p.format() for p in problems] == [
        "content/site.yaml:4:1: error[invalid-value]: 「language」（言語）に「en」は使えません。使える値: ja"
    ]


def test_a_page_with_a_date_that_does_not_exist_is_refused_with_its_line():
    source = SourceFile("content/pages/guide.md", "pages", "guide", PAGE.replace("2026-06-01", "2026-13-01").encode())
    result = validate_file(source, None, AS_OF)
    assert result.source is source
    assert result.located is None
    assert [p.format() for p in result.problems] == [
        "content/pages/guide.md:4:1: error[invalid-date]: 「2026-13-01」という日はありません（13月1日は存在しません）"
    ]


def test_a_valid_page_has_no_problem():
    source = SourceFile("content/pages/guide.md", "pages", "guide", PAGE.encode())
    result = validate_file(source, None, AS_OF)
    assert result.source is source
    assert result.problems == ()
    assert result.located is not None
    assert (result.located.entry.slug, result.located.entry.title) == ("guide", "案内")
