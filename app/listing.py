"""Pagination for lists computed in Python (same interface as Flask-SQLAlchemy's pages)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


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
