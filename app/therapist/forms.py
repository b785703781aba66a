"""Forms for acknowledging alerts, tailoring the exercise plan and writing clinical notes."""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField, HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, ValidationError

from app.care.content import ALL_EXERCISES
from app.care.protocol import EXERCISE_PHASE_KEYS, PHASES_BY_KEY
from app.care.rtm import CONSENT_HOW
from app.forms import DayField, Form, single_line, stripped, stripped_lines, whole_number
from app.forms.dose import DoseForm  # noqa: F401  (the plan editor's form, shared with the library)
from app.models.notes import CLINICAL_NOTE_MAX_LENGTH
from app.models.rtm import TIME_LOG_MAX_MINUTES, TIME_LOG_WHAT_MAX


class AcknowledgeForm(Form):
    note = TextAreaField(
        "Note (optional)",
        filters=[stripped],
        validators=[Length(max=500, message="Keep the note to 500 characters.")],
    )
    next = HiddenField()


class MedicinePlanForm(Form):
    note = TextAreaField(
        "What was planned (optional)",
        filters=[stripped],
        validators=[Length(max=500, message="Keep the note to 500 characters.")],
    )


class DirectionForm(Form):
    direction = RadioField(
        "Directional preference",
        choices=[
            SelectChoice("extension", "Extension (press-up)"),
            SelectChoice("flexion", "Flexion (knees to chest)"),
        ],
        validate_choice=False,
        validators=[AnyOf(["extension", "flexion"], message="Choose extension or flexion.")],
    )


class PrecautionsForm(Form):
    note = TextAreaField(
        "The surgeon's precautions",
        filters=[stripped],
        validators=[
            DataRequired("Write the surgeon's precautions, or “none given”."),
            Length(max=500, message="Keep the note to 500 characters."),
        ],
    )


class AddExerciseForm(Form):
    """The exercises offered are the library's signed ones (app/services/treatment/library.py),
    set by `add_exercise_form`; by default the catalogue's own."""

    exercise = SelectField(
        "Exercise",
        choices=[SelectChoice(e.slug, e.name) for e in ALL_EXERCISES],
        validate_choice=False,
        validators=[DataRequired("Choose an exercise.")],
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

    def validate_exercise(self, field: SelectField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Choose an exercise from the list.")


def add_exercise_form(
    phase: str | None, choices: list[tuple[str, str]], submitted: bool = False
) -> AddExerciseForm:
    """The "Add an exercise" form offering `choices` (slug, name). Blank, it is set to the phase
    the patient is in (or was just changed), not to the first phase of the list; before the
    injection, the first phase after it. `submitted`: the form as posted."""
    if submitted:
        form = AddExerciseForm()
    else:
        start = phase if phase in EXERCISE_PHASE_KEYS else EXERCISE_PHASE_KEYS[0]
        form = AddExerciseForm(formdata=None, phase=start)
    form.exercise.choices = [SelectChoice(slug, name) for slug, name in choices]
    return form


class VersionForm(Form):
    """ "Update to version N": the signed version the therapist saw (a newer one since refuses)."""

    version = HiddenField(validators=[DataRequired()])


class MoveForm(Form):
    direction = HiddenField(validators=[AnyOf(["up", "down"], message="Unknown direction.")])


class NoteForm(Form):
    body = TextAreaField(
        "New note",
        filters=[stripped_lines],
        validators=[
            DataRequired("Write the note first."),
            Length(
                max=CLINICAL_NOTE_MAX_LENGTH,
                message="Keep the note to %(max)d characters. It has %(length)d now.",
            ),
        ],
    )


class TimeLogForm(Form):
    """Time spent on a patient's remote monitoring (for the RTM treatment-management codes)."""

    day = DayField("Date", validators=[InputRequired("Give the date.")])
    minutes = whole_number("Minutes", 1, TIME_LOG_MAX_MINUTES, required=True)
    what = StringField(
        "What was done",
        filters=[single_line],
        validators=[
            DataRequired("Say what was done, for example: reviewed logs, adjusted the plan."),
            Length(max=TIME_LOG_WHAT_MAX, message=f"Keep it to {TIME_LOG_WHAT_MAX} characters."),
        ],
    )
    interactive = BooleanField("Included a live call or video visit with the patient")

    def entry(self) -> tuple[date, int, str, bool]:
        """The validated entry: date, minutes, what was done, whether it was a live call."""
        if self.day.data is None or self.minutes.data is None:
            raise ValueError("validate the form first")
        return self.day.data, self.minutes.data, self.what.data, bool(self.interactive.data)

    def check_day(self, today: date, earliest: date) -> bool:
        """Not in the future, and not before the episode's Visit 1."""
        if self.day.data is None:
            return False
        if self.day.data > today:
            self.day.errors = ["The date cannot be in the future."]
            return False
        if self.day.data < earliest:
            self.day.errors = [f"The date cannot be before Visit 1 ({earliest.isoformat()})."]
            return False
        return True


class RtmConsentForm(Form):
    day = DayField("Date the patient consented", validators=[InputRequired("Give the date.")])
    how = SelectField(
        "How",
        choices=[SelectChoice(key, words) for key, words in CONSENT_HOW.items()],
        validate_choice=False,
        validators=[AnyOf(list(CONSENT_HOW), message="Choose how the patient consented.")],
    )


class RtmSetupForm(Form):
    day = DayField("Date of set-up and education", validators=[InputRequired("Give the date.")])


class ProcedureConsentForm(Form):
    """Staff record that the patient read "Before your injection" with them in clinic and agreed."""

    confirmed = BooleanField(
        "The patient read “Before your injection” with me (on screen or on paper) and agreed to the "
        "injection",
        validators=[DataRequired("Tick the box once the patient has read the page and agreed.")],
    )
