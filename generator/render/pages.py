"""Routes → HTML files, plus sitemap.xml and robots.txt.

Everything a template may use is passed in its context: the read-only Site,
the Route, and small helpers bound to this build (URLs under base_path, the
status of a program on the build date). Nothing here reads the wall clock.
"""

from __future__ import annotations

import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from ..cms.admin import admin_files
from ..config import BuildOptions
from ..content.dates import format_flexdate, format_seireki
from ..content.sources import cover_label
from ..freshness import elapsed_text, months_between
from ..model import (
    COLLECTION_LABELS,
    KIND_LABELS,
    PROGRAM_STATUS_LABELS,
    ROLE_KIND_LABELS,
    ROLE_STATUS_LABELS,
    Entry,
    FlexDate,
    OutputFile,
    Program,
    Role,
    Site,
    Source,
    Taxonomy,
)
from ..problems import Problem, error
from . import decide
from .cards import CardKey, Cards
from .jsonld import graph
from .markdown import markdown_to_html
from .plan import STATUS_ORDER
from .routes import Route, term_path
from .sitemap import robots_txt, sitemap_xml


@dataclass(frozen=True)
class Helpers:
    """Functions bound to one build, handed to every template."""

    site: Site
    term_index: Mapping[tuple[str, str], tuple[tuple[str, str], ...]]
    _urls: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    """URLs already made in this build: every page links the same menus and sections."""
    _covered: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict, compare=False, repr=False)
    _once: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)
    """What ``once`` rendered in this build (and process), by (part, entry key)."""
    """Per entry, each field its sources cover → their numbers (see ``cites``)."""

    def url(self, path: str) -> str:
        """Root-relative URL (with base_path) of a site path such as ``programs/x/``."""
        found = self._urls.get(path)
        if found is None:
            found = self._urls[path] = self.site.config.url(quote(path))
        return found

    def absolute(self, path: str) -> str:
        return self.site.config.absolute_url(quote(path))

    def entry_url(self, entry: Any) -> str:
        return self.url(f"{entry.key}/")

    def status(self, program: Program) -> str:
        """The program's status code as the site states it (on the last review when that is stale)."""
        return self.site.status(program)

    def status_label(self, program: Program) -> str:
        """実施中, or 実施中（2023年10月24日の確認時点） when the last review is older than the interval."""
        return PROGRAM_STATUS_LABELS[self.site.status(program)] + self.as_of_check(program)

    def role_status_label(self, role: Role) -> str:
        """モデル（典型例） for a model; 募集中 / 活動中 / 終了 for a real role, as of its check when stale."""
        if role.kind == "model" or role.status is None:
            return ROLE_KIND_LABELS["model"]
        return ROLE_STATUS_LABELS.get(role.status, role.status) + self.as_of_check(role)

    def status_word(self, program: Program) -> str:
        """実施中 / 終了 / 開始予定 as the site states it, without the day of the check."""
        return PROGRAM_STATUS_LABELS[self.site.status(program)]

    def period_text(self, period: Any) -> str:
        """The period as the ``period`` macro of _macros.html writes it, as a string (for ``phrases``)."""
        start, end = period.start, period.end
        if start and end:
            return f"{format_flexdate(start)}〜{format_flexdate(end)}"
        if start:
            return f"{format_flexdate(start)}〜（終了時期の定めなし）"
        if end:
            return f"〜{format_flexdate(end)}"
        return "定めなし"

    def status_facet(self, entry: Entry) -> str:
        """The search facet 状況: a few values, so a stale entry is 最新の状況は未確認, not a date."""
        if isinstance(entry, Role) and (entry.kind == "model" or entry.status is None):
            return ROLE_KIND_LABELS["model"]
        if self.site.stale(entry):
            return "最新の状況は未確認"
        if isinstance(entry, Program):
            return PROGRAM_STATUS_LABELS[self.site.status(entry)]
        return ROLE_STATUS_LABELS.get(getattr(entry, "status", None) or "", "")

    def stale(self, entry: Entry) -> bool:
        return self.site.stale(entry)

    def as_of_check(self, entry: Entry) -> str:
        """（2023年10月24日の確認時点） for a stale entry, else empty."""
        if not self.site.stale(entry) or entry.reviewed is None:
            return ""
        return f"（{format_seireki(entry.reviewed.value)}の確認時点）"

    def elapsed(self, entry: Entry) -> str:
        """Time since the last review in years and months (3年1か月)."""
        if entry.reviewed is None:
            return ""
        return elapsed_text(months_between(entry.reviewed.value, self.site.as_of))

    def passed_end(self, program: Program) -> FlexDate | None:
        """The period's end when the site states a stale program as running but its dates say it has ended."""
        if (
            self.site.stale(program)
            and self.site.status(program) != "ended"
            and self.site.status_by_dates(program) == "ended"
        ):
            return program.period.end
        return None

    def all_ended(self, programs: Sequence[Program]) -> bool:
        """True when there are programs and every one's period has ended on the build date."""
        return bool(programs) and all(self.site.status_by_dates(p) == "ended" for p in programs)

    def official_links(self, entry: Entry) -> tuple[tuple[str, str], ...]:
        """(URL, text) of where to check an entry: its official page, else its sources that are online."""
        url = getattr(entry, "url", None)
        if url:
            return ((url, f"{entry.title}の公式ページ"),)
        return tuple((s.url, f"{s.title}（{s.publisher}）") for s in entry.sources if s.url)

    def cites(self, entry: Entry, paths: Sequence[str]) -> tuple[int, ...]:
        """Numbers (from 1) of the entry's sources that state any of the fields ``paths``
        (a source that covers ``terms`` states ``terms.fiscal_rate``)."""
        covered = self._covered.get(entry.key)
        if covered is None:
            covered = self._covered[entry.key] = _covered_fields(entry.sources)
        if not covered:
            return ()
        found: set[int] = set()
        for path in paths:
            while path:
                found.update(covered.get(path, ()))
                path = path.rpartition(".")[0]
        return tuple(sorted(found))

    def cite(self, entry: Entry, *paths: str) -> Markup:
        """Links to the numbered sources that state a value: `` <a class="fn" href="#source-1">出典1</a>``.

        A link a screen reader reads as 出典1, to the item of the page's source list.
        (A Python helper, not a macro: it is called beside every fact of every entry page.)"""
        numbers = self.cites(entry, paths)
        return (
            Markup("".join(f' <a class="fn" href="#source-{n}">出典{n}</a>' for n in numbers)) if numbers else _NOTHING
        )

    def covered(self, entry: Entry, source: Source) -> tuple[str, ...]:
        """What a source states, as labels a reader knows (措置率, 終了日または終了年度)."""
        return tuple(cover_label(entry.collection, path) for path in source.covers)

    def once(self, part: str, entry: Entry, render: Any) -> Any:
        """``render(entry)`` (a macro) the first time a page asks for this part of this entry in
        this build; the same markup after that. For a part that shows only its entry and site-wide
        values (the contract of cards, see cards.py)."""
        key = (part, entry.key)
        found = self._once.get(key)
        if found is None:
            found = self._once[key] = render(entry)
        return found

    def status_rank(self, program: Program) -> int:
        """The comparison's first order (decide.status_rank): 実施中 0 … 終了 4."""
        return decide.status_rank(self.site, program)

    def any_stale(self, entries: Sequence[Entry]) -> bool:
        return any(self.site.stale(e) for e in entries)

    def compare_sorts(self, program: Program) -> dict[str, str]:
        """Column key → what the comparison sorts the program by (decide.sort_values)."""
        return decide.sort_values(self.site, program)

    def compare_values(self, program: Program) -> dict[str, tuple[str, ...]]:
        """Facet → the program's values, for the comparison's filters."""
        return decide.row_values(self.site, program)

    def facet_values(self) -> tuple[str, ...]:
        """Every value the search page's facets can show (for their phrase breaks)."""
        site = self.site
        values = {
            *COLLECTION_LABELS.values(),
            "サイトの案内",
            *(a.name for a in site.archetypes),
            *KIND_LABELS.values(),
        }
        values.update(p for program in site.programs for p in program.provider)
        values.update(c.prefecture for c in site.cases if c.prefecture)
        values.update(r.prefecture for r in site.roles if r.prefecture)
        values.update(self.status_facet(e) for e in (*site.programs, *site.roles))
        return tuple(sorted(values))

    def by_status(self, programs: Sequence[Program]) -> tuple[Program, ...]:
        """実施中, then 開始予定, then 終了; the site's order within each."""
        return tuple(sorted(programs, key=lambda p: STATUS_ORDER.index(self.site.status(p))))

    def terms(self, taxonomy: str, key: str) -> tuple[tuple[str, str], ...]:
        """(site path, label) of the terms of ``taxonomy`` that list the entry ``key``."""
        return self.term_index.get((taxonomy, key), ())

    def term_url(self, taxonomy: Taxonomy, term: str) -> str:
        return self.url(term_path(taxonomy, term))

    def body(self, item: Any) -> str:
        return markdown_to_html(item.body, item.path, self.site)


