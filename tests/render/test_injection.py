"""Hostile values in every text field and body are neutralised in every output.

One project (tests/hostile.py) carries each payload in every free-text field of
one entry per collection, in archetypes.yaml, site.yaml and Markdown bodies. It
is built once; every output file of the kind under test is then parsed with the
standard library and checked: HTML (what browsers run and what Pagefind
indexes), JSON-LD, CSV, JSON, Atom, iCalendar and the sitemap.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import check_lines, copy_minimal_project
from hostile import CONTROL_CHARACTERS, FORMULA_STARTS, PAYLOADS, make_hostile_project

from generator.config import BuildOptions
from generator.pipeline import build

AS_OF = date(2026, 11, 26)
ATOM = "{http://www.w3.org/2005/Atom}"
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "srcset", "xlink:href", "background", "cite"}
)
UNSAFE_SCHEMES = ("javascript:", "data:", "vbscript:")
FORBIDDEN_TAGS = frozenset(
    {"iframe", "frame", "object", "embed", "img", "svg", "math", "style", "base", "template", "applet"}
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    project = make_hostile_project(root / "project")
    out = root / "site"
    result = build(BuildOptions(project=project, output=out, as_of=AS_OF, search=False))
    assert result.ok, [p.format() for p in result.problems]
    assert [p.format() for p in result.problems] == []
    return out


def one_line(text: str) -> str:
    return " ".join(text.split())


def as_title(payload: str) -> str:
    """Titles lose surrounding white space when read; other texts keep it."""
    return payload.strip()


def as_summary(payload: str) -> str:
    """Summaries are read as one line."""
    return one_line(payload)


# --- HTML -----------------------------------------------------------------------


class PageScan(HTMLParser):
    """What a browser could execute in a page, and its JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self.jsonld: list[str] = []
        self.h1: list[str] = []
        self._in: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}=…>")
            if name == "style":
                self.findings.append(f"<{tag} style=…>")
            if name in URL_ATTRIBUTES and value is not None:
                # Browsers ignore ASCII whitespace and control characters inside a scheme.
                squeezed = re.sub(r"[\x00-\x20]", "", value).lower()
                if squeezed.startswith(UNSAFE_SCHEMES):
                    self.findings.append(f"<{tag} {name}={value!r}>")
        if tag in FORBIDDEN_TAGS:
            self.findings.append(f"<{tag}>")
        if (
            tag == "meta"
            and "http-equiv" in values
            and (values["http-equiv"] or "").lower() != "content-security-policy"
        ):
            self.findings.append(f"<meta http-equiv={values['http-equiv']!r}>")
        if tag == "link" and values.get("rel") not in {"stylesheet", "icon", "alternate", "canonical", "license"}:
            self.findings.append(f"<link rel={values.get('rel')!r}>")
        if (
            tag == "link"
            and values.get("rel") == "stylesheet"
            and not (values.get("href") or "").startswith("/static/")
        ):
            self.findings.append(f"<link rel=stylesheet href={values.get('href')!r}>")
        if tag == "script":
            if values.get("type") == "application/ld+json" and "src" not in values:
                self._in, self._text = "jsonld", []
            elif "src" in values:
                if not (values["src"] or "").startswith("/static/"):
                    self.findings.append(f"<script src={values['src']!r}>")
            else:
                self.findings.append(f"inline <script {attrs}>")
        if tag == "h1":
            self._in, self._text = "h1", []

    def handle_data(self, data: str) -> None:
        if self._in:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._in == "jsonld":
            self.jsonld.append("".join(self._text))
            self._in = None
        if tag == "h1" and self._in == "h1":
            self.h1.append("".join(self._text))
            self._in = None


