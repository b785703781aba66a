"""Lessons by phase and the Learn page (see app/care/words/__init__.py)."""

from __future__ import annotations
