"""Values shared by every stage: the validated content and the linked site.

Nothing here does I/O. Every value is frozen and complete when built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, Protocol

from .freshness import ProgramStatus, is_stale, program_status

if TYPE_CHECKING:
    from .config import Config

COLLECTIONS: tuple[str, ...] = ("programs", "partners", "cases", "roles")
"""The four entry collections, in the order the site presents them."""

COLLECTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "programs": "支援制度",
        "partners": "連携企業",
        "cases": "事例",
        "roles": "人材の役割",
        "archetypes": "人材像",
    }
)

LEVEL_LABELS: Mapping[str, str] = MappingProxyType({"national": "国", "prefecture": "都道府県", "municipal": "市町村"})

KIND_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "advisor_dispatch": "アドバイザー派遣",
        "personnel_dispatch": "人材派遣",
        "fiscal_measure": "財政措置",
        "matching": "マッチング",
        "training": "育成・研修",
        "partnership": "連携協定",
    }
)

MODEL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "talent_sharing": "人材シェアリング",
        "joint_hiring": "共同採用",
        "talent_pool": "人材プール",
        "support_center": "支援センター",
        "side_job": "副業・複業人材",
        "corporate_partnership": "企業連携",
    }
)

HOST_LABELS: Mapping[str, str] = MappingProxyType(
    {"prefecture": "都道府県", "municipality": "市町村", "joint": "県・市町村共同"}
)

FORM_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "side_job": "副業・複業",
        "fixed_term": "任期付職員",
        "part_time": "非常勤",
        "contract": "業務委託",
        "dispatch": "派遣",
        "concurrent": "兼務",
    }
)

ROLE_STATUS_LABELS: Mapping[str, str] = MappingProxyType({"open": "募集中", "active": "活動中", "closed": "終了"})

ROLE_KIND_LABELS: Mapping[str, str] = MappingProxyType({"model": "モデル（典型例）", "real": "実例"})

MODE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "dispatch": "派遣を受ける",
        "appointment": "任用・雇用",
        "advice": "助言を受ける",
        "outsourcing": "委託",
    }
)
"""How a program lets a municipality work with the person (``modes`` of a program)."""

PROGRAM_STATUS_LABELS: Mapping[str, str] = MappingProxyType(
    {"active": "実施中", "ended": "終了", "upcoming": "開始予定"}
)


@dataclass(frozen=True)
class FlexDate:
    """A date as an editor wrote it: a day, or a fiscal year (年度).

    ``value`` is the day it stands for. A fiscal year means 1 April when it
    starts a period and 31 March of the next year when it ends one; ``kind``
    keeps which, so that pages can say 令和7年度末（2026年3月31日）.
    """

    value: date
    text: str
    kind: Literal["date", "fiscal_year_start", "fiscal_year_end"] = "date"


@dataclass(frozen=True)
class Source:
    """One document or page an entry's facts come from."""

    title: str
    """The source's own title."""
    publisher: str = ""
    url: str | None = None
    published: FlexDate | None = None
    """The date on the document or page."""
    accessed: FlexDate | None = None
    """The day it was read (required with a URL)."""
    covers: tuple[str, ...] = ()
    """Dotted paths of the fields this source states (``terms.fiscal_rate``, ``period.end``)."""

    @property
    def dated(self) -> bool:
        return self.published is not None or self.accessed is not None

    def states(self, path: str) -> bool:
        """True when this source covers the field ``path`` (itself or a field that contains it)."""
        return any(path == c or path.startswith(c + ".") for c in self.covers)


@dataclass(frozen=True)
class Period:
    start: FlexDate | None = None
    end: FlexDate | None = None


@dataclass(frozen=True)
class Terms:
    cost_coverage: str | None = None
    fiscal_rate: float | None = None
    annual_cap_yen: int | None = None
    limits: str | None = None


@dataclass(frozen=True)
class Engagement:
    form: str
    hours_per_month: float | None = None
    remote: bool | None = None


@dataclass(frozen=True)
class TimelineEvent:
    date: FlexDate
    event: str


@dataclass(frozen=True, kw_only=True)
class Entry:
    """Fields every entry of the four collections has."""

    collection: str
    slug: str
    path: str
    """Source file, relative to the project folder, POSIX form."""
    title: str
    summary: str
    updated: FlexDate | None = None
    """The day the entry's text last changed."""
    reviewed: FlexDate | None = None
    """The day the entry's facts were last confirmed against its sources (最終確認日)."""
    tags: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    draft: bool = False
    body: str = ""
    """Markdown source of the body."""
    body_line: int = 1
    """Line of the file on which the body starts."""

    @cached_property
    def key(self) -> str:
        """``collection/slug``: asked for hundreds of thousands of times in a large build."""
        return f"{self.collection}/{self.slug}"


@dataclass(frozen=True, kw_only=True)
class Program(Entry):
    provider: tuple[str, ...]
    level: str
    kinds: tuple[str, ...]
    archetypes: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    """How the person would work: dispatch, appointment, advice, outsourcing (MODE_LABELS)."""
    terms: Terms = field(default_factory=Terms)
    period: Period = field(default_factory=Period)
    aliases: tuple[str, ...] = ()
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Partner(Entry):
    agreement: str
    since: FlexDate | None = None
    fields: tuple[str, ...] = ()
    unit: str | None = None
    url: str | None = None


