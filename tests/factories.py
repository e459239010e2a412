"""Builders the tests share: a generated corpus and how to build and compare it, and the sample
site, a small Site made from literal entries (``sample_site``).

No test module imports another; what several need is here (values and functions) or in
conftest.py (fixtures)."""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

from generator.config import BuildOptions, Config
from generator.content.entries import Located, link_targets
from generator.content.link import link
from generator.content.parse import md_file_links
from generator.model import (
    Archetype,
    Case,
    Engagement,
    FlexDate,
    Page,
    Partner,
    Period,
    Program,
    Role,
    Site,
    Source,
    Terms,
    TimelineEvent,
)
from generator.pipeline import build

AS_OF = date(2026, 11, 26)


ENTRIES = 40


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def shown(page: Path) -> str:
    """A built page's HTML without the <wbr> phrase breaks."""
    return page.read_text("utf-8").replace("<wbr>", "")


def run(project: Path, out: Path, **overrides):
    result = build(BuildOptions(project=project, output=out, as_of=AS_OF, search=False, **overrides))
    assert result.ok, [p.format() for p in result.problems if p.is_error]
    return result


def cold(project: Path, tmp_path: Path) -> dict[str, str]:
    """A build of a copy of ``project`` with no cache and no previous output."""
    copy = tmp_path / "cold-project"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project, copy, ignore=shutil.ignore_patterns(".catalog-cache", "site", ".site*"))
    out = tmp_path / "cold-site"
    shutil.rmtree(out, ignore_errors=True)
    run(copy, out)
    return tree(out)


def files_of(project: Path, collection: str) -> list[Path]:
    return sorted((project / "content" / collection).glob("*.md"))


def referenced_program(project: Path) -> tuple[Path, str]:
    """A program that some case or role names in its front matter."""
    for program in files_of(project, "programs"):
        slug = program.stem
        users = [f for c in ("cases", "roles") for f in files_of(project, c) if f"- {slug}\n" in f.read_text("utf-8")]
        if users:
            return program, slug
    raise AssertionError("the corpus has no referenced program")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


HOSTILE = '=HYPERLINK("http://evil.example")<script>alert(1)</script>\nX-Injected: 1, a;b\\c'


def fd(iso: str, text: str | None = None, kind: str = "date") -> FlexDate:
    return FlexDate(date.fromisoformat(iso), text or iso, kind)  # type: ignore[arg-type]


# --- the sample site ---------------------------------------------------------------------------

SOURCE = Source(
    title="県・市町村共同によるデジタル人材の確保について",
    publisher="長野県企画振興部DX推進課",
    published=fd("2023-10-24"),
    covers=("terms.fiscal_rate", "period.end"),
)


DAY = fd("2023-10-24")
FISCAL = "digital-talent-fiscal-measure"
"""The program the case and the role of the sample site name."""


def sample_config(base_path: str = "/") -> Config:
    return Config(
        title="長野県 自治体DX人材支援カタログ",
        prefecture="長野県",
        base_url="https://example.jp",
        base_path=base_path,
        description="長野県と市町村がデジタル人材を確保するための制度・事例・役割をまとめたカタログです。",
        publisher="長野県企画振興部DX推進課",
    )


def sample_options(drafts: bool = False) -> BuildOptions:
    return BuildOptions(project=Path("."), output=Path("site"), as_of=AS_OF, drafts=drafts)


SAMPLE_ARCHETYPES = (
    Archetype("producer", "プロデューサー", "全庁的な自治体DXの企画・推進", ("DXの推進に向けた機運醸成",), ("企画力",)),
    Archetype("project_manager", "プロジェクトマネージャー", "個別プロジェクトの推進", ("進捗管理",)),
    Archetype("service_designer", "サービスデザイナー", "利用者中心のサービス設計", ("業務改善",)),
    Archetype(
        "engineer", "エンジニア", "各プロジェクトにおけるサービス・業務の実装", ("デジタルツールの実装",), ("クラウド",)
    ),
)

ADVISOR = Program(
    collection="programs",
    slug="chiiki-johoka-advisor",
    path="content/programs/chiiki-johoka-advisor.md",
    title="地域情報化アドバイザー制度",
    summary="ICTの専門家を自治体に派遣します。",
    updated=fd("2023-10-20"),
    reviewed=DAY,
    sources=(replace(SOURCE, covers=()),),
    provider=("総務省",),
    level="national",
    kinds=("advisor_dispatch",),
    archetypes=("producer", "engineer"),
    terms=Terms(limits="現地派遣は年3回まで"),
)

HOSTILE_PROGRAM = Program(
    collection="programs",
    slug="hostile",
    path="content/programs/hostile.md",
    title=HOSTILE,
    summary="-1+1 @SUM(A1) 要約\r\n二行目",
    updated=fd("2024-04-01"),
    reviewed=fd("2024-04-01"),
    sources=(Source("出典", "=発行者", url="https://example.org/a?b=1&c=2", accessed=fd("2024-04-01")),),
    provider=("長野県", "+cmd"),
    level="prefecture",
    kinds=("advisor_dispatch", "training"),
    terms=Terms(limits="年3回まで"),
    period=Period(end=fd("2027-03-31", "令和8年度", "fiscal_year_end")),
    aliases=("旧称",),
    url="https://example.org/official",
)

DRAFT = Program(
    collection="programs",
    slug="secret-draft",
    path="content/programs/secret-draft.md",
    title="下書きの制度",
    summary="公開しない",
    draft=True,
    provider=("総務省",),
    level="national",
    kinds=("matching",),
)

