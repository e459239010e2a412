"""The writer swaps a complete new site in, or leaves the previous one byte-identical.

Failures are provoked at the worst moment: after every page was written into the
temporary folder, while the search indexer runs, just before the swap.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from terminal import ctrl_c_default

from generator.config import BuildOptions
from generator.model import OutputFile
from generator.output.folders import spare_folder
from generator.output.writer import UnsafeOutput, safe_relative, write_site
from generator.problems import Problem


def tree_hash(folder: Path) -> str:
    """Paths and bytes of every file below ``folder``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def options(project: Path, out: Path) -> BuildOptions:
    return BuildOptions(project=project, output=out, as_of=date(2026, 11, 26), search=False)


def files(version: str) -> tuple[OutputFile, ...]:
    return (
        OutputFile("index.html", f"<p>{version}</p>".encode()),
        OutputFile("programs/a/index.html", b"same in every version"),
        OutputFile(f"only-{version}.txt", version.encode(), "text/plain"),
    )


def leftovers(out: Path) -> list[str]:
    """Folders of unfinished builds beside the output."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}.*"))


def spare(out: Path) -> Path:
    """The previous site, kept in the project's build cache for the next build to reuse."""
    return spare_folder(out.parent, out)


def test_first_write_and_swap(tmp_path: Path) -> None:
    out = tmp_path / "site"
    result = write_site(files("v1"), options(tmp_path, out))
    assert (out / "index.html").read_bytes() == b"<p>v1</p>"
    assert result.files == 3 and result.written == 3

    result = write_site(files("v2"), options(tmp_path, out))
    assert (out / "index.html").read_bytes() == b"<p>v2</p>"
    assert not (out / "only-v1.txt").exists(), "files of the previous build do not linger"
    assert result.written == 2, "the unchanged page is linked, not written again"
    assert leftovers(out) == []
    assert (spare(out) / "only-v1.txt").exists(), "the previous site is kept in the cache, for reuse"
    assert spare(out).parent == tmp_path / ".catalog-cache"


