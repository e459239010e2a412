"""The persistent build cache in ``<project>/.catalog-cache/``.

Keyed by content hashes, never by timestamps: an entry is reused only when the
bytes of its inputs, the generator's own code and the relevant settings are the
same. Deleting the folder gives a cold build.

The cache is pickled, so it is signed with a per-user secret kept outside the
project: a cache file committed to a repository by someone else (or tampered
with) fails the signature and is ignored instead of being unpickled.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from functools import cache
from pathlib import Path
from typing import Any

CACHE_DIR = ".catalog-cache"
_FORMAT = b"catalog-cache-1\n"


@cache
def generator_fingerprint() -> str:
    """Hash of the generator's code and schemas: a new version invalidates every cache."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts:
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


def load(project: Path, name: str, key: str) -> Any | None:
    """The cached value ``name`` if it was saved under the same ``key``, else None."""
    path = project / CACHE_DIR / f"{name}.pickle"
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    if not blob.startswith(_FORMAT) or len(blob) < len(_FORMAT) + 32:
        return None
    mac, payload = blob[len(_FORMAT) : len(_FORMAT) + 32], blob[len(_FORMAT) + 32 :]
    if not hmac.compare_digest(mac, hmac.new(_secret(), payload, "sha256").digest()):
        return None
    try:
        stored_key, value = pickle.loads(payload)
    except Exception:  # a truncated or foreign file is simply not a cache hit
        return None
    return value if stored_key == key else None


def save(project: Path, name: str, key: str, value: Any) -> None:
    """Store ``value`` under ``key``, atomically (a killed build leaves the old file)."""
    folder = project / CACHE_DIR
    if folder.is_symlink():
        return  # a committed link would make the build write outside the project
    try:
        folder.mkdir(exist_ok=True)
        payload = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
        mac = hmac.new(_secret(), payload, "sha256").digest()
        tmp = folder / f".{name}.{os.getpid()}.tmp"
        tmp.write_bytes(_FORMAT + mac + payload)
        os.replace(tmp, folder / f"{name}.pickle")
    except OSError:
        pass  # a read-only project still builds, only without a cache
