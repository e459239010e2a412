"""Dates as editors write them: ISO, 西暦, 和暦 (元年, R5.10.24), 年度, and how pages show them."""

from __future__ import annotations

import re
from datetime import date

import pytest

from generator.content.dates import (
    fiscal_year_of,
    format_flexdate,
    format_seireki,
    format_wareki,
    parse_flexdate,
    shape_pattern,
    wareki_year,
)
from generator.model import FlexDate

OCT_24 = date(2023, 10, 24)


@pytest.mark.parametrize(
    "text",
    [
        "2023-10-24",
        "2023-10-24 ",
        "2023年10月24日",
        "令和5年10月24日",
        "令和５年１０月２４日",  # full-width digits
        "２０２３－１０－２４",  # full-width digits and hyphen-minus
        "R5.10.24",
        "Ｒ５．１０．２４",
        "R5/10/24",
        "令和 5年 10月 24日",  # spaces are ignored
    ],
)
def test_one_day_in_every_spelling(text):
    result = parse_flexdate(text)
    assert result == FlexDate(OCT_24, text, "date")


def test_short_iso_months_and_days():
    assert parse_flexdate("2023-1-5") == FlexDate(date(2023, 1, 5), "2023-1-5", "date")


def test_a_date_object_from_yaml_is_kept():
    assert parse_flexdate(OCT_24) == FlexDate(OCT_24, "2023-10-24", "date")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和元年5月1日", date(2019, 5, 1)),
        ("令和1年5月1日", date(2019, 5, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("昭和64年1月7日", date(1989, 1, 7)),
        ("平成31年4月30日", date(2019, 4, 30)),
        ("H31.4.30", date(2019, 4, 30)),
    ],
)
def test_era_first_and_last_days(text, expected):
    assert parse_flexdate(text).value == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("令和1年4月30日", "「令和1年4月30日」は令和の期間外です（令和は2019年5月1日からです）"),
        ("令和元年4月30日", "「令和元年4月30日」は令和の期間外です（令和は2019年5月1日からです）"),
        ("R1.4.30", "「R1.4.30」は令和の期間外です（令和は2019年5月1日からです）"),
        ("平成31年5月1日", "「平成31年5月1日」は平成の期間外です（平成は2019年4月30日までです）"),
        ("昭和64年1月8日", "「昭和64年1月8日」は昭和の期間外です（昭和は1989年1月7日までです）"),
        ("平成32年1月1日", "平成32年はありません（平成は2019年に終わっています）"),
        ("令和0年1月1日", "令和0年はありません（元年は「令和元年」または「令和1年」と書きます）"),
        ("令和0年度", "令和0年はありません（元年は「令和元年」または「令和1年」と書きます）"),
    ],
)
def test_days_outside_their_era_are_refused(text, message):
    assert parse_flexdate(text, "end") == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023年2月30日", "「2023年2月30日」という日はありません（2月30日は存在しません）"),
        ("令和5年2月30日", "「令和5年2月30日」という日はありません（2月30日は存在しません）"),
        ("2023-02-29", "「2023-02-29」という日はありません（2月29日は存在しません）"),
        ("2100-02-29", "「2100-02-29」という日はありません（2月29日は存在しません）"),
        ("2023-04-31", "「2023-04-31」という日はありません（4月31日は存在しません）"),
        ("2023-13-01", "「2023-13-01」という日はありません（13月1日は存在しません）"),
        ("2023-00-10", "「2023-00-10」という日はありません（0月10日は存在しません）"),
    ],
)
def test_days_that_do_not_exist(text, message):
    assert parse_flexdate(text) == message


