"""A project whose every text field and body carries hostile values.

Used by the injection, CSP and reproducibility tests. Each payload goes, whole,
into every free-text front-matter field of one entry per collection (so that a
payload meant for a CSV cell or a feed title really starts the value), into
archetypes.yaml and site.yaml, and into a Markdown body full of script, event
handler and ``javascript:``/``data:`` link attempts.
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import copy_minimal_project, write_files

PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</script><script>alert(1)</script>",
    "'><svg onload=alert(1)>",
    "javascript:alert(1)",
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "line one\nline two ]]> <![CDATA[",
    "a;b,c\\d;DTSTART:19700101",
    "x\r\nBEGIN:VEVENT\r\nSUMMARY:injected",
    "{{ 7*7 }}{% raw %}${7*7}",
    "<!-- --><?xml?>&amp;&lt;",
    "\u2028\u2029<x>",
)
"""Hostile strings, each at most 40 characters (the longest allowed tag)."""

CONTROL_CHARACTERS = ("\x00", "\x01", "\x08", "\x0b", "\x1b", "\x7f", "\x9b", "\ufffe")
"""Refused by the parser even when written as YAML escapes, so not in PAYLOADS."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HOSTILE_BODY = """\
## <script>alert(1)</script>見出し

<script>alert(1)</script>
<img src=x onerror=alert(1)>
<svg onload=alert(1)><circle/></svg>
<iframe src="https://evil.example/"></iframe>
<style>body{display:none}</style>
<div style="position:fixed" onclick="alert(1)">div</div>
<a href="javascript:alert(1)" onmouseover="alert(1)">raw js link</a>
<a href="&#106;avascript:alert(1)">entity js link</a>
<a href="data:text/html,<script>alert(1)</script>">raw data link</a>
<form action="https://evil.example/"><input name=q></form>
<meta http-equiv="refresh" content="0;url=https://evil.example/">
<base href="https://evil.example/">
<object data="x.swf"></object><embed src="x.swf">
<link rel=stylesheet href="https://evil.example/x.css">

[js link](javascript:alert(1))
[JS link](JaVaScRiPt:alert(1))
[spaced js](  javascript:alert(1)  )
[vbscript](vbscript:msgbox(1))
[data link](data:text/html,%3Cscript%3Ealert(1)%3C/script%3E)
[data b64](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
[titled](https://example.jp/ "\\" onmouseover=\\"alert(1)")
![image](javascript:alert(1))
![data image](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)
<javascript:alert(1)>
[ref link][evil]

[evil]: javascript:alert(1)

`<script>alert(1)</script>` in code and

```html
</script><script>alert(1)</script>
```

{{ 7*7 }} {% raw %} ${7*7}

本文の最後: PAYLOAD
"""


def q(value: str) -> str:
    """A YAML double-quoted scalar (JSON is valid YAML) for any text."""
    return json.dumps(value, ensure_ascii=False)


def _list(values: list[str]) -> str:
    return "[" + ", ".join(q(v) for v in values) + "]"


def _body(payload: str) -> str:
    return HOSTILE_BODY.replace("PAYLOAD", payload)


def _program(payload: str, n: int) -> str:
    return f"""---
title: {q(payload)}
summary: {q(payload)}
tags: {_list([payload, f"tag{n}"])}
provider: {_list([payload, "総務省"])}
level: national
kinds: [advisor_dispatch]
archetypes: [producer]
aliases: {_list([payload])}
terms:
  cost_coverage: {q(payload)}
  limits: {q(payload)}
period:
  start: 令和5年度
  end: 令和9年度
url: https://example.jp/programs?q=%3Cscript%3E&x="y"
sources:
  - title: {q(payload)}
    publisher: {q(payload)}
    url: https://example.jp/source?a=1&b=<2>
    published: "2023-10-24"
    accessed: "2026-06-01"
    covers: [terms.cost_coverage, terms.limits, period]
updated: "2026-06-01"
reviewed: "2026-06-01"
---
{_body(payload)}"""


def _partner(payload: str, n: int) -> str:
    return f"""---
title: {q(payload)}
summary: {q(payload)}
tags: {_list([payload, f"tag{n}"])}
agreement: {q(payload)}
since: 令和4年度
fields: {_list([payload])}
unit: {q(payload)}
url: https://example.jp/partner
sources:
  - title: {q(payload)}
    publisher: {q(payload)}
updated: "2026-06-01"
reviewed: "2026-06-01"
---
{_body(payload)}"""


def _case(payload: str, n: int) -> str:
    return f"""---
title: {q(payload)}
summary: {q(payload)}
tags: {_list([payload, f"tag{n}"])}
prefecture: 長野県
municipalities: 3
models: [talent_sharing]
started: 令和4年度
programs: [advisor, hostile-{n}]
partners: [example-corp, hostile-{n}]
archetypes: [producer]
timeline:
  - date: 令和5年度
    event: {q(payload)}
sources:
  - title: {q(payload)}
    publisher: {q(payload)}
updated: "2026-06-0{1 + n % 9}"
reviewed: "2026-06-01"
---
{_body(payload)}"""


def _role(payload: str, n: int) -> str:
    return f"""---
title: {q(payload)}
summary: {q(payload)}
tags: {_list([payload, f"tag{n}"])}
kind: real
archetype: engineer
host: joint
prefecture: 長野県
engagement:
  form: side_job
  hours_per_month: 8
  remote: true
skills: {_list([payload])}
programs: [hostile-{n}]
status: active
sources:
  - title: {q(payload)}
    publisher: {q(payload)}
    published: "2026-05-01"
updated: "2026-06-01"
reviewed: "2026-06-01"
---
{_body(payload)}"""


def _page(payload: str) -> str:
    return f"""---
title: {q(payload)}
summary: {q(payload)}
---
{_body(payload)}"""


def _archetypes() -> str:
    lines = []
    for archetype_id, payload in zip(("producer", "project_manager", "service_designer", "engineer"), PAYLOADS):
        lines += [
            f"- id: {archetype_id}",
            f"  name: {q(payload)}",
            f"  summary: {q(payload)}",
            f"  responsibilities: {_list(list(PAYLOADS))}",
            f"  skills: {_list(list(PAYLOADS))}",
        ]
    return "\n".join(lines) + "\n"


def _site_yaml(payload: str) -> str:
    return f"""title: {q(payload + " カタログ")}
prefecture: 長野県
publisher: {q(payload)}
base_url: https://example.jp
base_path: /
language: ja
description: {q(payload)}
license:
  name: {q(payload)}
  url: https://creativecommons.org/licenses/by/4.0/deed.ja
"""


def make_hostile_project(dest: Path, payloads: tuple[str, ...] = PAYLOADS) -> Path:
    """A valid project (copy of the minimal one) with one hostile entry per payload and collection."""
    project = copy_minimal_project(dest)
    files: dict[str, str | bytes | None] = {
        "content/archetypes.yaml": _archetypes(),
        "content/site.yaml": _site_yaml(payloads[0]),
        "content/pages/accessibility.md": _page(payloads[1 % len(payloads)]),
    }
    for n, payload in enumerate(payloads):
        files[f"content/programs/hostile-{n}.md"] = _program(payload, n)
        files[f"content/partners/hostile-{n}.md"] = _partner(payload, n)
        files[f"content/cases/hostile-{n}.md"] = _case(payload, n)
        files[f"content/roles/hostile-{n}.md"] = _role(payload, n)
        files[f"content/pages/hostile-{n}.md"] = _page(payload)
    write_files(project, files)
    return project
