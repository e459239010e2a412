"""The privacy guard of content/roles/: personal keys, personal history and contact details, in every spelling, are errors.

The fuzz-like tests build hundreds of spellings of phone numbers, e-mail addresses, postal codes
and social-media URLs (every hyphen, spaces, parentheses, +81, full-width digits and ＠,
(at)/(dot)), each inside ordinary Japanese prose; every one must be caught. Legitimate texts
taken from the real content (dates, amounts, rates, official URLs) must never be flagged.
"""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest

from generator.content.discover import SourceFile
from generator.content.parse import parse_entry
from generator.content.privacy import FORBIDDEN_KEYS, check_role, find_contact_details
from generator.content.validate import validate_file

ROLE = """---
title: 市町村CIO補佐官（モデル）
summary: CIOを支える外部人材の役割のモデルです。
archetype: producer
host: municipality
engagement:
  form: part_time
kind: model
updated: "2026-06-01"
"""
PATH = "content/roles/x.md"


def role_problems(front: str = "", body: str = "") -> list[str]:
    parsed = parse_entry((ROLE + front + "---\n" + body).encode(), PATH)
    return [p.format() for p in check_role(parsed)]


# --- personal keys ---------------------------------------------------------------


@pytest.mark.parametrize("key", ["name", "email", "phone", "address", "birthdate", "photo", "Name", "TEL", "twitter"])
def test_personal_keys_are_errors(key):
    assert role_problems(f"{key}: なにか\n") == [
        f"{PATH}:10:1: error[privacy-key]: 「{key}」は個人を特定できる情報のため、人材の役割には書けません。役割の仕事内容と求めるスキルだけを書いてください"
    ]


def test_personal_keys_are_reported_once_not_also_as_unknown_fields():
    source = SourceFile(
        PATH, "roles", "x", (ROLE + "reviewed: '2026-06-01'\nemail: someone\nbirthdate: '1980-01-01'\n---\n").encode()
    )
    result = validate_file(source, None, date(2026, 11, 26))
    assert [p.code for p in result.problems] == ["privacy-key", "privacy-key"]
    assert result.located is None


def test_forbidden_keys_cover_the_issue_list():
    assert {"name", "email", "phone", "address", "birthdate", "photo"} <= FORBIDDEN_KEYS


def test_problems_name_the_line_in_front_matter_and_body():
    problems = role_problems(
        "notes: 以前の連絡先は 090-1234-5678 でした\n",
        "## 問い合わせ\n\nメールは someone@example.com まで。\n",
    )
    assert problems == [
        f"{PATH}:10:1: error[privacy-phone]: 電話番号のような文字列「090-1234-5678」があります。人材の役割には連絡先や個人を特定できる情報を書けません",
        f"{PATH}:14:1: error[privacy-email]: メールアドレスのような文字列「someone@example.com」があります。人材の役割には連絡先や個人を特定できる情報を書けません",
    ]


def test_nested_values_and_list_items_name_their_own_line():
    problems = role_problems("skills:\n  - 調整\n  - 連絡 ０９０－１２３４－５６７８\n")
    assert [p.split(": error")[0] for p in problems] == [f"{PATH}:12:5"]


def test_other_collections_are_not_scanned():
    # The guard is for anonymous roles only: a program may publish its office's phone number.
    source = SourceFile(
        "content/programs/x.md",
        "programs",
        "x",
        "---\ntitle: T\nsummary: 問い合わせ 03-5253-5111\nprovider: [総務省]\nlevel: national\nkinds: [advisor_dispatch]\n"
        "sources: [{title: a, publisher: b}]\nupdated: '2026-06-01'\nreviewed: '2026-06-01'\n---\n".encode(),
    )
    assert validate_file(source, None, date(2026, 11, 26)).problems == ()


# --- personal history: keys and headings -------------------------------------------------

HISTORY = "は個人の経歴など（経歴・前職・出身・年齢・学歴・家族・趣味など）を"
HINT = "人材の役割には書けません。役割（ポスト）を書き、その役割に就いた人のことは書きません。仕事の内容と求めるスキルを書いてください"