@pytest.mark.parametrize("text", ["2024-02-29", "2000-02-29", "令和6年2月29日", "R2.2.29"])
def test_leap_days_of_leap_years(text):
    assert parse_flexdate(text).value.day == 29


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("令和7年度", date(2025, 4, 1), date(2026, 3, 31)),
        ("R7年度", date(2025, 4, 1), date(2026, 3, 31)),
        ("Ｒ７年度", date(2025, 4, 1), date(2026, 3, 31)),
        ("2025年度", date(2025, 4, 1), date(2026, 3, 31)),
        ("令和元年度", date(2019, 4, 1), date(2020, 3, 31)),
        ("平成31年度", date(2019, 4, 1), date(2020, 3, 31)),
        ("平成30年度", date(2018, 4, 1), date(2019, 3, 31)),
    ],
)
def test_fiscal_years_by_role(text, start, end):
    assert parse_flexdate(text, "start") == FlexDate(start, text, "fiscal_year_start")
    assert parse_flexdate(text, "end") == FlexDate(end, text, "fiscal_year_end")
    assert parse_flexdate(text, "day") == f"「{text}」は年度です。ここには日付を書いてください（例: 令和5年10月24日）"


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2023年10月", date(2023, 10, 1), date(2023, 10, 31)),
        ("2024年1月", date(2024, 1, 1), date(2024, 1, 31)),  # the first month of the year
        ("令和5年2月", date(2023, 2, 1), date(2023, 2, 28)),
        ("2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023年12月", date(2023, 12, 1), date(2023, 12, 31)),
        ("令和元年5月", date(2019, 5, 1), date(2019, 5, 31)),
    ],
)
def test_months_by_role(text, start, end):
    assert parse_flexdate(text, "start") == FlexDate(start, text, "date")
    assert parse_flexdate(text, "end") == FlexDate(end, text, "date")
    assert (
        parse_flexdate(text, "day") == f"「{text}」は月までしかありません。日まで書いてください（例: 令和5年10月24日）"
    )


def test_a_month_that_does_not_exist():
    assert parse_flexdate("2023年13月", "start") == "「2023年13月」という月はありません"


def test_three_digit_era_years():
    assert parse_flexdate("令和100年1月1日") == FlexDate(date(2118, 1, 1), "令和100年1月1日", "date")
    assert parse_flexdate("令和182年度", "end").value == date(2201, 3, 31)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1899-12-31", "「1899-12-31」の年が範囲外です（1900〜2200年）"),
        ("令和183年1月1日", "「令和183年1月1日」の年が範囲外です（1900〜2200年）"),
        ("令和999年度", "「令和999年度」の年が範囲外です（1900〜2200年）"),
        ("2201年度", "「2201年度」の年が範囲外です（1900〜2200年）"),
        ("", "日付が空です"),
        ("　", "日付が空です"),
        (
            "2023.10.24",
            "「2023.10.24」は日付として読めません。2023-10-24、令和5年10月24日、令和7年度、2025年度 のいずれかの形で書いてください",
        ),
        (
            "来年度",
            "「来年度」は日付として読めません。2023-10-24、令和5年10月24日、令和7年度、2025年度 のいずれかの形で書いてください",
        ),
        (
            20231024,
            "「20231024」は日付として読めません。2023-10-24、令和5年10月24日、令和7年度、2025年度 のいずれかの形で書いてください",
        ),
        (
            True,
            "日付は文字列で書いてください（例: 2023-10-24、令和5年10月24日、令和7年度）。「True」は日付ではありません",
        ),
        (
            3.5,
            "日付は文字列で書いてください（例: 2023-10-24、令和5年10月24日、令和7年度）。「3.5」は日付ではありません",
        ),
        (
            ["2023-10-24"],
            "日付は文字列で書いてください（例: 2023-10-24、令和5年10月24日、令和7年度）。「['2023-10-24']」は日付ではありません",
        ),
    ],
)
def test_unreadable_values_get_a_message(text, message):
    assert parse_flexdate(text, "start") == message


@pytest.mark.parametrize(
    ("text", "role", "shown"),
    [
        ("令和7年度", "end", "令和7年度末（2026年3月31日）"),
        ("2025年度", "end", "令和7年度末（2026年3月31日）"),
        ("令和7年度", "start", "令和7年度（2025年4月1日から）"),
        # FY2019 is officially 令和元年度, though it began under 平成.
        ("令和元年度", "end", "令和元年度末（2020年3月31日）"),
        ("2019年度", "start", "令和元年度（2019年4月1日から）"),
        ("1988年度", "end", "昭和63年度末（1989年3月31日）"),
        ("2023-10-24", "day", "令和5年10月24日（2023年10月24日）"),
        ("2019-05-01", "day", "令和元年5月1日（2019年5月1日）"),
        ("2019-04-30", "day", "平成31年4月30日（2019年4月30日）"),
    ],
)
def test_format_flexdate(text, role, shown):
    assert format_flexdate(parse_flexdate(text, role)) == shown


