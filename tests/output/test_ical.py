"""iCalendar (RFC 5545): CRLF, folding at 75 octets on UTF-8 boundaries, escaping, structure."""

from __future__ import annotations

from datetime import date

from factories import HOSTILE, sample_site

from generator.output.ical import AllDayEvent, encode_calendar, escape_text, fold, program_events, programs_calendar


def unfold(data: bytes) -> list[str]:
    """Content lines, unfolded as a client would (RFC 5545 §3.1)."""
    return data.decode("utf-8").replace("\r\n ", "").split("\r\n")[:-1]


def properties(lines: list[str]) -> list[tuple[str, str]]:
    return [tuple(line.split(":", 1)) for line in lines]  # type: ignore[misc]


def test_crlf_and_folding_limits():
    data, count = programs_calendar(sample_site("/dx-catalog/", drafts=True))
    assert count == 3
    assert data.endswith(b"\r\n")
    physical = data.split(b"\r\n")[:-1]
    assert b"\n" not in data.replace(b"\r\n", b"")
    for line in physical:
        assert len(line) <= 75, line
        line.decode("utf-8")  # every physical line is whole UTF-8: no character cut in two
    assert any(line.startswith(b" ") for line in physical), "long Japanese lines were folded"


def test_fold_on_character_boundaries():
    line = "SUMMARY:" + "あ" * 60
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    assert fold("A" * 75) == "A" * 75
    assert fold("A" * 76) == "A" * 75 + "\r\n A"
    # every physical line is filled to 75 octets, the continuation's leading space counted
    assert fold("A" * 149) == "A" * 75 + "\r\n " + "A" * 74
    assert fold("A" * 200) == "A" * 75 + "\r\n " + "A" * 74 + "\r\n " + "A" * 51
    # a cut never splits a character, and falls just before the one that does not fit
    assert [len(p.encode("utf-8")) for p in folded.split("\r\n")] == [74, 73, 43]


def test_escaping():
    assert escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert escape_text("x\x00y\x1bz") == "xyz"


def test_structure_and_events():
    data, _ = programs_calendar(sample_site("/dx-catalog/", drafts=True))
    lines = unfold(data)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and any(ln.startswith("PRODID:") for ln in lines)
    assert "X-WR-CALNAME:長野県 自治体DX人材支援カタログ：支援制度の期間" in lines
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 3
    depth = 0
    for line in lines:
        depth += line.startswith("BEGIN:") - line.startswith("END:")
        assert depth >= 0
    assert depth == 0
    events = "\r\n".join(lines).split("BEGIN:VEVENT")[1:]
    first = dict(properties(events[0].split("END:VEVENT")[0].strip("\r\n").split("\r\n")))
    assert first["UID"] == "https://example.jp/dx-catalog/programs/digital-talent-fiscal-measure/#period-start"
    assert first["DTSTART;VALUE=DATE"] == "20230401" and first["DTEND;VALUE=DATE"] == "20230402"
    assert first["DTSTAMP"] == "20231024T000000Z", "from the program's updated date, not the clock"
    assert first["SUMMARY"] == "【開始】市町村支援のためのデジタル人材の確保に係る財政措置"
    assert first["DESCRIPTION"].startswith(
        "市町村支援のためのデジタル人材の確保に係る財政措置の実施期間の開始日: 令和5年度（2023年4月1日から）\\n"
    )
    assert first["CATEGORIES"] == "支援制度,開始"
    uids = [ln for ln in lines if ln.startswith("UID:")]
    assert len(set(uids)) == len(uids)
    days = [ln.split(":")[1] for ln in lines if ln.startswith("DTSTART")]
    assert days == ["20230401", "20260331", "20270331"], "sorted by day; drafts left out"


def test_hostile_title_cannot_add_properties():
    data, _ = programs_calendar(sample_site("/dx-catalog/", drafts=True))
    lines = unfold(data)
    assert not any(ln.startswith("X-Injected") for ln in lines)
    summary = next(ln for ln in lines if ln.startswith("SUMMARY:【終了】=HYPER"))
    assert summary == "SUMMARY:【終了】" + escape_text(HOSTILE)
    assert "\\n" in summary and "\\," in summary and "\\;" in summary


def test_encode_calendar_deterministic_and_uses_stamp():
    event = AllDayEvent("u1@example.jp", date(2026, 3, 31), "終了", "説明", "https://example.jp/", date(2025, 1, 2))
    one = encode_calendar([event], name="n", description="d")
    assert one == encode_calendar([event], name="n", description="d")
    assert b"DTSTAMP:20250102T000000Z\r\n" in one
    assert b"DTEND;VALUE=DATE:20260401\r\n" in one
    two = encode_calendar([event, event], name="n", description="d")
    assert two.count(b"END:VEVENT\r\nBEGIN:VEVENT\r\n") == 1 and two.endswith(b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert program_events(sample_site("/dx-catalog/", drafts=True)) == program_events(
        sample_site("/dx-catalog/", drafts=True)
    )


def test_a_whole_calendar_of_one_event_byte_for_byte():
    """What a calendar app receives: the frame (a published, daily-refreshed Gregorian calendar) and one
    transparent all-day event with its categories; a control character in the URL is dropped."""
    event = AllDayEvent(
        "u1@example.jp",
        date(2026, 3, 31),
        "【終了】制度",
        "令和7年度末",
        "https://example.jp/\x07x",
        date(2025, 1, 2),
        ("支援制度", "a,b"),
    )
    assert encode_calendar([event], name="名前", description="説明").decode("utf-8").split("\r\n") == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//catalog//programs//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:名前",
        "X-WR-CALDESC:説明",
        "REFRESH-INTERVAL;VALUE=DURATION:P1D",
        "X-PUBLISHED-TTL:P1D",
        "BEGIN:VEVENT",
        "UID:u1@example.jp",
        "DTSTAMP:20250102T000000Z",
        "DTSTART;VALUE=DATE:20260331",
        "DTEND;VALUE=DATE:20260401",
        "SUMMARY:【終了】制度",
        "DESCRIPTION:令和7年度末",
        "URL;VALUE=URI:https://example.jp/x",
        "CATEGORIES:支援制度,a\\,b",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]


def test_the_programs_calendar_describes_itself():
    lines = unfold(programs_calendar(sample_site("/dx-catalog/", drafts=True))[0])
    assert "X-WR-CALDESC:支援制度の実施期間の開始日と終了日（終日の予定）" in lines
