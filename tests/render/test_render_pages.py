"""Pages rendered from a hand-built Site: cross-references, status, sub-paths, drafts, structured data."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest
from factories import sample_options, sample_site

from generator.content.dates import format_wareki
from generator.model import FlexDate, OutputFile
from generator.render.batch import render_site
from generator.render.filters import jsonld
from generator.render.linkcheck import check_links, links_of
from generator.render.templates import make_environment, static_files

FEEDS = (
    "atom.xml",
    "programs/atom.xml",
    "partners/atom.xml",
    "cases/atom.xml",
    "roles/atom.xml",
    "archetypes/producer/atom.xml",
    "archetypes/project_manager/atom.xml",
    "archetypes/service_designer/atom.xml",
    "archetypes/engineer/atom.xml",
    "prefectures/ehime/atom.xml",
    "prefectures/nagano/atom.xml",
)


def render(site, *, project: Path = Path("/nonexistent"), drafts: bool = False, extra=None):
    env, problems = make_environment(project)
    assert env is not None and problems == ()
    files, problems = render_site(site, env, sample_options(drafts), extra or {})
    assert problems == ()
    return {f.path: f for f in files}


def page(files, path: str) -> str:
    """A page's HTML without the <wbr> phrase breaks (tests/render/test_phrases.py checks those)."""
    return files[path].data.decode("utf-8").replace("<wbr>", "")


def structured(html: str) -> list[dict]:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))["@graph"]


