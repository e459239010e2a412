"""An iCalendar file (RFC 5545) of program periods: start and end as all-day events.

Users subscribe to ``data/programs.ics`` to be reminded of the end of a program
(e.g. 令和7年度末). Nothing here reads the clock: DTSTAMP comes from the program's
``updated`` date, or the build date when it has none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..content.dates import format_flexdate
from ..model import FlexDate, Program, Site

MAX_OCTETS = 75
"""Longest content line in octets, CRLF not counted (RFC 5545 §3.1)."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class AllDayEvent:
    uid: str
    day: date
    summary: str
    description: str
    url: str
    stamp: date
    """Day the information was last updated; written as DTSTAMP at 00:00 UTC."""
    categories: tuple[str, ...] = ()


def escape_text(value: str) -> str:
    """Escape a TEXT value: backslash, semicolon, comma and newlines (§3.3.11).

    Control characters other than tab are not allowed in TEXT and are dropped.
    """
    value = _CONTROL.sub("", value)
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _NEWLINE.sub("\\\\n", value)


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never inside a UTF-8 character.

    Continuation lines start with one space, which counts towards their 75 octets.
    """
    data = line.encode("utf-8")
    if len(data) <= MAX_OCTETS:
        return line
    pieces: list[bytes] = []
    start, limit = 0, MAX_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        pieces.append(data[start:end])
        start, limit = end, MAX_OCTETS - 1
    pieces.append(data[start:])
    return b"\r\n ".join(pieces).decode("utf-8")


def calendar_frame(*, name: str, description: str) -> tuple[bytes, bytes]:
    """The bytes before the first event and after the last one."""
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//catalog//programs//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-CALDESC:{escape_text(description)}",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
    ]
    return _lines(head), _lines(["END:VCALENDAR"])


def encode_event(event: AllDayEvent) -> bytes:
    """One VEVENT, CRLF line ends, folded lines."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(event.uid)}",
        f"DTSTAMP:{event.stamp:%Y%m%d}T000000Z",
        f"DTSTART;VALUE=DATE:{event.day:%Y%m%d}",
        # DTEND of an all-day event is exclusive: the next day.
        f"DTEND;VALUE=DATE:{event.day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"URL;VALUE=URI:{_CONTROL.sub('', event.url)}",
    ]
    if event.categories:
        lines.append("CATEGORIES:" + ",".join(escape_text(c) for c in event.categories))
    lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return _lines(lines)


def _lines(lines: list[str]) -> bytes:
    return "".join(fold(line) + "\r\n" for line in lines).encode("utf-8")


def encode_calendar(events: Iterable[AllDayEvent], *, name: str, description: str) -> bytes:
    """The bytes of a VCALENDAR with one VEVENT per event, CRLF line ends, folded lines."""
    head, tail = calendar_frame(name=name, description=description)
    return head + b"".join(encode_event(event) for event in events) + tail


@dataclass(frozen=True)
class ProgramDate:
    """The start or the end of a program's period: one event of the calendar."""

    program: Program
    which: str
    """"start" or "end"."""
    label: str
    value: FlexDate


def program_dates(site: Site) -> tuple[ProgramDate, ...]:
    """The start and the end of each public program's period, in the calendar's order.

    Sorted by day, then program, then start before end, so the file is stable.
    """
    dates: list[tuple[date, str, int, ProgramDate]] = []
    for program in site.programs:
        if program.draft:
            continue
        for order, (which, label, value) in enumerate(
            (("start", "開始", program.period.start), ("end", "終了", program.period.end))
        ):
            if value is not None:
                dates.append((value.value, program.slug, order, ProgramDate(program, which, label, value)))
    return tuple(d for *_, d in sorted(dates, key=lambda t: t[:3]))


def program_events(site: Site) -> tuple[AllDayEvent, ...]:
    """One event for the start and one for the end of each public program's period."""
    return tuple(date_event(site, d) for d in program_dates(site))


def date_event(site: Site, when: ProgramDate) -> AllDayEvent:
    program, which, label, value = when.program, when.which, when.label, when.value
    page = site.config.absolute_url(f"programs/{program.slug}/")
    written = format_flexdate(value)
    return AllDayEvent(
        uid=f"{page}#period-{which}",
        day=value.value,
        summary=f"【{label}】{program.title}",
        description=f"{program.title}の実施期間の{label}日: {written}\n{program.summary}\n{page}",
        url=page,
        stamp=program.updated.value if program.updated is not None else site.as_of,
        categories=("支援制度", label),
    )


def programs_calendar_frame(site: Site) -> tuple[bytes, bytes]:
    """The bytes around the events of ``data/programs.ics``."""
    return calendar_frame(
        name=f"{site.config.title}：支援制度の期間", description="支援制度の実施期間の開始日と終了日（終日の予定）"
    )


def programs_calendar(site: Site) -> tuple[bytes, int]:
    """``data/programs.ics``: its bytes and its number of events."""
    events = program_events(site)
    head, tail = programs_calendar_frame(site)
    return head + b"".join(encode_event(e) for e in events) + tail, len(events)
