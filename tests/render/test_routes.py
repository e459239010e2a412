"""Planned routes: term pages gather their entries when rendered, and gather the right ones."""

from __future__ import annotations

from urllib.parse import unquote

from generator.model import COLLECTION_LABELS, COLLECTIONS
from generator.render.plan import plan
from generator.render.routes import Deferred, term_path


def test_term_pages_list_their_entries_by_collection_in_the_taxonomy_order(loaded) -> None:  # noqa: F811
    site = loaded.site
    routes = {r.path: r for r in plan(site, {})}
    checked = 0
    for taxonomy in site.taxonomies:
        if taxonomy.name == "archetypes":
            continue
        for term, keys in taxonomy.terms.items():
            route = routes[term_path(taxonomy, term)]
            entries = [site.index[k] for k in keys if k in site.index]
            expected = tuple(
                (COLLECTION_LABELS[c], tuple(e for e in entries if getattr(e, "collection", None) == c))
                for c in COLLECTIONS
            )
            assert dict(route.context) == {
                "taxonomy": taxonomy,
                "term_label": taxonomy.term_labels.get(term, unquote(term)),
                "groups": tuple(g for g in expected if g[1]),
            }
            checked += 1
    assert checked > 10


def test_deferred_values_are_made_once_and_only_when_read() -> None:
    calls: list[int] = []

    def make() -> dict[str, int]:
        calls.append(1)
        return {"a": 1, "b": 2}

    values = Deferred(make)
    assert calls == []
    assert {**values} == {"a": 1, "b": 2}
    assert values["a"] == 1 and len(values) == 2 and list(values) == ["a", "b"]
    assert calls == [1]
