"""The real catalog (content/): every page type is built and no link is broken."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.config import BuildOptions
from generator.model import COLLECTIONS
from generator.pipeline import load, render

PROJECT = Path(__file__).resolve().parent.parent
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
    expected = {"index.html", "programs/compare/index.html", "archetypes/index.html", "search/index.html",
                "data/index.html", "about/index.html", "accessibility/index.html", "404.html", "sitemap.xml",
                "robots.txt"}
    for collection in COLLECTIONS:
        expected.add(f"{collection}/index.html")
        expected.update(f"{e.key}/index.html" for e in site.collection(collection))
    expected.update(f"{a.key}/index.html" for a in site.archetypes)
    for taxonomy in site.taxonomies:
        expected.add(f"{taxonomy.name}/index.html")
    assert expected <= set(files)


def test_real_programs_have_status_and_the_fiscal_measure_has_ended(built):
    _site, files, _problems = built
    html = files["programs/digital-talent-fiscal-measure/index.html"].data.decode("utf-8")
    assert "令和7年度末（2026年3月31日）" in html
    assert "badge--ended" in html and ">終了</span>" in html


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
