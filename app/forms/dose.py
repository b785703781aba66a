"""An exercise's dose as staff type it: the therapist's plan editor and the admin's exercise
library (a default dose per phase) check it the same way."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import Length

from app.forms import Form, stripped, whole_number


class DoseForm(Form):
    sets = whole_number(_l("Sets"), 1, 10)
    reps = whole_number(_l("Reps"), 1, 100)
    hold_seconds = whole_number(_l("Hold (seconds)"), 1, 300)
    minutes = whole_number(_l("Minutes"), 1, 180)
    times_per_day = whole_number(_l("Times a day"), 1, 10)
    days_per_week = whole_number(_l("Days a week"), 1, 7)
    cue = StringField(
        _l("Cue for the patient"),
        filters=[stripped],
        validators=[Length(max=200, message=_l("Keep the cue to 200 characters."))],
    )

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        valid: bool = super().validate(extra_validators)
        amounts = (self.sets.data, self.reps.data, self.hold_seconds.data, self.minutes.data)
        if valid and not any(amounts) and not self.cue.data:
            self.form_errors.append(
                gettext("Give sets, reps, a hold, minutes or a cue, so the patient knows how much to do.")
            )
            return False
        return valid


DOSE_NAMES = ("sets", "reps", "hold_seconds", "minutes", "times_per_day", "days_per_week", "cue")


class PhaseDoseForm(DoseForm):
    """A library exercise's default dose in one phase, inside the exercise's form (its CSRF token is
    the outer form's). Left blank, the exercise has no default dose in that phase; anything typed
    is checked as the plan editor checks a dose."""

    class Meta:
        csrf = False

    def is_blank(self) -> bool:
        return all(not (self[name].raw_data and str(self[name].raw_data[0]).strip()) for name in DOSE_NAMES)

    def validate(self, extra_validators: Mapping[str, Sequence[Any]] | None = None) -> bool:
        if self.is_blank():
            return True
        return super().validate(extra_validators)
