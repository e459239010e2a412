"""`catalog review`: the entries due for review, as a checklist in Japanese.

An entry is due when its last review (``reviewed``) is older than the site's
``review_interval_months`` on the given day: the same rule (``freshness``) that
makes its pages state facts as of that review. The list is oldest first and
gives, for each entry, its file, its official page and every source with its
URL, so that the yearly review can be worked through from top to bottom.
Pure: a linked Site in, text out; the command prints it and writes nothing.
"""

from __future__ import annotations

from datetime import date

from ..content.dates import format_seireki
from ..freshness import elapsed_text, months_between, review_due
from ..model import COLLECTION_LABELS, COLLECTIONS, Entry, Site, Source

_ORDER = {name: i for i, name in enumerate(COLLECTIONS)}


def _oldest_first(entry: Entry) -> tuple[date, int, str]:
    assert entry.reviewed is not None  # only reviewed entries come due
    return (entry.reviewed.value, _ORDER[entry.collection], entry.slug)


def due_entries(site: Site) -> tuple[Entry, ...]:
    """The published entries whose last review is too old, oldest first."""
    return tuple(sorted((e for e in site.entries() if site.stale(e) and e.reviewed is not None), key=_oldest_first))


def review_report(site: Site) -> str:
    """The checklist ``catalog review`` prints."""
    interval = site.config.review_interval_months
    day = format_seireki(site.as_of)
    due = due_entries(site)
    if not due:
        return f"確認が必要な項目はありません（{day}時点、確認の間隔 {interval}か月）。\n" + _next_due(site)
    lines = [
        f"確認が必要な項目: {len(due)}件（{day}時点。最終確認から{interval}か月を超えたもの、古い順）",
        "",
    ]
    for entry in due:
        lines.extend(_item(site, entry))
        lines.append("")
    lines.append(
        "確認したら、内容を出典と照らして直し、reviewed を確かめた日に、各出典の accessed をその資料を読んだ日にします。"
        "確かめられなかった項目は reviewed を変えません（ページには最終確認からの期間が表示されたままになります）。"
    )
    return "\n".join(lines) + "\n"


def _item(site: Site, entry: Entry) -> list[str]:
    reviewed = entry.reviewed
    assert reviewed is not None
    interval = site.config.review_interval_months
    elapsed = elapsed_text(months_between(reviewed.value, site.as_of))
    deadline = format_seireki(review_due(reviewed.value, interval))
    lines = [
        f"- [ ] {COLLECTION_LABELS[entry.collection]}「{entry.title}」",
        f"      ファイル: {entry.path}",
        f"      最終確認日: {format_seireki(reviewed.value)}（{elapsed}前。確認の期限は{deadline}でした）",
    ]
    url = getattr(entry, "url", None)
    if url:
        lines.append(f"      公式ページ: {url}")
    if not entry.sources:
        lines.append("      出典: 書かれていません")
    for n, source in enumerate(entry.sources, 1):
        lines.append(f"      出典{n}: {_source(source)}")
    return lines


def _source(source: Source) -> str:
    about = [source.publisher]
    if source.published is not None:
        about.append(f"資料の日付 {format_seireki(source.published.value)}")
    if source.accessed is not None:
        about.append(f"閲覧日 {format_seireki(source.accessed.value)}")
    where = source.url if source.url else "（URLは書かれていません）"
    return f"{source.title}（{'、'.join(about)}） {where}"


def _next_due(site: Site) -> str:
    dated = [e for e in site.entries() if e.reviewed is not None]
    if not dated:
        return ""
    interval = site.config.review_interval_months
    first = min(dated, key=_oldest_first)
    assert first.reviewed is not None  # one of ``dated``
    deadline = format_seireki(review_due(first.reviewed.value, interval))
    return f"次に確認の期限が来るのは、{COLLECTION_LABELS[first.collection]}「{first.title}」（{first.path}）で、{deadline}です。\n"
