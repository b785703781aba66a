"""Sorting, filtering and paging the therapist's patient table, and the attention list."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime
from typing import Any

from app.care.adherence import AttentionReason, Ratio
from app.care.protocol import PHASE_KEYS
from app.care.staff_words import N_
from app.services.pages.caseload import CaseloadRow
from app.web.listing import ListPage, page_number

PAGE_SIZE = 20
ATTENTION_LIMIT = 25
LAST = float("inf")


def _share(ratio: Ratio) -> float:
    return LAST if ratio.share is None else ratio.share


SORT_KEYS: dict[str, Callable[[CaseloadRow], Any]] = {
    "attention": lambda row: (row.reasons[0].rank if row.reasons else LAST, row.patient.full_name),
    "name": lambda row: row.patient.full_name.lower(),
    "day": lambda row: row.position.day,
    "last_log": lambda row: row.last_log or date.min,
    "logging": lambda row: _share(row.logging_7),
    "exercise": lambda row: _share(row.exercise_7),
    "data_days": lambda row: row.period.days_with_data,
    "pain": lambda row: LAST if row.progress.change_percent is None else row.progress.change_percent,
    "messages": lambda row: -row.unread_messages,
}
SORT_LABELS = {  # staff words: shown in the reader's language
    "attention": N_("Needs attention first"),
    "name": N_("Name"),
    "day": N_("Day"),
    "last_log": N_("Last log"),
    "logging": N_("Logging (7 days)"),
    "exercise": N_("Exercise (7 days)"),
    "data_days": N_("Days with data"),
    "pain": N_("Pain change"),
    "messages": N_("Unread messages"),
}


@dataclass(frozen=True)
class TableQuery:
    sort: str = "attention"
    order: str = "asc"
    phase: str = ""
    attention: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> TableQuery:
        """Read the query string; anything unknown falls back to the default, never an error."""
        sort = args.get("sort", "attention")
        page = page_number()
        return cls(
            sort=sort if sort in SORT_KEYS else "attention",
            order="desc" if args.get("order") == "desc" else "asc",
            phase=args.get("phase", "") if args.get("phase") in PHASE_KEYS else "",
            attention="1" if args.get("attention") == "1" else "",
            page=page,
        )

    def args(self, **changes: Any) -> dict[str, Any]:
        """Query-string arguments for a link that changes some of these settings."""
        changed = replace(self, **changes)
        return {
            key: value
            for key, value in asdict(changed).items()
            if value not in ("", None) and not (key == "page" and value == 1)
        }

    def sort_args(self, key: str) -> dict[str, Any]:
        """A column header's link: sort by it, or flip the order when it is already the key."""
        order = "desc" if self.sort == key and self.order == "asc" else "asc"
        return self.args(sort=key, order=order, page=1)

    def aria_sort(self, key: str) -> str:
        if self.sort != key:
            return "none"
        return "descending" if self.order == "desc" else "ascending"


def select_rows(rows: list[CaseloadRow], query: TableQuery) -> ListPage:
    chosen = [
        row
        for row in rows
        if (not query.phase or row.position.phase.key == query.phase)
        and (not query.attention or row.needs_attention)
    ]
    chosen.sort(key=SORT_KEYS[query.sort], reverse=query.order == "desc")
    return ListPage(chosen, query.page, PAGE_SIZE)


@dataclass(frozen=True)
class AttentionItem:
    row: CaseloadRow
    reason: AttentionReason


def attention_items(rows: list[CaseloadRow]) -> list[AttentionItem]:
    """Every reason across the caseload in the clinical order; the longest waiting first."""
    items = [AttentionItem(row, reason) for row in rows for reason in row.reasons]

    def waited(item: AttentionItem) -> datetime:
        since = item.reason.since
        return since if isinstance(since, datetime) else datetime.combine(since, datetime.min.time())

    return sorted(items, key=lambda item: (item.reason.rank, waited(item)))
