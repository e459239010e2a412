"""The relevance set (search_relevance.yaml) through the search page of the real site, in Chromium.

Every query is typed into the search box as a visitor would; the page named by a ``first`` query
must come first, and a ``nothing`` query must say that nothing was found. The measures (precision
at 1, mean reciprocal rank) are printed, and written as JSON to $SEARCH_RELEVANCE_REPORT when set.
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from browser import REAL_PROJECT, SiteServer, build_site, launch_chromium, watch
from search_relevance import load_set, measure, run_set, table

pytestmark = pytest.mark.browser


def page_exists(url: str) -> bool:
    """The relevance set names pages of the real content: entries, archetypes, content pages."""
    import yaml

    parts = url.strip("/").split("/")
    if parts[0] == "archetypes":
        archetypes = yaml.safe_load((REAL_PROJECT / "content/archetypes.yaml").read_text(encoding="utf-8"))
        return len(parts) == 2 and parts[1] in {a["id"] for a in archetypes}
    if len(parts) == 1:
        return (REAL_PROJECT / "content/pages" / f"{parts[0]}.md").is_file()
    return len(parts) == 2 and (REAL_PROJECT / "content" / parts[0] / f"{parts[1]}.md").is_file()


def test_the_relevance_set_is_large_enough_and_names_real_pages():
    first, nothing = load_set()
    assert len(first) >= 30 and len(nothing) >= 5
    assert len({query for query, _ in first} | set(nothing)) == len(first) + len(nothing)  # no query twice
    assert [page for _, page in first if not page_exists(page)] == []


def test_each_query_finds_its_page_first_and_nonsense_finds_nothing(tmp_path_factory, capsys):
    site = build_site(REAL_PROJECT, tmp_path_factory.mktemp("relevance") / "site")
    with SiteServer(site) as server, launch_chromium() as chromium:
        context = chromium.new_context(locale="ja-JP")
        page = context.new_page()
        seen = watch(page, server.origin)
        judged = run_set(page, server.origin)
        context.close()
    measures = measure(judged)
    with capsys.disabled():
        print(f"\nsearch relevance: {measures.summary()}")
    if os.environ.get("SEARCH_RELEVANCE_REPORT"):
        report = {"measures": dataclasses.asdict(measures), "queries": [dataclasses.asdict(j) for j in judged]}
        Path(os.environ["SEARCH_RELEVANCE_REPORT"]).write_text(
            json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    assert seen.problems() == []
    wrong = [j for j in judged if (j.expected is None and j.found) or (j.expected is not None and j.rank != 1)]
    assert not wrong, "\n" + table(wrong) + "\n" + measures.summary()
