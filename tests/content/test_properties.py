"""Property-based tests: any input gives a value or problems, never an exception.

Example counts are kept modest so that the suite stays fast on two shared cores; the
deadline is off because timing on a shared machine is not a property of the code.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.content.dates import MAX_YEAR, MIN_YEAR, format_seireki, format_wareki, parse_flexdate
from generator.content.discover import SourceFile
from generator.content.parse import Parsed, parse_data_file, parse_entry
from generator.content.privacy import find_contact_details
from generator.content.schema import load_schema
from generator.content.validate import validate_archetypes, validate_file, validate_site_config
from generator.model import COLLECTIONS, FlexDate
from generator.problems import Problem

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AS_OF = date(2026, 11, 26)

YAML_CHARS = st.sampled_from(list(":-[]{}&*!|>'\"#\n\t %@`,?.~0123456789abcxyzあ年度令和\\\r\x00\ufeff"))
yaml_like = st.text(YAML_CHARS, max_size=200)


def is_problems(result: object) -> bool:
    return isinstance(result, tuple) and len(result) > 0 and all(isinstance(p, Problem) for p in result)


def well_formed(problem: Problem, path: str) -> bool:
    line = problem.format()
    return (
        problem.path == path
        and problem.line >= 0
        and problem.col >= 0
        and bool(problem.message)
        and not any(unicodedata.category(c) == "Cc" for c in line)
    )


@SETTINGS
@given(st.binary(max_size=2000))
def test_parse_entry_on_arbitrary_bytes(raw):
    result = parse_entry(raw, "content/programs/x.md")
    assert isinstance(result, Parsed) or is_problems(result)
    if not isinstance(result, Parsed):
        assert all(well_formed(p, "content/programs/x.md") for p in result)


@SETTINGS
@given(st.text(max_size=500))
def test_parse_entry_on_arbitrary_text_in_fences(text):
    result = parse_entry(f"---\n{text}\n---\nbody\n".encode("utf-8", "surrogatepass"), "content/programs/x.md")
    assert isinstance(result, Parsed) or is_problems(result)
    if isinstance(result, Parsed):
        assert isinstance(result.data, dict)


@SETTINGS
@given(yaml_like, st.booleans(), st.booleans())
def test_parse_entry_on_yaml_like_text(text, bom, crlf):
    raw = f"---\n{text}\n---\n"
    if crlf:
        raw = raw.replace("\n", "\r\n")
    data = ("\ufeff" if bom else "") + raw
    result = parse_entry(data.encode("utf-8", "surrogatepass"), "content/roles/x.md")
    assert isinstance(result, Parsed) or is_problems(result)
    if isinstance(result, Parsed):
        # Every key of the mapping has a position, so any later problem can name its line.
        assert all((key,) in result.positions for key in result.data)


@SETTINGS
@given(yaml_like)
def test_parse_data_file_on_yaml_like_text(text):
    result = parse_data_file(text.encode("utf-8", "surrogatepass"), "content/site.yaml")
    assert isinstance(result, Parsed) or is_problems(result)


@SETTINGS
@given(st.text(max_size=60), st.sampled_from(["start", "end", "day"]))
def test_parse_flexdate_on_arbitrary_text(text, role):
    result = parse_flexdate(text, role)
    assert isinstance(result, (FlexDate, str))
    if isinstance(result, FlexDate):
        assert MIN_YEAR <= result.value.year <= MAX_YEAR + 1
    else:
        assert result


@SETTINGS
@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.lists(st.integers(), max_size=3), st.dates()))
def test_parse_flexdate_on_any_yaml_value(value):
    assert isinstance(parse_flexdate(value, "end"), (FlexDate, str))


def _digits(n: int, full_width: bool) -> str:
    text = str(n)
    return text.translate(str.maketrans("0123456789-", "０１２３４５６７８９－")) if full_width else text


wareki_like = st.builds(
    lambda era, year, month, day, full, form: form.format(
        era=era,
        year=year if isinstance(year, str) else _digits(year, full),
        month=_digits(month, full),
        day=_digits(day, full),
        letter={"令和": "R", "平成": "H", "昭和": "S"}[era],
    ),
    st.sampled_from(["令和", "平成", "昭和"]),
    st.one_of(st.just("元"), st.integers(-3, 120)),
    st.integers(-1, 14),
    st.integers(-1, 40),
    st.booleans(),
    st.sampled_from(
        [
            "{era}{year}年{month}月{day}日",
            "{era}{year}年度",
            "{era}{year}年{month}月",
            "{letter}{year}.{month}.{day}",
            "{letter}{year}年度",
        ]
    ),
)


@SETTINGS
@given(wareki_like, st.sampled_from(["start", "end", "day"]))
def test_parse_flexdate_on_wareki_like_text(text, role):
    result = parse_flexdate(text, role)
    assert isinstance(result, (FlexDate, str))
    if isinstance(result, FlexDate):
        assert result.text == text


@SETTINGS
@given(st.dates(min_value=date(1926, 12, 25), max_value=date(MAX_YEAR, 12, 31)))
def test_formatted_dates_read_back_as_the_same_day(day):
    for text in (day.isoformat(), format_seireki(day), format_wareki(day)):
        assert parse_flexdate(text) == FlexDate(day, text, "date")


@SETTINGS
@given(st.integers(MIN_YEAR, MAX_YEAR))
def test_a_fiscal_year_is_365_or_366_days(year):
    start = parse_flexdate(f"{year}年度", "start")
    end = parse_flexdate(f"{year}年度", "end")
    assert end.value - start.value in (timedelta(days=364), timedelta(days=365))


@SETTINGS
@given(st.text(max_size=300))
def test_the_privacy_scan_never_raises(text):
    assert isinstance(find_contact_details(text), tuple)


# --- whole files through every stage up to a typed value --------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "2023-10-24",
            "令和7年度",
            "令和0年",
            "2023年2月30日",
            "producer",
            "national",
            "advisor",
            "長野県",
            "https://x.jp/",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)


def front_matter(collection: str):
    keys = st.sampled_from(sorted(load_schema(collection)["properties"])) | st.text(max_size=10)
    return st.dictionaries(keys, values, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from([*COLLECTIONS, "pages"]), st.data())
def test_any_front_matter_gives_an_entry_or_problems(collection, data):
    mapping = data.draw(front_matter(collection))
    text = "---\n" + yaml.safe_dump(mapping, allow_unicode=True) + "---\n本文\n"
    source = SourceFile(f"content/{collection}/x.md", collection, "x", text.encode())
    result = validate_file(source, None, AS_OF)
    assert result.located is not None or any(p.is_error for p in result.problems)
    assert all(well_formed(p, source.path) for p in result.problems)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values)
def test_any_site_or_archetypes_yaml_gives_a_value_or_problems(value):
    raw = yaml.safe_dump(value, allow_unicode=True).encode()
    site = validate_site_config(SourceFile("content/site.yaml", "site", "site", raw))
    assert site.config is not None or site.problems
    archetypes, problems = validate_archetypes(SourceFile("content/archetypes.yaml", "archetypes", "archetypes", raw))
    assert archetypes or problems


# --- valid YAML, as an editor writes it, is accepted ----------------------------------------------

TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\x85\u2028\u2029\ufeff"),
    max_size=24,
)
KEY = st.from_regex(r"[a-z][a-z_]{0,10}", fullmatch=True)
LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False), TEXT
)
DOCUMENTS = st.dictionaries(
    KEY,
    st.recursive(
        LEAVES,
        lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEY, inner, max_size=4)),
        max_leaves=10,
    ),
    max_size=8,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS, st.sampled_from([False, None, True]))
def test_valid_yaml_is_accepted_with_the_values_written(document, flow):
    """Front matter written by a YAML emitter (block, flow or mixed style; values on one line, as
    editors write them) is accepted, with every value as written: the parser refuses only what
    tests/content/test_validation_speed.py lists as refused on purpose, and none of that is here."""
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=float("inf"), default_flow_style=flow)
    result = parse_entry(f"---\n{text}---\n本文\n".encode(), "content/programs/x.md")
    assert isinstance(result, Parsed), (text, [p.format() for p in result])
    assert result.data == document
    assert all((key,) in result.positions for key in document)
