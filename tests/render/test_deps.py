"""Page fingerprints: which entries each page depends on, and that every one of them counts.

The fingerprint decides whether an incremental build keeps a page's previous
file, so a dependency it misses means stale output. These tests change one
input at a time and check that exactly the pages showing it get a new
fingerprint; the build-level tests compare whole incremental builds with cold ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import cold, edit, run, tree

from generator.incremental.pages import Dependencies, plan_render, route_dependencies
from generator.render.plan import plan
from generator.render.routes import Route


def routes_by_path(site) -> dict[str, Route]:
    return {r.path: r for r in plan(site, {})}


def referenced_program(site) -> str:
    return next(p.key for p in site.programs if site.backlinks.get(p.key))


def referrers(site, key: str) -> set[str]:
    """Entries that name ``key`` in their fields or link it from their body."""
    fields = {k for keys in site.backlinks.get(key, {}).values() for k in keys}
    bodies = {k for keys in site.mentions.get(key, {}).values() for k in keys}
    return fields | bodies


def test_an_entry_page_depends_on_itself_what_it_names_what_names_it_and_the_archetypes(loaded) -> None:
    site = loaded.site
    program = referenced_program(site)
    archetypes = {a.key for a in site.archetypes}
    assert route_dependencies(routes_by_path(site)[f"{program}/"], site) == {
        program,
        *referrers(site, program),
        *archetypes,
    }
    case = next(c for c in site.cases if c.programs or c.partners)
    named = {*(f"programs/{s}" for s in case.programs), *(f"partners/{s}" for s in case.partners)}
    assert route_dependencies(routes_by_path(site)[f"{case.key}/"], site) == {
        case.key,
        *named,
        *referrers(site, case.key),
        *archetypes,
    }


def test_a_page_depends_on_the_entries_whose_body_links_it(loaded) -> None:
    site = loaded.site
    linked = next(key for key, refs in site.mentions.items() if refs and not key.startswith("archetypes/"))
    linkers = {k for keys in site.mentions[linked].values() for k in keys}
    assert linkers and not linkers & {k for keys in site.backlinks.get(linked, {}).values() for k in keys}
    assert linkers <= route_dependencies(routes_by_path(site)[f"{linked}/"], site)


def test_lists_depend_on_what_they_list_and_summaries_are_always_rendered(loaded) -> None:
    site = loaded.site
    routes = routes_by_path(site)
    archetypes = {a.key for a in site.archetypes}
    assert route_dependencies(routes["cases/"], site) == {c.key for c in site.cases} | archetypes
    assert route_dependencies(routes["programs/compare/"], site) == {p.key for p in site.programs} | archetypes
    taxonomy = next(t for t in site.taxonomies if t.name == "tags")
    term, keys = next(iter(taxonomy.terms.items()))
    assert route_dependencies(routes[f"tags/{term}/"], site) == {*keys, *archetypes}
    for always in ("", "search/", "data/", "tags/", "404.html"):
        assert route_dependencies(routes[always], site) is None


def test_changing_any_dependency_changes_the_fingerprint_and_nothing_else_does(loaded) -> None:
    site, hashes = loaded.site, loaded.hashes
    routes = plan(site, {})
    before = {r.output_path: Dependencies(site, "global", hashes).fingerprint(r) for r in routes}
    changed = referenced_program(site)
    after_deps = Dependencies(site, "global", {**hashes, changed: "0" * 64})
    for route in routes:
        deps = route_dependencies(route, site)
        after = after_deps.fingerprint(route)
        if deps is None:
            assert before[route.output_path] is None and after is None
        elif changed in deps:
            assert after != before[route.output_path], route.path
        else:
            assert after == before[route.output_path], route.path


def test_an_archetype_change_reaches_every_page_with_dependencies(loaded) -> None:
    site, hashes = loaded.site, loaded.hashes
    route = routes_by_path(site)[f"{site.cases[0].key}/"]
    archetype = site.archetypes[-1].key
    assert Dependencies(site, "g", hashes).fingerprint(route) != Dependencies(
        site, "g", {**hashes, archetype: "x"}
    ).fingerprint(route)


def test_global_inputs_and_the_route_itself_count(loaded) -> None:
    site, hashes = loaded.site, loaded.hashes
    route = routes_by_path(site)[f"{site.cases[0].key}/"]
    deps = Dependencies(site, "g", hashes)
    base = deps.fingerprint(route)
    assert Dependencies(site, "h", hashes).fingerprint(route) != base
    assert deps.fingerprint(Route(route.path, route.template, route.title + "!", "", ())) != base
    assert deps.fingerprint(Route(route.path, "other.html", route.title, "", ())) != base
    assert deps.fingerprint(Route(route.path, route.template, route.title, "changed description", ())) == base


def test_fields_cannot_slide_into_each_other(loaded) -> None:
    """Without lengths, ("ab", "c") and ("a", "bc") would hash the same."""
    site, hashes = loaded.site, loaded.hashes
    case = next(c for c in site.cases if c.programs)
    route = routes_by_path(site)[f"{case.key}/"]
    program = f"programs/{case.programs[0]}"
    one = Dependencies(site, "g", {**hashes, case.key: "ab", program: "c"}).fingerprint(route)
    two = Dependencies(site, "g", {**hashes, case.key: "a", program: "bc"}).fingerprint(route)
    assert one != two


def test_a_missing_hash_is_a_dependency_like_any_other(loaded) -> None:
    site, hashes = loaded.site, loaded.hashes
    program = referenced_program(site)
    route = routes_by_path(site)[f"{program}/"]
    without = {k: v for k, v in hashes.items() if k != program}
    assert Dependencies(site, "g", without).fingerprint(route) != Dependencies(site, "g", hashes).fingerprint(route)


def test_plan_render_keeps_only_unchanged_pages_whose_file_is_there(loaded) -> None:
    site, hashes = loaded.site, loaded.hashes
    routes = plan(site, {})
    first = plan_render(routes, site, "g", hashes, {}, lambda path: True)
    assert len(first.render) == len(routes) and first.kept == ()
    previous = {path: (fp, f"links of {path}") for path, fp in first.fingerprints.items() if fp is not None}
    missing = f"{site.roles[0].key}/index.html"
    changed = site.cases[0].key
    again = plan_render(routes, site, "g", {**hashes, changed: "new"}, previous, lambda path: path != missing)
    rendered = {r.output_path for r in again.render}
    always = {path for path, fp in first.fingerprints.items() if fp is None}
    showing_changed = {r.output_path for r in routes if changed in (route_dependencies(r, site) or ())}
    assert rendered == always | showing_changed | {missing}
    assert dict(again.kept) == {path: previous[path][1] for path in previous if path not in rendered}


def test_editing_an_archetype_rebuilds_like_a_cold_build(project: Path, tmp_path: Path) -> None:  # noqa: F811
    out = tmp_path / "site"
    run(project, out)
    archetypes = project / "content/archetypes.yaml"
    text = archetypes.read_text("utf-8")
    edit(archetypes, "プロデューサー", "総括プロデューサー")
    assert text != archetypes.read_text("utf-8")
    run(project, out)
    assert tree(out) == cold(project, tmp_path)
    showing = [
        p.relative_to(out).as_posix() for p in out.rglob("index.html") if "総括プロデューサー" in p.read_text("utf-8")
    ]
    assert any(path.startswith(("cases/", "roles/", "programs/")) and path.count("/") == 2 for path in showing), showing


@pytest.mark.parametrize("spare_too", [False, True], ids=["output-only", "output-and-spare"])
def test_a_kept_page_deleted_by_hand_comes_back(project: Path, tmp_path: Path, spare_too: bool) -> None:  # noqa: F811
    out = tmp_path / "site"
    run(project, out)
    run(project, out)  # a build with a previous output: the spare is in place
    cases = sorted((project / "content/cases").glob("*.md"))
    gone = out / f"cases/{cases[1].stem}/index.html"
    gone.unlink()
    if spare_too:
        spares = list((project / ".catalog-cache").glob("spare-*"))
        assert spares, "the writer keeps the site before the previous one"
        for spare in spares:
            (spare / f"cases/{cases[1].stem}/index.html").unlink()
    cases[0].write_text(cases[0].read_text("utf-8") + "\n追記です。\n", "utf-8")
    run(project, out)
    assert gone.is_file()
    assert tree(out) == cold(project, tmp_path)
