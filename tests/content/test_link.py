"""The link stage over small fixture projects: references, body links, backlinks, taxonomies, order."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import CHECK_AS_OF, check_lines, write_files

from generator.pipeline import load

PROGRAM = """---
title: {title}
summary: 要約です。
provider:
{providers}
level: {level}
kinds:
  - {kind}
archetypes:
  - engineer
sources:
  - title: テスト資料
    publisher: テスト県
updated: "2026-06-01"
reviewed: "2026-06-01"
{extra}---
本文です。
"""


def program(title: str, level: str = "national", kind: str = "training", providers=("総務省",), extra: str = "") -> str:
    return PROGRAM.format(
        title=title, level=level, kind=kind, providers="\n".join(f"  - {p}" for p in providers), extra=extra
    )


CASE = """---
title: {title}
summary: 要約です。
prefecture: {prefecture}
models:
  - {model}
programs:
{programs}
sources:
  - title: テスト資料
    publisher: テスト県
updated: "2026-06-01"
reviewed: "2026-06-01"
{extra}---
{body}
"""


def case(
    title: str,
    prefecture: str = "長野県",
    model: str = "joint_hiring",
    programs=("advisor",),
    extra: str = "",
    body: str = "",
) -> str:
    return CASE.format(
        title=title,
        prefecture=prefecture,
        model=model,
        programs="\n".join(f"  - {p}" for p in programs) or "  []",
        extra=extra,
        body=body,
    )


ROLE = """---
title: {title}
summary: 要約です。
archetype: {archetype}
host: prefecture
engagement:
  form: side_job
