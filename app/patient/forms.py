"""The patient's own small forms (the daily log's form is shared: `app.forms.daily_log`)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf


class ExerciseTickForm(FlaskForm):
    done = HiddenField(validators=[AnyOf(["1", "0"], message="Unknown action.")])
    # Which of the day's sessions (an exercise done twice a day has 1 and 2); absent means 1.
    session = HiddenField(default="1", validators=[AnyOf([str(n) for n in range(1, 11)])])
