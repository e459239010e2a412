"""Decap CMS's bundle for the browser tests: fetched once with npm, checked, kept in tests/.decap/.

The site never carries the bundle: /admin/ loads it from a CDN with Subresource
Integrity (generator/cms/decap.py). The browser tests serve the very same file in
place of the CDN. It comes from the npm registry through npm's own client
(``npm pack``, which downloads the package's tarball and nothing else), and is
used only when both hashes agree: the tarball's with the integrity the registry
published (``TARBALL_INTEGRITY``), and ``dist/decap-cms.js``'s with the page's
``BUNDLE_SRI``. A download that does not match is deleted.

``.ci/run`` installs Debian's npm when the machine has none and runs this file
before the tests; a developer's `make test` fetches it on first use (see
``bundle``). Standard library only: it runs before .venv exists.

    python3 tests/decap_bundle.py        # fetch and check (does nothing when already there)
"""

from __future__ import annotations

import base64
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.cms.decap import BUNDLE_SRI, DECAP_VERSION, TARBALL_INTEGRITY  # noqa: E402

FOLDER = Path(__file__).resolve().parent / ".decap"
BUNDLE = FOLDER / f"decap-cms-{DECAP_VERSION}.js"
MEMBER = "package/dist/decap-cms.js"


class BundleError(RuntimeError):
    """The bundle could not be fetched or did not match its hashes (a Japanese message)."""


def _sri(algorithm: str, data: bytes) -> str:
    return f"{algorithm}-" + base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii")


def bundle() -> Path:
    """The checked ``decap-cms.js``: from tests/.decap/ when it is there, otherwise fetched now."""
    if BUNDLE.is_file() and _sri("sha384", BUNDLE.read_bytes()) == BUNDLE_SRI:
        return BUNDLE
    npm = shutil.which("npm")
    if npm is None:
        raise BundleError(
            "編集画面のテストには Decap CMS の本体が必要で、npm で取得します。npm がありません: "
            "sudo apt-get install --no-install-recommends npm（.ci/run は入れてから取得します）"
        )
    FOLDER.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=FOLDER) as work:
        command = [
            npm,
            "pack",
            f"decap-cms@{DECAP_VERSION}",
            "--pack-destination",
            work,
            "--silent",
            "--ignore-scripts",
        ]
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=600,
            env={**os.environ, "npm_config_audit": "false", "npm_config_fund": "false"},
        )
        tarballs = list(Path(work).glob("*.tgz"))
        if done.returncode != 0 or len(tarballs) != 1:
            raise BundleError(
                f"npm pack decap-cms@{DECAP_VERSION} に失敗しました（{done.returncode}）: {done.stderr.strip()[-500:]}"
            )
        raw = tarballs[0].read_bytes()
        if _sri("sha512", raw) != TARBALL_INTEGRITY:
            raise BundleError(
                f"取得した decap-cms-{DECAP_VERSION}.tgz のハッシュが npm に登録された値と違います。使いません"
            )
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as archive:
            member = archive.extractfile(MEMBER)
            script = member.read() if member is not None else b""
        if _sri("sha384", script) != BUNDLE_SRI:
            raise BundleError(
                f"{MEMBER} のハッシュがページの Subresource Integrity（BUNDLE_SRI）と違います。使いません"
            )
        partial = FOLDER / f".{BUNDLE.name}.partial"
        partial.write_bytes(script)
        partial.replace(BUNDLE)
    return BUNDLE


def main() -> int:
    try:
        path = bundle()
    except BundleError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"Decap CMS {DECAP_VERSION}: {path}（{path.stat().st_size:,} バイト、ハッシュ確認済み）", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