status: {status}
kind: real
updated: "2026-06-01"
reviewed: "2026-06-01"
sources:
  - {{title: 募集の案内, publisher: テスト県, published: "2026-05-01"}}
{extra}---
"""


def role(title: str, archetype: str = "producer", status: str = "open", extra: str = "") -> str:
    return ROLE.format(title=title, archetype=archetype, status=status, extra=extra)


def site(project: Path, drafts: bool = False):
    loaded = load(project, as_of=CHECK_AS_OF, drafts=drafts)
    assert loaded.site is not None, [p.format() for p in loaded.problems]
    return loaded.site


def test_the_minimal_project_is_valid(minimal_project):
    assert check_lines(minimal_project) == []
    s = site(minimal_project)
    assert [e.key for e in s.entries()] == [
        "programs/advisor",
        "partners/example-corp",
        "cases/sharing",
        "roles/cio-hosakan",
    ]
    assert [a.id for a in s.archetypes] == ["producer", "engineer"]
    assert [p.slug for p in s.pages] == ["about", "accessibility"]


def test_backlinks_both_ways(minimal_project):
    s = site(minimal_project)
    assert [e.key for e in s.refs("programs/advisor", "cases")] == ["cases/sharing"]
    assert [e.key for e in s.refs("programs/advisor", "roles")] == ["roles/cio-hosakan"]
    assert [e.key for e in s.refs("partners/example-corp", "cases")] == ["cases/sharing"]
    assert [e.key for e in s.refs("archetypes/producer", "programs")] == ["programs/advisor"]
    assert [e.key for e in s.refs("archetypes/producer", "cases")] == ["cases/sharing"]
    assert [e.key for e in s.refs("archetypes/producer", "roles")] == ["roles/cio-hosakan"]
    assert s.refs("archetypes/engineer", "roles") == ()
    assert s.refs("cases/sharing", "programs") == ()
    # And forwards: the case names what it used.
    sharing = s.get("cases/sharing")
    assert sharing.programs == ("advisor",) and sharing.partners == ("example-corp",)
    assert s.get("archetypes/producer").name == "プロデューサー"
    assert s.get("programs/nope") is None


def test_unknown_references(minimal_project):
    write_files(
        minimal_project,
        {"content/cases/sharing.md": case("事例", programs=("advisor", "nope"), extra="partners:\n  - ghost\n")},
    )
    assert check_lines(minimal_project) == [
        "content/cases/sharing.md:9:5: error[unknown-reference]: 参照先 content/programs/nope.md がありません",
        "content/cases/sharing.md:16:5: error[unknown-reference]: 参照先 content/partners/ghost.md がありません",
    ]


def test_an_archetype_that_does_not_exist_is_a_schema_error(minimal_project):
    write_files(minimal_project, {"content/cases/sharing.md": case("事例", extra="archetypes:\n  - designer\n")})
    assert check_lines(minimal_project) == [
        "content/cases/sharing.md:15:5: error[invalid-value]: 「archetypes[1番目]」に「designer」は使えません。"
        "「service_designer」の間違いではありませんか？使える値: producer, project_manager, service_designer, engineer",
    ]


def test_an_archetype_missing_from_archetypes_yaml(minimal_project):
    write_files(minimal_project, {"content/roles/cio-hosakan.md": role("役割", archetype="service_designer")})
    assert check_lines(minimal_project) == [
        "content/roles/cio-hosakan.md:4:1: error[unknown-reference]: 人材像「service_designer」は content/archetypes.yaml にありません"
        "（ある人材像: engineer, producer）"
    ]


def test_a_published_entry_cannot_reference_a_draft(minimal_project):
    write_files(minimal_project, {"content/programs/advisor.md": program("アドバイザー制度", extra="draft: true\n")})
    assert check_lines(minimal_project) == [
        "content/cases/sharing.md:10:5: error[draft-reference]: 「programs/advisor」は下書き（draft: true）なので、公開される項目から参照できません",
        "content/partners/example-corp.md:12:12: error[unknown-link]: リンク先 content/programs/advisor.md が下書きです",
        "content/roles/cio-hosakan.md:12:5: error[draft-reference]: 「programs/advisor」は下書き（draft: true）なので、公開される項目から参照できません",
    ]


def test_drafts_are_linked_when_asked(minimal_project):
    write_files(minimal_project, {"content/programs/advisor.md": program("アドバイザー制度", extra="draft: true\n")})
    s = site(minimal_project, drafts=True)
    assert s.get("programs/advisor").draft is True
    assert [e.key for e in s.refs("programs/advisor", "cases")] == ["cases/sharing"]


def test_a_draft_may_reference_anything_that_exists(minimal_project):
    write_files(
        minimal_project, {"content/cases/draft-case.md": case("下書き事例", programs=("nope",), extra="draft: true\n")}
    )
    assert check_lines(minimal_project) == []
    assert site(minimal_project).get("cases/draft-case") is None


def test_a_draft_shown_by_the_preview_has_its_references_checked(minimal_project):
    """`catalog build --drafts` and `catalog serve` publish drafts: a draft's broken reference is then an error."""
    write_files(
        minimal_project, {"content/cases/draft-case.md": case("下書き事例", programs=("nope",), extra="draft: true\n")}
    )
    loaded = load(minimal_project, as_of=CHECK_AS_OF, drafts=True)
    assert loaded.site is None
    assert [p.format() for p in loaded.problems] == [
        "content/cases/draft-case.md:8:5: error[unknown-reference]: 参照先 content/programs/nope.md がありません"
    ]


def test_body_links(minimal_project):
    body = "\n".join(
        [
            "[ある](../programs/advisor.md) と [ない](../programs/nope.md)",
            "[フラグメント付き](../partners/example-corp.md#about)",
            "[ルートから](/content/roles/cio-hosakan.md)",
            "[項目ではない](../../README.md)",
            "[外部](https://example.com/x.md)",
            "[参照]: ../cases/missing.md",
        ]
    )
    write_files(minimal_project, {"content/cases/sharing.md": case("事例", body=body)})
    assert check_lines(minimal_project) == [
        "content/cases/sharing.md:15:37: error[unknown-link]: リンク先 content/programs/nope.md がありません",
        "content/cases/sharing.md:18:10: error[unknown-link]: リンク先「../../README.md」は項目のファイルではありません。../programs/ファイル名.md のように書いてください",
        "content/cases/sharing.md:20:7: error[unknown-link]: リンク先 content/cases/missing.md がありません",
    ]


