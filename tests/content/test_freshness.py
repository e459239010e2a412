"""The freshness rule (generator/freshness.py) and everything that applies it: one rule for
the warning, the pages, the exports and ``catalog review``, tested at its boundaries."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import check_lines, write_files

from generator.freshness import add_months, elapsed_text, is_stale, months_between, review_due
from generator.pipeline import load


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2023, 10, 24), 12, date(2024, 10, 24)),
        (date(2023, 10, 24), 0, date(2023, 10, 24)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # 31 January + 1 month: the last day of February
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # in a leap year
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 18, date(2027, 2, 28)),
        (date(2025, 12, 15), 1, date(2026, 1, 15)),  # across a year
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("reviewed", "interval", "last_fresh_day"),
    [
        (date(2025, 11, 26), 12, date(2026, 11, 26)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 10, 31), 6, date(2026, 4, 30)),
    ],
)
def test_exactly_the_interval_is_fresh_and_one_day_more_is_stale(reviewed, interval, last_fresh_day):
    assert review_due(reviewed, interval) == last_fresh_day
    assert not is_stale(reviewed, last_fresh_day, interval)
    assert is_stale(reviewed, date.fromordinal(last_fresh_day.toordinal() + 1), interval)
    assert not is_stale(reviewed, reviewed, interval)


@pytest.mark.parametrize(
    ("start", "end", "months", "text"),
    [
        (date(2023, 10, 24), date(2026, 12, 6), 37, "3年1か月"),
        (date(2024, 11, 26), date(2026, 11, 26), 24, "2年"),
        (date(2025, 12, 31), date(2026, 11, 30), 11, "11か月"),
        (date(2025, 1, 31), date(2025, 2, 28), 1, "1か月"),
        (date(2025, 1, 31), date(2025, 2, 27), 0, "1か月未満"),
        (date(2026, 1, 1), date(2025, 1, 1), 0, "1か月未満"),
    ],
)
def test_elapsed_time_in_whole_calendar_months(start, end, months, text):
    assert months_between(start, end) == months
    assert elapsed_text(months) == text


def test_a_stale_entry_has_at_least_the_interval_elapsed():
    day = date(2023, 1, 31)
    for offset in range(0, 800, 7):
        as_of = date.fromordinal(day.toordinal() + offset)
        for interval in (1, 6, 12):
            if is_stale(day, as_of, interval):
                assert months_between(day, as_of) >= interval


# --- the same rule everywhere ---------------------------------------------------------------


def with_reviewed(project: Path, reviewed: str, interval: int | None = None) -> None:
    program = project / "content/programs/advisor.md"
    text = program.read_text("utf-8").replace('reviewed: "2026-06-01"', f'reviewed: "{reviewed}"')
    files: dict[str, str | bytes | None] = {"content/programs/advisor.md": text}
    if interval is not None:
        site = (project / "content/site.yaml").read_text("utf-8")
        files["content/site.yaml"] = site + f"review_interval_months: {interval}\n"
    write_files(project, files)


def overdue(project: Path, as_of: date) -> list[str]:
    return [line for line in check_lines(project, as_of) if "review-overdue" in line]


@pytest.mark.parametrize(
    ("reviewed", "interval", "fresh_until"),
    [
        ("2025-11-26", None, date(2026, 11, 26)),
        ("2026-01-31", 1, date(2026, 2, 28)),
        ("2025-08-31", 6, date(2026, 2, 28)),
    ],
)
def test_warning_pages_and_exports_agree_at_the_boundary(minimal_project, reviewed, interval, fresh_until):
    with_reviewed(minimal_project, reviewed, interval)
    next_day = date.fromordinal(fresh_until.toordinal() + 1)
    assert overdue(minimal_project, fresh_until) == []
    [warning] = overdue(minimal_project, next_day)
    assert warning.startswith("content/programs/advisor.md:25:1: warning[review-overdue]: ")
    for as_of, stale in ((fresh_until, False), (next_day, True)):
        site = load(minimal_project, as_of=as_of, use_cache=False).site
        program = site.get("programs/advisor")
        assert site.stale(program) is stale
        assert site.status_date(program) == (program.reviewed.value if stale else as_of)


def test_the_warning_names_the_elapsed_time_and_the_interval(minimal_project):
    with_reviewed(minimal_project, "2023-10-24")
    assert overdue(minimal_project, date(2026, 12, 6)) == [
        "content/programs/advisor.md:25:1: warning[review-overdue]: 最終確認日（2023-10-24）から3年1か月たっています（確認の間隔: 12か月）。"
        "出典と公式の情報で内容を確かめ、reviewed を確かめた日に更新してください"
    ]


def test_every_collection_is_reviewed(minimal_project):
    lines = check_lines(minimal_project, date(2031, 1, 1))
    assert sorted(line.split(":")[0] for line in lines if "review-overdue" in line) == [
        "content/cases/sharing.md",
        "content/partners/example-corp.md",
        "content/programs/advisor.md",
        "content/roles/cio-hosakan.md",
    ]
