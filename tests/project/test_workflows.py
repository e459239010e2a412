"""The GitHub workflows: valid, audited, pinned, least-privileged, and running the README's commands."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import _options, _parser

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ["check.yml", "pages.yml"]
# The tools the test extras install next to this interpreter (pinned in pyproject.toml).
TOOLS = Path(sys.executable).parent
# `uses: owner/action@<full commit SHA> # v1.2.3`: the comment is what Dependabot updates with the SHA.
PINNED = re.compile(
    r"^\s*(?:- )?uses: (?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40}) # (?P<version>v\d+\.\d+\.\d+)$"
)


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as true.
    data["on"] = data.pop(True, data.get("on"))
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def runs(workflow: dict[str, Any]) -> list[str]:
    return [" ".join(step["run"].split()) for step in steps(workflow) if "run" in step]


def uses(workflow: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in steps(workflow) if "uses" in step]


def make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", text, flags=re.M))


def pins(name: str) -> list[tuple[str, str, str]]:
    """(action, SHA, version comment) of every `uses:` line, read from the text (YAML drops comments)."""
    lines = [line for line in (WORKFLOWS / name).read_text("utf-8").splitlines() if "uses:" in line]
    matches = [PINNED.match(line) for line in lines]
    assert all(matches), [line for line, m in zip(lines, matches) if not m]
    return [(m["action"], m["sha"], m["version"]) for m in matches if m]


@pytest.mark.parametrize("name", NAMES)
def test_workflow_is_valid_and_uses_only_make_targets(name: str) -> None:
    workflow = load(name)
    assert workflow["name"] and workflow["jobs"]
    for job in workflow["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        assert isinstance(job["timeout-minutes"], int)
    for command in runs(workflow):
        words = shlex.split(command)
        assert words[0] == "make" and words[1] in make_targets(), command
    setup = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "3.12"  # the Python requirements/*.txt is made with


@pytest.mark.parametrize("name", NAMES)
def test_every_action_is_an_official_one_pinned_to_a_commit_with_its_version_beside_it(name: str) -> None:
    found = pins(name)
    assert [f"{action}@{sha}" for action, sha, _ in found] == uses(load(name))
    assert {action.split("/")[0] for action, _, _ in found} == {"actions"}


def test_an_action_used_in_both_workflows_is_pinned_to_the_same_commit() -> None:
    versions: dict[str, set[tuple[str, str]]] = {}
    for name in NAMES:
        for action, sha, version in pins(name):
            versions.setdefault(action, set()).add((sha, version))
    assert {action: len(seen) for action, seen in versions.items() if len(seen) > 1} == {}


@pytest.mark.parametrize("name", NAMES)
def test_checkout_leaves_no_token_behind_and_no_expression_is_pasted_into_a_script(name: str) -> None:
    workflow = load(name)
    for step in steps(workflow):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
        assert "${{" not in step.get("run", ""), step


def test_each_job_gets_only_the_permissions_it_uses() -> None:
    check, pages = load("check.yml"), load("pages.yml")
    assert check["permissions"] == pages["permissions"] == {}  # nothing unless a job asks
    assert check["jobs"]["check"]["permissions"] == {"contents": "read"}
    assert pages["jobs"]["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert pages["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_the_publishing_job_restores_no_cache() -> None:
    # Pull requests may reuse pip's downloads (every file is still checked against its hash);
    # what is published is built from nothing another run could have written.
    (check_setup,) = [s for s in steps(load("check.yml")) if s.get("uses", "").startswith("actions/setup-python@")]
    assert check_setup["with"]["cache"] == "pip"
    assert check_setup["with"]["cache-dependency-path"] == "requirements/site.txt"
    for step in steps(load("pages.yml")):
        assert "cache" not in step.get("with", {}), step
        assert not step.get("uses", "").startswith("actions/cache@"), step


def test_pull_requests_are_checked_with_annotations_and_built() -> None:
    workflow = load("check.yml")
    assert "pull_request" in workflow["on"]
    assert runs(workflow) == ["make check", "make site"]
    check, build = [s for s in steps(workflow) if "run" in s]
    assert "env" not in check  # GITHUB_ACTIONS=true on the runner: `catalog check` prints annotations
    assert build["env"] == {"GITHUB_ACTIONS": "false"}  # the build's own check must not repeat them


def test_main_is_built_for_the_project_site_path_and_deployed_with_the_official_actions() -> None:
    workflow = load("pages.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["on"]["schedule"] == [{"cron": "5 15 * * *"}]
    assert [action for action, _, _ in pins("pages.yml")] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/upload-pages-artifact",
        "actions/deploy-pages",
    ]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"

    (build,) = [s for s in steps(workflow) if "run" in s]
    assert build["env"] == {
        "PAGES_ORIGIN": "${{ steps.pages.outputs.origin }}",
        "PAGES_BASE_PATH": "${{ steps.pages.outputs.base_path }}",
    }
    # With the values configure-pages gives for https://owner.github.io/repo/ and for a custom domain:
    for origin, base_path, expected in [
        ("https://owner.github.io", "/repo", "/repo/"),
        ("https://catalog.example.jp", "", "/"),
    ]:
        argv = build_argv(build["run"], {"PAGES_ORIGIN": origin, "PAGES_BASE_PATH": base_path})
        options = _options(_parser().parse_args(argv))
        assert (options.base_url, options.base_path) == (origin, expected)


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_the_pages_values_reach_catalog_as_plain_arguments_never_as_code(tmp_path: Path) -> None:
    (build,) = [s for s in steps(load("pages.yml")) if "run" in s]
    hostile = "/x'; touch pwned-1; $(touch pwned-2) `touch pwned-3` \"$(touch pwned-4)"
    argv = build_argv(build["run"], {"PAGES_ORIGIN": "https://owner.github.io", "PAGES_BASE_PATH": hostile}, tmp_path)
    assert argv[argv.index("--base-path") + 1] == hostile + "/"
    assert list(tmp_path.iterdir()) == []


def build_argv(run: str, env: dict[str, str], scratch: Path | None = None) -> list[str]:
    """The arguments `catalog build` gets when the step's command runs with these values.

    The step runs in bash with `make -n` (print, don't run); the printed recipe line is then run
    by sh as make would run it, with `catalog` replaced by a printer of its arguments.
    """
    environ = {**os.environ, **env}
    printed = subprocess.run(
        ["bash", "-c", 'make() { command make -n VENV=.venv "$@"; }\n' + run],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    (line,) = [line for line in printed.splitlines() if line.startswith(".venv/bin/catalog build")]
    script = line.replace(".venv/bin/catalog", "printf '%s\\0'", 1)
    out = subprocess.run(
        ["sh", "-c", script], cwd=scratch or ROOT, env=environ, capture_output=True, text=True, check=True
    )
    return out.stdout.split("\0")[:-1]


def test_the_readme_documents_the_command_the_workflows_run() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make site" in readme
    assert {"site", "check", "serve"} <= make_targets()


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_makefile_passes_build_and_serve_flags() -> None:
    def dry_run(*args: str) -> list[str]:
        out = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout
        return [line for line in out.splitlines() if "catalog" in line]

    # One build: it checks first, so each problem is printed once.
    assert dry_run("site", "BUILD_FLAGS=--base-path /repo/") == [
        ".venv/bin/catalog build --output site --base-path /repo/"
    ]
    assert dry_run("serve", "SERVE_FLAGS=--no-search") == [".venv/bin/catalog serve --no-search"]


def test_zizmor_finds_nothing_in_the_workflows_or_the_dependabot_configuration() -> None:
    # Offline (no GitHub API), the strictest persona, and neither a config file nor ignore comments honoured.
    result = zizmor(ROOT / ".github")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    audited = re.findall(r"completed (\S+)", result.stderr)
    assert sorted(Path(p).name for p in audited) == ["check.yml", "dependabot.yml", "pages.yml"]


def test_zizmor_reports_what_this_project_fixed(tmp_path: Path) -> None:
    """The audit is live: the workflow as it was (tag, token kept, expression in the script) fails it."""
    text = (WORKFLOWS / "pages.yml").read_text("utf-8")
    text = re.sub(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", "actions/checkout@v4", text)
    text = text.replace("        with:\n          persist-credentials: false\n", "")
    text = text.replace('"$$PAGES_ORIGIN"', "${{ steps.pages.outputs.origin }}")
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "pages.yml").write_text(text, "utf-8")
    result = zizmor(tmp_path / ".github")
    found = sorted({finding["ident"] for finding in json.loads(result.stdout)})
    assert found == ["artipacked", "template-injection", "unpinned-uses"]


def zizmor(path: Path) -> subprocess.CompletedProcess[str]:
    command = [str(TOOLS / "zizmor"), "--offline", "--no-config", "--no-ignores", "--persona=pedantic"]
    return subprocess.run([*command, "--format=json", str(path)], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(
    ("schema", "files"),
    [
        ("vendor.github-workflows", [WORKFLOWS / name for name in NAMES]),
        ("vendor.dependabot", [ROOT / ".github" / "dependabot.yml"]),
    ],
)
def test_the_files_follow_githubs_schemas(schema: str, files: list[Path]) -> None:
    # The schemas check-jsonschema ships (SchemaStore's), so nothing is downloaded.
    result = check_jsonschema(schema, *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_what_github_would(tmp_path: Path) -> None:
    text = (WORKFLOWS / "check.yml").read_text("utf-8").replace("contents: read", "contents: admin")
    broken = tmp_path / "check.yml"
    broken.write_text(text, "utf-8")
    result = check_jsonschema("vendor.github-workflows", broken)
    assert result.returncode == 1 and "permissions" in result.stdout, result.stdout


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    command = [str(TOOLS / "check-jsonschema"), "--builtin-schema", schema, *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)