def test_every_page_type_is_rendered():
    files = render(sample_site())
    for path in (
        "index.html",
        "programs/index.html",
        "programs/compare/index.html",
        "programs/digital-talent-fiscal-measure/index.html",
        "partners/example-corp/index.html",
        "cases/ehime-talent-sharing/index.html",
        "roles/municipal-cio-hosakan/index.html",
        "archetypes/index.html",
        "archetypes/producer/index.html",
        "providers/総務省/index.html",
        "tags/財政措置/index.html",
        "about/index.html",
        "accessibility/index.html",
        "search/index.html",
        "data/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ):
        assert path in files


def test_program_shows_cases_roles_and_archetypes_that_refer_to_it():
    html = page(render(sample_site()), "programs/digital-talent-fiscal-measure/index.html")
    assert 'href="/cases/ehime-talent-sharing/"' in html
    assert 'href="/roles/municipal-cio-hosakan/"' in html
    assert 'href="/archetypes/producer/"' in html


def test_case_links_its_programs_partners_and_archetypes():
    html = page(render(sample_site()), "cases/ehime-talent-sharing/index.html")
    assert 'href="/programs/digital-talent-fiscal-measure/"' in html
    assert 'href="/partners/example-corp/"' in html
    assert 'href="/archetypes/producer/"' in html
    assert 'href="/models/talent_sharing/"' in html
    assert 'href="/prefectures/ehime/"' in html


def test_partner_shows_the_cases_it_took_part_in():
    html = page(render(sample_site()), "partners/example-corp/index.html")
    assert 'href="/cases/ehime-talent-sharing/"' in html


def test_archetype_shows_its_roles_programs_and_cases():
    html = page(render(sample_site()), "archetypes/producer/index.html")
    for href in (
        "/roles/municipal-cio-hosakan/",
        "/programs/chiiki-johoka-advisor/",
        "/programs/digital-talent-fiscal-measure/",
        "/cases/ehime-talent-sharing/",
    ):
        assert f'href="{href}"' in html
    assert "DXの推進に向けた機運醸成" in html


def test_role_links_archetype_and_programs_that_fund_it():
    html = page(render(sample_site()), "roles/municipal-cio-hosakan/index.html")
    assert 'href="/archetypes/producer/"' in html
    assert 'href="/programs/digital-talent-fiscal-measure/"' in html
    assert "月10時間まで" in html


@pytest.mark.parametrize(
    ("as_of", "label"),
    [(date(2026, 3, 31), "実施中"), (date(2026, 4, 1), "終了"), (date(2026, 11, 26), "終了")],
)
def test_status_follows_the_build_date_while_the_review_is_recent(as_of, label):
    reviewed = FlexDate(date(2026, 1, 15), "2026-01-15")
    html = page(
        render(sample_site(as_of=as_of, reviewed=reviewed)), "programs/digital-talent-fiscal-measure/index.html"
    )
    badge = re.search(
        r'<span class="badge badge--(\w+)"><span class="visually-hidden"[^>]*>状況: </span>(\S+?)</span>', html
    )
    assert badge and badge.group(2) == label
    assert f"（{format_wareki(as_of)}時点）" in html and "最終確認から" not in html


def test_a_stale_status_is_stated_as_of_the_review_with_a_notice_and_the_official_link():
    html = page(render(sample_site()), "programs/digital-talent-fiscal-measure/index.html")
    # Reviewed 2023-10-24; on 2026-11-26 that is more than 12 months ago: the status is what
    # that review found (the period then ran to 2026-03-31), never coloured as current.
    assert (
        '<span class="badge badge--unconfirmed"><span class="visually-hidden" data-pagefind-ignore>状況: </span>実施中（2023年10月24日の確認時点）</span>'
        in html
    )
    assert "令和8年11月26日時点" not in html and "badge--active" not in html.split("</h1>")[1].split("<table")[0]
    notice = html.split('class="notice notice--stale"')[1].split("</div>")[0]
    assert (
        "最終確認から3年1か月たっています。" in notice
        and "申請の前に公式ページで最新の内容を確認してください。" in notice
    )
    assert "令和7年度末（2026年3月31日）までで、その日を過ぎています" in notice
    # No official page and no source online: the notice says so instead of inventing a link.
    assert "公式ページのURLは登録されていません" in notice


def test_footnote_markers_link_the_numbered_sources():
    html = page(render(sample_site()), "programs/digital-talent-fiscal-measure/index.html")
    rate_row = html.split('<th scope="row">措置率</th>')[1].split("</tr>")[0]
    assert '<a class="fn" href="#source-1">出典1</a>' in rate_row, "a real link whose text a screen reader reads"
    cost_row = html.split('<th scope="row">費用負担</th>')[1].split("</tr>")[0]
    assert "出典" not in cost_row, "no source states the cost coverage"
    item = html.split('<li id="source-1">')[1].split("</li>")[0]
    assert "県・市町村共同によるデジタル人材の確保について" in item
    assert "発行: 長野県企画振興部DX推進課" in item and "資料の日付: 令和5年10月24日（2023年10月24日）" in item
    assert "この資料による項目: 措置率" in item


def test_a_model_role_is_never_recruiting_and_a_real_one_states_its_status_as_of_its_check():
    site = sample_site()
    model = replace(site.roles[0], kind="model", status=None)
    files = render(replace(site, roles=(model,), index=MappingProxyType({**site.index, model.key: model})))
    html = page(files, "roles/municipal-cio-hosakan/index.html")
    assert "募集中" not in html and "活動中" not in html
    assert (
        '<span class="badge badge--model"><span class="visually-hidden" data-pagefind-ignore>種類: </span>モデル（典型例）</span>'
        in html
    )
    assert "実際の募集や配置ではありません" in html
    real = replace(site.roles[0], reviewed=FlexDate(date(2025, 1, 10), "2025-01-10"))
    html = page(
        render(replace(site, roles=(real,), index=MappingProxyType({**site.index, real.key: real}))),
        "roles/municipal-cio-hosakan/index.html",
    )
    assert "活動中（2025年1月10日の確認時点）" in html and "最終確認から1年10か月たっています。" in html


def test_entries_whose_body_links_a_program_are_listed_on_its_page():
    site = sample_site()
    mentions = {
        "programs/chiiki-johoka-advisor": {
            "roles": ("roles/municipal-cio-hosakan",),
            "partners": ("partners/example-corp",),
        }
    }
    html = page(render(replace(site, mentions=MappingProxyType(mentions))), "programs/chiiki-johoka-advisor/index.html")
    roles = html.split('id="roles-heading"')[1].split("</section>")[0]
    assert 'href="/roles/municipal-cio-hosakan/"' in roles and "掲載している役割はまだありません" not in roles
    others = html.split('id="mentions-heading"')[1].split("</section>")[0]
    assert "このページを紹介している項目" in html and 'href="/partners/example-corp/"' in others
    plain = page(render(site), "programs/chiiki-johoka-advisor/index.html")
    assert "掲載している役割はまだありません" in plain and 'id="mentions-heading"' not in plain


def test_a_role_whose_programs_have_all_ended_says_no_current_program_is_listed():
    html = page(render(sample_site()), "roles/municipal-cio-hosakan/index.html")
    assert "いま使える制度は掲載していません。" in html
    fresh = page(render(sample_site(as_of=date(2026, 3, 31))), "roles/municipal-cio-hosakan/index.html")
    assert "いま使える制度は掲載していません。" not in fresh


def test_cards_comparison_and_recent_updates_show_the_review_date():
    files = render(sample_site())
    card = (
        page(files, "programs/index.html").split('href="/programs/digital-talent-fiscal-measure/"')[1].split("</li>")[0]
    )
    assert '<dt>最終確認日</dt><dd><time datetime="2023-10-24">令和5年10月24日</time>（3年1か月前）</dd>' in card
    compare = page(files, "programs/compare/index.html")
    assert (
        'badge--unconfirmed"><span class="visually-hidden">状況: </span>実施中</span><span class="compare__note">2023年10月24日の確認時点。最終確認から'
        in compare
    )
    assert "令和5年10月24日（2023年10月24日）" in compare
    home = page(files, "index.html").split('id="newest-heading"')[1].split("</section>")[0]
    assert '<dt>更新日</dt><dd><time datetime="2023-10-24">令和5年10月24日</time></dd>' in home
    assert "<dt>最終確認日</dt>" in home


def test_programs_index_groups_by_status_and_unconfirmed_programs_apart():
    # The two national programs were reviewed on 2023-10-24: still current exactly 12 months later…
    html = page(render(sample_site(as_of=date(2024, 10, 24))), "programs/index.html")
    assert "実施中の制度（3件）" in html and "最新の状況を確認できていない制度" not in html
    assert html.index("chiiki-johoka-advisor") < html.index("digital-talent-fiscal-measure")
    # …and no longer one day later: then neither is listed as running today, only the program
    # reviewed on 2024-04-01.
    html = page(render(sample_site(as_of=date(2024, 10, 25))), "programs/index.html")
    assert "最新の状況を確認できていない制度（2件）" in html and "実施中の制度（1件）" in html
    running = html.split("実施中の制度（1件）")[1].split("最新の状況を確認できていない制度")[0]
    assert 'href="/programs/hostile/"' in running and "digital-talent-fiscal-measure" not in running
    assert "実施中（2023年10月24日の確認時点）" in html


def test_dates_show_wareki_with_seireki():
    html = page(render(sample_site()), "programs/digital-talent-fiscal-measure/index.html")
    assert "令和7年度末（2026年3月31日）" in html
    assert '<td>0.7 <a class="fn"' in html and "経費の70%" not in html  # a rate in a formula, never a share of the cost


def test_sub_path_links_resolve():
    site = sample_site("/dx-catalog/")
    files = render(site)
    html = page(files, "programs/index.html")
    assert 'href="/dx-catalog/static/css/site.css"' in html
    assert 'href="/dx-catalog/programs/chiiki-johoka-advisor/"' in html
    assert 'action="/dx-catalog/search/"' in html
    assert '<link rel="canonical" href="https://example.jp/dx-catalog/programs/">' in html
    assert not [href for href in links_of(html) if href.startswith("/") and not href.startswith("/dx-catalog/")]
    everything = (*files.values(), *static_files(Path("/nonexistent")), *(OutputFile(p, b"") for p in FEEDS))
    assert check_links(everything, site.config) == ()


def test_sitemap_and_robots_use_absolute_urls():
    files = render(sample_site("/dx-catalog/"))
    sitemap = page(files, "sitemap.xml")
    assert "<loc>https://example.jp/dx-catalog/programs/chiiki-johoka-advisor/</loc>" in sitemap
    assert "<lastmod>2023-10-20</lastmod>" in sitemap
    assert "404.html" not in sitemap
    assert "Sitemap: https://example.jp/dx-catalog/sitemap.xml" in page(files, "robots.txt")


def test_drafts_are_marked_and_left_out_of_the_sitemap():
    site = sample_site()
    draft = replace(site.partners[0], draft=True)
    site = replace(site, partners=(draft,), index={**site.index, draft.key: draft})
    files = render(site, drafts=True)
    html = page(files, "partners/example-corp/index.html")
    assert "下書き" in html
    assert '<meta name="robots" content="noindex">' in html
    assert "partners/example-corp/" not in page(files, "sitemap.xml")


def test_structured_data_per_page_type():
    files = render(sample_site())
    kinds = {
        "programs/chiiki-johoka-advisor/index.html": "GovernmentService",
        "partners/example-corp/index.html": "Organization",
        "cases/ehime-talent-sharing/index.html": "Article",
        "roles/municipal-cio-hosakan/index.html": "Occupation",
        "archetypes/producer/index.html": "Occupation",
    }
    for path, kind in kinds.items():
        graph = structured(page(files, path))
        assert graph[0]["@type"] == kind
        assert graph[-1]["@type"] == "BreadcrumbList"
    crumbs = structured(page(files, "cases/ehime-talent-sharing/index.html"))[-1]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["ホーム", "事例", "県と20市町によるデジタル人材シェアリング"]
    assert crumbs[-1]["item"] == "https://example.jp/cases/ehime-talent-sharing/"


def test_structured_data_cannot_close_its_script_element():
    text = str(jsonld({"name": "</script><script>alert(1)</script>", "x": "<!--"}))
    assert "</" not in text and "<!--" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script>"


def test_every_page_has_one_h1_lang_skip_link_and_landmarks():
    for path, file in render(sample_site()).items():
        if not path.endswith(".html"):
            continue
        html = file.data.decode("utf-8")
        assert html.count("<h1") == 1, path
        assert '<html lang="ja">' in html
        assert 'href="#main"' in html and 'id="main"' in html
        assert "<header" in html and "<footer" in html and 'aria-label="現在位置"' in html
        assert "style=" not in html
        # Only data blocks and external scripts: the CSP allows no inline script.
        for script in re.findall(r"<script[^>]*>", html):
            assert 'type="application/ld+json"' in script or " src=" in script, path


def test_feeds_are_linked_from_the_pages_they_concern():
    files = render(sample_site())
    assert 'type="application/atom+xml"' in page(files, "index.html")
    assert 'href="/programs/atom.xml"' in page(files, "programs/index.html")
    assert 'href="/archetypes/producer/atom.xml"' in page(files, "archetypes/producer/index.html")
    assert 'href="/prefectures/ehime/atom.xml"' in page(files, "prefectures/ehime/index.html")


def test_data_page_lists_the_exported_files():
    from generator.render.datafiles import Column, DataFileView

    listed = DataFileView(
        "data/programs.csv",
        "支援制度（CSV）",
        "",
        "CSV",
        2048,
        2,
        date(2023, 10, 24),
        "UTF-8",
        (Column("slug", "項目のID"),),
    )
    extra = {"data_files": (listed,)}
    html = page(render(sample_site(), extra=extra), "data/index.html")
    assert 'href="/data/programs.csv"' in html
    assert "2.0KB" in html and "2件" in html and "令和5年10月24日" in html
    assert "<code>slug</code>" in html
    dataset = structured(html)[0]
    assert dataset["@type"] == "Dataset"
    assert dataset["distribution"][0]["contentUrl"] == "https://example.jp/data/programs.csv"
    assert dataset["license"].startswith("https://creativecommons.org/")


def test_header_search_is_a_plain_get_form():
    html = page(render(sample_site()), "programs/index.html")
    assert re.search(r'<form[^>]*action="/search/" method="get"', html)
    assert 'name="q"' in html