@pytest.mark.parametrize(
    "key", ["background", "経歴", "前職", "previous_job", "careerHistory", "Education", "趣味", "出身地"]
)
def test_keys_naming_a_personal_history_are_errors(key):
    assert role_problems(f"{key}: 民間企業でデータ分析の責任者\n") == [
        f"{PATH}:10:1: error[privacy-history]: 項目「{key}」{HISTORY}書く項目のため、{HINT}"
    ]


def test_a_history_key_inside_another_field_names_its_own_line():
    problems = role_problems("details:\n  form: x\n  職歴: 教育事業の会社\n")
    assert problems == [f"{PATH}:12:3: error[privacy-history]: 項目「職歴」{HISTORY}書く項目のため、{HINT}"]


def test_a_history_key_in_an_item_of_a_list_names_its_own_line():
    problems = role_problems("duties:\n  - task: 計画づくり\n  - task: 調整\n    前職: 教育事業の会社\n")
    assert problems == [f"{PATH}:13:5: error[privacy-history]: 項目「前職」{HISTORY}書く項目のため、{HINT}"]


@pytest.mark.parametrize(
    "body, line, shown, what",
    [
        ("## 経歴（匿名）\n", 11, "経歴（匿名）", "見出し"),
        ("本文です。\n\n### 前職について\n", 13, "前職について", "見出し"),
        ("学歴\n====\n", 11, "学歴", "見出し"),
        ("家族構成\n---\n", 11, "家族構成", "見出し"),
        ("# プロフィール #\n", 11, "プロフィール", "見出し"),
        ("**出身**：長野県\n", 11, "出身", "太字の見出し"),
        ("- **年齢：** 40代\n", 11, "年齢", "太字の見出し"),
        ("**Xでの経歴**：発信の担当\n", 11, "Xでの経歴", "太字の見出し"),  # quoted as written, a capital X kept
    ],
)
def test_headings_naming_a_personal_history_are_errors(body, line, shown, what):
    assert role_problems("", body) == [
        f"{PATH}:{line}:1: error[privacy-history]: {what}「{shown}」{HISTORY}書くためのものなので、{HINT}"
    ]


def test_headings_after_a_code_block_and_at_the_very_end_are_found():
    """A closed code block does not end the search; a heading on the body's last line (no line break after it) is read too."""
    assert role_problems("", "```\n## 経歴\n```\n\n## 前職\n") == [
        f"{PATH}:15:1: error[privacy-history]: 見出し「前職」{HISTORY}書くためのものなので、{HINT}"
    ]
    assert role_problems("", "主な仕事\n学歴\n====") == [
        f"{PATH}:12:1: error[privacy-history]: 見出し「学歴」{HISTORY}書くためのものなので、{HINT}"
    ]
    assert role_problems("", "本文です。\n経歴") == []  # a last line alone is text, not a heading


def test_headings_about_the_position_and_code_blocks_are_not_flagged():
    body = (
        "## どんな役割か\n\n## 主な仕事\n\n## 求める経験とスキル\n\n## 関わり方\n\n"
        "## 人材像を「プロデューサー」とした理由\n\n```\n## 経歴\n```\n\n"
        "長野県出身の人に限りません。趣味の話は書きません。\n\n**月10時間**まで関わります。\n"
    )
    assert role_problems("", body) == []


def test_background_is_no_longer_a_field_and_is_reported_once():
    source = SourceFile(
        PATH, "roles", "x", (ROLE + "reviewed: '2026-06-01'\nbackground: 教育事業の会社でデータ分析\n---\n").encode()
    )
    result = validate_file(source, None, date(2026, 11, 26))
    assert [p.format() for p in result.problems] == [
        f"{PATH}:11:1: error[privacy-history]: 項目「background」{HISTORY}書く項目のため、{HINT}"
    ]


# --- fuzz-like spellings ---------------------------------------------------------------

HYPHENS = ["-", "‐", "‑", "‒", "–", "—", "―", "−", "ー", "－", "ｰ"]
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
PHONE_NUMBERS = [
    ("090", "1234", "5678"),
    ("080", "9876", "5432"),
    ("070", "1111", "2222"),
    ("03", "5253", "5111"),
    ("026", "232", "0111"),
    ("0263", "12", "3456"),
    ("0120", "123", "456"),
    ("050", "3456", "7890"),
]
PROSE = ["{}", "連絡先は{}です", "TEL:{}", "電話 {}（平日のみ）", "（{}）", "携帯{}まで"]