PARTNER = Partner(
    collection="partners",
    slug="example-corp",
    path="content/partners/example-corp.md",
    title="株式会社例",
    summary="長野県DX戦略推進パートナーです。",
    updated=DAY,
    reviewed=DAY,
    sources=(Source("協定の資料", "長野県"),),
    agreement="長野県DX戦略推進パートナー連携協定",
    since=fd("2020-04-01", "令和2年度", "fiscal_year_start"),
    fields=("DX推進の企画提案", "人材育成"),
)

CASE = Case(
    collection="cases",
    slug="ehime-talent-sharing",
    path="content/cases/ehime-talent-sharing.md",
    title="県と20市町によるデジタル人材シェアリング",
    summary="愛媛県と市町が確保した人材を共有しています。",
    updated=DAY,
    reviewed=fd("2026-01-10"),
    tags=("人材シェアリング",),
    sources=(
        Source(
            "資料", "愛媛県", url="https://example.org/ehime", published=fd("2023-08-01"), accessed=fd("2026-01-10")
        ),
    ),
    body=f"[財政措置](../programs/{FISCAL}.md#対象経費)を使っています。\n",
    prefecture="愛媛県",
    municipalities=20,
    models=("talent_sharing",),
    started=fd("2022-04-01", "令和4年度", "fiscal_year_start"),
    programs=(FISCAL,),
    partners=("example-corp",),
    archetypes=("producer", "project_manager"),
    timeline=(TimelineEvent(fd("2022-04-01", "令和4年度", "fiscal_year_start"), "枠組みを構築"),),
)

ROLE = Role(
    collection="roles",
    slug="municipal-cio-hosakan",
    path="content/roles/municipal-cio-hosakan.md",
    title="市町村CIO補佐官",
    summary="町の情報化方針づくりを助けます。",
    updated=fd("2025-06-01"),
    reviewed=fd("2026-06-01"),
    sources=(Source("募集の案内", "長野県", published=fd("2025-05-01"), covers=("status",)),),
    archetype="producer",
    host="municipality",
    engagement=Engagement("side_job", 10.0, True),
    kind="real",
    status="active",
    prefecture="長野県",
    skills=("データ分析",),
    programs=(FISCAL,),
)

PAGES = (
    Page(
        "about", "content/pages/about.md", "このサイトについて", "このカタログの目的です。", "## 目的\n\n本文です。\n"
    ),
    Page(
        "accessibility",
        "content/pages/accessibility.md",
        "アクセシビリティ方針",
        "JIS X 8341-3:2016 AA を目指します。",
        "本文です。\n",
    ),
)


def fiscal_measure(reviewed: FlexDate | None = DAY) -> Program:
    """The program the others name: a national fiscal measure whose period ended on 2026-03-31."""
    return Program(
        collection="programs",
        slug=FISCAL,
        path=f"content/programs/{FISCAL}.md",
        title="市町村支援のためのデジタル人材の確保に係る財政措置",
        summary="都道府県が市町村支援のために確保するデジタル人材の経費に特別交付税措置があります。",
        updated=DAY,
        reviewed=reviewed,
        tags=("財政措置", "人材シェアリング"),
        sources=(SOURCE,),
        body="## 対象経費\n\n[事例](../cases/ehime-talent-sharing.md)を参照してください。\n",
        provider=("総務省",),
        level="national",
        kinds=("fiscal_measure",),
        archetypes=("producer", "project_manager"),
        terms=Terms(cost_coverage="人件費・委託費", fiscal_rate=0.7, annual_cap_yen=5600000),
        period=Period(
            fd("2023-04-01", "令和5年度", "fiscal_year_start"), fd("2026-03-31", "令和7年度", "fiscal_year_end")
        ),
    )


def sample_site(
    base_path: str = "/",
    as_of: date = AS_OF,
    reviewed: FlexDate | None = DAY,
    *,
    drafts: bool = False,
    extra_programs: tuple[Program, ...] = (),
) -> Site:
    """The one small site the unit tests of the render and output stages share (docs/testing.md).

    Literal entries, linked by the link stage (a pure function), so its backlinks, taxonomies
    and body links are those a build makes of them. Four archetypes; three published
    programs: a national fiscal measure that the case and the role name (its period ended on
    2026-03-31, last reviewed on ``reviewed``: by default 2023-10-24, stale on AS_OF), an
    advisor dispatch, and a prefectural program whose text is hostile (formula, markup,
    header injection); a partner, a case in 愛媛県 and a real role in 長野県 (the case's body
    and the fiscal measure's link each other); two free-standing pages.

    ``drafts``: the site a build that shows drafts makes, with one more program, a draft
    (「下書きの制度」), that the case names too: what no public file may show.
    ``extra_programs`` are linked with the rest (they may name archetypes only).
    """
    programs = (ADVISOR, fiscal_measure(reviewed), HOSTILE_PROGRAM, *((DRAFT,) if drafts else ()), *extra_programs)
    case = replace(CASE, programs=(FISCAL, DRAFT.slug)) if drafts else CASE
    located = [Located(e, {}, link_targets(e.path, md_file_links(e.body, 1))) for e in (*programs, PARTNER, case, ROLE)]
    linked = link(sample_config(base_path), as_of, SAMPLE_ARCHETYPES, located, PAGES, drafts=drafts)
    assert linked.site is not None, linked.problems
    return linked.site
