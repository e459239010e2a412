"""Links between entries: the direct reading of plain links gives what URL parsing gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from generator.content.mdlinks import _parsed_target, _target, md_link_key, md_link_page

SOURCES = (
    "content/cases/ehime-talent-sharing.md",
    "content/pages/about.md",
    "content/programs/x.md",
    "content/Cases/x.md",
    "content/../x.md",
    "docs/cases/x.md",
    "content/x.md",
)
PIECES = (
    "../",
    "./",
    "/",
    "programs",
    "pages",
    "cases",
    "roles",
    "partners",
    "content",
    "..",
    ".",
    "a-b",
    "X_1",
    ".md",
    "md",
    "#",
    "?",
    ":",
    "%2F",
    "%41",
    " ",
    "\t",
    "\n",
    "é",
    "長野",
    "https:",
    "//",
    "\\",
)


@given(st.sampled_from(SOURCES), st.lists(st.sampled_from(PIECES), max_size=7).map("".join))
@settings(max_examples=3000, deadline=None)
def test_direct_reading_equals_parsing(source: str, href: str) -> None:
    assert _target(source, href) == _parsed_target(source, href)


@given(st.sampled_from(SOURCES), st.text(max_size=30))
@settings(max_examples=1000, deadline=None)
def test_direct_reading_equals_parsing_any_text(source: str, tail: str) -> None:
    for href in (
        tail,
        f"../programs/{tail}",
        f"{tail}.md",
        f"../cases/a{tail}.md",
        f"x.md#{tail}",
        f"../pages/a.md{tail}",
    ):
        assert _target(source, href) == _parsed_target(source, href)


def test_plain_links() -> None:
    case = "content/cases/ehime-talent-sharing.md"
    assert md_link_key(case, "../programs/chiiki-johoka-advisor.md#条件") == "programs/chiiki-johoka-advisor"
    assert md_link_key(case, "./hiroshima-dxship.md") == "cases/hiroshima-dxship"
    assert md_link_key("content/pages/about.md", "history.md") is None
    assert md_link_page("content/pages/about.md", "history.md") == "history"
    assert md_link_page(case, "../pages/about.md") == "about"
    assert md_link_key(case, "../archetypes/x.md") is None
    assert md_link_key(case, "../programs/x.md#a:b") == "programs/x"


def test_a_link_with_a_host_or_a_scheme_alone_is_not_an_entry() -> None:
    """``//host/…`` (another site, same scheme) and ``scheme:…`` without a host leave the catalog."""
    assert md_link_key("content/cases/a.md", "/content/programs/x.md") == "programs/x"
    assert md_link_key("content/cases/a.md", "//example.com/content/programs/x.md") is None
    assert md_link_key("content/cases/a.md", "mailto:../programs/x.md") is None
    assert md_link_page("content/cases/a.md", "//example.com/content/pages/about.md") is None


def test_only_a_file_with_a_name_directly_in_a_folder_of_content_is_an_entry() -> None:
    assert md_link_key("content/cases/a.md", "/docs/programs/x.md") is None  # another top folder
    assert md_link_key("content/cases/a.md", "/Xcontent/programs/x.md") is None
    assert md_link_key("content/cases/a.md", "../programs/.md") is None  # no name
    assert md_link_key("content/cases/a.md", "/content/programs/%78.md") == "programs/x"  # percent-encoded name
