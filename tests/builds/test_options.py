"""One set of options for check, build and serve, and one rule for the site's address."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from conftest import CHECK_AS_OF, write_files

from generator.cli import _options, _parser, main
from generator.config import (
    JST,
    PLACEHOLDER_ORIGIN,
    AddressError,
    BuildOptions,
    build_date,
    resolve_options,
    site_address,
)
from generator.content.discover import SourceFile
from generator.content.validate import validate_site_config
from generator.pipeline import build, check
from generator.problems import Problem, error, warning
from generator.serve.rebuild import Rebuilder
from generator.serve.state import LiveState

SITE = """title: テストカタログ
prefecture: 長野県
base_url: {url}
{path}language: ja
description: テスト用のサイトです。
license:
  name: CC BY 4.0
  url: https://creativecommons.org/licenses/by/4.0/deed.ja
"""


def site_problems(url: str, path: str | None = None) -> list[str]:
    text = SITE.format(url=url, path="" if path is None else f"base_path: {path!r}\n")
    return [
        p.format()
        for p in validate_site_config(SourceFile("content/site.yaml", "site", "site", text.encode())).problems
    ]


def cli_options(*argv: str) -> BuildOptions:
    return _options(_parser().parse_args(["build", *argv]))


# --- defaults, resolved in one place ----------------------------------------------------------


def test_every_command_gets_the_same_defaults() -> None:
    """serve used to pass no date at all (every build failed on None.isoformat())."""
    for command in ("check", "build", "serve"):
        options = _options(_parser().parse_args([command]))
        assert options.as_of == datetime.now(JST).date(), command
        assert options.project == Path(".") and options.output == Path("site")
        assert (options.drafts, options.strict, options.quiet, options.search) == (False, False, False, True)
        assert (options.base_url, options.base_path) == (None, None)


def test_resolve_options_defaults_and_every_field_passed_on() -> None:
    assert resolve_options(Path("p"), as_of=CHECK_AS_OF) == BuildOptions(Path("p"), Path("p/site"), CHECK_AS_OF)
    assert resolve_options(
        Path("p"), as_of=CHECK_AS_OF, drafts=True, strict=True, search=False, quiet=True
    ) == BuildOptions(Path("p"), Path("p/site"), CHECK_AS_OF, drafts=True, strict=True, search=False, quiet=True)


def test_absolute_urls_of_site_paths() -> None:
    from generator.config import Config

    config = Config(title="t", prefecture="長野県", base_url="https://example.jp", base_path="/dx/")
    assert (
        config.absolute_url("/programs/x/") == config.absolute_url("programs/x/") == "https://example.jp/dx/programs/x/"
    )
    assert config.url("/data/") == "/dx/data/"
    assert (config.absolute_url("X/"), config.url("/X/")) == ("https://example.jp/dx/X/", "/dx/X/")


def test_the_output_is_the_projects_site_wherever_the_command_runs() -> None:
    assert resolve_options(Path("some/project")).output == Path("some/project/site")
    assert resolve_options(Path("some/project"), output=Path("public")).output == Path("public")
    assert cli_options("--project", "../p").output == Path("../p/site")


def test_the_build_date() -> None:
    assert build_date(date(2020, 1, 2), {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2020, 1, 2)
    assert build_date(None, {"SOURCE_DATE_EPOCH": "1700000000"}) == date(2023, 11, 15)  # 07:13 in Japan
    assert build_date(None, {"SOURCE_DATE_EPOCH": "not a number"}) == datetime.now(JST).date()
    assert resolve_options(Path("p"), environ={"SOURCE_DATE_EPOCH": "1700000000"}).as_of == date(2023, 11, 15)


def test_the_preview_is_the_same_run_for_the_server() -> None:
    options = resolve_options(Path("p"), as_of=CHECK_AS_OF, strict=True, search=False)
    preview = options.preview("http://127.0.0.1:8000/", Path("p/.catalog-cache/serve/site"))
    assert preview == BuildOptions(
        Path("p"),
        Path("p/.catalog-cache/serve/site"),
        CHECK_AS_OF,
        drafts=True,
        strict=True,
        search=False,
        quiet=True,
        base_url="http://127.0.0.1:8000",
        base_path="/",
        serve=True,
    )


# --- the site's address: one rule ------------------------------------------------------------


@pytest.mark.parametrize(
    "path, resolved",
    [
        ("/", "/"),
        ("", "/"),
        ("dx-catalog", "/dx-catalog/"),
        ("/dx-catalog", "/dx-catalog/"),
        ("/a/b_c.d~e/", "/a/b_c.d~e/"),
    ],
)
def test_a_base_path_is_accepted_alike_in_both_places(path: str, resolved: str) -> None:
    assert cli_options("--base-path", path).base_path == resolved
    assert site_problems("https://example.org", path) == []


@pytest.mark.parametrize("path", ["/.well/", "/../x/", "/a/../b/", "/a//b/", "/日本/", "/a b/", "//", "/a?b/"])
def test_a_base_path_is_refused_alike_in_both_places(path: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_options("--base-path", path)
    assert exited.value.code == 2
    assert f"--base-path: 「{path}」はパスとして使えません。" in capsys.readouterr().err
    assert site_problems("https://example.org", path) == [
        f"content/site.yaml:4:1: error[invalid-value]: base_path の「{path}」はパスとして使えません。"
        "/ や /dx-catalog/ のように、半角英数字と - _ . ~ のフォルダ名を / で区切って書いてください（「.」で始まるフォルダ名は使えません）"
    ]


@pytest.mark.parametrize(
    "url, origin, path",
    [
        ("https://example.org", "https://example.org", None),
        ("https://example.org/", "https://example.org", None),
        ("https://Example.ORG/dx-catalog/", "https://example.org", "/dx-catalog/"),
        ("https://example.org/dx-catalog", "https://example.org", "/dx-catalog/"),
        ("http://localhost:8080/a/b/", "http://localhost:8080", "/a/b/"),
    ],
)
def test_a_base_url_may_carry_the_base_path(url: str, origin: str, path: str | None) -> None:
    assert site_address(url, None) == (origin, path)
    options = cli_options("--base-url", url)
    assert (options.base_url, options.base_path) == (origin, path)
    assert site_problems(url) == []


@pytest.mark.parametrize(
    "url",
    [
        "example.org",
        "ftp://example.org",
        "https://exa mple.org",
        "https://example.org/dx?x=1",
        "https://example.org/#top",
        "https://example.org/.git/",
        "https://user@example.org",
        "https://example.org\\evil",
        "https://",
    ],
)
def test_a_base_url_is_refused_alike_in_both_places(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli_options("--base-url", url)
    assert exited.value.code == 2
    assert f"--base-url: 「{url}」は公開先の URL として使えません。" in capsys.readouterr().err
    (problem,) = site_problems(url)
    assert problem.startswith(
        f"content/site.yaml:3:1: error[invalid-value]: base_url の「{url}」は公開先の URL として使えません。"
    )


def test_a_path_in_the_url_and_a_different_base_path_disagree(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_options("--base-url", "https://example.org/dx/", "--base-path", "/dx").base_path == "/dx/"
    with pytest.raises(SystemExit) as exited:
        cli_options("--base-url", "https://example.org/dx/", "--base-path", "/other/")
    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        "catalog build: error: --base-url のパス（/dx/）と --base-path（/other/）が違います。どちらか一方だけを書くか、同じパスにしてください\n"
    )
    assert site_problems("https://example.org/dx/", "/other/") == [
        "content/site.yaml:4:1: error[invalid-value]: base_url のパス（/dx/）と base_path（/other/）が違います。"
        "どちらか一方だけを書くか、同じパスにしてください"
    ]
    with pytest.raises(AddressError):
        site_address("https://example.org/dx/", "/other/")


def test_the_address_in_site_yaml_and_on_the_command_line(minimal_project: Path, tmp_path: Path) -> None:
    write_files(minimal_project, {"content/site.yaml": SITE.format(url="https://example.org/dx-catalog/", path="")})
    out = tmp_path / "out"
    result = build(BuildOptions(minimal_project, out, CHECK_AS_OF, search=False))
    assert result.ok and result.site is not None
    assert result.site.config.site_url == "https://example.org/dx-catalog/"
    # An origin alone on the command line keeps site.yaml's path; a path in it replaces it.
    again = build(
        cli_options(
            "--project",
            str(minimal_project),
            "--output",
            str(out),
            "--as-of",
            "2026-11-26",
            "--no-search",
            "--base-url",
            "https://example.jp",
        )
    )
    assert again.site is not None and again.site.config.site_url == "https://example.jp/dx-catalog/"
    third = build(
        cli_options(
            "--project",
            str(minimal_project),
            "--output",
            str(out),
            "--as-of",
            "2026-11-26",
            "--no-search",
            "--base-url",
            "https://example.jp/other/",
        )
    )
    assert third.site is not None and third.site.config.site_url == "https://example.jp/other/"
    assert '<link rel="canonical" href="https://example.jp/other/">' in (out / "index.html").read_text("utf-8")


# --- the example origin ----------------------------------------------------------------------


def origin_warnings(problems: tuple[Problem, ...]) -> list[str]:
    return [p.format() for p in problems if p.code == "placeholder-origin"]


def test_a_build_for_the_example_origin_warns_once(minimal_project: Path, tmp_path: Path) -> None:
    write_files(minimal_project, {"content/site.yaml": SITE.format(url=PLACEHOLDER_ORIGIN, path="base_path: /\n")})
    options = BuildOptions(minimal_project, tmp_path / "out", CHECK_AS_OF, search=False)
    assert origin_warnings(build(options).problems) == [
        "content/site.yaml:3:1: warning[placeholder-origin]: 公開先が例の https://example.github.io のままです。"
        "ページの canonical リンク・OGP・サイトマップ・データファイルにこのアドレスが載ります。"
        "公開する前に base_url を実際の公開先に書き換えるか、--base-url で指定してください"
    ]
    assert len(origin_warnings(build(options).problems)) == 1  # the no-op rebuild says it again, once
    assert not build(BuildOptions(minimal_project, tmp_path / "strict", CHECK_AS_OF, search=False, strict=True)).ok
    assert (
        origin_warnings(
            build(
                BuildOptions(
                    minimal_project, tmp_path / "o", CHECK_AS_OF, search=False, base_url="https://pref.example.jp"
                )
            ).problems
        )
        == []
    )
    assert origin_warnings(check(options).problems) == []  # a check publishes nothing
    preview = options.preview("http://127.0.0.1:8000/", tmp_path / "preview")
    assert origin_warnings(build(preview).problems) == []


def test_make_site_prints_each_problem_once(
    minimal_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make site` is one `catalog build` (it used to run check first: every warning twice)."""
    write_files(minimal_project, {"content/site.yaml": SITE.format(url=PLACEHOLDER_ORIGIN, path="")})
    code = main(
        [
            "build",
            "--project",
            str(minimal_project),
            "--output",
            str(tmp_path / "site"),
            "--as-of",
            "2026-11-26",
            "--no-search",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err.splitlines()
    assert len([line for line in err if line.startswith("content/site.yaml:3:1: warning[placeholder-origin]: ")]) == 1
    assert err[-1].startswith("ビルド完了: ") and "警告 1 件" in err[-1]


# --- serve: only what changed ----------------------------------------------------------------


def test_serve_prints_only_the_problems_that_changed(tmp_path: Path) -> None:
    said: list[str] = []
    rebuilder = Rebuilder(
        BuildOptions(tmp_path, tmp_path / "site", CHECK_AS_OF),
        "http://127.0.0.1:8000/",
        LiveState(),
        say=lambda message, always=False: said.append(message),
    )
    old = warning("content/programs/a.md", 20, 1, "review-overdue", "古い")
    other = warning("content/programs/b.md", 21, 1, "review-overdue", "古い")
    slip = error("content/programs/a.md", 6, 6, "yaml-syntax", "スペース")

    def report(*problems: Problem) -> list[str]:
        said.clear()
        rebuilder._report(problems)
        return said

    assert report(old, other) == [old.format(), other.format()]
    assert report(old, other) == ["前回と同じ問題 2 件（表示は省きます）"]  # an edit that changed no problem
    # a.md no longer parses: its warning is unseen, not fixed.
    assert report(slip, other) == [slip.format(), "前回と同じ問題 2 件（表示は省きます）"]
    assert report(old, other) == ["直った問題 1 件、前回と同じ問題 2 件（表示は省きます）"]  # and not new again
    assert report() == ["直った問題 2 件"]
    assert report() == []


def test_the_license_in_site_yaml() -> None:
    from generator.config import License, config_from_mapping

    site = {"title": "t", "prefecture": "長野県", "base_url": "https://example.jp"}
    assert config_from_mapping(site).license == License()
    assert config_from_mapping({**site, "license": "CC0 1.0"}).license == License(name="CC0 1.0")
    assert config_from_mapping(
        {
            **site,
            "license": {
                "name": "CC0 1.0",
                "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
                "note": "x",
            },
        }
    ).license == License("CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.ja")


@pytest.mark.parametrize(
    ("text", "field"), [("/../", "path"), ("//", "path"), ("ftp://x", "url"), ("https://x.jp/a/b/c/../", "url")]
)
def test_an_address_error_says_which_part_is_wrong(text: str, field: str) -> None:
    with pytest.raises(AddressError) as refused:
        site_address(text, None) if field == "url" else site_address(None, text)
    assert refused.value.field == field


def test_a_base_path_keeps_every_letter_of_its_folders() -> None:
    from generator.config import parse_base_path

    assert parse_base_path("X") == "/X/"
    assert parse_base_path("/Xroad/X/") == "/Xroad/X/"


def test_site_yaml_defaults_and_every_field_read() -> None:
    from generator.config import Config, License, config_from_mapping

    assert config_from_mapping({"title": "t", "prefecture": "長野県"}) == Config(
        title="t",
        prefecture="長野県",
        base_url="http://localhost:8000",
        base_path="/",
        description="",
        language="ja",
        license=License(),
        publisher="長野県",
        review_interval_months=12,
        summary_search_max=120,
    )
    given = {
        "title": "t",
        "prefecture": "長野県",
        "base_url": "https://example.jp",
        "base_path": "/dx/",
        "description": "説明",
        "language": "ja-JP",
        "publisher": "長野県企画振興部",
        "review_interval_months": "6",
        "summary_search_max": "90",
    }
    assert config_from_mapping(given) == Config(
        title="t",
        prefecture="長野県",
        base_url="https://example.jp",
        base_path="/dx/",
        description="説明",
        language="ja-JP",
        license=License(),
        publisher="長野県企画振興部",
        review_interval_months=6,
        summary_search_max=90,
    )


def test_a_base_url_keeps_every_letter_of_its_path_and_refuses_queries() -> None:
    assert site_address("https://example.jp/X/", None) == ("https://example.jp", "/X/")
    assert site_address("https://example.jp/X", None) == ("https://example.jp", "/X/")
    for bad in ("https://example.jp/a?b", "https://example.jp/#x"):
        with pytest.raises(AddressError) as refused:
            site_address(bad, None)
        assert refused.value.field == "url"
    with pytest.raises(AddressError) as refused:
        site_address("https://example.jp/.git/", None)
    assert refused.value.field == "url"


def test_site_yaml_contact_and_browser_editor() -> None:
    """The publisher's contact (about pages, footer) and the /admin/ editor are read as written."""
    from generator.config import Cms, Contact, config_from_mapping

    site = {"title": "t", "prefecture": "長野県", "base_url": "https://example.jp"}
    assert (config_from_mapping(site).contact, config_from_mapping(site).cms) == (None, None)
    assert config_from_mapping({**site, "contact": {}, "cms": {}}).cms is None
    given = config_from_mapping(
        {
            **site,
            "contact": {
                "name": "DX推進課",
                "url": "https://example.jp/dx/",
                "email": "dx@example.jp",
                "phone": "026-000-0000",
            },
            "cms": {
                "backend": "github",
                "repo": "pref/catalog",
                "branch": "main",
                "base_url": "https://auth.example.jp",
                "editorial_workflow": True,
            },
        }
    )
    assert given.contact == Contact("DX推進課", "https://example.jp/dx/", "dx@example.jp", "026-000-0000")
    assert given.cms == Cms("github", "pref/catalog", "main", "https://auth.example.jp", True)
    least = config_from_mapping(
        {
            **site,
            "contact": {"name": "DX推進課", "url": "https://example.jp/dx/"},
            "cms": {"backend": "gitlab", "repo": "p/c", "branch": "b"},
        }
    )
    assert least.contact == Contact("DX推進課", "https://example.jp/dx/", "", "")
    assert least.cms == Cms("gitlab", "p/c", "b", None, False)
