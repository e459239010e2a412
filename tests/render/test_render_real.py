"""The real catalog (content/): every page type is built and no link is broken."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.config import BuildOptions
from generator.model import COLLECTIONS
from generator.pipeline import load, render

PROJECT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)


@pytest.fixture(scope="module", params=["/", "/dx-catalog/"])
def built(request, tmp_path_factory):
    loaded = load(PROJECT, as_of=AS_OF, base_path=request.param, use_cache=False)
    assert loaded.site is not None, [p.format() for p in loaded.problems if p.is_error]
    options = BuildOptions(project=PROJECT, output=tmp_path_factory.mktemp("site"), as_of=AS_OF)
    rendered = render(loaded.site, options, loaded.hashes)
    return loaded.site, {f.path: f for f in rendered.files}, rendered.problems


def test_no_broken_links_and_no_render_errors(built):
    _site, _files, problems = built
    assert [p.format() for p in problems if p.is_error] == []


def test_every_page_type_exists(built):
    site, files, _problems = built
    expected = {
        "index.html",
        "programs/compare/index.html",
        "programs/find/index.html",
        "archetypes/index.html",
        "search/index.html",
        "data/index.html",
        "about/index.html",
        "accessibility/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    }
    for collection in COLLECTIONS:
        expected.add(f"{collection}/index.html")
        expected.update(f"{e.key}/index.html" for e in site.collection(collection))
    expected.update(f"{a.key}/index.html" for a in site.archetypes)
    for taxonomy in site.taxonomies:
        expected.add(f"{taxonomy.name}/index.html")
    assert expected <= set(files)


def test_no_program_states_its_status_as_current_without_a_recent_review(built):
    """Done when of issue 15: a status is stated for the build date only within the review
    interval; otherwise as of the last review, with the 最終確認から notice."""
    site, files, _problems = built
    for program in site.programs:
        html = files[f"{program.key}/index.html"].data.decode("utf-8")
        if site.stale(program):
            day = program.reviewed.value
            assert f"{day.year}年{day.month}月{day.day}日の確認時点" in html, program.key
            assert "最終確認から" in html and 'class="notice notice--stale"' in html, program.key
            assert "badge--active" not in html.split("</h1>")[1].split("</table>")[0], program.key
        else:
            assert "令和8年11月26日時点" in html and "最終確認から" not in html, program.key


def test_no_model_role_shows_a_recruiting_status(built):
    site, files, _problems = built
    models = [r for r in site.roles if r.kind == "model"]
    for role in models:
        html = files[f"{role.key}/index.html"].data.decode("utf-8")
        own = html.split("<h1>")[1].split("</table>")[0]  # the title, badges, notices and facts of the role itself
        assert "モデル（典型例）" in own and "募集中" not in own and "badge--role-open" not in own, role.key
    for index in ("roles/index.html", "index.html"):
        html = files[index].data.decode("utf-8")
        for role in models:
            if f'href="/{role.key}/"' in html or f'href="/dx-catalog/{role.key}/"' in html:
                card = html.split(f'{role.key}/"')[1].split("</li>")[0]
                assert "募集中" not in card, (index, role.key)


def test_the_link_finder_agrees_with_an_html_parser_on_every_page(built):
    # links_of reads our own output with regular expressions, for speed; on every real
    # page it must find what an HTML parser finds (href and src, in document order).
    from html.parser import HTMLParser

    from generator.render.linkcheck import links_of

    class Links(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.found: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.found.extend(value or "" for name, value in attrs if name in ("href", "src"))

        handle_startendtag = handle_starttag

    _site, files, _problems = built
    pages = [f for path, f in files.items() if path.endswith(".html")]
    assert len(pages) > 50
    for page in pages:
        parser = Links()
        parser.feed(page.data.decode("utf-8"))
        assert list(links_of(page.data.decode("utf-8"))) == parser.found, page.path


def test_one_search_box_a_page_and_the_roles_in_the_main_navigation(built):
    _site, files, _problems = built
    for path in ("index.html", "search/index.html", "programs/index.html", "404.html"):
        html = files[path].data.decode("utf-8")
        assert html.count('type="search"') == 1, path
        nav = html.split('aria-label="主なメニュー"', 1)[1].split("</nav>", 1)[0]
        assert "/roles/" in nav, path


def test_without_a_published_contact_the_pages_say_so_and_where_to_ask(built):
    """content/site.yaml has no contact: no official source states one (docs/content-audit.md)."""
    site, files, _problems = built
    assert site.config.contact is None
    for path in ("about/index.html", "accessibility/index.html"):
        html = files[path].data.decode("utf-8").replace("<wbr>", "")
        assert "問い合わせ先（窓口のページ・メール・電話）は、まだ掲載していません" in html, path
        assert "所管の省庁・団体の窓口" in html, path


def test_a_case_states_its_prefecture_and_municipalities_once(built):
    site, files, _problems = built
    for case in site.cases:
        html = files[f"{case.key}/index.html"].data.decode("utf-8").replace("<wbr>", "")
        article = html.split("<article>", 1)[1].split("</table>", 1)[0]
        assert article.count(">都道府県<") == 1, case.key
        if case.municipalities is not None:
            assert article.count(f"{case.municipalities}団体") == 1, case.key


def test_the_finder_has_a_page_for_every_answer(built):
    site, files, _problems = built
    archetypes = [a.id for a in site.archetypes] + ["any"]
    modes = ["dispatch", "appointment", "advice", "outsourcing", "any"]
    pages = {f"programs/find/{a}/{m}/index.html" for a in archetypes for m in modes} - {
        "programs/find/any/any/index.html"
    }
    assert pages <= set(files)
    home = files["index.html"].data.decode("utf-8")
    assert 'href="/programs/find/"' in home or 'href="/dx-catalog/programs/find/"' in home
