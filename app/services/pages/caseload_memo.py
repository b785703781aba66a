"""The dashboard's rows as worked out before, kept in this process under everything they were
worked out from, so that a therapist's next view works out again only the patients whose data
changed (or all of them once the day turns), instead of every patient on every view.

What a row is worked out from, and what tells that it changed:
- the patient's days and plan: the summaries' revision, a new random number from every write
  that changes them, in that write's transaction (app/services/summaries/store.py);
- the treatment's own columns (dates, medicines, how often to log), as read for this view;
- the day, the clinic's settings and the page's language;
- the open warning signs, the unread messages, the 30-day counts and the exercises that hurt
  again, as read for this view.
So a row is never served from here once anything it shows could differ: every host, reading the
same database, keys its own copy alike. A treatment with no summaries yet is always worked out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import fields
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from app.models import Treatment

if TYPE_CHECKING:
    from app.services.pages.caseload import CaseloadRow

ROWS_KEPT = 4096  # a few caseloads a worker; a row is a few kilobytes
TREATMENT_COLUMNS = tuple(attribute.key for attribute in sa.inspect(Treatment).column_attrs)


def treatment_values(treatment: Treatment) -> tuple[Any, ...]:
    """Every column of the treatment as read now: a change to any of them is a new key."""
    return tuple(getattr(treatment, name) for name in TREATMENT_COLUMNS)


class RowMemo:
    """The last ROWS_KEPT rows worked out, least recently used first out. Holds the rows'
    figures, not the treatment objects (those belong to the request that read them)."""

    def __init__(self, size: int = ROWS_KEPT) -> None:
        self.size = size
        self.rows: OrderedDict[Hashable, dict[str, Any]] = OrderedDict()
        self.lock = threading.Lock()  # the development server answers requests on threads

    def get(self, key: Hashable, treatment: Treatment) -> CaseloadRow | None:
        from app.services.pages.caseload import CaseloadRow

        with self.lock:
            kept = self.rows.get(key)
            if kept is None:
                return None
            self.rows.move_to_end(key)
        return CaseloadRow(treatment=treatment, **kept | {"reasons": list(kept["reasons"])})

    def put(self, key: Hashable, row: CaseloadRow) -> None:
        kept = {f.name: getattr(row, f.name) for f in fields(row) if f.name != "treatment"}
        kept["reasons"] = tuple(row.reasons)
        with self.lock:
            self.rows[key] = kept
            self.rows.move_to_end(key)
            while len(self.rows) > self.size:
                self.rows.popitem(last=False)


CASELOAD_ROWS = RowMemo()