def phone_spellings() -> list[str]:
    out: list[str] = []
    for a, b, c in PHONE_NUMBERS:
        for dash in HYPHENS:
            out.append(f"{a}{dash}{b}{dash}{c}")
        out += [
            f"{a} {b} {c}",
            f"{a}{b}{c}",
            f"({a}) {b}-{c}",
            f"({a}){b}-{c}",
            f"{a}({b}){c}",
            f"{a}.{b}.{c}",
            f"{a} - {b} - {c}",
            f"+81-{a[1:]}-{b}-{c}",
            f"+81 {a[1:]} {b} {c}",
            f"+81{a[1:]}{b}{c}",
            f"+81 (0){a[1:]}-{b}-{c}",
            f"+81-{a}-{b}-{c}",
            f"{a}-{b}-{c}".translate(FULL),
            f"{a}－{b}－{c}".translate(FULL),
            f"（{a}）{b}－{c}".translate(FULL),
            f"＋８１－{a[1:]}－{b}－{c}".translate(FULL),
        ]
    return out


def email_spellings() -> list[str]:
    users = ["someone", "taro.yamada", "t_yamada+dx", "k-suzuki99"]
    domains = [("example", "com"), ("pref.nagano.lg", "jp"), ("gmail", "com"), ("mail.example.co", "jp")]
    out: list[str] = []
    for user, (host, tld) in itertools.product(users, domains):
        out += [
            f"{user}@{host}.{tld}",
            f"{user}＠{host}.{tld}",
            f"{user} @ {host}.{tld}",
            f"{user}(at){host}.{tld}",
            f"{user} (at) {host} (dot) {tld}",
            f"{user}[at]{host}[dot]{tld}",
            f"{user} at {host} dot {tld}",
            f"{user}アット{host}.{tld}",
            f"{user.upper()}@{host.upper()}.{tld.upper()}",
            f"mailto:{user}@{host}.{tld}",
            f"{user}@{host}.{tld}".translate(
                str.maketrans(
                    "abcdefghijklmnopqrstuvwxyz.@", "ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ．＠"
                )
            ),
        ]
    return out


def postal_spellings() -> list[str]:
    out: list[str] = []
    for code in ["380-8570", "100-8926", "790-8570", "730-8511"]:
        a, b = code.split("-")
        for dash in HYPHENS:
            out.append(f"〒{a}{dash}{b}")
            out.append(f"{a}{dash}{b}")
        out += [
            f"〒{a}{b}",
            f"〒 {a}-{b}",
            f"〒{a} {b}",
            f"〒{a} - {b}",
            f"〒{a}-{b}".translate(FULL),
            f"{a}－{b}".translate(FULL),
            f"郵便番号 {a}-{b}",
        ]
    return out


def social_spellings() -> list[str]:
    sites = [
        "twitter.com/{}",
        "x.com/{}",
        "facebook.com/{}",
        "fb.com/{}",
        "instagram.com/{}",
        "linkedin.com/in/{}",
        "github.com/{}",
        "note.com/{}",
        "qiita.com/{}",
        "zenn.dev/{}",
        "threads.net/@{}",
        "tiktok.com/@{}",
        "youtube.com/@{}",
        "bsky.app/profile/{}.bsky.social",
        "wantedly.com/id/{}",
    ]
    out: list[str] = []
    for site in sites:
        for prefix in ["https://", "http://", "https://www.", "", "https://m."]:
            out.append(prefix + site.format("taro_dx"))
        out.append("ＨＴＴＰＳ：／／" + site.format("taro").upper())
    return out


def in_prose(spellings: list[str], seed: int) -> list[str]:
    rng = random.Random(seed)  # fixed seed: the same cases every run
    return [rng.choice(PROSE).format(s) for s in spellings] + spellings


CASES = {
    "電話番号": in_prose(phone_spellings(), 1),
    "メールアドレス": in_prose(email_spellings(), 2),
    "郵便番号": in_prose(postal_spellings(), 3),
    "個人のSNS・プロフィールのURL": in_prose(social_spellings(), 4),
}


def test_the_fuzz_corpus_is_large():
    assert sum(len(v) for v in CASES.values()) >= 500


