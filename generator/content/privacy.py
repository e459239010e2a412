"""The privacy guard for anonymized talent roles (content/roles/).

A role describes what a person does, never who they are: keys that hold personal
data are refused, and contact details written anywhere in a role (front matter
or body) are errors naming the line. Text is NFKC-normalised before matching so
that full-width digits and symbols (０９０－１２３４－５６７８, ＠) are caught too.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

from ..problems import Problem, error
from .parse import Parsed, Path_

FORBIDDEN_KEYS: frozenset[str] = frozenset(
    {
        "name", "real_name", "full_name", "kana", "email", "mail", "e-mail", "phone", "tel",
        "telephone", "mobile", "fax", "address", "postal_code", "zip", "birthdate", "birthday",
        "age", "photo", "image", "avatar", "twitter", "x", "facebook", "instagram", "linkedin",
        "github", "sns", "contact",
    }
)

_DASH_CHARS = r"\-‐‑‒–—―−ー－ｰ"
_DASH = rf"[{_DASH_CHARS}]"
_SEP = rf"(?:\s*{_DASH}\s*|\s+|\.|\(|\)\s*)?"
_EMAIL = re.compile(
    # Starts only where a word starts, with bounded parts: a long run of digits stays linear to scan.
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}\s*(?:@|\(at\)|\[at\]|\sat\s|アット|＠)\s*"
    r"[A-Za-z0-9-]{1,63}(?:\s*(?:\.|\(dot\)|\[dot\]|\sdot\s)\s*[A-Za-z0-9-]{1,63})+",
    re.IGNORECASE,
)
_PHONE = re.compile(rf"(?<![\d.])(?:\+\s*81{_SEP}\(?0?\)?|0)\d{{1,4}}{_SEP}\d{{1,4}}{_SEP}\d{{3,4}}(?![\d])")
_POSTAL = re.compile(rf"〒\s*\d{{3}}(?:\s*{_DASH}\s*|\s)?\d{{4}}|(?<![\d.{_DASH_CHARS}])\d{{3}}{_DASH}\d{{4}}(?![\d{_DASH_CHARS}])")
_SOCIAL = re.compile(
    r"(?:https?://)?(?:www\.|m\.|mobile\.)?"
    r"(?:twitter\.com|x\.com|facebook\.com|fb\.com|instagram\.com|linkedin\.com/in|github\.com|"
    r"note\.com|qiita\.com|zenn\.dev|threads\.net|tiktok\.com|youtube\.com(?=/@)|bsky\.app/profile|wantedly\.com/id)"
    r"/[^\s/)）]+",
    re.IGNORECASE,
)

_URL = re.compile(r"https?://[^\s<>\"'()（）「」]+", re.IGNORECASE)
"""Web addresses: digits in their paths (…/02gyosei08_03100070.html) are not phone numbers."""

_SOCIAL_ENDINGS = re.compile(
    r"\.(?:" + "|".join(sorted(set(re.findall(r"\\\.([A-Za-z]+)", _SOCIAL.pattern)))) + ")", re.IGNORECASE
)
"""The endings of the sites _SOCIAL names (.com, .dev…), read from it: text without
one cannot match it, and this finds them far faster than _SOCIAL runs."""

# (pattern, code, label, look inside URLs too, a quicker pattern that any match also matches)
_CHECKS: tuple[tuple[re.Pattern[str], str, str, bool, re.Pattern[str] | None], ...] = (
    (_EMAIL, "privacy-email", "メールアドレス", True, None),
    (_SOCIAL, "privacy-social", "個人のSNS・プロフィールのURL", True, _SOCIAL_ENDINGS),
    (_PHONE, "privacy-phone", "電話番号", False, None),
    (_POSTAL, "privacy-postal", "郵便番号", False, None),
)


def check_role(parsed: Parsed) -> tuple[Problem, ...]:
    """Every personal-data key and contact detail in one role file."""
    problems: list[Problem] = []
    for key in parsed.data if isinstance(parsed.data, dict) else ():
        if str(key).lower() in FORBIDDEN_KEYS:
            line, col = parsed.where((key,))
            problems.append(
                error(parsed.path, line, col, "privacy-key", f"「{key}」は個人を特定できる情報のため、人材の役割には書けません。役割・スキル・経歴の概要だけを書いてください")
            )
    strings = list(_strings(parsed.data, ()))
    lines = parsed.body.split("\n")
    # First one search of all the text, joined by line breaks: nothing found there means
    # nothing in any part (each pattern's edges see a line break as they see the end of
    # a text), which is what almost every role gives; only then is each part searched,
    # to name its line.
    whole = "\n".join([unicodedata.normalize("NFKC", text) for text in (*(text for _, text in strings), *lines)])
    if next(_found(whole), None) is None:
        return tuple(problems)
    for at, text in strings:
        line, col = parsed.where(at)
        problems.extend(_scan(parsed.path, text, line, col))
    for offset, text in enumerate(lines):
        problems.extend(_scan(parsed.path, text, parsed.body_line + offset, 1))
    return tuple(problems)


def find_contact_details(text: str) -> tuple[str, ...]:
    """Names of the kinds of contact detail found in ``text`` (for tests and tools)."""
    return tuple(label for _, label, _ in _matches(text))


def _matches(text: str) -> Iterator[tuple[str, str, str]]:
    """(code, label, matched text) of each kind of contact detail in ``text``."""
    return _found(unicodedata.normalize("NFKC", text))


def _found(normalized: str) -> Iterator[tuple[str, str, str]]:
    outside_urls = _URL.sub(" ", normalized) if "://" in normalized else normalized
    for pattern, code, label, in_urls, quick in _CHECKS:
        subject = normalized if in_urls else outside_urls
        match = pattern.search(subject) if quick is None or quick.search(subject) else None
        if match:
            yield code, label, match.group(0).strip()


def _scan(path: str, text: str, line: int, col: int) -> Iterator[Problem]:
    for code, label, shown in _matches(text):
        yield error(path, line, col, code, f"{label}のような文字列「{shown}」があります。人材の役割には連絡先や個人を特定できる情報を書けません")


def _strings(value: Any, at: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*at, index))
