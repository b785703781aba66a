"""Sign-in forms."""

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
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from app.care.reminders import in_quiet_hours
from app.forms import Form, printable, stripped


class SignInForm(Form):
    email = EmailField(
        "Email",
        filters=[stripped],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter an email address like name@example.com."),
            Length(max=254),
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1024)])
    next = HiddenField()
    submit = SubmitField("Sign in")


class LanguageForm(Form):
    """The language of the pages; the choices are the languages ready now (set by the view)."""

    language = SelectField("Language", validators=[InputRequired("Choose a language from the list.")])
    next = HiddenField()


class ChoosePasswordForm(Form):
    password = PasswordField("New password", validators=[DataRequired("Choose a password.")])


class ChangePasswordForm(Form):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    password = PasswordField("New password", validators=[DataRequired("Choose a new password.")])


class PasskeyNameForm(Form):
    name = StringField(
        "Name this device",
        filters=[printable],
        validators=[
            DataRequired("Give the passkey a name, like “My phone”."),
            Length(max=60, message="Keep the name to 60 characters or fewer."),
        ],
    )


US_TIMEZONES = (
    ("America/New_York", "Eastern time"),
    ("America/Chicago", "Central time"),
    ("America/Denver", "Mountain time"),
    ("America/Phoenix", "Arizona time"),
    ("America/Los_Angeles", "Pacific time"),
    ("America/Anchorage", "Alaska time"),
    ("Pacific/Honolulu", "Hawaii time"),
)


class ReminderForm(Form):
    by_email = BooleanField("By e-mail")
    by_push = BooleanField("As a notification on my phone")
    daily_log_at = TimeField(
        "Remind me about my daily log at", validators=[InputRequired("Enter a time, like 19:00.")]
    )
    quiet_from = TimeField("Quiet from", validators=[InputRequired("Enter a time, like 21:00.")])
    quiet_until = TimeField("Quiet until", validators=[InputRequired("Enter a time, like 08:00.")])
    timezone = SelectField(
        "Time zone",
        choices=[SelectChoice("", "The clinic's time zone"), *(SelectChoice(*zone) for zone in US_TIMEZONES)],
    )

    def validate_daily_log_at(self, field: TimeField) -> None:
        quiet = (self.quiet_from.data, self.quiet_until.data)
        if field.data and all(quiet) and in_quiet_hours(field.data, *quiet):
            raise ValidationError("Choose a time outside your quiet hours.")
