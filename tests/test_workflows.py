"""The GitHub workflows: valid YAML, the official actions, and the README's commands."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import _options, _parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"


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


@pytest.mark.parametrize("name", ["check.yml", "pages.yml"])
def test_workflow_is_valid_and_uses_only_make_targets(name: str) -> None:
    workflow = load(name)
    assert workflow["name"] and workflow["jobs"]
    for job in workflow["jobs"].values():
        assert job["runs-on"] == "ubuntu-latest"
        assert isinstance(job["timeout-minutes"], int)
    for command in runs(workflow):
        words = shlex.split(command)
        assert words[0] == "make" and words[1] in make_targets(), command
    for action in uses(workflow):
        assert re.fullmatch(r"actions/[a-z-]+@v\d+", action), action
    setup = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "pyproject.toml"


def test_pull_requests_are_checked_with_annotations_and_built() -> None:
    workflow = load("check.yml")
    assert "pull_request" in workflow["on"]
    assert workflow["permissions"] == {"contents": "read"}
    assert runs(workflow) == ["make check", "make site"]
    check, build = [s for s in steps(workflow) if "run" in s]
    assert "env" not in check  # GITHUB_ACTIONS=true on the runner: `catalog check` prints annotations
    assert build["env"] == {"GITHUB_ACTIONS": "false"}  # the build's own check must not repeat them


def test_main_is_built_for_the_project_site_path_and_deployed_with_the_official_actions() -> None:
    workflow = load("pages.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert uses(workflow) == [
        "actions/checkout@v4",
        "actions/setup-python@v5",
        "actions/configure-pages@v5",
        "actions/upload-pages-artifact@v3",
        "actions/deploy-pages@v4",
    ]
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    upload = next(s for s in steps(workflow) if s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"

    (command,) = runs(workflow)
    assert command.startswith("make site BUILD_FLAGS=")
    # With the values configure-pages gives for a project site and for a user site:
    for base_path, expected in (("/repo", "/repo/"), ("", "/")):
        filled = command.replace("${{ steps.pages.outputs.origin }}", "https://owner.github.io").replace(
            "${{ steps.pages.outputs.base_path }}", base_path
        )
        flags = shlex.split(shlex.split(filled)[2].removeprefix("BUILD_FLAGS="))
        options = _options(_parser().parse_args(["build", "--output", "site", *flags]))
        assert (options.base_url, options.base_path) == ("https://owner.github.io", expected)


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
    assert dry_run("site", "BUILD_FLAGS=--base-path /repo/") == [".venv/bin/catalog build --output site --base-path /repo/"]
    assert dry_run("serve", "SERVE_FLAGS=--no-search") == [".venv/bin/catalog serve --no-search"]