def test_a_body_link_is_a_reference_seen_from_both_ends(minimal_project):
    """A role that recommends a program in its body is listed by that program, as if it named it."""
    write_files(
        minimal_project,
        {
            "content/programs/other.md": program("ほかの制度"),
            "content/roles/engineer.md": role("エンジニア", archetype="engineer", status="active")
            + "[ほかの制度](../programs/other.md)と[アドバイザー制度](../programs/advisor.md#x)、"
            "もう一度[ほかの制度](../programs/other.md)、自分自身[エンジニア](engineer.md)\n",
        },
    )
    s = site(minimal_project)
    # Forwards: each linked entry once, never itself, in the order of the body.
    assert s.body_links["roles/engineer"] == ("programs/other", "programs/advisor")
    # The partner's body links the advisor program (minimal project).
    assert s.body_links["partners/example-corp"] == ("programs/advisor",)
    # Backwards: the linked program lists the role; fields and body links stay apart.
    assert [e.key for e in s.mentioned_by("programs/other", "roles")] == ["roles/engineer"]
    assert s.refs("programs/other", "roles") == ()
    assert [e.key for e in s.related("programs/other", "roles")] == ["roles/engineer"]
    assert [e.key for e in s.related("programs/advisor", "roles")] == ["roles/cio-hosakan", "roles/engineer"]
    assert [e.key for e in s.mentioned_by("programs/advisor", "partners")] == ["partners/example-corp"]
    assert "roles/engineer" not in s.mentions


def test_a_body_link_between_entries_whose_fields_already_join_them_is_not_listed_twice(minimal_project):
    advisor = (minimal_project / "content/programs/advisor.md").read_text("utf-8")
    case_text = (minimal_project / "content/cases/sharing.md").read_text("utf-8")
    write_files(
        minimal_project,
        {
            # The case names the program in its fields and links it in its body: one reference.
            "content/cases/sharing.md": case_text + "\n[アドバイザー制度](../programs/advisor.md)\n",
            # The program links the role that names it: the role's page lists the program already.
            "content/programs/advisor.md": advisor + "\n[CIO補佐官](../roles/cio-hosakan.md)\n",
        },
    )
    s = site(minimal_project)
    assert s.mentioned_by("programs/advisor", "cases") == ()
    assert [e.key for e in s.refs("programs/advisor", "cases")] == ["cases/sharing"]
    assert s.mentioned_by("roles/cio-hosakan", "programs") == ()
    assert s.body_links["programs/advisor"] == ("roles/cio-hosakan",)


def test_body_links_of_drafts_are_not_references(minimal_project):
    write_files(
        minimal_project,
        {"content/roles/draft.md": role("下書き", extra="draft: true\n") + "[制度](../programs/advisor.md)\n"},
    )
    assert [e.key for e in site(minimal_project).related("programs/advisor", "roles")] == ["roles/cio-hosakan"]
    assert [e.key for e in site(minimal_project, drafts=True).related("programs/advisor", "roles")] == [
        "roles/cio-hosakan",
        "roles/draft",
    ]


def test_body_links_in_pages_are_checked(minimal_project):
    write_files(
        minimal_project, {"content/pages/about.md": "---\ntitle: t\nsummary: s\n---\n\n[x](../programs/gone.md)\n"}
    )
    assert check_lines(minimal_project) == [
        "content/pages/about.md:6:5: error[unknown-link]: リンク先 content/programs/gone.md がありません"
    ]


def test_taxonomies(minimal_project):
    write_files(
        minimal_project,
        {
            "content/programs/zeta.md": program(
                "ゼータ制度", kind="advisor_dispatch", providers=("長野県", "総務省"), extra="tags:\n  - 標準化\n"
            ),
            "content/cases/local.md": case("県内の事例", extra="tags:\n  - 標準化\n"),
        },
    )
    taxonomies = {t.name: t for t in site(minimal_project).taxonomies}
    assert list(taxonomies) == ["providers", "kinds", "prefectures", "models", "tags"]
    # the headings of the term pages and of the filters
    assert [t.label for t in taxonomies.values()] == ["所管", "制度の種類", "都道府県", "連携の型", "タグ"]
    providers = taxonomies["providers"]
    assert dict(providers.terms) == {"総務省": ("programs/advisor", "programs/zeta"), "長野県": ("programs/zeta",)}
    assert providers.term_labels["総務省"] == "総務省"
    assert dict(taxonomies["kinds"].terms) == {"advisor_dispatch": ("programs/advisor", "programs/zeta")}
    assert taxonomies["kinds"].term_labels["advisor_dispatch"] == "アドバイザー派遣"
    assert list(taxonomies["prefectures"].terms) == ["nagano", "ehime"]  # JIS order
    assert taxonomies["prefectures"].term_labels["ehime"] == "愛媛県"
    assert list(taxonomies["models"].terms) == ["talent_sharing", "joint_hiring"]  # the order of MODEL_LABELS
    assert dict(taxonomies["tags"].terms) == {"標準化": ("programs/zeta", "cases/local")}


