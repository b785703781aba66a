"""The patient's own small forms (the daily log's form is shared: `app.forms.daily_log`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Optional

from app.care import content
from app.care.content import (
    BEFORE_CONFIRM_LABEL,
    BEFORE_CONFIRM_MISSING,
    HELP_ANSWERS,
    LOG_EVERY_LABEL,
    LOG_EVERY_NAMES,
    MEDICINES_EMPTY,
    MEDICINES_LABEL,
    PEG_ITEMS,
    PGIC_CHOICES,
)
from app.care.feelings import FEELINGS
from app.care.measures import PSFS_LABEL_MAX, PSFS_MAX_ACTIVITIES, label_key
from app.forms import AtMost, Form, printable, single_line
from app.forms.daily_log import pain_field
from app.models.treatments import MEDICINES_MAX_LENGTH


class HelpAnswerForm(Form):
    """ "Did you get help?": one of the answer buttons."""

    answer = HiddenField(validators=[AnyOf(list(HELP_ANSWERS), message=content.NOT_UNDERSTOOD)])


class MedicinesForm(Form):
    """The medicines the patient takes most days, one a line (at evaluation)."""

    medicines = TextAreaField(
        MEDICINES_LABEL,
        filters=[printable],
        validators=[
            DataRequired(MEDICINES_EMPTY),
            AtMost(MEDICINES_MAX_LENGTH, content.MEDICINES_TOO_LONG),
        ],
    )


class LogEveryForm(Form):
    """After week 12: a pain log once a week, or every day."""

    every = RadioField(
        LOG_EVERY_LABEL,
        choices=[SelectChoice(str(days), name) for days, name in LOG_EVERY_NAMES.items()],
        validate_choice=False,
        validators=[
            InputRequired(content.LOG_EVERY_MISSING),
            AnyOf([str(days) for days in LOG_EVERY_NAMES], message=content.LOG_EVERY_MISSING),
        ],
    )


SESSIONS = [str(n) for n in range(1, 11)]


class ExerciseTickForm(Form):
    """One session of an exercise marked done ("1") or not ("0"). Today's row is one form whose
    buttons each send `tick` as "session:done" (one form and token for a row done several times a
    day, not one a session); `done` with `session` (absent means 1) says the same, as the row sent
    it before (a page open on a phone across an update still works)."""

    done = HiddenField(validators=[Optional(), AnyOf(["1", "0"], message=content.NOT_UNDERSTOOD)])
    # Which of the day's sessions (an exercise done twice a day has 1 and 2); absent means 1.
    session = HiddenField(default="1", validators=[AnyOf(SESSIONS)])
    tick = HiddenField(validators=[Optional(), AnyOf([f"{n}:{d}" for n in SESSIONS for d in "01"])])

    def session_and_done(self) -> tuple[int, bool] | None:
        """The session and whether it is now done, or None when the form names neither (call after
        validating)."""
        if self.tick.data:
            session, done = self.tick.data.split(":")
            return int(session), done == "1"
        if self.done.data:
            return int(self.session.data), self.done.data == "1"
        return None


class ExerciseFeelingForm(Form):
    """ "How did that feel?" for one session ticked today: the button pressed names the answer."""

    session = HiddenField(default="1", validators=[AnyOf([str(n) for n in range(1, 11)])])
    feeling = HiddenField(validators=[AnyOf(FEELINGS)])


class PegForm(Form):
    """Three 0-10 items; score = mean."""

    def items(self) -> list[tuple[str, int]]:
        return [(key, int(self[key].data)) for key, *_ in PEG_ITEMS]


for _key, _question, *_ends in PEG_ITEMS:
    setattr(PegForm, _key, pain_field(_question, required=True))

PGIC_VALUES = [str(value) for value, _label in PGIC_CHOICES]


class PgicForm(Form):
    change = RadioField(
        "How has your back changed?",
        choices=[SelectChoice(str(value), label) for value, label in PGIC_CHOICES],
        validate_choice=False,
        validators=[
            InputRequired(content.PGIC_MISSING),
            AnyOf(PGIC_VALUES, message=content.PGIC_MISSING),
        ],
    )

    def items(self) -> list[tuple[str, int]]:
        return [("change", int(self.change.data))]


class PsfsForm(Form):
    """Activities already named are re-rated (`rating_N`); new ones come with a name and a rating
    (`name_N` + `new_rating_N`). Built per round by `psfs_form`, because the activities are the
    patient's own."""

    known: list[str]
    new_slots: int

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        for n in range(self.new_slots):
            name, rating = self[f"name_{n}"], self[f"new_rating_{n}"]
            if name.data and not rating.data:
                rating.errors = [*rating.errors, content.PSFS_RATING_MISSING]
                valid = False
            elif rating.data and not name.data:
                name.errors = [*name.errors, content.PSFS_NAME_MISSING]
                valid = False
        names = [label_key(name) for name in self.activity_names()]
        if len(set(names)) != len(names):
            self.form_errors.append(content.PSFS_NAMED_TWICE)
            valid = False
        if not self.known and not names:
            self[f"name_{0}"].errors = [*self[f"name_{0}"].errors, content.PSFS_NONE_NAMED]
            valid = False
        return valid

    def activity_names(self) -> list[str]:
        return [
            *self.known,
            *(self[f"name_{n}"].data for n in range(self.new_slots) if self[f"name_{n}"].data),
        ]

    def items(self) -> list[tuple[str, int]]:
        rated = [(label, int(self[f"rating_{n}"].data)) for n, label in enumerate(self.known)]
        added = [
            (self[f"name_{n}"].data, int(self[f"new_rating_{n}"].data))
            for n in range(self.new_slots)
            if self[f"name_{n}"].data
        ]
        return rated + added


def psfs_form(known: list[str], room: int) -> PsfsForm:
    """The form for one round: the activities named before, and `room` for new ones."""
    new_slots = max(0, min(room, PSFS_MAX_ACTIVITIES - len(known)))

    class RoundForm(PsfsForm):
        pass

    for n, label in enumerate(known):
        setattr(RoundForm, f"rating_{n}", pain_field(label, required=True))
    for n in range(new_slots):
        setattr(
            RoundForm,
            f"name_{n}",
            StringField(
                f"Activity {len(known) + n + 1}",
                filters=[single_line],
                validators=[AtMost(PSFS_LABEL_MAX, content.NAME_TOO_LONG)],
            ),
        )
        setattr(RoundForm, f"new_rating_{n}", pain_field("How well can you do it?", required=False))
    form = RoundForm()
    form.known, form.new_slots = known, new_slots
    return form


class LessonReadForm(Form):
    """ "Got it" under a lesson: the patient has read it."""

    read = HiddenField(validators=[AnyOf(["1"], message=content.NOT_UNDERSTOOD)])


class BeforeInjectionForm(Form):
    """ "I have read this page": the box must be ticked (the page shows the catalogue's error)."""

    has_read = BooleanField(BEFORE_CONFIRM_LABEL, validators=[DataRequired(BEFORE_CONFIRM_MISSING)])
