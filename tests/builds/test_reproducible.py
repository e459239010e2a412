"""Builds are reproducible: the same content and the same day give byte-identical output.

The real content is copied to two different places and built by the real command
line in separate processes, with different hash seeds, working folders and
output folders, once with ``--as-of`` and once with ``SOURCE_DATE_EPOCH``.

Every page, feed, data file and static file is byte-identical, and so are the
search index's word index and page fragments. Pagefind 1.5 writes the values of
each filter (facet) in its in-memory hash map's order, which changes from run to
run: the filter files, which are named after a hash of their bytes, then get other
names, and so do the index's meta file that lists them and pagefind-entry.json
that names the meta file. The test checks that this is the *only* difference:
the filters hold the same values with the same pages, and the meta files are
equal once the filter names are swapped and the list of filters (also in hash map
order) is sorted (docs/hosting.md says the same).
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 11, 26)
JST = timezone(timedelta(hours=9))


def copy_content(dest: Path) -> Path:
    """A project with only the real content/ (no cache, no output), at ``dest``."""
    shutil.copytree(ROOT / "content", dest / "content")
    return dest


def run_build(project: Path, output: Path, *, cwd: Path, env: dict[str, str], as_of: bool, search: bool = True) -> None:
    argv = [sys.executable, "-m", "generator", "build", "--project", str(project), "--output", str(output), "--quiet"]
    if not search:
        argv.append("--no-search")
    if as_of:
        argv += ["--as-of", AS_OF.isoformat()]
    environment = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "PYTHONHASHSEED")}
    environment.update(env)
    environment["PYTHONPATH"] = str(ROOT) + os.pathsep + environment.get("PYTHONPATH", "")
    done = subprocess.run(argv, cwd=cwd, env=environment, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr


def tree(folder: Path) -> dict[str, bytes]:
    """Every file and folder under ``folder``: relative path → bytes (``<dir>`` for a folder)."""
    files = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        files[rel] = path.read_bytes() if path.is_file() else b"<dir>"
    return files


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    only_a = sorted(set(a) - set(b))
    only_b = sorted(set(b) - set(a))
    changed = sorted(k for k in set(a) & set(b) if a[k] != b[k])
    return [
        *(f"only in first: {k}" for k in only_a),
        *(f"only in second: {k}" for k in only_b),
        *(f"differs: {k}" for k in changed),
    ]


REORDERED = re.compile(r"pagefind/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)")
"""What Pagefind does not keep identical from one run to the next (see the module's text)."""


def unpack(data: bytes) -> bytes:
    """A Pagefind index file without its gzip wrapper and its ``pagefind_dcd`` signature."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    assert data.startswith(b"pagefind_dcd")
    return data[len(b"pagefind_dcd") :]


def cbor(data: bytes, at: int = 0) -> tuple[object, int]:
    """The CBOR item at ``at`` and where the next begins: only what filter files use
    (unsigned integers, text, byte strings, arrays)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    else:
        size = {24: 1, 25: 2, 26: 4, 27: 8}[info]
        value, at = int.from_bytes(data[at : at + size], "big"), at + size
    if major == 0:
        return value, at
    if major in (2, 3):
        raw = data[at : at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = cbor(data, at)
            items.append(item)
        return items, at
    raise AssertionError(f"unexpected CBOR major type {major}")


def filters(site: dict[str, bytes]) -> dict[str, tuple[str, list]]:
    """Filter name → (file hash, its values with their pages, sorted)."""
    found = {}
    for path, data in site.items():
        if path.startswith("pagefind/filter/"):
            (name, values), _ = cbor(unpack(data))
            found[name] = (path.rsplit("/", 1)[1].removesuffix(".pf_filter"), sorted(values))
    return found


def assert_only_filter_order_differs(a: dict[str, bytes], b: dict[str, bytes]) -> None:
    assert [d for d in differences(a, b) if not REORDERED.search(d)] == []
    filters_a, filters_b = filters(a), filters(b)
    assert {k: v[1] for k, v in filters_a.items()} == {k: v[1] for k, v in filters_b.items()}
    (meta_a,) = [k for k in a if k.endswith(".pf_meta")]
    (meta_b,) = [k for k in b if k.endswith(".pf_meta")]
    # [version, pages, index chunks, filters as [name, file hash], sorts, meta fields]
    decoded_a, decoded_b = (cbor(unpack(data))[0] for data in (a[meta_a], b[meta_b]))
    decoded_a[3] = sorted([name, filters_b[name][0]] for name, _ in decoded_a[3])
    decoded_b[3] = sorted(decoded_b[3])
    assert decoded_a == decoded_b
    hash_a, hash_b = (m.rsplit("/", 1)[1].removeprefix("pagefind.").removesuffix(".pf_meta") for m in (meta_a, meta_b))
    entry = a["pagefind/pagefind-entry.json"].replace(hash_a.encode(), hash_b.encode())
    assert entry == b["pagefind/pagefind-entry.json"]


def test_two_builds_in_different_places_and_processes_are_byte_identical(tmp_path: Path) -> None:
    first = copy_content(tmp_path / "one" / "project")
    second = copy_content(tmp_path / "two" / "elsewhere" / "catalog")
    epoch = int(datetime.combine(AS_OF, time(12, 0), JST).timestamp())
    run_build(
        first,
        tmp_path / "one" / "site",
        cwd=tmp_path / "one",
        env={"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8"},
        as_of=True,
    )
    run_build(
        second,
        tmp_path / "out-b",
        cwd=tmp_path / "two",
        env={"PYTHONHASHSEED": "4242", "SOURCE_DATE_EPOCH": str(epoch), "TZ": "Asia/Tokyo", "LC_ALL": "C"},
        as_of=False,
    )
    a, b = tree(tmp_path / "one" / "site"), tree(tmp_path / "out-b")
    assert len(a) > 100
    assert any(k.startswith("pagefind/fragment/") for k in a), "the search index was not built"
    assert_only_filter_order_differs(a, b)
    without_search = [d for d in differences(a, b) if "pagefind/" not in d]
    assert without_search == []


def test_without_search_every_file_is_identical_across_hash_seeds(tmp_path: Path) -> None:
    project = copy_content(tmp_path / "project")
    for seed in ("0", "123456"):
        run_build(
            project, tmp_path / f"site-{seed}", cwd=tmp_path, env={"PYTHONHASHSEED": seed}, as_of=True, search=False
        )
    a, b = tree(tmp_path / "site-0"), tree(tmp_path / "site-123456")
    assert len(a) > 100
    assert differences(a, b) == []


def test_nothing_in_the_output_names_the_machine(tmp_path: Path) -> None:
    """No absolute path of the build machine, user name or host name in any output file."""
    project = copy_content(tmp_path / "secret-build-folder")
    out = tmp_path / "site"
    run_build(project, out, cwd=tmp_path, env={}, as_of=True)
    needles = [str(tmp_path).encode(), b"secret-build-folder"]
    if len(str(Path.home())) > 5:
        needles.append(str(Path.home()).encode() + b"/")
    leaks = [k for k, data in tree(out).items() if any(n in data for n in needles)]
    assert leaks == []
