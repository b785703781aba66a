"""Form pieces every audience's forms share: the base form (what every field refuses), whole
numbers and dates with messages a person can act on, and the filters that tidy typed text."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from flask import request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import CombinedMultiDict
from wtforms import DateField, Field, HiddenField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation, ValidationError

from app.care import content

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
UNUSUAL_CHARACTER = content.UNUSUAL_CHARACTER
LINE_BREAKS = re.compile(r"[\r\n\t\u2028\u2029\x85]")
ONE_LINE = content.ONE_LINE
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def refuse_control_characters(_form: Any, field: Field) -> None:
    """No text answer may hold a control character (a NUL byte cannot even be stored by
    PostgreSQL); tabs and line breaks are fine."""
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise StopValidation(gettext(UNUSUAL_CHARACTER))  # no later check (a query by email, say) sees it


def refuse_line_breaks(_form: Any, field: Field) -> None:
    """A one-line answer (a name, a phone number) holds no line break or tab: stored, one would
    break every file and header it is written into (a calendar file, an e-mail's subject)."""
    if isinstance(field.data, str) and LINE_BREAKS.search(field.data):
        raise StopValidation(gettext(ONE_LINE))


def is_single_line(field: Field) -> bool:
    """A field a person types one line into (hidden fields are the page's, passwords are as typed)."""
    typed_as_is = TextAreaField | PasswordField | HiddenField
    return isinstance(field, StringField) and not isinstance(field, typed_as_is)


class Form(FlaskForm):
    """The base of every form. Text fields refuse control characters with a message, and an
    uploaded file never stands in for a typed answer: no form here takes files (but the exercise
    photo's, app/admin/forms.py:PhotoForm), so they are not read at all; nor is a JSON body
    (app/web/bodies.py answers it 415 first; docs/security.md#input)."""

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if request.is_json:  # Flask-WTF would read JSON as the form's data: never here
                return None
            wrapped = super().wrap_formdata(form, formdata)
            return request.form if isinstance(wrapped, CombinedMultiDict) else wrapped

        def bind_field(self, form: Any, unbound_field: Any, options: dict[str, Any]) -> Field:
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, StringField):
                field.validators = [refuse_control_characters, *field.validators]
            if is_single_line(field):
                field.validators = [refuse_line_breaks, *field.validators]
            return field

    def validate(self, extra_validators: Any = None) -> bool:
        """As WTForms validates, then every message as plain text: a message given in the staff
        catalogue (`lazy_gettext`) is read in the page's language now, so code that joins or
        compares messages gets strings."""
        valid: bool = super().validate(extra_validators)
        for field in self:
            if isinstance(field.errors, list):
                field.errors = [str(error) for error in field.errors]
        return valid


class AtMost(Length):
    """At most `max` characters, refused with a catalogue text that has `{max}` and `{length}`,
    read in the page's language (WTForms' own message is filled in before it could be translated)."""

    def __init__(self, max: int, text: str) -> None:
        super().__init__(max=max)
        self.text = text

    def __call__(self, _form: Any, field: Field) -> None:
        length = len(field.data or "")
        if length > self.max:
            raise ValidationError(content.render(gettext(self.text), max=self.max, length=length))


def stripped(value: str | None) -> str:
    """Typed text without the spaces around it."""
    return (value or "").strip()


def stripped_lines(value: str | None) -> str:
    """Multi-line text with one kind of line break and no spaces around it."""
    return (value or "").replace("\r\n", "\n").strip()


def printable(value: str | None) -> str:
    """Typed text without control characters (PostgreSQL cannot store a NUL byte) and without the
    spaces around it; line breaks are kept."""
    return CONTROL_CHARACTERS.sub("", stripped_lines(value))


def blank(valuelist: list[Any] | None) -> bool:
    """The one rule for numbers and dates: nothing sent, or only spaces, tabs and line breaks, is a
    missing answer (never a crash, never "not a number")."""
    return not valuelist or not str(valuelist[0]).strip()


class WholeNumberField(IntegerField):
    """An optional whole number; once the text is not a number, that is the one message shown."""

    data: int | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if blank(valuelist):
            self.data = None
            self.raw_data: list[Any] = []  # missing, for InputRequired to say so
            return
        raw = valuelist[0].strip()
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a whole number, like 10.")) from None

    def pre_validate(self, _form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def whole_number(label: str, low: int, high: int, required: bool = False) -> WholeNumberField:
    """A whole number from `low` to `high`, optional unless `required`."""
    message = _l("Enter a number from %(low)s to %(high)s.", low=low, high=high)
    first = InputRequired(message) if required else Optional()
    return WholeNumberField(label, validators=[first, NumberRange(min=low, max=high, message=message)])


class DayField(DateField):
    """A date; blank is "missing" (for the required check to say so), and an unreadable date
    gets one message a person can act on."""

    data: date | None

    def process_formdata(self, valuelist: list[Any]) -> None:
        if blank(valuelist):
            self.data = None
            self.raw_data: list[Any] = []  # missing, for InputRequired to say so
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a real date, like 2026-03-04.")) from None
        if self.data is not None and not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(
                _l("Enter a date between %(first)s and %(last)s.", first=EARLIEST_YEAR, last=LATEST_YEAR)
            )

    def pre_validate(self, _form: Any) -> None:
        if self.process_errors:
            raise StopValidation()


def single_line(value: str | None) -> str:
    """Typed text on one line: control characters (a NUL byte, a tab, a line break) become spaces,
    and runs of spaces one, so nothing unprintable reaches the database."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value or "")
    return " ".join(text.split())
