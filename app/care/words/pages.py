"""Words of every other patient page: sign-in, account, messages, records, the offline page,
errors and the menu (see app/care/words/__init__.py)."""

from __future__ import annotations
