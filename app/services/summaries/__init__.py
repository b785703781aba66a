"""The read model kept by the writes (app.models.summaries): keep.py marks what each write
touches and writes it before the commit; store.py writes, rebuilds and verifies; sql.py is the
recomputation itself."""

from app.services.summaries.keep import mark_day, mark_treatment, register
from app.services.summaries.store import rebuild, verify

__all__ = ["mark_day", "mark_treatment", "rebuild", "register", "verify"]
