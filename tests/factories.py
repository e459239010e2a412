"""Builders the tests share: a generated corpus and how to build and compare it, and two small
sites built by hand from literal values (one for the data exports, one for the render stage).

No test module imports another; what several need is here (values and functions) or in
conftest.py (fixtures)."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path
from types import MappingProxyType

from generator.config import BuildOptions, Config
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
    Taxonomy,
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


def make_site(*, base_path: str = "/dx-catalog/", extra_programs: tuple[Program, ...] = ()) -> Site:
    config = Config(
        title="長野県 DX人材支援カタログ",
        prefecture="長野県",
        base_url="https://example.jp",
        base_path=base_path,
        publisher="長野県",
    )
    archetypes = (
        Archetype("producer", "プロデューサー", "全庁的な自治体DXの企画・推進", ("DXの方針策定",), ("企画力",)),
        Archetype("project_manager", "プロジェクトマネージャー", "個別プロジェクトの推進", ("進捗管理",)),
        Archetype("service_designer", "サービスデザイナー", "利用者中心のサービス設計", ("業務改善",)),
        Archetype("engineer", "エンジニア", "システムの構築・運用", ("技術支援",), ("クラウド",)),
    )
    programs = (
        Program(
            collection="programs",
            slug="digital-talent-fiscal-measure",
            path="content/programs/digital-talent-fiscal-measure.md",
            title="市町村支援のためのデジタル人材の確保に係る財政措置",
            summary="都道府県が市町村支援のために確保するデジタル人材の経費に特別交付税措置があります。",
            updated=fd("2023-10-24"),
            tags=("財政措置", "人材シェアリング"),
            sources=(
                Source(
                    "県・市町村共同によるデジタル人材の確保について",
                    "長野県企画振興部DX推進課",
                    published=fd("2023-10-24"),
                    covers=("terms.fiscal_rate", "period.end"),
                ),
            ),
            body="本文です。\n\n二段落目。",
            provider=("総務省",),
            level="national",
            kinds=("fiscal_measure",),
            archetypes=("producer", "project_manager"),
            terms=Terms(cost_coverage="人件費・委託費", fiscal_rate=0.7, annual_cap_yen=5600000),
            period=Period(
                fd("2023-04-01", "令和5年度", "fiscal_year_start"), fd("2026-03-31", "令和7年度", "fiscal_year_end")
            ),
            reviewed=fd("2023-10-24"),
        ),
        Program(
            collection="programs",
            slug="hostile",
            path="content/programs/hostile.md",
            title=HOSTILE,
            summary="-1+1 @SUM(A1) 要約\r\n二行目",
            updated=fd("2024-04-01"),
            sources=(Source("出典", "=発行者", url="https://example.org/a?b=1&c=2", accessed=fd("2024-04-01")),),
            provider=("長野県", "+cmd"),
            level="prefecture",
            kinds=("advisor_dispatch", "training"),
            terms=Terms(limits="年3回まで"),
            period=Period(end=fd("2027-03-31", "令和8年度", "fiscal_year_end")),
            aliases=("旧称",),
            url="https://example.org/official",
            reviewed=fd("2024-04-01"),
        ),
        Program(
            collection="programs",
            slug="secret-draft",
            path="content/programs/secret-draft.md",
            title="下書きの制度",
            summary="公開しない",
            draft=True,
            provider=("総務省",),
            level="national",
            kinds=("matching",),
        ),
    ) + extra_programs
    partners = (
        Partner(
            collection="partners",
            slug="example-corp",
            path="content/partners/example-corp.md",
            title="株式会社例",
            summary="長野県DX戦略推進パートナーです。",
            updated=fd("2023-10-24"),
            reviewed=fd("2023-10-24"),
            sources=(Source("協定の資料", "長野県"),),
            agreement="長野県DX戦略推進パートナー連携協定",
            since=fd("2020-04-01", "令和2年度", "fiscal_year_start"),
            fields=("DX推進の企画提案", "人材育成"),
        ),
    )
    cases = (
        Case(
            collection="cases",
            slug="ehime-sharing",
            path="content/cases/ehime-sharing.md",
            title="県と20市町によるデジタル人材シェアリング",
            summary="県と市町が確保した人材を共有します。",
            updated=fd("2023-10-24"),
            tags=("人材シェアリング",),
            reviewed=fd("2026-01-10"),
            sources=(
                Source(
                    "資料",
                    "愛媛県",
                    url="https://example.org/ehime",
                    published=fd("2023-08-01"),
                    accessed=fd("2026-01-10"),
                ),
            ),
            prefecture="愛媛県",
            municipalities=20,
            models=("talent_sharing",),
            started=fd("2022-04-01", "令和4年度", "fiscal_year_start"),
            programs=("digital-talent-fiscal-measure", "secret-draft"),
            partners=("example-corp",),
            archetypes=("project_manager",),
            timeline=(TimelineEvent(fd("2022-04-01", "令和4年度", "fiscal_year_start"), "枠組みを構築"),),
        ),
    )
    roles = (
        Role(
            collection="roles",
            slug="cio-assistant",
            path="content/roles/cio-assistant.md",
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
            programs=("digital-talent-fiscal-measure",),
        ),
    )
    index = {e.key: e for e in (*archetypes, *programs, *partners, *cases, *roles) if not getattr(e, "draft", False)}
    return Site(
        config=config,
        as_of=AS_OF,
        archetypes=archetypes,
        programs=programs,
        partners=partners,
        cases=cases,
        roles=roles,
        pages=(),
        backlinks=MappingProxyType({}),
        taxonomies=(),
        index=MappingProxyType(index),
    )


SOURCE = Source(
    title="県・市町村共同によるデジタル人材の確保について",
    publisher="長野県企画振興部DX推進課",
    published=FlexDate(date(2023, 10, 24), "2023-10-24"),
    covers=("terms.fiscal_rate",),
)


DAY = FlexDate(date(2023, 10, 24), "2023-10-24")


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


def sample_site(base_path: str = "/", as_of: date = AS_OF, reviewed: FlexDate | None = DAY) -> Site:
    """The sample site; ``reviewed`` is the fiscal measure's last review (by default
    2023-10-24, more than the 12-month interval before AS_OF: stale)."""
    archetypes = (
        Archetype(
            "producer", "プロデューサー", "全庁的な自治体DXの企画・推進", ("DXの推進に向けた機運醸成",), ("企画力",)
        ),
        Archetype("engineer", "エンジニア", "各プロジェクトにおけるサービス・業務の実装", ("デジタルツールの実装",)),
    )
    fiscal = Program(
        collection="programs",
        slug="digital-talent-fiscal-measure",
        path="content/programs/digital-talent-fiscal-measure.md",
        title="デジタル人材の育成・確保に係る地方財政措置",
        summary="CIO補佐官等として外部人材を任用する経費に特別交付税措置があります。",
        updated=DAY,
        tags=("財政措置",),
        sources=(SOURCE,),
        body="## 対象経費\n\n[事例](../cases/ehime-talent-sharing.md)を参照してください。\n",
        provider=("総務省",),
        level="national",
        kinds=("fiscal_measure",),
        archetypes=("producer",),
        terms=Terms(cost_coverage="任用経費の一部", fiscal_rate=0.7),
        period=Period(end=FlexDate(date(2026, 3, 31), "令和7年度", "fiscal_year_end")),
        reviewed=reviewed,
    )
    advisor = Program(
        collection="programs",
        slug="chiiki-johoka-advisor",
        path="content/programs/chiiki-johoka-advisor.md",
        title="地域情報化アドバイザー制度",
        summary="ICTの専門家を自治体に派遣します。",
        updated=FlexDate(date(2023, 10, 20), "2023-10-20"),
        sources=(SOURCE,),
        provider=("総務省",),
        level="national",
        kinds=("advisor_dispatch",),
        archetypes=("producer", "engineer"),
        terms=Terms(limits="現地派遣は年3回まで"),
        reviewed=DAY,
    )
    partner = Partner(
        collection="partners",
        slug="hitachi",
        path="content/partners/hitachi.md",
        title="株式会社日立製作所",
        summary="長野県DX戦略推進パートナーです。",
        updated=DAY,
        sources=(SOURCE,),
        agreement="長野県DX戦略推進パートナー連携協定",
        unit="水・環境ビジネスユニット",
    )
    case = Case(
        collection="cases",
        slug="ehime-talent-sharing",
        path="content/cases/ehime-talent-sharing.md",
        title="県と20市町によるデジタル人材シェアリング",
        summary="愛媛県と市町が確保した人材を共有しています。",
        updated=FlexDate(date(2023, 10, 22), "2023-10-22"),
        sources=(SOURCE,),
        body="[財政措置](../programs/digital-talent-fiscal-measure.md#対象経費)を使っています。\n",
        prefecture="愛媛県",
        municipalities=20,
        models=("talent_sharing",),
        programs=("digital-talent-fiscal-measure",),
        partners=("hitachi",),
        archetypes=("producer",),
        timeline=(TimelineEvent(FlexDate(date(2023, 4, 1), "令和5年度", "fiscal_year_start"), "推進会議を設置"),),
    )
    role = Role(
        collection="roles",
        slug="municipal-cio-hosakan",
        path="content/roles/municipal-cio-hosakan.md",
        title="市町村CIO補佐官",
        summary="町の情報化方針づくりを助けます。",
        updated=DAY,
        archetype="producer",
        host="municipality",
        engagement=Engagement(form="side_job", hours_per_month=10, remote=True),
        status="active",
        prefecture="長野県",
        skills=("データ分析",),
        programs=("digital-talent-fiscal-measure",),
    )
    pages = (
        Page(
            "about",
            "content/pages/about.md",
            "このサイトについて",
            "このカタログの目的です。",
            "## 目的\n\n本文です。\n",
        ),
        Page(
            "accessibility",
            "content/pages/accessibility.md",
            "アクセシビリティ方針",
            "JIS X 8341-3:2016 AA を目指します。",
            "本文です。\n",
        ),
    )
    entries = {e.key: e for e in (fiscal, advisor, partner, case, role)}
    index = {**entries, **{a.key: a for a in archetypes}}
    backlinks = {
        "programs/digital-talent-fiscal-measure": {
            "cases": ("cases/ehime-talent-sharing",),
            "roles": ("roles/municipal-cio-hosakan",),
        },
        "partners/hitachi": {"cases": ("cases/ehime-talent-sharing",)},
        "archetypes/producer": {
            "programs": ("programs/chiiki-johoka-advisor", "programs/digital-talent-fiscal-measure"),
            "cases": ("cases/ehime-talent-sharing",),
            "roles": ("roles/municipal-cio-hosakan",),
        },
        "archetypes/engineer": {"programs": ("programs/chiiki-johoka-advisor",)},
    }
    taxonomies = (
        Taxonomy(
            "providers",
            "所管",
            {"soumu": ("programs/chiiki-johoka-advisor", "programs/digital-talent-fiscal-measure")},
            {"soumu": "総務省"},
        ),
        Taxonomy(
            "kinds",
            "制度の種類",
            {
                "advisor_dispatch": ("programs/chiiki-johoka-advisor",),
                "fiscal_measure": ("programs/digital-talent-fiscal-measure",),
            },
            {"advisor_dispatch": "アドバイザー派遣", "fiscal_measure": "財政措置"},
        ),
        Taxonomy(
            "prefectures",
            "都道府県",
            {"ehime": ("cases/ehime-talent-sharing",), "nagano": ("roles/municipal-cio-hosakan",)},
            {"ehime": "愛媛県", "nagano": "長野県"},
        ),
        Taxonomy(
            "models",
            "連携の型",
            {"talent_sharing": ("cases/ehime-talent-sharing",)},
            {"talent_sharing": "人材シェアリング"},
        ),
        Taxonomy(
            "tags",
            "タグ",
            {"%E8%B2%A1%E6%94%BF%E6%8E%AA%E7%BD%AE": ("programs/digital-talent-fiscal-measure",)},
            {"%E8%B2%A1%E6%94%BF%E6%8E%AA%E7%BD%AE": "財政措置"},
        ),
    )
    return Site(
        config=sample_config(base_path),
        as_of=as_of,
        archetypes=archetypes,
        programs=(advisor, fiscal),
        partners=(partner,),
        cases=(case,),
        roles=(role,),
        pages=pages,
        backlinks=MappingProxyType({k: MappingProxyType(v) for k, v in backlinks.items()}),
        taxonomies=taxonomies,
        index=MappingProxyType(index),
    )