def test_wareki_helpers():
    assert wareki_year(2023) == "令和5年"
    assert wareki_year(2019) == "令和元年"
    assert wareki_year(2019, date(2019, 4, 30)) == "平成31年"
    assert format_wareki(date(1989, 1, 7)) == "昭和64年1月7日"
    assert format_wareki(date(1989, 1, 8)) == "平成元年1月8日"
    assert format_seireki(OCT_24) == "2023年10月24日"
    assert fiscal_year_of(date(2026, 3, 31)) == 2025
    assert fiscal_year_of(date(2026, 4, 1)) == 2026


def test_slashes_are_read_like_hyphens() -> None:
    """Editors often write 2023/10/24 (as spreadsheets show dates)."""
    value = parse_flexdate("2023/10/24")
    assert not isinstance(value, str)
    assert value.value == date(2023, 10, 24) and value.text == "2023/10/24"
    assert parse_flexdate("2023/2/30") == "「2023/2/30」という日はありません（2月30日は存在しません）"


def test_without_a_role_a_day_is_required() -> None:
    """A field that holds one day (``reviewed``, a source's ``date``) refuses a month or a fiscal year."""
    assert (
        parse_flexdate("2023年10月")
        == "「2023年10月」は月までしかありません。日まで書いてください（例: 令和5年10月24日）"
    )
    assert parse_flexdate("令和7年度") == "「令和7年度」は年度です。ここには日付を書いてください（例: 令和5年10月24日）"


@pytest.mark.parametrize("text", ["1900-01-01", "1900年1月1日", "2200-12-31", "2200年12月31日"])
def test_the_first_and_last_years_are_accepted(text):
    assert not isinstance(parse_flexdate(text), str)


@pytest.mark.parametrize("text", ["1899-12-31", "2201-01-01", "2201年1月1日"])
def test_a_day_one_year_outside_the_range_is_refused(text):
    assert parse_flexdate(text) == f"「{text}」の年が範囲外です（1900〜2200年）"


def test_the_first_and_last_fiscal_years_of_the_range():
    assert parse_flexdate("1900年度", "start") == FlexDate(date(1900, 4, 1), "1900年度", "fiscal_year_start")
    assert parse_flexdate("2200年度", "end") == FlexDate(date(2201, 3, 31), "2200年度", "fiscal_year_end")
    assert parse_flexdate("1899年度", "start") == "「1899年度」の年が範囲外です（1900〜2200年）"


DAY_TEXTS = [
    "2023-10-24",
    "2023/10/24",
    "2023年10月24日",
    "令和5年10月24日",
    "令和元年5月1日",
    "R5.10.24",
    "Ｒ５．１０．２４",
    "２０２３－１０－２４",
]
PERIOD_TEXTS = ["令和7年度", "R7年度", "2025年度", "令和元年度", "2023年10月", "令和5年10月"]
NEVER = ["2023-10", "令和5年", "10月24日", "2023.10.24", "abc", "", "x2023-10-24", "2023-10-24x", "2023-10-2423"]


@pytest.mark.parametrize("role", ["day", "start", "end"])
def test_the_form_check_reads_the_shapes_the_build_reads(role) -> None:
    """The editor in the browser checks a date's shape with this pattern (as JavaScript's RegExp.test does)."""
    pattern = re.compile(shape_pattern(role))
    for text in DAY_TEXTS + PERIOD_TEXTS + NEVER:
        for spaced in (text, f" {text} ", f"　{text}　"):
            fits = pattern.search(spaced) is not None
            assert fits is not isinstance(parse_flexdate(spaced, role), str), (role, spaced)
    assert all(pattern.search(text) for text in DAY_TEXTS)
    assert any(pattern.search(text) for text in PERIOD_TEXTS) is (role != "day")
