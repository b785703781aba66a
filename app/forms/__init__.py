"""Form pieces every audience's forms share: whole numbers and dates with messages a person can
act on, and the filters that tidy typed text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from wtforms import DateField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional, StopValidation


def stripped(value: str | None) -> str:
    """Typed text without the spaces around it."""
    return (value or "").strip()


def stripped_lines(value: str | None) -> str:
    """Multi-line text with one kind of line break and no spaces around it."""
    return (value or "").replace("\r\n", "\n").strip()


CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(value: str | None) -> str:
    """Typed text without control characters (PostgreSQL cannot store a NUL byte) and without the
    spaces around it; line breaks are kept."""
    return CONTROL_CHARACTERS.sub("", stripped_lines(value))


class WholeNumberField(IntegerField):
    """An optional whole number; once the text is not a number, that is the one message shown."""

    data: int | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError("Enter a whole number, like 10.") from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def whole_number(label: str, low: int, high: int, required: bool = False) -> WholeNumberField:
    """A whole number from `low` to `high`, optional unless `required`."""
    message = f"Enter a number from {low} to {high}."
    first = InputRequired(message) if required else Optional()
    return WholeNumberField(label, validators=[first, NumberRange(min=low, max=high, message=message)])


class DayField(DateField):
    """A date; blank is "missing" (for the required check to say so), and an unreadable date
    gets one message a person can act on."""

    data: date | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not "".join(valuelist or []).strip():
            self.data = None
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Enter a real date, like 2026-03-04.") from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def single_line(value: str | None) -> str:
    """Typed text on one line: control characters (a NUL byte, a tab, a line break) become spaces,
    and runs of spaces one, so nothing unprintable reaches the database."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value or "")
    return " ".join(text.split())
