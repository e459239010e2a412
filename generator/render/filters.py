"""Jinja filters that format values for Japanese readers.

They depend on nothing but the value: site-dependent helpers (URLs, status)
are passed to each template by ``pages.py``. ``phrases`` (phrases.py) keeps what it
worked out for the environment it is installed in, i.e. for one build.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import jinja2
from markupsafe import Markup

from ..content.dates import format_flexdate, format_wareki
from ..model import (
    COLLECTION_LABELS,
    FORM_LABELS,
    HOST_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    MODE_LABELS,
    MODEL_LABELS,
    PROGRAM_STATUS_LABELS,
    ROLE_STATUS_LABELS,
    FlexDate,
)
from .phrases import Phrases

LABELS = {
    "collection": COLLECTION_LABELS,
    "level": LEVEL_LABELS,
    "kind": KIND_LABELS,
    "mode": MODE_LABELS,
    "model": MODEL_LABELS,
    "host": HOST_LABELS,
    "form": FORM_LABELS,
    "role_status": ROLE_STATUS_LABELS,
    "program_status": PROGRAM_STATUS_LABELS,
}


def flexdate(value: FlexDate | None) -> str:
    """令和7年度末（2026年3月31日）; empty for a missing date."""
    return format_flexdate(value) if value is not None else ""


def wareki(value: date) -> str:
    return format_wareki(value)


def yen(amount: int | None) -> str:
    """5600000 → 560万円; 12345 → 12,345円."""
    if amount is None:
        return ""
    if amount >= 10000 and amount % 10000 == 0:
        return f"{amount // 10000:,}万円"
    return f"{amount:,}円"


def rate(value: float | None) -> str:
    """0.7 → 0.7, as the sources write it.

    A 措置率 is a rate in the formula of 特別交付税, not the share of the cost that is paid back:
    it is never shown as a percentage of the cost.
    """
    if value is None:
        return ""
    return f"{value:g}"


def hours(value: float | None) -> str:
    if value is None:
        return ""
    return f"月{value:g}時間まで"


def yes_no(value: bool | None, yes: str = "可", no: str = "不可") -> str:
    if value is None:
        return ""
    return yes if value else no


def label(value: str, kind: str) -> str:
    """The Japanese label of an enum value (``kind`` names a label map); the value if unknown."""
    return LABELS[kind].get(value, value)


def jsonld(data: Any) -> Markup:
    """JSON for a ``<script type="application/ld+json">`` block.

    ``<``, ``>`` and ``&`` are escaped so that no text can close the script
    element (``</script>``) or open a comment inside it.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def install(env: jinja2.Environment) -> None:
    phrases = Phrases()
    env.filters.update(
        flexdate=flexdate,
        wareki=wareki,
        yen=yen,
        rate=rate,
        hours=hours,
        yes_no=yes_no,
        label=label,
        jsonld=jsonld,
        phrases=phrases,
        phrase_parts=phrases.parts,
    )
