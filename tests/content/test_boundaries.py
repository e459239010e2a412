"""The days on which what the site states changes: each rule on the day before, of and after its edge.

A program is 開始予定 before its first day, 実施中 from its first day to its last day (both
inclusive) and 終了 from the day after. A fiscal year (年度) runs from 1 April to 31 March.
The build date is --as-of, else SOURCE_DATE_EPOCH read as a day in Japan, else today in
Japan: 15:00 UTC is already the next day there. Each edge is checked where a person meets
it: the status the site states (pages and data files), not only the function that decides it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from conftest import MINIMAL_PROJECT, check_lines, write_files

from generator.config import BuildOptions, build_date, resolve_options
from generator.content.dates import parse_flexdate
from generator.freshness import program_status
from generator.model import Period
from generator.pipeline import build, load

PROGRAM = "content/programs/advisor.md"
DAY = timedelta(days=1)


def period(start: str | None, end: str | None) -> Period:
    return Period(
        start=parse_flexdate(start, "start") if start else None,
        end=parse_flexdate(end, "end") if end else None,
    )


def with_period(project: Path, start: str, end: str, reviewed: date) -> None:
    """The minimal project's program with this period, reviewed on ``reviewed`` (so not stale then)."""
    text = (MINIMAL_PROJECT / PROGRAM).read_text("utf-8")
    text = text.replace("start: 令和5年度", f"start: {start}").replace("end: 令和9年度", f"end: {end}")
    text = text.replace('reviewed: "2026-06-01"', f'reviewed: "{reviewed.isoformat()}"')
    text = text.replace('updated: "2026-06-01"', f'updated: "{reviewed.isoformat()}"')
    write_files(project, {PROGRAM: text})


# --- the rule ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status"),
    [
        (date(2026, 3, 31), "upcoming"),  # the day before the first day
        (date(2026, 4, 1), "active"),  # the first day
        (date(2026, 4, 2), "active"),
        (date(2027, 3, 30), "active"),
        (date(2027, 3, 31), "active"),  # the last day
        (date(2027, 4, 1), "ended"),  # the day after
    ],
)
def test_a_period_includes_its_first_and_last_day(as_of: date, status: str) -> None:
    for written in (
        ("2026-04-01", "2027-03-31"),
        ("令和8年度", "令和8年度"),
        ("2026年度", "2026年度"),
        ("2026年4月", "2027年3月"),
    ):
        assert program_status(period(*written), as_of) == status, written


def test_an_open_period() -> None:
    assert program_status(period("2026-04-01", None), date(2026, 3, 31)) == "upcoming"
    assert program_status(period("2026-04-01", None), date(2099, 1, 1)) == "active"
    assert program_status(period(None, "2027-03-31"), date(2000, 1, 1)) == "active"
    assert program_status(period(None, "2027-03-31"), date(2027, 4, 1)) == "ended"
    assert program_status(period(None, None), date(2026, 1, 1)) == "active"


def test_a_one_day_period() -> None:
    one = period("2026-04-01", "2026-04-01")
    assert [program_status(one, d) for d in (date(2026, 3, 31), date(2026, 4, 1), date(2026, 4, 2))] == [
        "upcoming",
        "active",
        "ended",
    ]


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("令和7年度", date(2025, 4, 1), date(2026, 3, 31)),
        ("平成31年度", date(2019, 4, 1), date(2020, 3, 31)),
        ("2027年度", date(2027, 4, 1), date(2028, 3, 31)),
    ],
)
def test_a_fiscal_year_starts_on_1_april_and_ends_on_31_march(text: str, first: date, last: date) -> None:
    fiscal = period(text, text)
    assert program_status(fiscal, first - DAY) == "upcoming"  # 31 March of the year before
    assert program_status(fiscal, first) == "active"  # 1 April
    assert program_status(fiscal, last) == "active"  # 31 March
    assert program_status(fiscal, last + DAY) == "ended"  # 1 April of the next year


# --- what the site states -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "status", "label"),
    [
        (date(2026, 3, 31), "upcoming", "開始予定"),
        (date(2026, 4, 1), "active", "実施中"),
        (date(2027, 3, 31), "active", "実施中"),
        (date(2027, 4, 1), "ended", "終了"),
    ],
)
def test_the_status_on_the_page_and_in_the_data(
    minimal_project: Path, tmp_path: Path, as_of: date, status: str, label: str
) -> None:
    with_period(minimal_project, "令和8年度", "令和8年度", reviewed=as_of)
    out = tmp_path / "site"
    result = build(BuildOptions(minimal_project, out, as_of, search=False))
    assert result.ok, [p.format() for p in result.problems]
    page = (out / "programs/advisor/index.html").read_text("utf-8")
    assert (
        f'<span class="badge badge--{status}"><span class="visually-hidden" data-pagefind-ignore>状況: </span>{label}</span>'
        in page
    )
    (record,) = [
        json.loads(line)
        for line in (out / "data/programs.json").read_text("utf-8").splitlines()
        if line.startswith("{")
    ]
    assert (record["status"], record["status_as_of"]) == (status, as_of.isoformat())
    rows = list(csv.DictReader(io.StringIO((out / "data/programs.csv").read_bytes().decode("utf-8-sig"))))
    assert (rows[0]["status"], rows[0]["status_label"], rows[0]["status_as_of"]) == (status, label, as_of.isoformat())
    listing = (out / "programs/index.html").read_text("utf-8")
    assert {"upcoming": "開始予定の制度", "active": "実施中の制度", "ended": "終了した制度"}[status] in listing


