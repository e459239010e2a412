"""A small linked Site built by hand, shared by the render tests.

Literal values only, so that the render stage can be tested without the
content stage. Other render tests import ``sample_site`` from here.
"""

from __future__ import annotations

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

AS_OF = date(2026, 11, 26)
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


def test_sample_site_is_consistent():
    site = sample_site()
    for key, by_collection in site.backlinks.items():
        assert site.get(key) is not None
        for keys in by_collection.values():
            assert all(site.get(k) is not None for k in keys)