def test_the_spare_is_brought_up_to_date_whatever_its_state(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for version in ("v1", "v2", "v3"):
        write_site(files(version), options(tmp_path, out))
    # Damage the spare every way a killed build or a person could.
    (spare(out) / "stray.html").write_text("stray")
    (spare(out) / "programs/a/index.html").unlink()
    (spare(out) / "index.html").write_bytes(b"garbage")
    (spare(out) / "deep/er").mkdir(parents=True)
    write_site(files("v4"), options(tmp_path, out))
    expected = tmp_path / "expected"
    write_site(files("v4"), options(tmp_path, expected))
    assert tree_hash(out) == tree_hash(expected)


def test_kept_files_come_from_the_current_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site((OutputFile("a.html", b"one"), OutputFile("b.html", b"one")), options(tmp_path, out))
    write_site((OutputFile("a.html", b"two"), OutputFile("b.html", b"two")), options(tmp_path, out))
    # The spare holds "one"; a build that keeps a.html must publish the current "two".
    write_site((OutputFile("b.html", b"three"),), options(tmp_path, out), kept=("a.html",))
    assert (out / "a.html").read_bytes() == b"two"
    assert (out / "b.html").read_bytes() == b"three"


def test_unchanged_files_are_hard_links_of_the_previous_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(files("v1"), options(tmp_path, out))
    before = (out / "programs/a/index.html").stat().st_ino
    write_site(files("v2"), options(tmp_path, out))
    assert (out / "programs/a/index.html").stat().st_ino == before


@pytest.mark.parametrize("failure", [RuntimeError("indexer crashed"), KeyboardInterrupt(), SystemExit(143)])
def test_failure_before_the_swap_leaves_the_previous_site(tmp_path: Path, failure: BaseException) -> None:
    out = tmp_path / "site"
    write_site(files("v1"), options(tmp_path, out))
    before = tree_hash(out)

    def failing_index(tmp: Path, previous: Path | None) -> None:
        assert (tmp / "only-v2.txt").exists(), "the indexer runs on the complete new site"
        raise failure

    with pytest.raises(type(failure)):
        write_site(files("v2"), options(tmp_path, out), index=failing_index)
    assert tree_hash(out) == before
    assert leftovers(out) == [], "the temporary folder is not left under its temporary name"


def test_paths_that_leave_the_output_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(files("v1"), options(tmp_path, out))
    before = tree_hash(out)
    for bad in ("../escape.html", "/etc/passwd", "a/../../b", "a\\..\\b", ""):
        with pytest.raises(UnsafeOutput):
            safe_relative(bad)
        result = write_site((OutputFile(bad, b"x"),), options(tmp_path, out))
        assert result.problems and result.problems[0].code == "unsafe-path"
        assert tree_hash(out) == before
    assert not (tmp_path / "escape.html").exists()


@pytest.mark.parametrize("target", ["", "content", "content/programs", "themes", ".."])
def test_output_folder_may_not_hold_the_project(tmp_path: Path, target: str) -> None:
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    result = write_site(files("v1"), options(project, project / target if target else project))
    assert [p.code for p in result.problems] == ["unsafe-output"]
    assert (project / "content").is_dir()


# A build that blocks inside the indexer until it is killed: the moment after every
# file was written and before the swap.
_BLOCKING_BUILD = textwrap.dedent(
    """
    import sys, time
    from datetime import date
    from pathlib import Path
    from generator.cli import main
    from generator.config import BuildOptions
    from generator.model import OutputFile
    from generator.output import writer

    out, marker = Path(sys.argv[1]), Path(sys.argv[2])

    def blocking_index(tmp, previous):
        # Written whole, then renamed: the test must never read a marker that exists but is still empty.
        marker.with_suffix(".part").write_text(str(tmp))
        marker.with_suffix(".part").rename(marker)
        time.sleep(60)

    import signal
    from generator import cli
    signal.signal(signal.SIGTERM, cli._terminated)
    opts = BuildOptions(project=out.parent, output=out, as_of=date(2026, 11, 26), search=False)
    try:
        writer.write_site((OutputFile("index.html", b"new"),), opts, index=blocking_index)
    except KeyboardInterrupt:
        sys.exit(130)
    """
)


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_build_leaves_the_previous_site(tmp_path: Path, sig: signal.Signals) -> None:
    out = tmp_path / "site"
    write_site(files("v1"), options(tmp_path, out))
    before = tree_hash(out)
    marker = tmp_path / "indexing"
    proc = subprocess.Popen(
        [sys.executable, "-c", _BLOCKING_BUILD, str(out), str(marker)],
        cwd=Path(__file__).resolve().parents[2],
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_default,
    )
    deadline = time.monotonic() + 30
    while not marker.exists():
        if proc.poll() is not None:
            pytest.fail(proc.communicate()[1].decode())
        assert time.monotonic() < deadline, "the build never reached the indexer"
        time.sleep(0.02)
    tmp = Path(marker.read_text())
    assert (tmp / "index.html").read_bytes() == b"new"
    proc.send_signal(sig)
    _, stderr = proc.communicate(timeout=30)
    assert tree_hash(out) == before

    if sig == signal.SIGKILL:
        assert tmp.exists(), "a killed process cannot clean up"
        write_site(files("v2"), options(tmp_path, out))
        assert leftovers(out) == [], "the next build reuses what the killed one left"
        assert (out / "index.html").read_bytes() == b"<p>v2</p>"
    else:
        assert proc.returncode == 130
        assert not tmp.exists(), "an interrupted build does not leave its temporary folder"
        assert b"Traceback" not in stderr


def test_interrupted_swap_is_repaired(tmp_path: Path) -> None:
    """Without renameat2 the swap is two renames; a kill between them is undone next time."""
    out = tmp_path / "site"
    write_site(files("v1"), options(tmp_path, out))
    before = tree_hash(out)
    dead_pid = 2**22 + 12345  # above pid_max: no such process
    os.rename(out, tmp_path / f".site.old-{dead_pid}")
    (tmp_path / f".site.tmp-{dead_pid + 1}").mkdir()
    write_site(files("v1"), options(tmp_path, out))
    assert tree_hash(out) == before
    assert leftovers(out) == []


def test_without_an_atomic_exchange_two_renames_do_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.output import folders

    monkeypatch.setattr(folders, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    for version in ("v1", "v2", "v3"):
        write_site(files(version), options(tmp_path, out))
        assert (out / "index.html").read_bytes() == f"<p>{version}</p>".encode()
        assert leftovers(out) == []
    assert (spare(out) / "index.html").read_bytes() == b"<p>v2</p>"


def test_a_spare_whose_hash_is_all_digits_is_reused_not_taken_for_a_process(tmp_path: Path) -> None:
    # The spare's name ends in a hash of the output path; about one path in 1,800 gives
    # a hash of digits only, which once made the writer ask the kernel about process
    # 1234567890123456 (OverflowError).
    from generator.output.folders import claim_work_folder
    from generator.output.tree import process_alive

    out = tmp_path / "site"
    spare_dir = tmp_path / ".catalog-cache" / "spare-1234567890123456"
    spare_dir.mkdir(parents=True)
    (spare_dir / "kept.txt").write_text("previous")
    work = claim_work_folder(out, spare_dir)
    assert (work / "kept.txt").read_text() == "previous"
    assert not spare_dir.exists()
    assert process_alive(10**30) is False


def test_a_cold_build_leaves_a_spare_of_hard_links_for_the_next_build(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site(files("v1"), options(tmp_path, out))
    for path in (p for p in out.rglob("*") if p.is_file()):
        assert (spare(out) / path.relative_to(out)).samefile(path)
    result = write_site(files("v2"), options(tmp_path, out))
    assert result.written == 2, "only the changed and the new file are written"
    assert (out / "programs/a/index.html").stat().st_nlink == 2, "the spare's copy is a link, not a second file"


def test_a_file_added_by_hand_to_the_site_does_not_come_back(tmp_path: Path) -> None:
    """The published folder becomes the spare two builds later: what a person added to it
    while it was published is found and removed then too."""
    out = tmp_path / "site"
    write_site(files("v1"), options(tmp_path, out))
    write_site(files("v2"), options(tmp_path, out))
    (out / "stray.html").write_text("by hand")
    (out / "programs/stray.html").write_text("by hand")
    expected = tmp_path / "expected"
    for version in ("v3", "v4", "v5"):
        write_site(files(version), options(tmp_path, out))
        write_site(files(version), options(tmp_path, expected))
        assert tree_hash(out) == tree_hash(expected), version


def test_whatever_stands_in_the_way_in_the_spare_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "site"
    outside = tmp_path / "outside.txt"
    outside.write_text("not ours")
    for version in ("v1", "v2", "v3"):
        write_site(files(version), options(tmp_path, out))
    shutil.rmtree(spare(out) / "programs")
    (spare(out) / "programs").write_text("a file where a folder must be")
    (spare(out) / "index.html").unlink()
    (spare(out) / "index.html/deep").mkdir(parents=True)  # a folder where a file must be
    (spare(out) / "only-v4.txt").symlink_to(outside)
    write_site(files("v4"), options(tmp_path, out))
    expected = tmp_path / "expected"
    write_site(files("v4"), options(tmp_path, expected))
    assert tree_hash(out) == tree_hash(expected)
    assert outside.read_text() == "not ours", "nothing is written through a link"
    assert not (out / "only-v4.txt").is_symlink()


def test_kept_files_already_in_the_spare_need_no_look_at_the_output(tmp_path: Path) -> None:
    from generator.output.writer import WorkFolder

    out = tmp_path / "site"
    write_site((OutputFile("a.html", b"one"), OutputFile("b.html", b"one")), options(tmp_path, out))
    write_site((OutputFile("a.html", b"one"), OutputFile("b.html", b"two")), options(tmp_path, out))
    (out / "a.html").unlink()  # by hand: the spare still holds the very file that was published
    work = WorkFolder.open(options(tmp_path, out), search=False)
    assert not isinstance(work, Problem)
    assert work.has_output("a.html"), "the spare holds the published file"
    assert work.has_output("b.html"), "the output folder holds it"
    assert not work.has_output("c.html")
    work.finish((), kept=("a.html", "b.html"))
    assert (out / "a.html").read_bytes() == b"one"
    assert (out / "b.html").read_bytes() == b"two"


def test_after_a_failed_build_kept_files_still_come_from_the_published_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_site((OutputFile("a.html", b"one"), OutputFile("b.html", b"one")), options(tmp_path, out))
    write_site((OutputFile("a.html", b"two"), OutputFile("b.html", b"two")), options(tmp_path, out))

    def failing_index(tmp: Path, previous: Path | None) -> None:
        raise RuntimeError("indexer crashed")

    with pytest.raises(RuntimeError):  # leaves its "three" in the spare
        write_site(
            (OutputFile("a.html", b"three"), OutputFile("b.html", b"three")),
            options(tmp_path, out),
            index=failing_index,
        )
    write_site((OutputFile("b.html", b"four"),), options(tmp_path, out), kept=("a.html",))
    assert (out / "a.html").read_bytes() == b"two"
    write_site((OutputFile("b.html", b"five"),), options(tmp_path, out), kept=("a.html",))
    assert (out / "a.html").read_bytes() == b"two"


def test_paths_are_placed_and_kept_under_the_name_they_stand_for(tmp_path: Path) -> None:
    out = tmp_path / "site"
    odd = (OutputFile("./x.html", b"x"), OutputFile("a//b.html", b"y"), OutputFile("c/./d/", b"z"))
    for _ in range(3):
        write_site(odd, options(tmp_path, out))
        assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == ["a/b.html", "c/d", "x.html"]
    write_site((OutputFile("x.html", b"x2"),), options(tmp_path, out), kept=("./a//b.html",))
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == ["a/b.html", "x.html"]


def test_the_background_listing_is_the_folder_as_it_is(tmp_path: Path) -> None:
    """The spare is listed by a forked child; a process forked meanwhile (a render worker)
    lists the folder itself instead of reading the child's answer."""
    from generator.output.tree import Listing, scan

    folder = tmp_path / "folder"
    (folder / "a/b").mkdir(parents=True)
    (folder / "a/b/index.html").write_text("x")
    (folder / "top.txt").write_text("y")
    (folder / "link").symlink_to(tmp_path)
    expected = scan(str(folder))
    assert set(expected[0]) == {"a/b/index.html", "top.txt", "link"} and expected[1] == {"a", "a/b"}

    listing = Listing(str(folder))
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # a worker forked before the listing was collected
        try:
            os.write(write, repr(sorted(listing.result()[0])).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        assert f.read() == repr(sorted(expected[0]))
    os.waitpid(pid, 0)
    assert listing.result() == expected
    cancelled = Listing(str(folder))
    cancelled.cancel()
    assert cancelled.result() == expected, "a cancelled listing is taken here when still wanted"


def test_a_worker_forked_before_the_listing_was_collected_places_pages_right(tmp_path: Path) -> None:
    from generator.output.writer import WorkFolder

    out = tmp_path / "site"
    for version in ("v1", "v2"):
        write_site(files(version), options(tmp_path, out))
    (spare(out) / "only-v3.txt").mkdir()  # a folder where the worker's file must be
    work = WorkFolder.open(options(tmp_path, out), search=False)
    assert not isinstance(work, Problem)
    pid = os.fork()
    if pid == 0:  # a render worker: the listing is not collected in this process
        status = 1
        try:
            status = int(sum(work.put(f) for f in files("v3")) != 2)
        except BaseException as exc:
            print(repr(exc), file=sys.stderr)
        finally:
            os._exit(status)
    assert os.waitpid(pid, 0)[1] == 0, "two files written, the unchanged one found in place"
    work.finish((), placed=tuple(f.path for f in files("v3")))
    expected = tmp_path / "expected"
    write_site(files("v3"), options(tmp_path, expected))
    assert tree_hash(out) == tree_hash(expected)