@pytest.mark.parametrize("label", list(CASES))
def test_every_spelling_is_caught(label):
    missed = [text for text in CASES[label] if label not in find_contact_details(text)]
    assert missed == [], f"{len(missed)} of {len(CASES[label])} {label} spellings slipped through"


def test_every_spelling_is_caught_in_a_role_file_with_its_line():
    texts = [t for texts in CASES.values() for t in texts]
    body = "\n".join(f"- {t.replace('#', '')}" for t in texts)
    parsed = parse_entry((ROLE + "---\n" + body + "\n").encode(), PATH)
    lines = {p.line for p in check_role(parsed)}
    assert lines == set(range(parsed.body_line, parsed.body_line + len(texts)))


# --- what must not be flagged ----------------------------------------------------------

LEGITIMATE = [
    # dates and periods
    "2023-10-24",
    '"2022-08-08"',
    "令和5年10月24日",
    "事業期間：令和7年度末（2026年3月31日）まで",
    "制度全体は平成27年度（2015年度）に始まりました",
    "高度デジタル人材シェアリング事業として令和4年度（2022年度）に始まりました",
    "（2022年9月改定）",
    "2020-04-01〜2026-03-31",
    "2023年10月時点で5件の協定があり",
    # amounts, rates, counts, times
    "措置の額は1人あたり年560万円（上限）です",
    "受け入れの経費に特別交付税措置があります（資料では年560万円/人）",
    "5600000",
    "5,600,000円",
    "措置率0.7とは",
    "措置率：0.7（対象となる経費の7割が特別交付税の算定に入ります）",
    "時間：月10時間が上限",
    "派遣は1回3時間以上",
    "現地への派遣は年3回まで",
    "オンライン会議は合計10時間まで",
    "令和5年度に延べ119人が応募し",
    "長野県には77の市町村があり",
    "広島県と県内23市町が",
    "本文の文字とその背景のコントラスト比を4.5:1以上にします",
    "JIS X 8341-3:2016",
    "10:00-12:00",
    "1,000万円〜2,000万円",
    "総務省の現在の案内では6か月から3年です",
    # official URLs and e-mail-looking things that are not addresses
    "https://www.soumu.go.jp/main_sosiki/jichi_gyousei/c-gyousei/bunken_kaikaku/02gyosei08_03100070.html",
    "https://www.cas.go.jp/jp/seisaku/digital_gyozaikaikaku/kaigi5/gijishidai5.html",
    "https://www.homes.co.jp/cont/press/rent/rent_01066",
    "https://ehime-pref.note.jp/n/nf3cb0883ef4f",
    "https://creativecommons.org/licenses/by/4.0/deed.ja",
    "https://www.pref.nagano.lg.jp/joho/kensei/dx/index.html",
    "https://www.digital.go.jp/policies/local_governments",
    "[デジタル人材の育成・確保に係る地方財政措置](../programs/digital-talent-fiscal-measure.md)",
    "@2x の画像",
    "GitHub や Qiita での発信経験",
    "X（旧Twitter）での広報",
    "note で記事を書いた経験",
]


@pytest.mark.parametrize("text", LEGITIMATE)
def test_legitimate_text_is_not_flagged(text):
    assert find_contact_details(text) == ()


def test_legitimate_text_in_a_role_file_gives_no_problem():
    assert role_problems("skills: [月10時間を上限に業務に従事]\n", "\n".join(LEGITIMATE) + "\n") == []


def test_a_url_at_the_end_of_one_part_hides_nothing_in_the_next():
    """The one-pass search joins the parts of a role: a URL that ends one part must not swallow
    the next (the checks that skip URLs would then miss a phone number there)."""
    problems = role_problems("links:\n  - https://www.pref.nagano.lg.jp/x\n  - 090-1234-5678\n")
    assert problems == [
        f"{PATH}:12:5: error[privacy-phone]: 電話番号のような文字列「090-1234-5678」があります。人材の役割には連絡先や個人を特定できる情報を書けません"
    ]


def test_dates_on_adjacent_lines_are_not_a_phone_number():
    front = 'reviewed: "2026-05-01"\nsources:\n  - {title: 資料, publisher: 県, published: "2026-05-01", accessed: "2026-06-01"}\n'
    assert role_problems(front) == []
