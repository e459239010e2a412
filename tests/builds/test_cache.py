"""The build cache: signed pickles that are used only when intact and saved under the same key."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.incremental import store as cache


@pytest.fixture(autouse=True)
def own_secret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test signs with a key of its own, never the user's."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))


VALUE = {"pages": {"a/index.html": ("fp", "href\ttarget")}, "blob": bytes(range(256)) * 1000}


def stored(project: Path, name: str = "pages") -> Path:
    return project / cache.CACHE_DIR / f"{name}.pickle"


def test_a_saved_value_loads_under_its_key_only(tmp_path: Path) -> None:
    cache.save(tmp_path, "pages", "key-1", VALUE)
    assert cache.load(tmp_path, "pages", "key-1") == VALUE
    assert cache.load(tmp_path, "pages", "key-2") is None
    assert cache.load(tmp_path, "exports", "key-1") is None


def test_saving_again_replaces_the_value_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    cache.save(tmp_path, "pages", "key-1", VALUE)
    cache.save(tmp_path, "pages", "key-1", {"other": 1})
    assert cache.load(tmp_path, "pages", "key-1") == {"other": 1}
    assert sorted(p.name for p in (tmp_path / cache.CACHE_DIR).iterdir()) == ["pages.pickle"]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda b: b[:-1] + bytes([b[-1] ^ 1]), id="a payload byte changed"),
        pytest.param(lambda b: b[:20] + bytes([b[20] ^ 1]) + b[21:], id="a signature byte changed"),
        pytest.param(lambda b: b[: len(b) // 2], id="truncated"),
        pytest.param(lambda b: b[:30], id="shorter than the signature"),
        pytest.param(lambda b: b"catalog-cache-0\n" + b[16:], id="another format"),
        pytest.param(lambda b: b"", id="empty"),
    ],
)
def test_a_damaged_file_is_not_a_hit(tmp_path: Path, damage) -> None:
    cache.save(tmp_path, "pages", "key-1", VALUE)
    path = stored(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.load(tmp_path, "pages", "key-1") is None


def test_a_file_signed_with_another_key_is_not_unpickled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache.save(tmp_path, "pages", "key-1", VALUE)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "someone-else"))
    assert cache.load(tmp_path, "pages", "key-1") is None


def test_the_file_is_the_format_line_the_signature_and_the_pickle(tmp_path: Path) -> None:
    import hashlib
    import hmac
    import pickle

    cache.save(tmp_path, "pages", "key-1", VALUE)
    data = stored(tmp_path).read_bytes()
    head = b"catalog-cache-1\n"
    assert data.startswith(head)
    mac, payload = data[len(head) : len(head) + 32], data[len(head) + 32 :]
    secret = (tmp_path / "xdg/catalog/cache-key").read_bytes()
    assert mac == hmac.new(secret, payload, hashlib.sha256).digest()
    assert pickle.loads(payload) == ("key-1", VALUE)


def test_a_symlinked_cache_folder_is_never_written(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / cache.CACHE_DIR).symlink_to(elsewhere)
    cache.save(project, "pages", "key-1", VALUE)
    assert list(elsewhere.iterdir()) == []


def test_an_unwritable_cache_folder_only_means_no_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(cache, "open", refuse, raising=False)
    cache.save(tmp_path, "pages", "key-1", VALUE)
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.load(tmp_path, "pages", "key-1") is None
    assert not stored(tmp_path).exists()
