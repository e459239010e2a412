"""docs/content-audit.md is the sign-off sheet for content/: every entry has a section in it,
and every number written in an entry's front matter appears in that entry's section."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
AUDIT = ROOT / "docs" / "content-audit.md"

# Front-matter keys whose numbers are bookkeeping, not claims: links and this catalog's own dates.
SKIPPED_KEYS = {"url", "base_url", "base_path", "accessed", "updated", "reviewed"}
# A number with the unit that follows it, so that 「3日」 is not matched by a stray 「3」.
UNITS = ("年度", "か月", "時間", "万円", "市町", "年", "月", "日", "回", "件", "名", "人", "円")
NUMBER = re.compile(r"(?<![0-9])[0-9]+(?:\.[0-9]+)?(?:" + "|".join(UNITS) + ")?")
SECTION = re.compile(r"^### `(content/[^`]+)`[ \t]*$", re.M)


def entry_paths() -> list[str]:
    return sorted(
        p.relative_to(ROOT).as_posix() for p in CONTENT.rglob("*") if p.is_file() and p.suffix in {".md", ".yaml"}
    )


def audit_sections() -> dict[str, str]:
    text = AUDIT.read_text(encoding="utf-8")
    parts = SECTION.split(text)
    sections = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        assert name not in sections, f"{name} has two sections in the audit"
        sections[name] = re.split(r"^## ", body, maxsplit=1, flags=re.M)[0]
    return sections


def front_matter(path: str) -> object:
    text = (ROOT / path).read_text(encoding="utf-8")
    if path.endswith(".md"):
        text = text.split("---", 2)[1]
    return yaml.safe_load(text)


def numbers(value: object, key: str = "") -> set[str]:
    if key in SKIPPED_KEYS:
        return set()
    if isinstance(value, dict):
        return set().union(*(numbers(v, str(k)) for k, v in value.items())) if value else set()
    if isinstance(value, list):
        return set().union(*(numbers(v, key) for v in value)) if value else set()
    if isinstance(value, bool) or value is None:
        return set()
    if isinstance(value, (int, float)):
        return {repr(value)}
    text = str(value)
    if text.startswith(("http://", "https://")):
        return set()
    return set(NUMBER.findall(text))


def present(token: str, section: str) -> bool:
    """The token stands alone: no digit before it, and no digit after a bare number."""
    tail = r"(?![0-9])" if token[-1].isdigit() else ""
    return re.search(r"(?<![0-9.])" + re.escape(token) + tail, section) is not None


def test_every_entry_of_content_has_a_section_in_the_audit():
    sections = audit_sections()
    missing = [p for p in entry_paths() if p not in sections]
    assert missing == [], f"docs/content-audit.md has no section for {missing}"


def test_the_audit_lists_no_entry_that_does_not_exist():
    stale = sorted(set(audit_sections()) - set(entry_paths()))
    assert stale == [], f"docs/content-audit.md lists entries that are not in content/: {stale}"


@pytest.mark.parametrize("path", entry_paths())
def test_every_number_of_the_front_matter_is_in_the_entry_section(path):
    section = audit_sections().get(path, "")
    absent = sorted(n for n in numbers(front_matter(path)) if not present(n, section))
    assert absent == [], f"{path}: the audit section does not mention {absent}"


def test_the_number_finder_keeps_units_and_skips_links():
    assert numbers(
        {
            "limits": "1回3時間以上、年5回まで",
            "annual_cap_yen": 5600000,
            "fiscal_rate": 0.7,
            "url": "https://example.jp/2023/10",
            "reviewed": "2023-10-24",
        }
    ) == {"1回", "3時間", "5回", "5600000", "0.7"}
    assert not present("3日", "最大13日") and present("3日", "最大3日まで")
    assert present("2023年", "2023年10月24日") and not present("10", "2010年") and not present("0.7", "10.7")
