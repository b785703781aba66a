"""Sign-in and account forms. Their labels and messages are catalogue texts (app/care/words/
account.py), in English here; the templates show them in the reader's language (`say`)."""

from __future__ import annotations

from typing import Any

from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Email, InputRequired, Length, ValidationError

from app.care import content
from app.care.reminders import in_quiet_hours
from app.forms import Form, printable, stripped


class SignInForm(Form):
    email = EmailField(
        content.EMAIL_LABEL,
        filters=[stripped],
        validators=[
            DataRequired(content.EMAIL_MISSING),
            Email(content.EMAIL_NOT_AN_ADDRESS),
            Length(max=254, message=content.EMAIL_TOO_LONG),
        ],
    )
    password = PasswordField(
        content.PASSWORD_LABEL,
        validators=[
            DataRequired(content.PASSWORD_MISSING),
            Length(max=1024, message=content.PASSWORD_TOO_LONG),
        ],
    )
    next = HiddenField()
    submit = SubmitField(content.SIGN_IN)


class LanguageForm(Form):
    """The language of the pages; the choices are the languages ready now (set by the view)."""

    language = SelectField(content.LANGUAGE_LABEL, validators=[InputRequired(content.LANGUAGE_NOT_OFFERED)])
    next = HiddenField()
    # The label's word for "Language" in each other ready language (set by the view).
    label_elsewhere: list[tuple[str, str]]


class ChoosePasswordForm(Form):
    password = PasswordField(content.NEW_PASSWORD_LABEL, validators=[DataRequired(content.CHOOSE_A_PASSWORD)])


class ChangePasswordForm(Form):
    current_password = PasswordField(
        content.CURRENT_PASSWORD_LABEL, validators=[DataRequired(content.CURRENT_PASSWORD_MISSING)]
    )
    password = PasswordField(
        content.NEW_PASSWORD_LABEL, validators=[DataRequired(content.NEW_PASSWORD_MISSING)]
    )


class PasskeyNameForm(Form):
    name = StringField(
        content.PASSKEY_NAME_LABEL,
        filters=[printable],
        validators=[
            DataRequired(content.PASSKEY_NAME_MISSING),
            Length(max=60, message=content.PASSKEY_NAME_TOO_LONG),
        ],
    )


US_TIMEZONES = (
    ("America/New_York", content.TIME_ZONE_EASTERN),
    ("America/Chicago", content.TIME_ZONE_CENTRAL),
    ("America/Denver", content.TIME_ZONE_MOUNTAIN),
    ("America/Phoenix", content.TIME_ZONE_ARIZONA),
    ("America/Los_Angeles", content.TIME_ZONE_PACIFIC),
    ("America/Anchorage", content.TIME_ZONE_ALASKA),
    ("Pacific/Honolulu", content.TIME_ZONE_HAWAII),
)


def clock_field(label: str, example: str) -> Any:
    """A time of day; an empty or unreadable one is asked again with an example."""
    return TimeField(label, validators=[InputRequired(example)], invalid_value_message=example)


class ReminderForm(Form):
    by_email = BooleanField(content.REMINDERS_BY_EMAIL)
    by_push = BooleanField(content.REMINDERS_BY_PUSH)
    daily_log_at = clock_field(content.REMINDERS_DAILY_LOG_AT, content.TIME_LIKE_EVENING)
    quiet_from = clock_field(content.REMINDERS_QUIET_FROM, content.TIME_LIKE_NIGHT)
    quiet_until = clock_field(content.REMINDERS_QUIET_UNTIL, content.TIME_LIKE_MORNING)
    timezone = SelectField(
        content.REMINDERS_TIME_ZONE,
        choices=[SelectChoice("", content.TIME_ZONE_CLINIC), *(SelectChoice(*zone) for zone in US_TIMEZONES)],
        validate_choice=False,  # checked here, with words of the catalogue:
        validators=[AnyOf(["", *dict(US_TIMEZONES)], message=content.TIME_ZONE_NOT_LISTED)],
    )

    def validate_daily_log_at(self, field: TimeField) -> None:
        quiet = (self.quiet_from.data, self.quiet_until.data)
        if field.data and all(quiet) and in_quiet_hours(field.data, *quiet):
            raise ValidationError(content.TIME_OUTSIDE_QUIET_HOURS)