_NOTHING = Markup("")


def _covered_fields(sources: Sequence[Source]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for n, source in enumerate(sources, 1):
        for path in source.covers:
            found.setdefault(path, []).append(n)
    return {path: tuple(numbers) for path, numbers in found.items()}


def build_term_index(site: Site) -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    index: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for taxonomy in site.taxonomies:
        for term, keys in taxonomy.terms.items():
            link = (term_path(taxonomy, term), taxonomy.term_labels.get(term, term))
            for key in keys:
                index.setdefault((taxonomy.name, key), []).append(link)
    return {k: tuple(v) for k, v in index.items()}


@dataclass(frozen=True)
class Renderer:
    """Everything needed to render any route of one build: made once, used for every page."""

    site: Site
    env: jinja2.Environment
    helpers: Helpers
    cards: Cards

    def render(self, route: Route) -> tuple[OutputFile | None, Problem | None]:
        html, problem = render_route(self.env, route, self.site, self.helpers)
        if problem is not None:
            return None, problem
        return OutputFile(route.output_path, html.encode("utf-8"), "text/html"), None


def make_renderer(
    site: Site,
    env: jinja2.Environment,
    options: BuildOptions,
    *,
    hashes: Mapping[str, str] = {},
    cards: Mapping[CardKey, tuple[str, str]] = {},
) -> Renderer:
    """``hashes`` (entries' content hashes) and ``cards`` (an earlier build's, see cards.py)
    let cards be reused between builds."""
    helpers = Helpers(site, build_term_index(site))
    # Values of this build are globals of an overlay, so that imported macros
    # see them too; the caller's environment is left as it was.
    build_env = env.overlay()
    build_env.globals.update(
        site=site,
        config=site.config,
        h=helpers,
        url=helpers.url,
        entry_url=helpers.entry_url,
        as_of=site.as_of,
        show_drafts=options.drafts or options.serve,
    )
    memo = Cards(build_env, hashes, cards)
    build_env.globals["card_once"] = memo
    return Renderer(site, build_env, helpers, memo)


def site_files(site: Site, routes: Sequence[Route], *, serve: bool) -> tuple[OutputFile, ...]:
    """sitemap.xml and robots.txt, which list every route, and the editor at /admin/ (see cms/admin.py)."""
    return (
        OutputFile("sitemap.xml", sitemap_xml(site, routes).encode("utf-8"), "application/xml"),
        OutputFile("robots.txt", robots_txt(site).encode("utf-8"), "text/plain"),
        *admin_files(site.config, local=serve),
    )


def render_route(env: jinja2.Environment, route: Route, site: Site, helpers: Helpers) -> tuple[str, Problem | None]:
    context = {
        **route.context,
        "route": route,
        "canonical": helpers.absolute(route.path if route.path != "404.html" else ""),
        "structured_data": graph(route, site),
    }
    try:
        return env.get_template(route.template).render(context), None
    except jinja2.TemplateError as exc:
        return "", _template_problem(exc, route, site)


def _template_problem(exc: jinja2.TemplateError, route: Route, site: Site) -> Problem:
    """Where in which template rendering failed, as a Problem in Japanese."""
    path, line = _template_frame(exc, route.template)
    if isinstance(exc, jinja2.TemplateNotFound):
        message = f"テンプレート「{exc.name}」が見つかりません（ページ {route.output_path}）"
    elif isinstance(exc, jinja2.UndefinedError):
        message = f"テンプレートで定義されていない値を使っています: {exc.message}（ページ {route.output_path}）"
    else:
        message = f"テンプレートの処理に失敗しました: {exc.message}（ページ {route.output_path}）"
    return error(path, line, 0, "template-error", message)


def _template_frame(exc: BaseException, fallback: str) -> tuple[str, int]:
    """The innermost traceback frame that belongs to a template file."""
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        return _short(exc.filename), exc.lineno or 0
    found = (fallback, 0)
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".xml", ".txt", ".j2")):
            found = (_short(frame.filename), frame.lineno or 0)
    return found


def _short(filename: str) -> str:
    """``themes/default/templates/x.html`` from an absolute template path."""
    marker = "themes/default/"
    index = filename.replace("\\", "/").rfind(marker)
    return filename[index:] if index >= 0 else filename
