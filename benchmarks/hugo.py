"""The same entries as a minimal Hugo site, to compare against a well-known fast generator.

Each entry becomes ``content/<collection>/<slug>.md`` with YAML front matter
Hugo reads (title, date, summary, tags) and the same Markdown body, its links
to other entries' files rewritten to Hugo's URLs. The layouts render the title
and the content only (single.html, list.html, baseof.html), so Hugo does the
least work a site of these pages can need: this is a floor, not a peer.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

from generator.content.dates import parse_flexdate
from generator.model import COLLECTIONS

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ENTRY_LINK = re.compile(r"\]\(\.\./(programs|partners|cases|roles)/([a-z0-9-]+)\.md\)")

CONFIG = """\
baseURL = "https://example.github.io/"
languageCode = "ja"
defaultContentLanguage = "ja"
title = "全国 自治体DX人材支援カタログ（Hugo 比較用）"
hasCJKLanguage = true
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} | {{ .Site.Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body>
</html>
"""

SINGLE = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}{{ end }}
"""

LIST = """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"""


def hugo_version() -> str | None:
    """``hugo v0.111.3+extended …`` when Hugo is installed, else None."""
    if shutil.which("hugo") is None:
        return None
    try:
        done = subprocess.run(["hugo", "version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.strip() or None


def write_hugo_site(project: Path, out: Path) -> int:
    """Convert the entries of ``project`` into a Hugo site at ``out``; returns how many."""
    if out.exists():
        shutil.rmtree(out)
    layouts = out / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (out / "config.toml").write_text(CONFIG, encoding="utf-8")
    (layouts / "baseof.html").write_text(BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(LIST, encoding="utf-8")
    count = 0
    for collection in COLLECTIONS:
        target = out / "content" / collection
        target.mkdir(parents=True)
        for source in sorted((project / "content" / collection).glob("*.md")):
            (target / source.name).write_text(convert_entry(source.read_text(encoding="utf-8")), encoding="utf-8")
            count += 1
    return count


def convert_entry(text: str) -> str:
    """One entry file in Hugo's form: the front matter Hugo needs, links to Hugo URLs."""
    _, front_text, body = text.split("---\n", 2)
    front = yaml.load(front_text, Loader=_LOADER) or {}
    hugo_front: dict = {"title": front["title"]}
    updated = parse_flexdate(str(front.get("updated", "")), "day")
    if not isinstance(updated, str):
        hugo_front["date"] = updated.value.isoformat()
    hugo_front["summary"] = front.get("summary", "")
    if front.get("tags"):
        hugo_front["tags"] = list(front["tags"])
    dumped = yaml.safe_dump(hugo_front, allow_unicode=True, sort_keys=False, width=4096)
    return f"---\n{dumped}---\n" + _ENTRY_LINK.sub(r"](/\1/\2/)", body)
