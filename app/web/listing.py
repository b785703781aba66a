"""Pagination for lists computed in Python (same interface as Flask-SQLAlchemy's pages), and the
one reader of page numbers from a URL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import abort, request

MAX_PAGE = 100_000  # far past any real list; a larger number is not a page that exists


def page_number(name: str = "page") -> int:
    """The page a URL asks for: 1 when missing or not a number; a page past any list is 404, so a
    huge number never reaches the database (where it overflows)."""
    raw = request.args.get(name, "")
    if not raw.isdigit():
        return 1
    if len(raw) > len(str(MAX_PAGE)) or int(raw) > MAX_PAGE:
        abort(404)
    return max(int(raw), 1)


@dataclass
class ListPage:
    all_items: list[Any]
    page: int
    per_page: int

    def __post_init__(self) -> None:
        self.page = min(max(self.page, 1), self.pages)

    @property
    def total(self) -> int:
        return len(self.all_items)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def items(self) -> list[Any]:
        start = (self.page - 1) * self.per_page
        return self.all_items[start : start + self.per_page]

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1
