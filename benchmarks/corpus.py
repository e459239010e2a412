"""A deterministic, valid catalog project of any size, for benchmarks and tests.

``generate(entries, seed)`` returns every file of the project as text, keyed by
its path relative to the project folder; ``write_corpus`` writes them. The same
``entries`` and ``seed`` always give byte-identical files (one seeded
``random.Random``, no sets, no clocks). Entries are spread over the four
collections in the proportions of a grown national catalog and refer to each
other in front matter and in Markdown bodies, so that linking, backlinks and
taxonomies do real work. Bodies are 2–4 KB of UTF-8.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from generator.content.prefectures import PREFECTURES

from . import phrases as P

SHARES: tuple[tuple[str, float], ...] = (("programs", 0.15), ("partners", 0.10), ("cases", 0.35), ("roles", 0.40))
ARCHETYPES: tuple[tuple[str, str], ...] = (
    ("producer", "プロデューサー"),
    ("project_manager", "プロジェクトマネージャー"),
    ("service_designer", "サービスデザイナー"),
    ("engineer", "エンジニア"),
)
KINDS = ("advisor_dispatch", "personnel_dispatch", "fiscal_measure", "matching", "training", "partnership")
BODY_MIN, BODY_MAX = 2048, 4096
"""Body size in UTF-8 bytes, inclusive."""
MARKER = ".benchmark-corpus"
"""Written at the project root so that a later run may safely replace content/."""
AS_OF = date(2026, 11, 26)
"""The build date the benchmark uses; `updated`/`reviewed` fall in the year before it."""
SLUG_KEYWORDS = ("dx-advisor", "jinzai-kakuho", "digital-shien", "dx-partner", "fukugyo-jinzai", "kyodo-saiyo")


def counts(entries: int) -> dict[str, int]:
    """How many entries each collection gets; the remainder goes to roles."""
    if entries < len(SHARES):
        raise ValueError(f"entries must be at least {len(SHARES)}")
    result = {name: max(1, round(entries * share)) for name, share in SHARES[:-1]}
    result["roles"] = entries - sum(result.values())
    return result


@dataclass(frozen=True)
class Stub:
    """What other entries need to know about an entry before it is written."""

    collection: str
    slug: str
    title: str
    pref: str

    @property
    def link(self) -> str:
        return f"[{self.title}](../{self.collection}/{self.slug}.md)"


def generate(entries: int, seed: int = 1) -> dict[str, str]:
    """Every file of a valid project with ``entries`` entries: path → text."""
    rng = random.Random(f"catalog-benchmark:{seed}:{entries}")
    prefs = list(PREFECTURES)
    stubs: dict[str, list[Stub]] = {}
    for collection, count in counts(entries).items():
        stubs[collection] = [_stub(rng, collection, i, prefs) for i in range(count)]
    tags = tag_pool()
    files: dict[str, str] = {
        "content/site.yaml": P.SITE_YAML,
        "content/archetypes.yaml": _dump(P.ARCHETYPE_DATA),
    }
    for collection, items in stubs.items():
        make = _MAKERS[collection]
        for stub in items:
            front = make(rng, stub, stubs, tags)
            body = _body(rng, stub, stubs)
            files[f"content/{collection}/{stub.slug}.md"] = f"---\n{_dump(front)}---\n{body}"
    first_program = stubs["programs"][0]
    files["content/pages/about.md"] = P.ABOUT.replace("{link}", first_program.link)
    files["content/pages/accessibility.md"] = P.ACCESSIBILITY
    return files


def write_corpus(files: dict[str, str], out: Path, *, entries: int, seed: int) -> None:
    """Write the project into ``out``; refuses to replace a content/ it did not write."""
    content = out / "content"
    if content.exists():
        if not (out / MARKER).is_file():
            raise FileExistsError(
                f"{content} がすでにあり、ベンチマークが書いたものではありません。空のフォルダを指定してください"
            )
        shutil.rmtree(content)
    for rel, text in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    (out / MARKER).write_text(f"entries: {entries}\nseed: {seed}\n", encoding="utf-8")


def tag_pool() -> tuple[str, ...]:
    """About 200 distinct tags: the stems, and some stems with a qualifier."""
    tags = list(P.TAG_STEMS)
    for i, stem in enumerate(P.TAG_STEMS):
        qualifier = P.TAG_QUALIFIERS[i % len(P.TAG_QUALIFIERS)] or P.TAG_QUALIFIERS[3 + i % 3]
        tags.append(stem + qualifier)
        if i % 4 == 0:
            tags.append(f"{stem}の課題")
    return tuple(dict.fromkeys(tags))


# --- front matter ---------------------------------------------------------------------------


def _stub(rng: random.Random, collection: str, i: int, prefs: list[str]) -> Stub:
    pref = rng.choice(prefs)
    pref_slug = PREFECTURES[pref]
    topic = rng.choice(P.TOPICS)
    if collection == "programs":
        title = rng.choice(P.PROGRAM_TITLE_PATTERNS).format(pref=pref, topic=topic)
        slug = f"{pref_slug}-{rng.choice(SLUG_KEYWORDS)}-{i:05d}"
    elif collection == "partners":
        title = _partner_name(i)
        slug = f"partner-{pref_slug}-{i:05d}"
    elif collection == "cases":
        title = rng.choice(P.CASE_TITLE_PATTERNS).format(pref=pref, topic=topic, n=rng.randint(2, 40))
        slug = f"case-{pref_slug}-{i:05d}"
    else:
        place = rng.choice(P.ROLE_PLACES).format(pref=pref, muni=_municipality(rng))
        title = f"{place}の{rng.choice(P.ROLE_NAMES)}" + ("（モデル）" if rng.random() < 0.3 else "")
        slug = f"role-{pref_slug}-{i:05d}"
    return Stub(collection, slug, title, pref)


def _partner_name(i: int) -> str:
    stems, suffixes, forms = P.PARTNER_STEMS, P.PARTNER_SUFFIXES, P.PARTNER_FORMS
    name = stems[i % len(stems)] + suffixes[(i // len(stems)) % len(suffixes)]
    form = forms[(i // (len(stems) * len(suffixes))) % len(forms)]
    rounds = i // (len(stems) * len(suffixes) * len(forms))
    return form.format(name=name) + (f"（第{rounds + 1}事業所）" if rounds else "")


def _municipality(rng: random.Random) -> str:
    return rng.choice(P.MUNICIPALITY_STEMS) + rng.choice(P.MUNICIPALITY_KINDS)


def _program(rng: random.Random, stub: Stub, stubs: dict[str, list[Stub]], tags: tuple[str, ...]) -> dict:
    level = rng.choices(("national", "prefecture", "municipal"), weights=(3, 5, 2))[0]
    if level == "national":
        provider = rng.sample(P.NATIONAL_PROVIDERS, rng.randint(1, 2))
    else:
        provider = [stub.pref if level == "prefecture" else _municipality(rng)]
    start = rng.randint(2019, 2027)
    front: dict = {
        "title": stub.title,
        "summary": f"{provider[0]}が、{rng.choice(P.TOPICS)}を進める自治体のデジタル人材の確保を支える制度です。",
        "provider": provider,
        "level": level,
        "kinds": rng.sample(KINDS, rng.randint(1, 2)),
        "archetypes": _archetype_ids(rng, 1, 3),
        "terms": _terms(rng),
        "period": {"start": _fiscal_year(rng, start)},
    }
    if rng.random() < 0.7:
        front["period"]["end"] = _fiscal_year(rng, start + rng.randint(0, 4))
    if rng.random() < 0.3:
        front["aliases"] = [stub.title.replace("事業", "制度"), f"{stub.title}（旧称）"]
    front["url"] = f"https://www.example.lg.jp/{PREFECTURES[stub.pref]}/dx/{stub.slug}.html"
    facts = [f"{group}.{key}" for group in ("terms", "period") for key in front[group]]
    front["sources"] = _sources(rng, stub.pref, facts)
    front["updated"] = _day(rng)
    front["reviewed"] = _day(rng)
    front["tags"] = rng.sample(tags, rng.randint(2, 5))
    return front


def _terms(rng: random.Random) -> dict:
    terms: dict = {
        "cost_coverage": rng.choice(
            ("国が全額を負担", "県と市町村が折半", "謝金と旅費は国が負担", "市町村の負担は経費の3割")
        )
    }
    if rng.random() < 0.5:
        terms["fiscal_rate"] = rng.choice((0.5, 0.7, 1.0))
    if rng.random() < 0.5:
        terms["annual_cap_yen"] = rng.choice((1_000_000, 3_000_000, 5_600_000, 10_000_000))
    if rng.random() < 0.5:
        terms["limits"] = rng.choice(
            ("現地派遣は年3回まで", "1団体につき年1名まで", "任用期間は3年以内", "オンライン相談は合計10時間まで")
        )
    return terms


def _partner(rng: random.Random, stub: Stub, stubs: dict[str, list[Stub]], tags: tuple[str, ...]) -> dict:
    front: dict = {
        "title": stub.title,
        "summary": f"{stub.pref}とDXの連携協定を結び、{rng.choice(P.PARTNER_FIELDS)}などで市町村のDXを支えている企業です。",
        "agreement": f"{stub.pref}DX推進パートナー連携協定",
        "since": rng.choice((_fiscal_year(rng, rng.randint(2019, 2026)), _day(rng, years=6))),
        "fields": rng.sample(P.PARTNER_FIELDS, rng.randint(1, 3)),
    }
    if rng.random() < 0.4:
        front["unit"] = rng.choice(P.PARTNER_UNITS)
    front["url"] = f"https://www.example.co.jp/{stub.slug}/"
    front["sources"] = _sources(rng, stub.pref, ["agreement", "since"])
    front["updated"] = _day(rng)
    front["reviewed"] = _day(rng)
    front["tags"] = rng.sample(tags, rng.randint(1, 4))
    return front


def _case(rng: random.Random, stub: Stub, stubs: dict[str, list[Stub]], tags: tuple[str, ...]) -> dict:
    start = rng.randint(2019, 2026)
    events = sorted(rng.sample(range(start, start + 4), rng.randint(1, 3)))
    return {
        "title": stub.title,
        "summary": f"{stub.pref}と県内の市町村が、{rng.choice(P.TOPICS)}のためのデジタル人材を一緒に確保している取組です。",
        "prefecture": stub.pref,
        "municipalities": rng.randint(1, 77),
        "models": rng.sample(P.CASE_MODELS, rng.randint(1, 2)),
        "started": _fiscal_year(rng, start),
        "programs": [s.slug for s in rng.sample(stubs["programs"], min(len(stubs["programs"]), rng.randint(1, 3)))],
        "partners": [s.slug for s in rng.sample(stubs["partners"], min(len(stubs["partners"]), rng.randint(0, 2)))],
        "archetypes": _archetype_ids(rng, 1, 2),
        "timeline": [
            {
                "date": _fiscal_year(rng, year),
                "event": rng.choice(P.LIST_ITEMS).format(topic=rng.choice(P.TOPICS), skill=rng.choice(P.SKILLS))
                + "を始めました",
            }
            for year in events
        ],
        "sources": _sources(rng, stub.pref, ["municipalities", "started"]),
        "updated": _day(rng),
        "reviewed": _day(rng),
        "tags": rng.sample(tags, rng.randint(2, 5)),
    }


def _role(rng: random.Random, stub: Stub, stubs: dict[str, list[Stub]], tags: tuple[str, ...]) -> dict:
    model = stub.title.endswith("（モデル）")
    front: dict = {
        "title": stub.title,
        "summary": f"{stub.pref}で{rng.choice(P.TOPICS)}を進めるため、職員と一緒に計画と実行を担う外部人材の役割です。",
        "kind": "model" if model else "real",
        "archetype": rng.choice(ARCHETYPES)[0],
        "host": rng.choice(("prefecture", "municipality", "joint")),
        "prefecture": stub.pref,
        "engagement": {
            "form": rng.choice(("side_job", "fixed_term", "part_time", "contract", "dispatch", "concurrent")),
            "hours_per_month": rng.choice((10, 20, 40, 80, 120, 160)),
            "remote": rng.random() < 0.6,
        },
        "skills": rng.sample(P.SKILLS, rng.randint(2, 5)),
        "programs": [s.slug for s in rng.sample(stubs["programs"], min(len(stubs["programs"]), rng.randint(0, 2)))],
    }
    if not model:  # a real posting: a status, and a dated source that states it
        front["status"] = rng.choice(("open", "active", "closed"))
    front["updated"] = _day(rng)
    front["reviewed"] = _day(rng)
    front["tags"] = rng.sample(tags, rng.randint(1, 4))
    if not model or rng.random() < 0.5:
        front["sources"] = _sources(rng, stub.pref, [] if model else ["status"])[:1]
    return front


_MAKERS = {"programs": _program, "partners": _partner, "cases": _case, "roles": _role}


def _archetype_ids(rng: random.Random, low: int, high: int) -> list[str]:
    chosen = rng.sample(range(len(ARCHETYPES)), rng.randint(low, high))
    return [ARCHETYPES[i][0] for i in sorted(chosen)]


def _sources(rng: random.Random, pref: str, covers: list[str]) -> list[dict]:
    """One or two sources, each with its publisher and dates; the first states ``covers``."""
    titles = rng.sample(P.SOURCE_TITLES, rng.randint(1, 2))
    sources = []
    for title in titles:
        name, _, publisher = title.format(pref=pref).rpartition("（")
        source: dict = {"title": name, "publisher": publisher.rstrip("）")}
        source["published"] = _day(rng, years=4)
        if rng.random() < 0.6:
            source["url"] = f"https://www.example.go.jp/dx/{PREFECTURES[pref]}/{rng.randint(100, 999)}.html"
            source["accessed"] = _day(rng)
        sources.append(source)
    if covers:
        sources[0]["covers"] = covers
    return sources


def _day(rng: random.Random, years: int = 1) -> str:
    """A day in the ``years`` before AS_OF, as ISO, 西暦 or 和暦 text."""
    day = AS_OF - timedelta(days=rng.randint(1, 365 * years - 30))
    form = rng.random()
    if form < 0.6:
        return day.isoformat()
    if form < 0.8:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"令和{_reiwa(day.year)}年{day.month}月{day.day}日"


def _fiscal_year(rng: random.Random, year: int) -> str:
    return f"令和{_reiwa(year)}年度" if rng.random() < 0.6 else f"{year}年度"


def _reiwa(year: int) -> str:
    return "元" if year == 2019 else str(year - 2018)


def _dump(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=4096, indent=2)


# --- bodies ---------------------------------------------------------------------------------


def _body(rng: random.Random, stub: Stub, stubs: dict[str, list[Stub]]) -> str:
    """Sections of headings, paragraphs, lists and sometimes a table; links to other entries."""
    ctx = {
        "pref": stub.pref,
        "muni": _municipality(rng),
        "topic": rng.choice(P.TOPICS),
        "year": _fiscal_year(rng, rng.randint(2019, 2026)),
        "archetype": rng.choice(ARCHETYPES)[1],
    }
    targets = [rng.choice(stubs[c]) for c in ("programs", "cases", "programs", "partners")]
    links = [t for t in targets if t.slug != stub.slug][: rng.randint(1, 3)]
    target = rng.randint(2300, 3700)
    headings = list(P.HEADINGS[stub.collection])
    blocks: list[str] = [_paragraph(rng, ctx, 2, opening=True)]
    while _size(blocks) < target and headings:
        blocks.append(f"## {headings.pop(0)}")
        link = links.pop(0) if links else None
        blocks.append(_paragraph(rng, ctx, rng.randint(2, 4), link=link))
        shape = rng.random()
        if shape < 0.35:
            blocks.append(_bullets(rng, ctx))
        elif shape < 0.5:
            blocks.append(_table(rng, stub.collection, ctx))
        elif shape < 0.8:
            blocks.append(_paragraph(rng, ctx, rng.randint(2, 3)))
    blocks.append(rng.choice(P.CLOSINGS))
    while _size(blocks) > BODY_MAX:
        del blocks[-2]  # keep the closing sentence
        if blocks[-2].startswith("## "):
            del blocks[-2]
    while _size(blocks) < BODY_MIN:
        blocks.insert(-1, _paragraph(rng, ctx, 2))
    return "\n\n".join(blocks) + "\n"


def _size(blocks: list[str]) -> int:
    return len(("\n\n".join(blocks) + "\n").encode("utf-8"))


def _fill(rng: random.Random, pattern: str, ctx: dict[str, str]) -> str:
    return pattern.format(**ctx, skill=rng.choice(P.SKILLS), n=rng.randint(3, 40))


def _paragraph(
    rng: random.Random, ctx: dict[str, str], sentences: int, *, opening: bool = False, link: Stub | None = None
) -> str:
    parts = [_fill(rng, rng.choice(P.OPENINGS), ctx)] if opening else []
    parts += [_fill(rng, s, ctx) for s in rng.sample(P.SENTENCES, sentences)]
    if link is not None:
        phrase = rng.choice(("詳しくは{}をご覧ください。", "あわせて{}も参考になります。", "{}とも関わりがあります。"))
        parts.insert(rng.randint(1, len(parts)), phrase.format(link.link))
    return "".join(parts)


def _bullets(rng: random.Random, ctx: dict[str, str]) -> str:
    items = rng.sample(P.LIST_ITEMS, rng.randint(3, 5))
    return "\n".join(f"- {_fill(rng, item, ctx)}" for item in items)


def _table(rng: random.Random, collection: str, ctx: dict[str, str]) -> str:
    if collection == "cases":
        start = rng.randint(2019, 2024)
        rows = [
            (_fiscal_year(rng, start + k), _fill(rng, rng.choice(P.LIST_ITEMS), ctx)) for k in range(rng.randint(2, 4))
        ]
        header = ("年度", "主な取組")
    else:
        header = ("項目", "内容")
        rows = [
            ("対象", f"{ctx['pref']}内の市町村"),
            ("分野", ctx["topic"]),
            ("関わり方", rng.choice(("月に数日の相談", "週二日の勤務", "年3回の現地訪問"))),
            ("人材像", ctx["archetype"]),
        ]
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |", *(f"| {a} | {b} |" for a, b in rows)]
    return "\n".join(lines)
