"""Decap CMS's local backend, answered by `catalog serve`: the editor at /admin/ reads and saves content/.

The protocol is decap-server's (its local file-system mode, which Decap CMS 3
calls when ``local_backend`` finds a server): ``POST /api/v1`` with
``{"action": …, "params": …}``, answered with JSON. Decap shows the ``error``
of a refused request; /admin/admin.js also keeps the ``problems`` on screen.

- Only the files the editor edits can be reached: ``content/<folder>/<name>.md``
  of the entry folders and ``content/site.yaml``. Any other path (absolute, with
  ``..`` or ``\\``, outside content/, through a symbolic link) is refused.
- A save or a deletion is checked as `catalog check` checks the content (the
  pipeline's ``load`` over the project with the change in place). When the file
  would have an error, or another file an error it did not have (a reference to a
  deleted entry), nothing is written and the messages are returned (422).
- What is written keeps every line of the file the editor did not change
  (generator/cms/merge.py); a file is replaced whole (written beside, renamed over). A file
  another program changed since the editor read it is not saved over (409): Decap would send
  back the values it read, undoing that change.

The HTTP side (loopback only, same origin, JSON only) is in handler.py.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..cms.admin import MEDIA_FOLDER
from ..cms.merge import emit_file, merge
from ..cms.saved import Unreadable, read_saved
from ..config import BuildOptions
from ..content.discover import ENTRY_FOLDERS, Discovery, SourceFile, discover, name_problem
from ..content.parse import Parsed, parse_data_file, parse_entry
from ..content.schema import field_label, load_schema
from ..incremental import store
from ..problems import Problem

MAX_PATH = 300
_ENTRY = re.compile(r"^content/([a-z]+)/([^/]+\.md)$")
EDITED_FILES = ("content/site.yaml",)
"""Files outside the entry folders that the editor edits."""


@dataclass(frozen=True)
class Answer:
    status: int
    body: Any
    """JSON-able."""


class Refused(Exception):
    """A request the backend does not carry out: a status and the Japanese reason."""

    def __init__(
        self,
        status: int,
        message: str,
        problems: tuple[Problem, ...] = (),
        fields: Mapping[str, Mapping[int, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.problems = problems
        self.fields = fields or {}
        """Per changed file, the field each line of it holds (as the editor's form names it)."""


class LocalBackend:
    """The actions of one project; writes are checked, then done one at a time."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.project = options.project.resolve()
        self.content = self.project / "content"
        self._lock = threading.Lock()
        self._known: dict[str, str] = {}
        """The digest of each file as the editor last read it (or as it was last saved here):
        a save over a file changed since by another program is refused, not merged over it."""

    def answer(self, request: Any) -> Answer:
        action = request.get("action") if isinstance(request, dict) else None
        params = request.get("params") if isinstance(request, dict) else None
        handler = _ACTIONS.get(action) if isinstance(action, str) else None
        if handler is None:
            return Answer(422, {"error": f"この操作（{action}）には対応していません"})
        try:
            return Answer(200, handler(self, params if isinstance(params, dict) else {}))
        except Refused as refused:
            return Answer(refused.status, _refusal(str(refused), refused.problems, refused.fields))

    # --- reading --------------------------------------------------------------------------------

    def info(self, params: Mapping[str, Any]) -> Any:
        return {"repo": self.project.name, "publish_modes": ["simple"], "type": "local_fs"}

    def entries_by_folder(self, params: Mapping[str, Any]) -> Any:
        folder = params.get("folder")
        if folder == MEDIA_FOLDER:
            return []
        name = folder.removeprefix("content/") if isinstance(folder, str) else ""
        if not isinstance(folder, str) or not folder.startswith("content/") or name not in ENTRY_FOLDERS:
            raise Refused(403, f"「{folder}」は編集画面で開けるフォルダではありません")
        where = self.content / name
        if not where.is_dir() or not _inside(where, self.content):
            return []
        names = sorted(e.name for e in os.scandir(where) if e.name.endswith(".md") and not e.name.startswith("."))
        return [entry for entry in (self._entry(f"{folder}/{n}") for n in names) if entry["data"] is not None]

    def entries_by_files(self, params: Mapping[str, Any]) -> Any:
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused(422, "files がありません")
        return [self._entry(item.get("path") if isinstance(item, dict) else None, item) for item in files]

    def get_entry(self, params: Mapping[str, Any]) -> Any:
        return self._entry(params.get("path"))

    def _entry(self, rel: Any, item: Any = None) -> dict[str, Any]:
        path = self.path(rel)
        data = _read(path, self.content)
        label = item.get("label") if isinstance(item, dict) and isinstance(item.get("label"), str) else None
        digest = hashlib.sha256(data).hexdigest() if data is not None else None
        if digest is not None:
            with self._lock:
                self._known[rel] = digest
        return {
            "data": data.decode("utf-8", errors="replace") if data is not None else None,
            "file": {"path": rel, "label": label, "id": digest},
        }

    def get_media(self, params: Mapping[str, Any]) -> Any:
        return []

    def get_media_file(self, params: Mapping[str, Any]) -> Any:
        raise Refused(404, "このカタログには画像などのファイルはありません")

    def persist_media(self, params: Mapping[str, Any]) -> Any:
        raise Refused(422, "画像などのファイルの保存には対応していません。このカタログの項目は文章だけで書きます")

    def deploy_preview(self, params: Mapping[str, Any]) -> Any:
        return None

    # --- writing --------------------------------------------------------------------------------

    def persist_entry(self, params: Mapping[str, Any]) -> Any:
        files = params.get("dataFiles") or ([params["entry"]] if isinstance(params.get("entry"), dict) else [])
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            raise Refused(422, "保存する内容がありません")
        if params.get("assets"):
            raise Refused(422, "画像などのファイルの保存には対応していません。本文から画像を外してください")
        if any(f.get("newPath") for f in files):
            raise Refused(422, "編集画面からファイル名を変えることはできません")
        with self._lock:
            changes: dict[str, bytes] = {}
            for item in files:
                rel, raw = item.get("path"), item.get("raw")
                path = self.path(rel, writing=True)
                if not isinstance(raw, str):
                    raise Refused(422, "保存する内容がありません")
                old = _read(path, self.content)
                known = self._known.get(rel)
                if old is not None and known is not None and hashlib.sha256(old).hexdigest() != known:
                    raise Refused(
                        409,
                        f"{rel} は、編集画面で開いたあとにほかの方法で書き換えられています。上書きしないよう、保存しませんでした。入力した内容を控えてから、ページを読み込み直して開き直してください",
                    )
                new = self._merged(rel, old, raw)
                if new != old:
                    changes[rel] = new
            if changes:
                self._check(changes)
                for rel, data in changes.items():
                    _write(self.project / rel, data)
                    self._known[rel] = hashlib.sha256(data).hexdigest()
        return {"message": "entry persisted"}

    def delete_files(self, params: Mapping[str, Any]) -> Any:
        paths = params.get("paths") if "paths" in params else [params.get("path")]
        if not isinstance(paths, list) or not paths:
            raise Refused(422, "削除するファイルがありません")
        with self._lock:
            targets = {rel: self.path(rel, writing=True) for rel in paths}
            if any(rel in EDITED_FILES for rel in targets):
                raise Refused(403, "サイト設定（content/site.yaml）は削除できません")
            present = {rel: path for rel, path in targets.items() if path.exists()}
            if present:
                self._check(dict.fromkeys(present, None))
                for rel, path in present.items():
                    path.unlink()
                    self._known.pop(rel, None)
        return {"message": f"deleted files {', '.join(map(str, paths))}"}

    # --- the rules ------------------------------------------------------------------------------

    def path(self, rel: Any, *, writing: bool = False) -> Path:
        """The file ``rel`` names, when it is one the editor may reach; otherwise Refused (403)."""
        if not isinstance(rel, str) or not rel or len(rel) > MAX_PATH:
            raise Refused(403, "ファイルの指定が正しくありません")
        if (
            "\\" in rel
            or "\x00" in rel
            or rel.startswith("/")
            or any(part in ("", ".", "..") for part in rel.split("/"))
        ):
            raise Refused(403, f"「{rel}」は開けません（content/ の中のファイルだけを扱います）")
        match = _ENTRY.match(rel)
        if not (rel in EDITED_FILES or (match and match.group(1) in ENTRY_FOLDERS)):
            raise Refused(
                403, f"「{rel}」は編集画面で扱うファイルではありません（content/ の項目と site.yaml だけを扱います）"
            )
        path = self.project / rel
        if not _inside(path.parent, self.content):
            raise Refused(403, f"「{rel}」は content/ の外にあるため開けません")
        if writing and path.is_symlink():
            raise Refused(403, f"「{rel}」はシンボリックリンクなので、編集画面からは書き込みません")
        return path

    def _merged(self, rel: str, old: bytes | None, raw: str) -> bytes:
        kind = "site" if rel in EDITED_FILES else rel.split("/")[1]
        read = read_saved(raw, front_matter=kind != "site")
        if isinstance(read, Unreadable):
            raise Refused(422, read.message)
        data, body = read
        schema = load_schema(kind)
        parsed = _parsed(old, rel, kind) if old is not None else None
        if parsed is None:  # a new file, or one this reader cannot read: written whole
            return emit_file(data, tuple(schema.get("properties", {})), body).encode("utf-8")
        assert old is not None  # parsed from it
        text = merge(
            old.decode("utf-8"), parsed.data, data, body, schema, old_body=parsed.body if kind != "site" else None
        )
        return text.encode("utf-8")

    def _check(self, changes: Mapping[str, bytes | None]) -> None:
        """Refused (422) when the content after ``changes`` has an error in a changed file, or a new one elsewhere."""
        from ..pipeline import load

        def errors(found: Discovery) -> tuple[Problem, ...]:
            options = self.options
            loaded = load(
                self.project, as_of=options.as_of, drafts=options.drafts, found=found, write_cache=False, parallel=False
            )
            return tuple(p for p in loaded.problems if p.is_error)

        found = discover(self.project)
        after = errors(_overlay(found, changes))
        if not after:
            return
        before = set(errors(found))
        new = tuple(p for p in after if p.path in changes or p not in before)
        if new:
            raise Refused(
                422,
                "保存できませんでした",
                new,
                {rel: _fields_at(rel, data) for rel, data in changes.items() if data is not None},
            )


_ACTIONS: dict[str, Callable[[LocalBackend, Mapping[str, Any]], Any]] = {
    "info": LocalBackend.info,
    "entriesByFolder": LocalBackend.entries_by_folder,
    "entriesByFiles": LocalBackend.entries_by_files,
    "getEntry": LocalBackend.get_entry,
    "persistEntry": LocalBackend.persist_entry,
    "deleteFile": LocalBackend.delete_files,
    "deleteFiles": LocalBackend.delete_files,
    "getMedia": LocalBackend.get_media,
    "getMediaFile": LocalBackend.get_media_file,
    "persistMedia": LocalBackend.persist_media,
    "getDeployPreview": LocalBackend.deploy_preview,
}


def _refusal(message: str, problems: tuple[Problem, ...], fields: Mapping[str, Mapping[int, str]]) -> dict[str, Any]:
    shown = [_shown(p, fields.get(p.path)) for p in problems]
    text = message if not shown else f"{message}。ファイルには何も書き込んでいません。" + " ／ ".join(shown)
    return {
        "error": text,
        "problems": [
            {
                "path": p.path,
                "line": p.line,
                "col": p.col,
                "code": p.code,
                "message": p.message,
                "text": p.format(),
                "shown": s,
            }
            for p, s in zip(problems, shown)
        ],
    }


def _shown(problem: Problem, fields: Mapping[int, str] | None) -> str:
    """A problem as the editor's form shows it: the field it is in, the message, the file."""
    where = problem.path.removeprefix("content/")
    if fields is None:  # a problem in another file than the one saved (a reference to a deleted entry)
        return f"{problem.message}（{where}{f' {problem.line}行目' if problem.line else ''}）"
    field = fields.get(problem.line, "")
    return f"{field}: {problem.message}" if field and not problem.message.startswith(field) else problem.message


def _fields_at(rel: str, data: bytes) -> dict[int, str]:
    """Line → the field written there (「updated」（この項目の文章を最後に書き換えた日）, 本文), of a file to be saved."""
    kind = "site" if rel in EDITED_FILES else rel.split("/")[1]
    parsed = _parsed(data, rel, kind)
    if parsed is None:
        return {}
    schema = load_schema(kind)
    found: dict[int, str] = {}
    for at, (line, _) in sorted(parsed.positions.items(), key=lambda item: len(item[0])):
        if at:
            found[line] = field_label(schema, at)
    if kind != "site":
        lines = parsed.body.count("\n") + 1
        found.update(dict.fromkeys(range(parsed.body_line, parsed.body_line + lines), "本文"))
    return found


def _inside(path: Path, root: Path) -> bool:
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):
        return False


