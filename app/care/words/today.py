"""Today, the daily log and the exercise row (see app/care/words/__init__.py)."""

from __future__ import annotations
