"""The daily-log form, with messages a patient can act on. Shared by the patient's pages and the
offline page, which renders the same fields to keep a log on the phone."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.care import content
from app.care.content import MEDICATIONS, RED_FLAGS, RedFlag
from app.care.log_answers import LogAnswers
from app.forms import AtMost, Form, single_line, stripped_lines
from app.models.logs import NOTE_MAX_LENGTH, OTHER_MEDICINE_MAX_LENGTH, DailyLog

PAIN_VALUES = [str(score) for score in range(11)]


def pain_field(label: str, required: bool) -> RadioField:
    message = content.PAIN_NUMBER_MISSING
    first = InputRequired(message) if required else Optional()
    return RadioField(
        label,
        choices=[SelectChoice(v) for v in PAIN_VALUES],
        validate_choice=False,
        validators=[first, AnyOf(PAIN_VALUES, message=message)],
    )


def new_submission_key() -> str:
    return secrets.token_urlsafe(16)


class MedicinesField(SelectMultipleField):
    """Several medicine answers as checkboxes; "None" stands alone."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, _form: Any) -> None:
        chosen = self.data or []
        if not chosen:
            raise ValidationError(content.MEDICATION_MISSING)
        if any(key not in MEDICATIONS for key in chosen):
            raise ValidationError(content.CHOOSE_LISTED)
        if "none" in chosen and len(set(chosen)) > 1:
            raise ValidationError(content.MEDICATION_NONE_AND_SOME)


class DailyLogForm(Form):
    # Identifies this one save, so a replay or a double tap is answered, not applied twice.
    idempotency_key = HiddenField(
        default=new_submission_key,
        validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$", message=content.NOT_UNDERSTOOD)],
    )
    # The entry's version this form started from ("" for a new entry).
    base_version = HiddenField(
        default="",
        validators=[Optional(), Regexp(r"^[0-9]{1,9}$", message=content.NOT_UNDERSTOOD)],
    )
    back_pain = pain_field("Back pain right now", required=True)
    leg_pain = pain_field("Leg pain right now", required=False)
    medication = MedicinesField(
        "Pain medicine taken today",
        default=["none"],
        choices=[SelectChoice(key, label) for key, label in MEDICATIONS.items()],
        validate_choice=False,
    )
    other_medicine = StringField(
        content.OTHER_MEDICINE_LABEL,
        filters=[single_line],
        validators=[AtMost(OTHER_MEDICINE_MAX_LENGTH, content.NAME_TOO_LONG)],
    )
    no_warning_signs = BooleanField("No, none of these")
    note = TextAreaField(
        "Note (optional)",
        filters=[stripped_lines],
        validators=[AtMost(NOTE_MAX_LENGTH, content.LOG_NOTE_TOO_LONG)],
    )

    def __init__(self, *args: Any, asked: tuple[RedFlag, ...] = RED_FLAGS, **kwargs: Any) -> None:
        """`asked`: the warning questions this patient is asked (all of them by default)."""
        super().__init__(*args, **kwargs)
        self.asked_flags = asked

    @classmethod
    def filled_from(cls, log: DailyLog | None, asked: tuple[RedFlag, ...] = RED_FLAGS) -> DailyLogForm:
        """The form showing a saved entry's answers (or empty), for editing it."""
        form = cls(obj=log, formdata=None, asked=asked)
        form.base_version.data = str(log.version) if log is not None else ""
        if log is not None:
            form.medication.data = list(log.medicines)
            form.back_pain.data = str(log.back_pain)
            form.leg_pain.data = "" if log.leg_pain is None else str(log.leg_pain)
            form.no_warning_signs.data = not log.red_flags
        return form

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        ticked = self.warning_answers()
        if not ticked and not self.no_warning_signs.data:
            self.no_warning_signs.errors = [content.WARNING_SIGNS_MISSING]
            return False
        if ticked and self.no_warning_signs.data:
            self.no_warning_signs.errors = [content.WARNING_SIGNS_AND_NONE]
            return False
        return valid

    def warning_answers(self) -> list[str]:
        """The warning signs ticked, of those asked (a box this patient is not shown counts as no)."""
        return [flag.key for flag in self.asked_flags if self[flag.key].data]

    def expected_version(self) -> int | None:
        """The version the form was based on; None when the client did not say (no check)."""
        if not self.base_version.raw_data:
            return None
        return int(self.base_version.data) if self.base_version.data else 0

    def pain_score(self, name: str) -> int | None:
        value = self[name].data
        return int(value) if value not in (None, "") else None

    def answers(self) -> LogAnswers:
        """What the patient said, as plain data for the service that saves it."""
        return LogAnswers(
            back_pain=int(self.back_pain.data),
            leg_pain=self.pain_score("leg_pain"),
            medicines=frozenset(self.medication.data or ["none"]),
            other_medicine=self.other_medicine.data or "",
            note=self.note.data or "",
            warning_signs=frozenset(self.warning_answers()),
            key=self.idempotency_key.data or None,
            expected_version=self.expected_version(),
        )


for _flag in RED_FLAGS:
    setattr(DailyLogForm, _flag.key, BooleanField(_flag.question))