def test_presentation_order(minimal_project):
    write_files(
        minimal_project,
        {
            "content/programs/b-pref.md": program("い県の制度", level="prefecture"),
            "content/programs/a-muni.md": program("あ市の制度", level="municipal"),
            "content/programs/c-national.md": program("あ国の制度"),
            "content/cases/tokyo.md": case("東京の事例", prefecture="東京都"),
            "content/cases/hokkaido.md": case("北海道の事例", prefecture="北海道"),
            "content/cases/nagano-b.md": case("長野の事例B"),
            "content/cases/nagano-a.md": case("長野の事例A"),
            "content/roles/closed.md": role("あ終了", status="closed"),
            "content/roles/open.md": role("う募集中", archetype="engineer", status="open"),
            "content/roles/active-engineer.md": role("あ活動中エンジニア", archetype="engineer", status="active"),
            "content/roles/active-producer.md": role("い活動中プロデューサー", status="active"),
        },
    )
    s = site(minimal_project)
    # Programs: national, prefecture, municipal; then by title.
    assert [p.slug for p in s.programs] == ["c-national", "advisor", "b-pref", "a-muni"]
    # Cases: the site's own prefecture first, then the others in JIS order.
    assert [c.slug for c in s.cases] == ["nagano-a", "nagano-b", "hokkaido", "tokyo", "sharing"]
    # Roles: open, active, models (examples, no status), closed; within each by the order of archetypes.yaml.
    assert [r.slug for r in s.roles] == ["open", "active-producer", "active-engineer", "cio-hosakan", "closed"]
    # Backlinks follow presentation order.
    assert [c.slug for c in s.refs("programs/advisor", "cases")] == [
        "nagano-a",
        "nagano-b",
        "hokkaido",
        "tokyo",
        "sharing",
    ]


def test_links_to_free_standing_pages_are_checked(minimal_project: Path) -> None:
    """A body may link content/pages/<slug>.md; an unknown page is an error like an unknown entry."""
    program = minimal_project / "content/programs/advisor.md"
    text = program.read_text("utf-8")
    write_files(
        minimal_project,
        {
            "content/programs/advisor.md": text
            + "\n[このサイトについて](../pages/about.md)\n[ない](../pages/nothing.md)\n"
        },
    )
    lines = check_lines(minimal_project)
    last = len((text + "\n[このサイトについて](../pages/about.md)\n[ない](../pages/nothing.md)\n").split("\n")) - 1
    assert [ln for ln in lines if "error" in ln] == [
        f"content/programs/advisor.md:{last}:6: error[unknown-link]: リンク先 content/pages/nothing.md がありません"
    ]


def test_a_reference_to_a_file_that_has_errors_of_its_own_is_not_reported_again(minimal_project: Path) -> None:
    """The referenced file's own problem is the one to fix; the reference is not a second error."""
    program = minimal_project / "content/programs/advisor.md"
    write_files(minimal_project, {"content/programs/advisor.md": program.read_text("utf-8").encode("cp932")})
    lines = [line for line in check_lines(minimal_project) if "error" in line]
    assert len(lines) == 1 and "error[encoding]" in lines[0] and lines[0].startswith("content/programs/advisor.md:")


def test_a_reference_to_a_file_too_large_to_read_is_not_reported_again(minimal_project: Path) -> None:
    with open(minimal_project / "content/programs/advisor.md", "wb") as handle:
        handle.truncate(2_000_000)
    lines = [line for line in check_lines(minimal_project) if "error" in line]
    assert len(lines) == 1 and "error[file-too-large]" in lines[0], lines


def test_the_page_address_of_a_free_text_term() -> None:
    """Tags and providers get one readable path segment: NFKC, lower case, runs of other characters one hyphen."""
    from generator.content.link import term_slug

    assert term_slug("ＤＸ推進・人材育成") == "dx推進-人材育成"
    assert term_slug("AI / IoT  活用") == "ai-iot-活用"
    assert term_slug("__デジタル人材__") == "デジタル人材"
    assert term_slug("-（仮）-") == "仮"
    assert term_slug("・・・") == term_slug("---") == term_slug(" ") == "term"


