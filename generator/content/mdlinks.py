"""Links between entries written in Markdown bodies.

An editor links another entry by its file, relative to the file being edited:
``[地域情報化アドバイザー](../programs/chiiki-johoka-advisor.md)``, optionally with
a ``#fragment``. This module only says which entry such a link means; the link
stage uses it to report unknown targets, the render stage to rewrite the link.
It lives in the content stage, which the render stage may import (never the reverse).
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

from ..model import COLLECTIONS

CONTENT_DIR = "content"
PAGES_DIR = "pages"


_PLAIN_SOURCE = re.compile(r"content/([a-z]+)/[^/]+")
_PLAIN_HREF = re.compile(r"(?:\.\./([a-z]+)/|\./)?([A-Za-z0-9_-]+\.md)(?:#[^:]*)?", re.DOTALL)
"""The links nearly every body has (``../programs/slug.md``, ``slug.md``, with or
without a ``#fragment``): nothing in them that URL parsing or path normalising
would change, so their pieces are read off directly (the same as ``_parsed_target``)."""


def _target(source_path: str, href: str) -> tuple[str, ...] | None:
    """The linked file as path pieces relative to the project, for a local ``.md`` link."""
    plain = _PLAIN_HREF.fullmatch(href)
    if plain is not None:
        source = _PLAIN_SOURCE.fullmatch(source_path)
        if source is not None:
            return (CONTENT_DIR, plain[1] or source[1], plain[2])
    return _parsed_target(source_path, href)


def _parsed_target(source_path: str, href: str) -> tuple[str, ...] | None:
    """``_target`` for any link: parsed as a URL, its path normalised."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or not parts.path.endswith(".md"):
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        # Root-relative: taken as relative to the project folder.
        target = posixpath.normpath(path.lstrip("/"))
    else:
        target = posixpath.normpath(posixpath.join(posixpath.dirname(source_path), path))
    pieces = tuple(target.split("/"))
    if len(pieces) != 3 or pieces[0] != CONTENT_DIR or pieces[2] == ".md":
        return None
    return pieces


def md_link_target(source_path: str, href: str) -> tuple[str, str] | None:
    """(folder, name) of a link to ``content/<folder>/<name>.md``, else None.

    ``md_link_key`` and ``md_link_page`` in one: the folder may be any name.
    """
    pieces = _target(source_path, href)
    return None if pieces is None else (pieces[1], pieces[2][: -len(".md")])


def md_link_key(source_path: str, href: str) -> str | None:
    """``programs/slug`` for a link to ``content/programs/slug.md``, else None.

    ``source_path`` is the file holding the link, relative to the project
    (``content/cases/ehime-talent-sharing.md``). Links with a scheme or a host,
    and links to anything but an entry file of the four collections, give None.
    """
    pieces = _target(source_path, href)
    if pieces is None or pieces[1] not in COLLECTIONS:
        return None
    return f"{pieces[1]}/{pieces[2][: -len('.md')]}"


def md_link_page(source_path: str, href: str) -> str | None:
    """``about`` for a link to ``content/pages/about.md`` (a free-standing page), else None."""
    pieces = _target(source_path, href)
    if pieces is None or pieces[1] != PAGES_DIR:
        return None
    return pieces[2][: -len(".md")]


def md_link_fragment(href: str) -> str:
    """The ``#fragment`` of a link (with the ``#``), or an empty string."""
    fragment = urlsplit(href.strip()).fragment
    return f"#{fragment}" if fragment else ""