def test_a_stale_program_states_its_status_on_the_day_it_was_reviewed(minimal_project: Path) -> None:
    """Reviewed on its last day: one interval later the site still says 実施中, as of that review."""
    with_period(minimal_project, "令和7年度", "令和7年度", reviewed=date(2026, 3, 31))
    for as_of, stale, status in ((date(2027, 3, 31), False, "ended"), (date(2027, 4, 1), True, "active")):
        site = load(minimal_project, as_of=as_of, use_cache=False).site
        assert site is not None
        program = site.get("programs/advisor")
        assert (site.stale(program), site.status(program), site.status_by_dates(program)) == (stale, status, "ended")


# --- the build date -----------------------------------------------------------------------------


def epoch(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> str:
    return str(int(datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp()))


@pytest.mark.parametrize(
    ("utc", "day_in_japan"),
    [
        (epoch(2026, 3, 31, 14, 59, 59), date(2026, 3, 31)),  # 23:59:59 in Japan
        (epoch(2026, 3, 31, 15, 0, 0), date(2026, 4, 1)),  # midnight in Japan, still 31 March in UTC
        (epoch(2026, 3, 31, 23, 0, 0), date(2026, 4, 1)),
        (epoch(2026, 12, 31, 15, 0, 0), date(2027, 1, 1)),  # a new year in Japan only
    ],
)
def test_source_date_epoch_is_a_day_in_japan(utc: str, day_in_japan: date) -> None:
    assert build_date(None, {"SOURCE_DATE_EPOCH": utc}) == day_in_japan
    assert resolve_options(Path("p"), environ={"SOURCE_DATE_EPOCH": utc}).as_of == day_in_japan
    assert resolve_options(Path("p"), as_of=date(2020, 1, 1), environ={"SOURCE_DATE_EPOCH": utc}).as_of == date(
        2020, 1, 1
    )


@pytest.mark.parametrize("value", ["", "  ", "-1", "1.5", "soon", "0x10"])
def test_an_unusable_source_date_epoch_falls_back_to_today_in_japan(value: str) -> None:
    before = datetime.now(timezone(timedelta(hours=9))).date()
    got = build_date(None, {"SOURCE_DATE_EPOCH": value})
    assert got in (before, datetime.now(timezone(timedelta(hours=9))).date())


def test_today_is_the_day_in_japan_whatever_the_machines_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    """At 20:00 UTC on 31 March it is 1 April in Japan: the program has started."""
    import generator.config as config

    instant = datetime(2026, 3, 31, 20, 0, tzinfo=UTC)

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            # A machine whose clock is in UTC: without a zone it answers 31 March.
            return instant.astimezone(tz) if tz is not None else instant.replace(tzinfo=None)

    monkeypatch.setattr(config, "datetime", Clock)
    assert build_date(None, {}) == date(2026, 4, 1)
    assert resolve_options(Path("p"), environ={}).as_of == date(2026, 4, 1)


def test_the_start_day_in_japan_from_source_date_epoch(minimal_project: Path) -> None:
    with_period(minimal_project, "令和8年度", "令和8年度", reviewed=date(2026, 3, 1))
    options = resolve_options(minimal_project, environ={"SOURCE_DATE_EPOCH": epoch(2026, 3, 31, 15, 30)})
    site = load(minimal_project, as_of=options.as_of, use_cache=False).site
    assert site is not None and site.status(site.get("programs/advisor")) == "active"
    earlier = resolve_options(minimal_project, environ={"SOURCE_DATE_EPOCH": epoch(2026, 3, 31, 14, 30)})
    site = load(minimal_project, as_of=earlier.as_of, use_cache=False).site
    assert site is not None and site.status(site.get("programs/advisor")) == "upcoming"


# --- a period that reverses, and the review interval around the 年度 edge -------------------------


def test_a_period_that_ends_before_it_starts_is_refused_only_when_it_does(minimal_project: Path) -> None:
    with_period(minimal_project, "令和8年度", "2026-04-01", reviewed=date(2026, 4, 1))
    assert [line for line in check_lines(minimal_project, date(2026, 4, 1)) if ": error[" in line] == []
    with_period(minimal_project, "令和8年度", "2026-03-31", reviewed=date(2026, 4, 1))
    (line,) = [line for line in check_lines(minimal_project, date(2026, 4, 1)) if ": error[" in line]
    assert line.startswith(f"{PROGRAM}:") and "error[invalid-period]" in line


def test_reviewed_on_31_march_is_due_on_31_march_of_the_next_year(minimal_project: Path) -> None:
    with_period(minimal_project, "令和8年度", "令和8年度", reviewed=date(2026, 3, 31))
    due = [line for line in check_lines(minimal_project, date(2027, 3, 31)) if "review-overdue" in line]
    assert due == []
    (line,) = [line for line in check_lines(minimal_project, date(2027, 4, 1)) if "review-overdue" in line]
    assert line.startswith(f"{PROGRAM}:") and "確認の間隔: 12か月" in line