def test_a_long_term_is_cut_and_keeps_a_short_hash_of_the_whole() -> None:
    """96 bytes of UTF-8 at most; a longer term keeps its beginning and a hash, the same in every build."""
    from generator.content.link import term_slug

    assert term_slug("長" * 32) == "長" * 32  # exactly 96 bytes: kept whole
    assert term_slug("長" * 33) == "長" * 29 + "-8ca5232f"  # the address of the page is the same every build
    first, second = term_slug("長" * 32 + "野"), term_slug("長" * 32 + "県")
    assert first != second and first.startswith("長" * 29 + "-") and second.startswith("長" * 29 + "-")
    assert len(first.encode("utf-8")) == len(second.encode("utf-8")) == 96
    # the cut falls inside a character: the broken character is left out, never an error
    assert re.fullmatch(r"a長{28}-[0-9a-f]{8}", term_slug("a" + "長" * 40))
    # the cut falls just after a hyphen: the slug never has two in a row
    assert re.fullmatch(r"a{86}-[0-9a-f]{8}", term_slug("a" * 86 + "-" + "b" * 20))


def test_a_body_link_already_joined_by_fields_does_not_hide_the_next_link(minimal_project):
    """The case names the advisor program in its fields and links it, then links another program: that one lists the case."""
    case_text = (minimal_project / "content/cases/sharing.md").read_text("utf-8")
    write_files(
        minimal_project,
        {
            "content/programs/other.md": program("ほかの制度"),
            "content/cases/sharing.md": case_text
            + "\n[アドバイザー制度](../programs/advisor.md)と[ほかの制度](../programs/other.md)\n",
        },
    )
    s = site(minimal_project)
    assert s.body_links["cases/sharing"] == ("programs/advisor", "programs/other")
    assert s.mentioned_by("programs/advisor", "cases") == ()
    assert [e.key for e in s.mentioned_by("programs/other", "cases")] == ["cases/sharing"]


def test_a_draft_with_body_links_does_not_hide_the_links_of_the_entries_after_it(minimal_project):
    write_files(
        minimal_project,
        {
            "content/cases/a-draft.md": case(
                "下書きの事例", extra="draft: true\n", body="[制度](../programs/advisor.md)"
            ),
            "content/programs/a-draft.md": program("下書きの制度", extra="draft: true\n")
            + "[事業者](../partners/example-corp.md)\n",
        },
    )
    s = site(minimal_project)
    assert s.body_links["partners/example-corp"] == ("programs/advisor",)
    assert "cases/a-draft" not in s.body_links and "programs/a-draft" not in s.body_links


def test_the_kinds_of_program_come_in_the_order_of_their_list_not_of_the_alphabet(minimal_project):
    write_files(
        minimal_project,
        {
            "content/programs/kensyu.md": program("研修制度", kind="training"),
            "content/programs/renkei.md": program("連携協定", kind="partnership"),
        },
    )
    kinds = next(t for t in site(minimal_project).taxonomies if t.name == "kinds")
    assert list(kinds.terms) == ["advisor_dispatch", "training", "partnership"]
    assert [kinds.term_labels[k] for k in kinds.terms][0] == "アドバイザー派遣"


def test_every_archetype_of_a_list_is_checked_at_its_own_line(minimal_project):
    text = program("アドバイザー制度").replace("  - engineer\n", "  - engineer\n  - service_designer\n  - producer\n")
    write_files(minimal_project, {"content/programs/advisor.md": text})
    assert check_lines(minimal_project) == [
        "content/programs/advisor.md:11:5: error[unknown-reference]: 人材像「service_designer」は content/archetypes.yaml にありません"
        "（ある人材像: engineer, producer）"
    ]


def test_a_page_may_link_another_page(minimal_project):
    write_files(
        minimal_project,
        {
            "content/pages/about.md": "---\ntitle: t\nsummary: s\n---\n\n[アクセシビリティ](accessibility.md)と[ない](nothing.md)\n"
        },
    )
    assert check_lines(minimal_project) == [
        "content/pages/about.md:6:35: error[unknown-link]: リンク先 content/pages/nothing.md がありません"
    ]
