"""What helps decide (generator/render/decide.py) on the real content: the comparison's order and
filters, and 「制度を探す」, whose answers come from each program's ``modes``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from generator.pipeline import load
from generator.render import decide

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def site():
    loaded = load(ROOT, as_of=date(2026, 11, 26), drafts=False, base_url=None, base_path=None, write_cache=False)
    assert loaded.site is not None
    return loaded.site


def test_the_comparison_puts_current_programs_first_then_the_soonest_end(site):
    ordered = decide.compare_order(site, site.programs)
    ranks = [decide.status_rank(site, p) for p in ordered]
    assert ranks == sorted(ranks)
    assert ordered[0].slug == "digital-talent-pool-support", "the one program confirmed this year, 実施中"
    # a program stated as of an old check whose period has passed by its dates comes after the others
    assert ordered[-1].slug == "prefectural-support-fiscal-measure"


def test_the_comparison_filters_count_their_programs(site):
    facets = {f.name: {o.value: o.count for o in f.options} for f in decide.compare_facets(site, site.programs)}
    assert list(facets) == ["状況", "人材像", "種類", "所管"]
    assert facets["状況"] == {"実施中": 1, decide.UNCONFIRMED: 8}
    assert list(facets["人材像"]) == ["プロデューサー", "プロジェクトマネージャー", "サービスデザイナー", "エンジニア"]
    assert facets["所管"]["総務省"] == 6


def test_every_answer_of_the_finder_lists_what_fits_and_why(site):
    ordered = decide.compare_order(site, site.programs)
    found = decide.fits(site, ordered, "engineer", "dispatch")
    assert [f.program.slug for f in found] == ["chiiki-kasseika-kigyoujin"]
    assert found[0].reasons == (
        "対象となる人材像に「エンジニア」が含まれます。",
        "「派遣を受ける」の形で人材を確保できます。",
    )
    advice = {f.program.slug for f in decide.fits(site, ordered, decide.ANY, "advice")}
    assert advice == {"chiiki-johoka-advisor", "keiei-zaimu-management", "chihou-sousei-jinzai-shien"}
    assert len(decide.fits(site, ordered, decide.ANY, decide.ANY)) == len(site.programs)


def test_programs_whose_sources_state_no_way_of_working_appear_only_when_it_is_not_chosen(site):
    ordered = decide.compare_order(site, site.programs)
    unstated = {p.slug for p in site.programs if not p.modes}
    assert unstated == {"nagano-kyoso-suishin-partner", "digital-talent-pool-support"}
    for mode in ("dispatch", "appointment", "advice", "outsourcing"):
        assert not unstated & {f.program.slug for f in decide.fits(site, ordered, decide.ANY, mode)}
    counts = decide.counts(site, ordered)
    assert counts[(decide.ANY, decide.ANY)] == 9 and counts[("engineer", "advice")] == 0


def test_every_mode_a_program_states_is_covered_by_a_source(site):
    for program in site.programs:
        if program.modes:
            assert any(s.states("modes") for s in program.sources), program.slug


def test_finder_paths():
    assert decide.finder_path(decide.ANY, decide.ANY) == "programs/find/"
    assert decide.finder_path("engineer", decide.ANY) == "programs/find/engineer/any/"
