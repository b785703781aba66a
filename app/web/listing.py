"""Pagination for lists computed in Python (same interface as Flask-SQLAlchemy's pages), for a
query whose count is capped, and the one reader of page numbers from a URL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort, request

from app.database import COUNT_CAP, count_up_to_cap
from app.extensions import db

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


class PageNumbers:
    """Where a page lies among `total` rows, `per_page` a page (the pagination macro reads these)."""

    page: int
    per_page: int
    more = False  # the total is known

    @property
    def total(self) -> int:
        raise NotImplementedError

    @property
    def pages(self) -> int:
        return pages_for(self.total, self.per_page)

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


def pages_for(total: int, per_page: int) -> int:
    return max(1, math.ceil(total / per_page))


@dataclass
class ListPage(PageNumbers):
    all_items: list[Any]
    page: int
    per_page: int

    def __post_init__(self) -> None:
        self.page = min(max(self.page, 1), self.pages)

    @property
    def total(self) -> int:
        return len(self.all_items)

    @property
    def items(self) -> list[Any]:
        start = (self.page - 1) * self.per_page
        return self.all_items[start : start + self.per_page]


@dataclass
class CappedPage:
    """A page of a query's rows, with the rows counted up to COUNT_CAP. Counting every match of a
    short search ("ma") reads the whole table, so its time grows with the clinic; this page reads
    its rows and at most COUNT_CAP + 1 more, however large the table."""

    items: list[Any]
    page: int
    per_page: int
    counted: int  # the rows, or COUNT_CAP + 1 when there are more than COUNT_CAP
    has_next: bool

    @property
    def more(self) -> bool:
        """More rows than were counted: the total is not known, only that it is over COUNT_CAP."""
        return self.counted > COUNT_CAP

    @property
    def total(self) -> int:
        return min(self.counted, COUNT_CAP)

    @property
    def pages(self) -> int:
        """How many pages there are; past the cap, only that there is one after this one."""
        if self.more:
            return self.page + 1 if self.has_next else self.page
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def capped_page(query: sa.Select[Any], page: int, per_page: int) -> CappedPage:
    """The `page`th page of `query` (ordered), and its rows counted up to COUNT_CAP: two
    statements, each stopping early, so a list answers as fast with 50,000 rows as with 500."""
    rows = list(db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)))
    return CappedPage(rows[:per_page], page, per_page, count_up_to_cap(query), len(rows) > per_page)
