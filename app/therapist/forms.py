"""Forms for acknowledging alerts, tailoring the exercise plan and writing clinical notes. Labels
and messages are staff words (`_l`: translated when shown, in the reader's language)."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
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
        _l("Note (optional)"),
        filters=[stripped],
        validators=[Length(max=500, message=_l("Keep the note to 500 characters."))],
    )
    next = HiddenField()


class MedicinePlanForm(Form):
    note = TextAreaField(
        _l("What was planned (optional)"),
        filters=[stripped],
        validators=[Length(max=500, message=_l("Keep the note to 500 characters."))],
    )


class DirectionForm(Form):
    direction = RadioField(
        _l("Directional preference"),
        choices=[
            SelectChoice("extension", _l("Extension (press-up)")),
            SelectChoice("flexion", _l("Flexion (knees to chest)")),
        ],
        validate_choice=False,
        validators=[AnyOf(["extension", "flexion"], message=_l("Choose extension or flexion."))],
    )


class PrecautionsForm(Form):
    note = TextAreaField(
        _l("The surgeon's precautions"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Write the surgeon's precautions, or “none given”.")),
            Length(max=500, message=_l("Keep the note to 500 characters.")),
        ],
    )


class AddExerciseForm(Form):
    """The exercises offered are the library's signed ones (app/services/treatment/library.py),
    set by `add_exercise_form`; by default the catalogue's own."""

    exercise = SelectField(
        _l("Exercise"),
        choices=[SelectChoice(e.slug, e.name) for e in ALL_EXERCISES],
        validate_choice=False,
        validators=[DataRequired(_l("Choose an exercise."))],
    )
    phase = SelectField(
        _l("Phase"),
        choices=[SelectChoice(key, PHASES_BY_KEY[key].title) for key in EXERCISE_PHASE_KEYS],
        validate_choice=False,
        validators=[
            DataRequired(_l("Choose a phase.")),
            AnyOf(list(EXERCISE_PHASE_KEYS), message=_l("Choose a phase from the list.")),
        ],
    )

    def validate_exercise(self, field: SelectField) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose an exercise from the list."))


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
    # Names and phases in the reader's language (a built-in name is a catalogue text; a name the
    # clinic wrote has no translation and shows as written).
    form.exercise.choices = [SelectChoice(slug, gettext(name)) for slug, name in choices]
    form.phase.choices = [SelectChoice(key, gettext(PHASES_BY_KEY[key].title)) for key in EXERCISE_PHASE_KEYS]
    return form


class VersionForm(Form):
    """ "Update to version N": the signed version the therapist saw (a newer one since refuses)."""

    version = HiddenField(validators=[DataRequired()])


class MoveForm(Form):
    direction = HiddenField(validators=[AnyOf(["up", "down"], message=_l("Unknown direction."))])


class NoteForm(Form):
    body = TextAreaField(
        _l("New note"),
        filters=[stripped_lines],
        validators=[
            DataRequired(_l("Write the note first.")),
            Length(
                max=CLINICAL_NOTE_MAX_LENGTH,
                message=_l("Keep the note to %(max)d characters. It has %(length)d now."),
            ),
        ],
    )


class TimeLogForm(Form):
    """Time spent on a patient's remote monitoring (for the RTM treatment-management codes)."""

    day = DayField(_l("Date"), validators=[InputRequired(_l("Give the date."))])
    minutes = whole_number(_l("Minutes"), 1, TIME_LOG_MAX_MINUTES, required=True)
    what = StringField(
        _l("What was done"),
        filters=[single_line],
        validators=[
            DataRequired(_l("Say what was done, for example: reviewed logs, adjusted the plan.")),
            Length(max=TIME_LOG_WHAT_MAX, message=_l("Keep it to %(max)d characters.")),
        ],
    )
    interactive = BooleanField(_l("Included a live call or video visit with the patient"))

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
            self.day.errors = [gettext("The date cannot be in the future.")]
            return False
        if self.day.data < earliest:
            self.day.errors = [
                gettext("The date cannot be before Visit 1 (%(day)s).", day=earliest.isoformat())
            ]
            return False
        return True


class RtmConsentForm(Form):
    day = DayField(_l("Date the patient consented"), validators=[InputRequired(_l("Give the date."))])
    how = SelectField(
        _l("How"),
        choices=[SelectChoice(key, _l(words)) for key, words in CONSENT_HOW.items()],
        validate_choice=False,
        validators=[AnyOf(list(CONSENT_HOW), message=_l("Choose how the patient consented."))],
    )


class RtmSetupForm(Form):
    day = DayField(_l("Date of set-up and education"), validators=[InputRequired(_l("Give the date."))])


class ProcedureConsentForm(Form):
    """Staff record that the patient read "Before your injection" with them in clinic and agreed."""

    confirmed = BooleanField(
        "The patient read “Before your injection” with me (on screen or on paper) and agreed to the "
        "injection",
        validators=[DataRequired(_l("Tick the box once the patient has read the page and agreed."))],
    )
