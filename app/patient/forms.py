"""The patient's own small forms (the daily log's form is shared: `app.forms.daily_log`)."""

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms.validators import AnyOf


class ExerciseTickForm(FlaskForm):
    done = HiddenField(validators=[AnyOf(["1", "0"], message="Unknown action.")])