@dataclass(frozen=True, kw_only=True)
class Case(Entry):
    prefecture: str
    municipalities: int | None = None
    models: tuple[str, ...] = ()
    started: FlexDate | None = None
    programs: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    archetypes: tuple[str, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Role(Entry):
    archetype: str
    host: str
    engagement: Engagement
    kind: str = "real"
    """``model`` (an example of a position, never a posting) or ``real`` (a posting or assignment)."""
    status: str | None = None
    """open / active / closed for a real role; None for a model."""
    prefecture: str | None = None
    skills: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Archetype:
    """One of the four 総務省 talent archetypes (content/archetypes.yaml)."""

    id: str
    name: str
    summary: str
    responsibilities: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    path: str = "content/archetypes.yaml"
    line: int = 1

    @property
    def key(self) -> str:
        return f"archetypes/{self.id}"


@dataclass(frozen=True)
class Page:
    """A free-standing page from content/pages/*.md (about, accessibility)."""

    slug: str
    path: str
    title: str
    summary: str
    body: str
    body_line: int = 1
    updated: FlexDate | None = None
    draft: bool = False


AnyEntry = Program | Partner | Case | Role


@dataclass(frozen=True)
class Taxonomy:
    """One way of grouping entries, e.g. by provider: term → entry keys."""

    name: str
    """Folder under the site root, e.g. ``providers``."""
    label: str
    terms: Mapping[str, tuple[str, ...]]
    term_labels: Mapping[str, str]


@dataclass(frozen=True)
class Site:
    """The linked site: every validated entry, cross-references resolved.

    Built once by the link stage; the render stage only reads it.
    Collections are sorted in the order the site presents them.
    """

    config: Config
    as_of: date
    archetypes: tuple[Archetype, ...]
    programs: tuple[Program, ...]
    partners: tuple[Partner, ...]
    cases: tuple[Case, ...]
    roles: tuple[Role, ...]
    pages: tuple[Page, ...]
    backlinks: Mapping[str, Mapping[str, tuple[str, ...]]]
    """Entry key → collection → keys of the entries that refer to it in their fields.

    E.g. ``backlinks["programs/x"]["cases"]`` are the cases that used program x,
    ``backlinks["archetypes/engineer"]["roles"]`` the roles of that archetype.
    """
    taxonomies: tuple[Taxonomy, ...]
    index: Mapping[str, AnyEntry | Archetype]
    """Key (``programs/x``, ``archetypes/engineer``) → entry or archetype."""
    body_links: Mapping[str, tuple[str, ...]]
    """Entry key → keys of the published entries its body links (each once, itself never)."""
    mentions: Mapping[str, Mapping[str, tuple[str, ...]]]
    """Entry key → collection → keys of the entries whose body links it and whose
    fields do not already refer to it: a body link is a reference too, seen from both ends."""

    def collection(self, name: str) -> tuple[AnyEntry, ...]:
        entries: tuple[AnyEntry, ...] = getattr(self, name)
        return entries

    def get(self, key: str) -> AnyEntry | Archetype | None:
        """The entry or archetype with this key (``programs/x``), or None."""
        return self.index.get(key)

    def refs(self, key: str, collection: str) -> tuple[AnyEntry | Archetype, ...]:
        """Entries of ``collection`` that refer to the entry ``key`` in their fields."""
        keys = self.backlinks.get(key, {}).get(collection, ())
        return tuple(self.index[k] for k in keys)

    def mentioned_by(self, key: str, collection: str) -> tuple[AnyEntry | Archetype, ...]:
        """Entries of ``collection`` whose body links the entry ``key`` (and whose fields do not refer to it)."""
        keys = self.mentions.get(key, {}).get(collection, ())
        return tuple(self.index[k] for k in keys)

    def related(self, key: str, collection: str) -> tuple[AnyEntry | Archetype, ...]:
        """Entries of ``collection`` that refer to ``key`` in their fields or link it from their body."""
        return self.refs(key, collection) + self.mentioned_by(key, collection)

    def stale(self, entry: Entry) -> bool:
        """True when the entry's last review is older than the site's review interval on the build date."""
        memo = self._stale
        found = memo.get(entry.key)
        if found is None:
            reviewed = entry.reviewed
            found = memo[entry.key] = reviewed is not None and is_stale(
                reviewed.value, self.as_of, self.config.review_interval_months
            )
        return found

    @cached_property
    def _stale(self) -> dict[str, bool]:
        """``stale`` by entry key, filled as it is asked (pages ask it of an entry many times)."""
        return {}

    def status_date(self, entry: Entry) -> date:
        """The day the entry's status is stated for: the build date, or the last review when that is stale."""
        return entry.reviewed.value if self.stale(entry) and entry.reviewed is not None else self.as_of

    def status(self, program: Program) -> ProgramStatus:
        """実施中 / 終了 / 開始予定 as the site states it: on the build date, or, for a
        stale entry, on the day of its last review (what was confirmed then)."""
        return program_status(program.period, self.status_date(program))

    def status_by_dates(self, program: Program) -> ProgramStatus:
        """What the program's period gives on the build date, whether or not it was confirmed since."""
        return program_status(program.period, self.as_of)

    def entries(self) -> tuple[AnyEntry, ...]:
        """Every entry of the four collections, in presentation order."""
        return tuple(e for name in COLLECTIONS for e in getattr(self, name))


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site: its path under the output root and its bytes.

    ``path`` is POSIX, relative, without base_path (``programs/x/index.html``).
    Render and export stages return these; only the writer touches the disk.
    """

    path: str
    data: bytes
    media_type: str = "text/html"


class Sink(Protocol):
    """Where files go as soon as they are made (the writer's work folder): render workers
    place pages there, and the exports job its data files. True when the bytes were new."""

    def put(self, file: OutputFile) -> bool: ...

    def has_output(self, path: str) -> bool:
        """Whether the previous build's file at ``path`` is there to be kept."""
        ...
