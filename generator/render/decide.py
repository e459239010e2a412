"""What helps a reader decide between programs: the comparison's order and filters, and
「制度を探す」, the guided path from a 人材像 and a way of working to the programs that fit.

Pure functions of the linked Site; plan.py turns them into pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ..model import KIND_LABELS, MODE_LABELS, PROGRAM_STATUS_LABELS, Program, Site

UNCONFIRMED = "最新の状況は未確認"
"""The 状況 of a program whose last review is older than the interval (as the search facet says it)."""

_LAST = date.max


def status_facet(site: Site, program: Program) -> str:
    """実施中 / 開始予定 / 終了, or 最新の状況は未確認 when the last review is too old."""
    if site.stale(program):
        return UNCONFIRMED
    return PROGRAM_STATUS_LABELS[site.status(program)]


def status_rank(site: Site, program: Program) -> int:
    """The comparison's first order: 実施中, 開始予定, then programs whose status is as of an old
    check (those whose period has not passed by its dates first), then 終了."""
    status = site.status(program)
    if status == "ended":
        return 4
    if site.stale(program):
        return 3 if site.status_by_dates(program) == "ended" else 2
    return 0 if status == "active" else 1


def compare_order(site: Site, programs: tuple[Program, ...]) -> tuple[Program, ...]:
    """実施中 first, then by the end of the period (the soonest first, open-ended last)."""

    def key(item: tuple[int, Program]) -> tuple[Any, ...]:
        position, program = item
        end = program.period.end.value if program.period.end else _LAST
        return (status_rank(site, program), end, position)

    return tuple(p for _, p in sorted(enumerate(programs), key=key))


@dataclass(frozen=True)
class Option:
    value: str
    """What the URL and the rows carry (the label a reader sees)."""
    count: int


@dataclass(frozen=True)
class Facet:
    name: str
    """The URL parameter and the legend: 状況, 人材像, 種類, 所管."""
    options: tuple[Option, ...]


def row_values(site: Site, program: Program) -> dict[str, tuple[str, ...]]:
    """Facet name → the program's values, as the comparison's filters match them."""
    archetypes = tuple(a.name for a in site.archetypes if a.id in program.archetypes)
    return {
        "状況": (status_facet(site, program),),
        "人材像": archetypes,
        "種類": tuple(KIND_LABELS.get(k, k) for k in program.kinds),
        "所管": program.provider,
    }


def sort_values(site: Site, program: Program) -> dict[str, str]:
    """Column key → what the comparison sorts the program by; empty when it has no value
    (compare.js puts those last either way)."""
    terms, period, reviewed = program.terms, program.period, program.reviewed
    return {
        "status": str(status_rank(site, program)),
        "period": period.end.value.isoformat() if period.end else "",
        "cost": terms.cost_coverage or "",
        "rate": "" if terms.fiscal_rate is None else f"{terms.fiscal_rate:g}",
        "cap": "" if terms.annual_cap_yen is None else str(terms.annual_cap_yen),
        "reviewed": reviewed.value.isoformat() if reviewed else "",
        "provider": "、".join(program.provider),
        "kinds": "、".join(KIND_LABELS.get(k, k) for k in program.kinds),
        "archetypes": str(len(program.archetypes)),
        "modes": "、".join(MODE_LABELS.get(m, m) for m in program.modes),
        "limits": terms.limits or "",
    }


def compare_facets(site: Site, programs: tuple[Program, ...]) -> tuple[Facet, ...]:
    """The comparison's filters, each option with the number of programs it keeps.

    Options in the order a reader knows them: statuses as the site orders them, the archetypes
    as content/archetypes.yaml lists them, kinds as the schema does, providers by count."""
    counts: dict[str, dict[str, int]] = {name: {} for name in ("状況", "人材像", "種類", "所管")}
    for program in programs:
        for name, values in row_values(site, program).items():
            for value in values:
                counts[name][value] = counts[name].get(value, 0) + 1
    order = {
        "状況": [*PROGRAM_STATUS_LABELS.values(), UNCONFIRMED],
        "人材像": [a.name for a in site.archetypes],
        "種類": list(KIND_LABELS.values()),
    }
    facets = []
    for name, found in counts.items():
        if name in order:
            known = [v for v in order[name] if v in found]
            values = (*known, *sorted(v for v in found if v not in known))
        else:
            values = tuple(sorted(found, key=lambda v: (-found[v], v)))
        facets.append(Facet(name, tuple(Option(v, found[v]) for v in values)))
    return tuple(facets)


ANY = "any"
"""The path segment of 「決めていない」 in 制度を探す (/programs/find/any/advice/)."""


@dataclass(frozen=True)
class Choice:
    value: str
    """Path segment: an archetype id, a mode, or ``any``."""
    label: str
    note: str = ""


@dataclass(frozen=True)
class Fit:
    """One program that fits a choice, and why."""

    program: Program
    reasons: tuple[str, ...]


MODE_NOTES = {
    "dispatch": "国や企業などから人を送ってもらい、自治体で働いてもらいます。",
    "appointment": "自治体が職員（任期付職員・非常勤職員など）として任用・雇用します。",
    "advice": "決まった回数や時間の範囲で、専門家から助言を受けます。",
    "outsourcing": "民間事業者に業務を委託します。",
}
"""What each way of working means, in a line (the labels are model.MODE_LABELS)."""


def archetype_choices(site: Site) -> tuple[Choice, ...]:
    return (
        *(Choice(a.id, a.name, a.summary) for a in site.archetypes),
        Choice(ANY, "決めていない", "人材像を問わずに探します。"),
    )


def mode_choices() -> tuple[Choice, ...]:
    return (
        *(Choice(m, label, MODE_NOTES[m]) for m, label in MODE_LABELS.items()),
        Choice(ANY, "決めていない", "関わり方を問わずに探します。"),
    )


def matches(program: Program, archetype: str, mode: str) -> bool:
    return (archetype == ANY or archetype in program.archetypes) and (mode == ANY or mode in program.modes)


def counts(site: Site, programs: tuple[Program, ...]) -> dict[tuple[str, str], int]:
    """(archetype, mode) → how many programs fit, for every choice including 決めていない."""
    archetypes = [c.value for c in archetype_choices(site)]
    modes = [c.value for c in mode_choices()]
    return {(a, m): sum(1 for p in programs if matches(p, a, m)) for a in archetypes for m in modes}


def fits(site: Site, ordered: tuple[Program, ...], archetype: str, mode: str) -> tuple[Fit, ...]:
    """The programs of ``ordered`` (compare_order) that fit, each with why it fits."""
    names = {a.id: a.name for a in site.archetypes}
    found = []
    for program in ordered:
        if not matches(program, archetype, mode):
            continue
        reasons = []
        if archetype != ANY:
            reasons.append(f"対象となる人材像に「{names.get(archetype, archetype)}」が含まれます。")
        if mode != ANY:
            reasons.append(f"「{MODE_LABELS[mode]}」の形で人材を確保できます。")
        found.append(Fit(program, tuple(reasons)))
    return tuple(found)


def finder_path(archetype: str, mode: str) -> str:
    """Site path of a 制度を探す page; both 決めていない is the start page."""
    if archetype == ANY and mode == ANY:
        return "programs/find/"
    return f"programs/find/{archetype}/{mode}/"
