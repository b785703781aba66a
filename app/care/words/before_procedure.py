"""Before and after the procedure: the PRP consent page and the preparation texts (see
app/care/words/__init__.py)."""

from __future__ import annotations