def scan(path: Path) -> PageScan:
    page = PageScan()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def html_files(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_no_page_can_run_script(built: Path) -> None:
    pages = html_files(built)
    assert len(pages) > 150
    findings = {p.relative_to(built).as_posix(): scan(p).findings for p in pages}
    assert {path: found for path, found in findings.items() if found} == {}


def test_payloads_are_shown_as_text(built: Path) -> None:
    """Escaped, not stripped: the reader sees exactly what the editor wrote."""
    for n, payload in enumerate(PAYLOADS):
        for collection in ("programs", "partners", "cases", "roles"):
            page = scan(built / collection / f"hostile-{n}" / "index.html")
            expected = one_line(payload)
            assert [one_line(h) for h in page.h1] == [expected], (collection, n)


def test_template_syntax_in_content_is_not_evaluated(built: Path) -> None:
    n = PAYLOADS.index("{{ 7*7 }}{% raw %}${7*7}")
    text = (built / "programs" / f"hostile-{n}" / "index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}{% raw %}${7*7}" in text
    assert "49" not in text


def test_body_links_keep_only_safe_schemes(built: Path) -> None:
    text = (built / "programs" / "hostile-0" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'<a [^>]*href="([^"]*)"', text)
    assert hrefs
    assert all(h.startswith(("/", "https://", "http://", "#", "mailto:", "tel:")) for h in hrefs), hrefs


# --- JSON-LD --------------------------------------------------------------------


def test_every_jsonld_block_parses_and_round_trips(built: Path) -> None:
    blocks = 0
    for path in html_files(built):
        page = scan(path)
        assert len(page.jsonld) == 1, path
        for block in page.jsonld:
            assert "</" not in block and "<!--" not in block
            json.loads(block)
            blocks += 1
    assert blocks == len(html_files(built))
    for n, payload in enumerate(PAYLOADS):
        (block,) = scan(built / "programs" / f"hostile-{n}" / "index.html").jsonld
        subject = json.loads(block)["@graph"][0]
        assert subject["name"] == as_title(payload)
        assert subject["description"] == as_summary(payload)
        assert subject["alternateName"] == [payload]
        assert [p["name"] for p in subject["provider"]] == [payload, "総務省"]
        (block,) = scan(built / "roles" / f"hostile-{n}" / "index.html").jsonld
        assert json.loads(block)["@graph"][0]["skills"] == payload
    (block,) = scan(built / "index.html").jsonld
    website = json.loads(block)["@graph"][0]
    assert website["name"] == PAYLOADS[0] + " カタログ"
    assert website["publisher"]["name"] == PAYLOADS[0]


# --- CSV and JSON exports -------------------------------------------------------


def csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    # Every record ends with CRLF and no cell holds a line break, so lines are records.
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == text.count("\r\n")
    return rows


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_no_csv_cell_can_start_a_formula(built: Path) -> None:
    files = sorted((built / "data").glob("*.csv"))
    assert len(files) >= 8
    cells = 0
    for path in files:
        rows = csv_rows(path)
        width = len(rows[0])
        for row in rows:
            assert len(row) == width, (path.name, row)
            for cell in row:
                cells += 1
                assert "\n" not in cell and "\r" not in cell, (path.name, cell)
                if cell.startswith(FORMULA_STARTS):
                    assert is_number(cell), (path.name, cell)
    assert cells > 1000


def test_csv_keeps_the_hostile_text_behind_an_apostrophe(built: Path) -> None:
    rows = csv_rows(built / "data" / "programs.csv")
    header, body = rows[0], rows[1:]
    by_slug = {row[header.index("slug")]: row for row in body}
    for n, payload in enumerate(PAYLOADS):
        row = by_slug[f"hostile-{n}"]
        for column, value in (
            ("title", as_title(payload)),
            ("summary", as_summary(payload)),
            ("cost_coverage", payload),
        ):
            flat = re.sub(r"\r\n|\r|\n", " ", value)
            expected = "'" + flat if value.startswith(FORMULA_STARTS) else flat
            assert row[header.index(column)] == expected, (column, value)


def test_every_json_export_parses_and_round_trips(built: Path) -> None:
    for path in sorted((built / "data").rglob("*.json")):
        json.loads(path.read_text(encoding="utf-8"))
    programs = {p["slug"]: p for p in json.loads((built / "data" / "programs.json").read_text(encoding="utf-8"))}
    for n, payload in enumerate(PAYLOADS):
        assert programs[f"hostile-{n}"]["title"] == as_title(payload)
        assert programs[f"hostile-{n}"]["summary"] == as_summary(payload)


# --- Atom, iCalendar, sitemap ---------------------------------------------------


def test_every_feed_parses_with_one_line_titles(built: Path) -> None:
    feeds = sorted(built.rglob("atom.xml"))
    assert len(feeds) >= 9
    titles: set[str] = set()
    for path in feeds:
        root = ET.fromstring(path.read_bytes())
        assert root.tag == f"{ATOM}feed"
        for element in root.iter():
            if element.tag in (f"{ATOM}title", f"{ATOM}name", f"{ATOM}rights"):
                assert element.text and "\n" not in element.text and "\r" not in element.text, (path, element.text)
        for entry in root.findall(f"{ATOM}entry"):
            titles.add(entry.findtext(f"{ATOM}title") or "")
            assert len(entry.findall(f"{ATOM}link")) == 1
            assert (entry.find(f"{ATOM}link").get("href") or "").startswith("https://example.jp/")
    for payload in PAYLOADS:
        cleaned = one_line(re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f]", "", payload))
        assert cleaned in titles, payload


def unfold(data: bytes) -> list[str]:
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    return text[:-2].replace("\r\n ", "").split("\r\n")


def unescape_ical(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_icalendar_lines_cannot_be_injected(built: Path) -> None:
    lines = unfold((built / "data" / "programs.ics").read_bytes())
    for line in lines:
        assert re.match(r"^[A-Z][A-Z0-9-]*(;[A-Z-]+=[^:;]+)*:", line), line
        assert not re.search("[\x00-\x08\x0a-\x1f\x7f]", line), line
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 2 * (len(PAYLOADS) + 1)
    assert all(not line.startswith("DTSTART:") for line in lines)
    summaries = {unescape_ical(line.split(":", 1)[1]) for line in lines if line.startswith("SUMMARY:")}
    for payload in PAYLOADS:
        cleaned = re.sub(r"\r\n|\r|\n", "\n", as_title(payload))
        assert f"【開始】{cleaned}" in summaries, payload


def test_sitemap_parses_and_lists_only_site_urls(built: Path) -> None:
    root = ET.fromstring((built / "sitemap.xml").read_bytes())
    locs = [e.text or "" for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) > 100
    for loc in locs:
        assert loc.startswith("https://example.jp/") and not re.search(r"[\s<>\"']", loc), loc


# --- URL fields -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/",
        " https://example.jp/",
        "file:///etc/passwd",
    ],
)
def test_url_fields_refuse_other_schemes(tmp_path: Path, value: str) -> None:
    project = copy_minimal_project(tmp_path / "project")
    path = project / "content/programs/advisor.md"
    text = path.read_text(encoding="utf-8").replace("url: https://www.soumu.go.jp/", f"url: {json.dumps(value)}")
    path.write_text(
        text.replace(
            '    published: "2023-10-24"',
            f'    url: {json.dumps(value)}\n    accessed: "2026-06-01"\n    published: "2023-10-24"',
        ),
        encoding="utf-8",
    )
    assert check_lines(project) == [
        f"content/programs/advisor.md:18:1: error[invalid-value]: 「url」（公式ページのURL）の書き方が正しくありません（いまは「{value}」）。URL は http:// か https:// で始めてください",
        f"content/programs/advisor.md:22:5: error[invalid-value]: 「sources[1番目].url」（資料のURL）の書き方が正しくありません（いまは「{value}」）。URL は http:// か https:// で始めてください",
    ]


@pytest.mark.parametrize("char", CONTROL_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_escaped_control_characters_are_refused(tmp_path: Path, char: str) -> None:
    """What the YAML reader refuses raw is refused written as an escape too (never reaches a page)."""
    project = copy_minimal_project(tmp_path / "project")
    path = project / "content/programs/advisor.md"
    escaped = json.dumps(f"制度{char}名")  # "制度\u0001名"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: アドバイザー制度", f"title: {escaped}"), encoding="utf-8"
    )
    assert check_lines(project) == [
        f'content/programs/advisor.md:2:8: error[control-character]: 値に使えない制御文字（U+{ord(char):04X}）が含まれています。"…" の中の \\x や \\u による書き方も使えません'
    ]


@pytest.mark.parametrize("char", CONTROL_CHARACTERS[1:], ids=lambda c: f"U+{ord(c):04X}")
def test_control_characters_in_a_body_are_refused(tmp_path: Path, char: str) -> None:
    project = copy_minimal_project(tmp_path / "project")
    path = project / "content/programs/advisor.md"
    path.write_text(path.read_text(encoding="utf-8") + f"最後の行{char}です。\n", encoding="utf-8")
    assert check_lines(project) == [
        f"content/programs/advisor.md:30:5: error[control-character]: 本文に使えない制御文字（U+{ord(char):04X}）が含まれています。取り除いてください"
    ]


def test_the_search_index_builds_over_hostile_pages(tmp_path: Path) -> None:
    """Pagefind reads the same hostile pages; the excerpts it makes escape their text."""
    import gzip

    project = make_hostile_project(tmp_path / "project")
    out = tmp_path / "site"
    result = build(BuildOptions(project=project, output=out, as_of=AS_OF, search=True))
    assert result.ok, [p.format() for p in result.problems]
    indexed = [p for p in html_files(out) if b"data-pagefind-body" in p.read_bytes()]
    assert result.search is not None and result.search.pages == len(indexed) > 4 * len(PAYLOADS)
    titles = set()
    for fragment in (out / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        titles.add(one_line(json.loads(data[len(b"pagefind_dcd") :])["meta"]["title"]))
    assert {one_line(p) for p in PAYLOADS} <= titles


@pytest.mark.parametrize(
    "value",
    [
        'https://example.jp"><script>alert(1)</script>',
        "https://example.jp\r\nDisallow: /",
        "https://exa mple.jp",
        "https://example.jp\\evil",
    ],
)
def test_base_url_refuses_spaces_quotes_and_markup(tmp_path: Path, value: str) -> None:
    """base_url reaches robots.txt, feeds, iCalendar and every canonical link as it is."""
    project = copy_minimal_project(tmp_path / "project")
    path = project / "content/site.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("base_url: https://example.jp", f"base_url: {json.dumps(value)}"),
        encoding="utf-8",
    )
    shown = value.replace("\r", "\\r").replace("\n", "\\n")
    assert check_lines(project) == [
        f"content/site.yaml:4:1: error[invalid-value]: base_url の「{shown}」は公開先の URL として使えません。"
        "https://example.org や https://example.org/dx-catalog/ のように、http:// か https:// で始めて書いてください（? や # は付けられません）"
    ]
