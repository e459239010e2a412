"""Parsed, schema-checked mappings → typed entries, with dates read and checked.

Runs after the schema: values have the right shapes here. Dates, periods, the
kinds of roles, sources (see ``sources``) and the content warnings (stale
``reviewed``, long summaries, facts without a source) are checked here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from ..config import Config
from ..freshness import elapsed_text, is_stale, months_between
from ..model import (
    Archetype,
    Case,
    Engagement,
    Entry,
    FlexDate,
    Page,
    Partner,
    Period,
    Program,
    Role,
    Terms,
    TimelineEvent,
)
from ..problems import Problem, error, warning
from .dates import Role as DateRole
from .dates import parse_flexdate
from .mdlinks import md_link_target
from .parse import Parsed, Path_
from .prefectures import PREFECTURES
from .sources import read_sources, source_errors

REFERENCE_KEYS = frozenset({"programs", "partners", "archetypes", "archetype"})
"""Front-matter keys whose values the link stage checks (and so needs the lines of)."""

DATE_ROLES: Mapping[tuple[str, ...], DateRole] = MappingProxyType(
    {
        ("period", "start"): "start",
        ("period", "end"): "end",
        ("since",): "start",
        ("started",): "start",
        ("timeline", "date"): "start",
    }
)
"""Date fields (keys from the root, list indexes left out) that may hold a fiscal year or a month,
and which end of it they mean (``parse_flexdate``'s role). Every other date field is a day."""


@dataclass(frozen=True)
class Located:
    """A typed entry with what the link stage needs to report on it: the lines of
    its reference fields and its links to other entry files. Kept small: it is
    what the validation cache stores for every file."""

    entry: Entry | Archetype | Page
    positions: Mapping[Path_, tuple[int, int]]
    md_links: tuple[tuple[str, int, int, str], ...] = ()
    """(href, line, col, target) of each link to a ``.md`` file in the body; the
    target is ``folder/name`` for ``content/<folder>/<name>.md``, or empty."""

    @classmethod
    def of(cls, entry: Entry | Archetype | Page, parsed: Parsed) -> Located:
        positions = {at: where for at, where in parsed.positions.items() if not at or at[0] in REFERENCE_KEYS}
        return cls(entry, positions, link_targets(parsed.path, parsed.md_links))

    def where(self, at: Path_) -> tuple[int, int]:
        """Position of ``at``, or of its nearest parent that has one."""
        while at not in self.positions and at:
            at = at[:-1]
        return self.positions.get(at, (1, 1))


def link_targets(path: str, links: tuple[tuple[str, int, int], ...]) -> tuple[tuple[str, int, int, str], ...]:
    """Each (href, line, col) of a file's body with what it links (see ``Located.md_links``)."""
    found = []
    for href, line, col in links:
        target = md_link_target(path, href)
        found.append((href, line, col, "/".join(target) if target else ""))
    return tuple(found)


class _Dates:
    """Reads the dates (and other checked values) of one file, collecting problems."""

    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.problems: list[Problem] = []

    def get(self, at: Path_) -> FlexDate | None:
        value: Any = self.parsed.data
        for part in at:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and part < len(value):
                value = value[part]
            else:
                return None
        if value is None:
            return None
        result = parse_flexdate(value, DATE_ROLES.get(tuple(p for p in at if isinstance(p, str)), "day"))
        if isinstance(result, str):
            line, col = self.parsed.where(at)
            self.problems.append(error(self.parsed.path, line, col, "invalid-date", result))
            return None
        return result


def build_entry(parsed: Parsed, collection: str, slug: str) -> tuple[Entry | None, tuple[Problem, ...]]:
    """A typed entry of one of the four collections (None when a date is invalid)."""
    d = parsed.data
    dates = _Dates(parsed)
    common: dict[str, Any] = dict(
        collection=collection,
        slug=slug,
        path=parsed.path,
        title=d["title"].strip(),
        summary=" ".join(d["summary"].split()),
        updated=dates.get(("updated",)),
        reviewed=dates.get(("reviewed",)),
        tags=tuple(d.get("tags", ())),
        sources=read_sources(parsed, dates.get),
        draft=bool(d.get("draft", False)),
        body=parsed.body,
        body_line=parsed.body_line,
    )
    entry = _BUILDERS[collection](d, dates, common)
    _require_text(parsed, dates, ("title", "summary"))
    dates.problems.extend(source_errors(parsed, collection))
    if dates.problems:
        return None, tuple(dates.problems)
    return entry, ()


def _require_text(parsed: Parsed, dates: _Dates, keys: tuple[str, ...]) -> None:
    """The schema's minLength lets "   " through; a heading of spaces is still empty."""
    for key in keys:
        value = parsed.data.get(key)
        if isinstance(value, str) and not value.strip():
            line, col = parsed.where((key,))
            dates.problems.append(
                error(parsed.path, line, col, "empty-value", f"「{key}」が空白だけです。内容を書いてください")
            )


def _program(d: Mapping[str, Any], dates: _Dates, common: dict[str, Any]) -> Program:
    terms = d.get("terms", {})
    period = Period(dates.get(("period", "start")), dates.get(("period", "end")))
    if period.start and period.end and period.end.value < period.start.value:
        line, col = dates.parsed.where(("period", "end"))
        dates.problems.append(
            error(
                dates.parsed.path,
                line,
                col,
                "invalid-period",
                f"期間の終わり（{period.end.text}）が始まり（{period.start.text}）より前です",
            )
        )
    return Program(
        **common,
        provider=tuple(d["provider"]),
        level=d["level"],
        kinds=tuple(d["kinds"]),
        archetypes=tuple(d.get("archetypes", ())),
        modes=tuple(d.get("modes", ())),
        terms=Terms(
            cost_coverage=terms.get("cost_coverage"),
            fiscal_rate=terms.get("fiscal_rate"),
            annual_cap_yen=terms.get("annual_cap_yen"),
            limits=terms.get("limits"),
        ),
        period=period,
        aliases=tuple(d.get("aliases", ())),
        url=d.get("url"),
    )


def _partner(d: Mapping[str, Any], dates: _Dates, common: dict[str, Any]) -> Partner:
    return Partner(
        **common,
        agreement=d["agreement"],
        since=dates.get(("since",)),
        fields=tuple(d.get("fields", ())),
        unit=d.get("unit"),
        url=d.get("url"),
    )


def _prefecture(d: Mapping[str, Any], dates: _Dates) -> str | None:
    name: str | None = d.get("prefecture")
    if name is None:
        return None
    if name not in PREFECTURES:
        line, col = dates.parsed.where(("prefecture",))
        dates.problems.append(
            error(
                dates.parsed.path,
                line,
                col,
                "invalid-value",
                f"「{name}」は都道府県名ではありません（例: 長野県、東京都、大阪府、北海道）",
            )
        )
    return name


def _case(d: Mapping[str, Any], dates: _Dates, common: dict[str, Any]) -> Case:
    timeline = []
    for i, item in enumerate(d.get("timeline", ())):
        when = dates.get(("timeline", i, "date"))
        if when is not None:
            timeline.append(TimelineEvent(when, item["event"]))
    return Case(
        **common,
        prefecture=_prefecture(d, dates) or "",  # required by the schema: never empty here
        municipalities=d.get("municipalities"),
        models=tuple(d.get("models", ())),
        started=dates.get(("started",)),
        programs=tuple(d.get("programs", ())),
        partners=tuple(d.get("partners", ())),
        archetypes=tuple(d.get("archetypes", ())),
        timeline=tuple(sorted(timeline, key=lambda e: e.date.value)),
    )


def _role(d: Mapping[str, Any], dates: _Dates, common: dict[str, Any]) -> Role:
    engagement = d["engagement"]
    role = Role(
        **common,
        archetype=d["archetype"],
        host=d["host"],
        engagement=Engagement(engagement["form"], engagement.get("hours_per_month"), engagement.get("remote")),
        kind=d["kind"],
        status=d.get("status"),
        prefecture=_prefecture(d, dates),
        skills=tuple(d.get("skills", ())),
        programs=tuple(d.get("programs", ())),
    )
    dates.problems.extend(_role_kind_problems(dates.parsed, role))
    return role


def _role_kind_problems(parsed: Parsed, role: Role) -> list[Problem]:
    """A model never has a status; a real posting has one and a dated source."""
    path = parsed.path
    if role.kind == "model":
        if role.status is None:
            return []
        line, col = parsed.where(("status",))
        return [
            error(
                path,
                line,
                col,
                "role-status",
                "kind: model（モデル・典型例）の役割には status を書けません。モデルは実際の募集ではないため、"
                "ページには「モデル（典型例）」と表示します。status の行を消すか、実際の募集・配置なら kind: real にしてください",
            )
        ]
    problems = []
    line, col = parsed.where(("kind",))
    if role.status is None:
        problems.append(
            error(
                path,
                line,
                col,
                "missing-field",
                "必須の項目「status」がありません（kind: real の役割。open・active・closed のどれか）",
            )
        )
    if not any(source.dated for source in role.sources):
        line, col = parsed.where(("sources",)) if "sources" in parsed.data else (line, col)
        problems.append(
            error(
                path,
                line,
                col,
                "undated-source",
                "kind: real（実例）の役割には、日付（published か accessed）のある出典が少なくとも1つ必要です。募集や配置を確かめた資料と、その日付を書いてください",
            )
        )
    return problems


_BUILDERS: Mapping[str, Callable[[Mapping[str, Any], _Dates, dict[str, Any]], Entry]] = {
    "programs": _program,
    "partners": _partner,
    "cases": _case,
    "roles": _role,
}


def build_archetypes(parsed: Parsed) -> tuple[tuple[Archetype, ...], tuple[Problem, ...]]:
    problems: list[Problem] = []
    seen: set[str] = set()
    archetypes = []
    for index, item in enumerate(parsed.data):
        line, col = parsed.where((index,))
        if item["id"] in seen:
            problems.append(
                error(parsed.path, line, col, "duplicate-slug", f"人材像「{item['id']}」が2回定義されています")
            )
            continue
        seen.add(item["id"])
        archetypes.append(
            Archetype(
                id=item["id"],
                name=item["name"],
                summary=item["summary"],
                responsibilities=tuple(item.get("responsibilities", ())),
                skills=tuple(item.get("skills", ())),
                path=parsed.path,
                line=line,
            )
        )
    return tuple(archetypes), tuple(problems)


def build_page(parsed: Parsed, slug: str) -> tuple[Page | None, tuple[Problem, ...]]:
    dates = _Dates(parsed)
    d = parsed.data
    page = Page(
        slug,
        parsed.path,
        d["title"].strip(),
        d["summary"],
        parsed.body,
        parsed.body_line,
        dates.get(("updated",)),
        bool(d.get("draft", False)),
    )
    _require_text(parsed, dates, ("title", "summary"))
    return (None, tuple(dates.problems)) if dates.problems else (page, ())


def content_warnings(entry: Entry, parsed: Parsed, config: Config, as_of: date) -> tuple[Problem, ...]:
    """Warnings that do not stop a build (they do with --strict)."""
    problems: list[Problem] = []
    if len(entry.summary) > config.summary_search_max:
        line, col = parsed.where(("summary",))
        problems.append(
            warning(
                parsed.path,
                line,
                col,
                "summary-long",
                f"要約が{len(entry.summary)}文字あります。検索結果では{config.summary_search_max}文字ほどで切れるため、短くすることをおすすめします",
            )
        )
    reviewed = entry.reviewed
    if reviewed is not None and is_stale(reviewed.value, as_of, config.review_interval_months):
        line, col = parsed.where(("reviewed",))
        elapsed = elapsed_text(months_between(reviewed.value, as_of))
        problems.append(
            warning(
                parsed.path,
                line,
                col,
                "review-overdue",
                f"最終確認日（{reviewed.text}）から{elapsed}たっています（確認の間隔: {config.review_interval_months}か月）。"
                "出典と公式の情報で内容を確かめ、reviewed を確かめた日に更新してください",
            )
        )
    return tuple(problems)