def _read(path: Path, content: Path) -> bytes | None:
    """The file's bytes, or None when it does not exist or leads out of content/."""
    try:
        if not path.is_file() or not _inside(path, content):
            return None
        return path.read_bytes()
    except OSError:
        return None


def _parsed(data: bytes, rel: str, kind: str) -> Parsed | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    parsed = parse_data_file(data, rel) if kind == "site" else parse_entry(data, rel)
    return parsed if isinstance(parsed, Parsed) and isinstance(parsed.data, dict) else None


def _overlay(found: Discovery, changes: Mapping[str, bytes | None]) -> Discovery:
    """The discovery of the project as it would be after ``changes`` (None: the file is deleted)."""
    files = [f for f in found.files if f.path not in changes]
    problems = list(found.problems)
    for rel, data in changes.items():
        if data is None:
            continue
        if rel in EDITED_FILES:
            files.append(SourceFile(rel, "site", "site", data, store.digest(data)))
            continue
        folder, name = rel.split("/")[1:]
        problem = None if any(f.path == rel for f in found.files) else name_problem(folder, name)
        if problem is not None:
            problems.append(problem)
        else:
            files.append(SourceFile(rel, folder, name[: -len(".md")], data, store.digest(data)))
    order = {f.path: n for n, f in enumerate(found.files)}
    files.sort(key=lambda f: (order.get(f.path, len(order)), f.path))
    return Discovery(tuple(files), tuple(problems), found.unreadable)


def _write(path: Path, data: bytes) -> None:
    """Replace ``path`` whole: written beside it (a dot file, which the build does not read), then renamed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, mode if mode is not None else 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


__all__ = ["Answer", "LocalBackend"]
