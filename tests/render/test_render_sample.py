"""A small linked Site built by hand, shared by the render tests.

Literal values only, so that the render stage can be tested without the
content stage. Other render tests import ``sample_site`` from here.
"""

from __future__ import annotations

from factories import sample_site


def test_sample_site_is_consistent():
    site = sample_site()
    for key, by_collection in site.backlinks.items():
        assert site.get(key) is not None
        for keys in by_collection.values():
            assert all(site.get(k) is not None for k in keys)
