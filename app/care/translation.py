"""Which texts of the content catalogue are translated: every patient-facing string in
`app.care.content`, found by walking its data (the physician reads content.py as plain English,
with no translation markers in it). `pybabel extract` reads them through `extract_content`
(babel.cfg), so a text added to the catalogue is in the next `.pot` without anyone listing it.

Strings that are keys rather than words (`lumbar_facet`, `same_day`) are left out: a word a
patient reads has a space or a capital letter in it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any, BinaryIO

from app.care import content
from app.care.words import Plural

IDENTIFIER = re.compile(r"^[a-z0-9_]*$")


def texts_in(value: Any) -> Iterator[str]:
    """Every string a person reads inside `value`, depth first, dict keys left out."""
    if isinstance(value, str):
        if not IDENTIFIER.match(value):
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from texts_in(item)
    elif isinstance(value, list | tuple | frozenset | set):
        for item in sorted(value, key=str) if isinstance(value, frozenset | set) else value:
            yield from texts_in(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from texts_in(getattr(value, item.name))


@lru_cache(maxsize=1)
def catalogue_texts() -> tuple[str, ...]:
    """Each translatable text of the catalogue once, in the order content.py names them (the
    catalogue is fixed for the life of a process). Texts with a number are `plural_texts`."""
    seen: dict[str, None] = {}
    for name, value in vars(content).items():
        if name.isupper() and not isinstance(value, Plural):
            for text in texts_in(value):
                seen.setdefault(text, None)
    return tuple(seen)


@lru_cache(maxsize=1)
def plural_texts() -> tuple[Plural, ...]:
    """The catalogue's texts that change with a number, each translated as one plural message."""
    return tuple(
        value for name, value in vars(content).items() if name.isupper() and isinstance(value, Plural)
    )


def extract_content(
    fileobj: BinaryIO, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str | tuple[str, str], list[str]]]:
    """A Babel extraction method (babel.cfg) for app/care/content.py: its texts as messages. Babel
    passes the file and its options by these names; the catalogue's data is read, not its source."""
    del fileobj, keywords, comment_tags, options
    signed = ["content catalogue (app/care/content.py): signed off by the physician"]
    for text in catalogue_texts():
        yield 0, "", text, signed
    for plural in plural_texts():
        yield 0, "ngettext", (plural.one, plural.other), signed
