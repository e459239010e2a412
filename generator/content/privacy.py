"""The privacy guard for anonymized talent roles (content/roles/).

A role describes a position, never a person: keys that hold personal data are
refused; keys and Markdown headings that name a personal history (経歴, 前職,
出身, 年齢, 学歴, 家族, 趣味 and the like) are refused, because a profile of
one appointee identifies them even without a name; and contact details written
anywhere in a role (front matter or body) are errors naming the line. Text is
NFKC-normalised before matching so that full-width digits and symbols
(０９０－１２３４－５６７８, ＠) are caught too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..problems import Problem, error
from .parse import Parsed, Path_

FORBIDDEN_KEYS: frozenset[str] = frozenset(
    {
        "name",
        "real_name",
        "full_name",
        "kana",
        "email",
        "mail",
        "e-mail",
        "phone",
        "tel",
        "telephone",
        "mobile",
        "fax",
        "address",
        "postal_code",
        "zip",
        "birthdate",
        "birthday",
        "age",
        "photo",
        "image",
        "avatar",
        "twitter",
        "x",
        "facebook",
        "instagram",
        "linkedin",
        "github",
        "sns",
        "contact",
    }
)

HISTORY_WORDS: tuple[str, ...] = (
    "経歴",
    "略歴",
    "職歴",
    "前職",
    "前歴",
    "来歴",
    "出身",
    "生い立ち",
    "年齢",
    "学歴",
    "卒業",
    "生年",
    "誕生",
    "家族",
    "配偶者",
    "趣味",
    "性別",
    "国籍",
    "本籍",
    "プロフィール",
    "自己紹介",
    "人物紹介",
)
"""Words that name a person's history or private life: refused in a role's keys and headings."""

HISTORY_KEY_WORDS: frozenset[str] = frozenset(
    {
        "background",
        "career",
        "history",
        "biography",
        "bio",
        "profile",
        "previous",
        "former",
        "employer",
        "hometown",
        "birthplace",
        "birth",
        "born",
        "education",
        "school",
        "university",
        "degree",
        "family",
        "spouse",
        "hobby",
        "hobbies",
        "gender",
        "nationality",
    }
)
"""The same in English key names, matched as words of the key (``previous_job``, ``careerHistory``)."""

_KEY_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?[ \t#]*$")
_SETEXT_RULE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_BOLD_LEAD = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+)?(\*\*|__)(.{1,30}?)\1")
"""A bold phrase starting a line (``**経歴**：…``): a heading in all but name."""
_FENCE = re.compile(r"^ {0,3}(```|~~~)")

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
_POSTAL = re.compile(
    rf"〒\s*\d{{3}}(?:\s*{_DASH}\s*|\s)?\d{{4}}|(?<![\d.{_DASH_CHARS}])\d{{3}}{_DASH}\d{{4}}(?![\d{_DASH_CHARS}])"
)
_SOCIAL = re.compile(
    r"(?:https?://)?(?:www\.|m\.|mobile\.)?"
    r"(?:twitter\.com|x\.com|facebook\.com|fb\.com|instagram\.com|linkedin\.com/in|github\.com|"
    r"note\.com|qiita\.com|zenn\.dev|threads\.net|tiktok\.com|youtube\.com(?=/@)|bsky\.app/profile|wantedly\.com/id)"
    r"/[^\s/)）]+",
    re.IGNORECASE,
)

_URL = re.compile(r"https?://[^\s<>\"'()（）「」]+", re.IGNORECASE)
"""Web addresses: digits in their paths (…/02gyosei08_03100070.html) are not phone numbers."""

_JOIN = "\n\x00\n"
"""Between the parts of a role searched as one text. The line breaks end a URL (so that one
cannot hide the next part from the checks that skip URLs); the NUL, which no pattern allows
inside a match, keeps two parts from making one match (dates on adjacent lines,
``…-05-01`` and ``2026-…``, read as a phone number across the break)."""

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


def refused_keys(data: object) -> frozenset[Path_]:
    """The paths of the keys of a role the privacy guard reports (the schema check skips them)."""
    if not isinstance(data, dict):
        return frozenset()
    found: set[Path_] = {(k,) for k in data if str(k).lower() in FORBIDDEN_KEYS}
    found.update(_history_paths(data, ()))
    return frozenset(found)


def _history_paths(value: object, at: Path_) -> Iterator[Path_]:
    """Paths of the keys, at any depth, that name a personal history."""
    if isinstance(value, dict):
        for key, item in value.items():
            if names_history(str(key)):
                yield (*at, key)
            elif isinstance(item, (dict, list)):
                yield from _history_paths(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, (dict, list)):
                yield from _history_paths(item, (*at, index))


_HISTORY_WORD = re.compile("|".join(map(re.escape, HISTORY_WORDS)))


@functools.lru_cache(maxsize=4096)
def names_history(text: str) -> bool:
    """True when a key or heading names a personal history (経歴, previous_job…).

    Remembered: every role has the same few dozen keys (title, engagement, form…)."""
    normalized = unicodedata.normalize("NFKC", text)
    if _HISTORY_WORD.search(normalized):
        return True
    return any(word.lower() in HISTORY_KEY_WORDS for word in _KEY_WORD.findall(normalized))


def check_role(parsed: Parsed) -> tuple[Problem, ...]:
    """Every personal-data key, personal-history key or heading, and contact detail in one role file."""
    problems: list[Problem] = []
    for key in parsed.data if isinstance(parsed.data, dict) else ():
        if str(key).lower() in FORBIDDEN_KEYS:
            line, col = parsed.where((key,))
            problems.append(
                error(
                    parsed.path,
                    line,
                    col,
                    "privacy-key",
                    f"「{key}」は個人を特定できる情報のため、人材の役割には書けません。役割の仕事内容と求めるスキルだけを書いてください",
                )
            )
    problems.extend(_history_keys(parsed))
    strings = list(_strings(parsed.data, ()))
    lines = parsed.body.split("\n")
    # First one search of all the text, the parts joined by _JOIN: nothing found there means
    # nothing in any part (each pattern's edges see the joint as they see the end of a text),
    # which is what almost every role gives; only then is each part searched, to name its
    # line. The same for the words of a personal history and the headings.
    whole = _JOIN.join([unicodedata.normalize("NFKC", text) for text in (*(text for _, text in strings), *lines)])
    if _HISTORY_WORD.search(whole):
        problems.extend(_history_headings(parsed))
    if next(_found(whole), None) is None:
        return tuple(problems)
    for at, text in strings:
        line, col = parsed.where(at)
        problems.extend(_scan(parsed.path, text, line, col))
    for offset, text in enumerate(lines):
        problems.extend(_scan(parsed.path, text, parsed.body_line + offset, 1))
    return tuple(problems)


_HISTORY_HINT = "役割（ポスト）を書き、その役割に就いた人のことは書きません。仕事の内容と求めるスキルを書いてください"


def _history_keys(parsed: Parsed) -> Iterator[Problem]:
    """Keys, at any depth of the front matter, that name a personal history
    (a forbidden key is reported once, as such)."""
    for here in _history_paths(parsed.data, ()):
        key = here[-1]
        if len(here) == 1 and str(key).lower() in FORBIDDEN_KEYS:
            continue
        line, col = parsed.where(here)
        yield error(
            parsed.path,
            line,
            col,
            "privacy-history",
            f"項目「{key}」は個人の経歴など（経歴・前職・出身・年齢・学歴・家族・趣味など）を書く項目のため、人材の役割には書けません。{_HISTORY_HINT}",
        )


def _history_headings(parsed: Parsed) -> Iterator[Problem]:
    """Markdown headings (and bold phrases that start a line) of the body that name a personal history."""
    lines = parsed.body.split("\n")
    fenced = False
    for offset, text in enumerate(lines):
        if _FENCE.match(text):
            fenced = not fenced
            continue
        if fenced:
            continue
        heading = _ATX_HEADING.match(text)
        title = heading.group(1) or "" if heading else None
        if title is None and offset + 1 < len(lines) and text.strip() and _SETEXT_RULE.match(lines[offset + 1]):
            title = text.strip()
        label = None if title is not None else _BOLD_LEAD.match(text)
        shown = title if title is not None else (label.group(2).strip(" :：") if label else "")
        if shown and names_history(shown):
            what = "見出し" if title is not None else "太字の見出し"
            yield error(
                parsed.path,
                parsed.body_line + offset,
                1,
                "privacy-history",
                f"{what}「{shown}」は個人の経歴など（経歴・前職・出身・年齢・学歴・家族・趣味など）を書くためのものなので、人材の役割には書けません。{_HISTORY_HINT}",
            )


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
        yield error(
            path,
            line,
            col,
            code,
            f"{label}のような文字列「{shown}」があります。人材の役割には連絡先や個人を特定できる情報を書けません",
        )


def _strings(value: Any, at: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield at, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*at, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*at, index))
