"""The persistent build cache in ``<project>/.catalog-cache/``.

Keyed by content hashes, never by timestamps: an entry is reused only when the
bytes of its inputs, the generator's own code and the relevant settings are the
same. Deleting the folder gives a cold build.

The cache is pickled, so it is signed with a per-user secret kept outside the
project: a cache file committed to a repository by someone else (or tampered
with) fails the signature and is ignored instead of being unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import os
import pickle
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

CACHE_DIR = ".catalog-cache"
_FORMAT = b"catalog-cache-1\n"
_MAC_SIZE = 32
"""Bytes of the HMAC-SHA256 signature after the format line."""


FINGERPRINTED = (".py", ".json", ".js", ".css")
"""The generator's files that decide what a build writes."""


@cache
def generator_fingerprint() -> str:
    """Hash of the generator's code, schemas and the assets it writes into a site (the editor's
    admin.js and admin.css): a new version invalidates every cache."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in FINGERPRINTED and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.hexdigest()


def _secret() -> bytes:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "catalog"
    path = base / "cache-key"
    try:
        return path.read_bytes()
    except OSError:
        pass
    try:
        base.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key
    except FileExistsError:
        return path.read_bytes()
    except OSError:
        # No writable home: a process-local key still protects against foreign files.
        return _process_key()


@cache
def _process_key() -> bytes:
    return secrets.token_bytes(32)


def load(project: Path, name: str, key: str, *, persistent_load: Callable[[Any], Any] | None = None) -> Any | None:
    """The cached value ``name`` if it was saved under the same ``key``, else None.

    The file is read once into memory; the signature is checked on that copy and the
    value unpickled from it, without slicing out a second copy of the payload.
    ``persistent_load`` gives back what ``save``'s ``persistent_id`` left out.
    """
    path = project / CACHE_DIR / f"{name}.pickle"
    try:
        with open(path, "rb") as f:
            head = f.read(len(_FORMAT) + _MAC_SIZE)
            if len(head) < len(_FORMAT) + _MAC_SIZE or not head.startswith(_FORMAT):
                return None
            payload = f.read()
    except OSError:
        return None
    if not hmac.compare_digest(head[len(_FORMAT) :], hmac.new(_secret(), payload, "sha256").digest()):
        return None
    try:
        if persistent_load is None:
            stored_key, value = pickle.loads(payload)
        else:
            unpickler = pickle.Unpickler(io.BytesIO(payload))
            unpickler.persistent_load = persistent_load  # type: ignore[method-assign]  # pickle's documented hook
            stored_key, value = unpickler.load()
    except Exception:  # a truncated or foreign file is simply not a cache hit
        return None
    return value if stored_key == key else None


class _SignedWriter:
    """A file that pickle writes into while the signature is computed over the same bytes."""

    def __init__(self, file: BinaryIO, mac: hmac.HMAC) -> None:
        self.file = file
        self.mac = mac

    def write(self, data: bytes) -> int:
        self.mac.update(data)
        return self.file.write(data)


def save(project: Path, name: str, key: str, value: Any, *, persistent_id: Callable[[Any], Any] | None = None) -> None:
    """Store ``value`` under ``key``, atomically (a killed build leaves the old file).

    The value is pickled straight into the file (in frames), signed on the way:
    no copy of the whole payload is ever held in memory. An object for which
    ``persistent_id`` gives something other than None is stored as that (see
    ``pickle``'s persistent IDs); ``load`` then needs the matching ``persistent_load``.
    """
    folder = project / CACHE_DIR
    if folder.is_symlink():
        return  # a committed link would make the build write outside the project
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(exist_ok=True)
        mac = hmac.new(_secret(), digestmod="sha256")
        with open(tmp, "wb") as f:
            f.write(_FORMAT + bytes(_MAC_SIZE))  # the signature goes here once it is known
            pickler = pickle.Pickler(_SignedWriter(f, mac), protocol=pickle.HIGHEST_PROTOCOL)
            if persistent_id is not None:
                pickler.persistent_id = persistent_id  # type: ignore[method-assign]  # pickle's documented hook
            pickler.dump((key, value))
            f.seek(len(_FORMAT))
            f.write(mac.digest())
        os.replace(tmp, folder / f"{name}.pickle")
    except OSError:  # a read-only project still builds, only without a cache
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
