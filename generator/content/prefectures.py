"""The 47 prefectures (都道府県) and the romanised slugs of their URLs.

Used by the link stage for the prefecture taxonomy (/prefectures/<slug>/) and
by the feeds (/prefectures/<slug>/atom.xml), so both agree on every URL.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

# In the order of the JIS X 0401 codes (01 北海道 … 47 沖縄県).
PREFECTURES: Mapping[str, str] = MappingProxyType(
    {
        "北海道": "hokkaido",
        "青森県": "aomori",
        "岩手県": "iwate",
        "宮城県": "miyagi",
        "秋田県": "akita",
        "山形県": "yamagata",
        "福島県": "fukushima",
        "茨城県": "ibaraki",
        "栃木県": "tochigi",
        "群馬県": "gunma",
        "埼玉県": "saitama",
        "千葉県": "chiba",
        "東京都": "tokyo",
        "神奈川県": "kanagawa",
        "新潟県": "niigata",
        "富山県": "toyama",
        "石川県": "ishikawa",
        "福井県": "fukui",
        "山梨県": "yamanashi",
        "長野県": "nagano",
        "岐阜県": "gifu",
        "静岡県": "shizuoka",
        "愛知県": "aichi",
        "三重県": "mie",
        "滋賀県": "shiga",
        "京都府": "kyoto",
        "大阪府": "osaka",
        "兵庫県": "hyogo",
        "奈良県": "nara",
        "和歌山県": "wakayama",
        "鳥取県": "tottori",
        "島根県": "shimane",
        "岡山県": "okayama",
        "広島県": "hiroshima",
        "山口県": "yamaguchi",
        "徳島県": "tokushima",
        "香川県": "kagawa",
        "愛媛県": "ehime",
        "高知県": "kochi",
        "福岡県": "fukuoka",
        "佐賀県": "saga",
        "長崎県": "nagasaki",
        "熊本県": "kumamoto",
        "大分県": "oita",
        "宮崎県": "miyazaki",
        "鹿児島県": "kagoshima",
        "沖縄県": "okinawa",
    }
)


def prefecture_slug(name: str) -> str:
    """``長野県`` → ``nagano``. Raises ValueError for a name that is not a prefecture.

    Full-width/half-width variants and surrounding spaces are tolerated (NFKC);
    callers that must not fail check ``name in PREFECTURES`` first.
    """
    key = unicodedata.normalize("NFKC", name).strip()
    try:
        return PREFECTURES[key]
    except KeyError:
        raise ValueError(f"「{name}」は都道府県名ではありません（例: 長野県、東京都、大阪府、北海道）") from None
