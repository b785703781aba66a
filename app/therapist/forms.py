"""Forms for acknowledging alerts, tailoring the exercise plan and writing clinical notes."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional, StopValidation

from app.care.content import EXERCISES
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASES_BY_KEY
from app.models.notes import CLINICAL_NOTE_MAX_LENGTH


class WholeNumberField(IntegerField):
    """An optional whole number with a message a person can act on."""

    def process_formdata(self, valuelist):  # type: ignore[no-untyped-def]
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError("Enter a whole number, like 10.") from None

    def pre_validate(self, form) -> None:  # type: ignore[no-untyped-def]
        """Once the text is not a number, that is the one message worth showing."""
        if self.process_errors:
            raise StopValidation()


def whole_number(label: str, maximum: int) -> WholeNumberField:
    return WholeNumberField(
        label,
        validators=[
            Optional(),
            NumberRange(min=1, max=maximum, message=f"Enter a number from 1 to {maximum}."),
        ],
    )


class AcknowledgeForm(FlaskForm):
    note = TextAreaField(
        "Note (optional)",
        filters=[lambda v: (v or "").strip()],
        validators=[Length(max=500, message="Keep the note to 500 characters.")],
    )
    next = HiddenField()


class DoseForm(FlaskForm):
    sets = whole_number("Sets", 10)
    reps = whole_number("Reps", 100)
    hold_seconds = whole_number("Hold (seconds)", 300)
    minutes = whole_number("Minutes", 180)
    times_per_day = whole_number("Times a day", 10)
    cue = StringField(
        "Cue for the patient",
        filters=[lambda v: (v or "").strip()],
        validators=[Length(max=200, message="Keep the cue to 200 characters.")],
    )

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        valid = super().validate(extra_validators)
        amounts = (self.sets.data, self.reps.data, self.hold_seconds.data, self.minutes.data)
        if valid and not any(amounts) and not self.cue.data:
            self.form_errors.append(
                "Give sets, reps, a hold, minutes or a cue, so the patient knows how much to do."
            )
            return False
        return valid


class AddExerciseForm(FlaskForm):
    exercise = SelectField(
        "Exercise",
        choices=[SelectChoice(e.slug, e.name) for e in EXERCISES],
        validate_choice=False,
        validators=[
            DataRequired("Choose an exercise."),
            AnyOf([e.slug for e in EXERCISES], message="Choose an exercise from the list."),
        ],
    )
    phase = SelectField(
        "Phase",
        choices=[SelectChoice(key, PHASES_BY_KEY[key].title) for key in EXERCISE_PHASE_KEYS],
        validate_choice=False,
        validators=[
            DataRequired("Choose a phase."),
            AnyOf(list(EXERCISE_PHASE_KEYS), message="Choose a phase from the list."),
        ],
    )


class MoveForm(FlaskForm):
    direction = HiddenField(validators=[AnyOf(["up", "down"], message="Unknown direction.")])


class NoteForm(FlaskForm):
    body = TextAreaField(
        "New note",
        filters=[lambda v: (v or "").replace("\r\n", "\n").strip()],
        validators=[
            DataRequired("Write the note first."),
            Length(
                max=CLINICAL_NOTE_MAX_LENGTH,
                message="Keep the note to %(max)d characters. It has %(length)d now.",
            ),
        ],
    )
