"""Sign-in forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class SignInForm(FlaskForm):
    email = EmailField(
        "Email",
        filters=[lambda value: (value or "").strip()],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter an email address like name@example.com."),
            Length(max=254),
        ],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password."), Length(max=1024)])
    next = HiddenField()
    submit = SubmitField("Sign in")


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for button-only POSTs such as signing out."""

    submit = SubmitField("Submit")


class ChoosePasswordForm(FlaskForm):
    password = PasswordField("New password", validators=[DataRequired("Choose a password.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    password = PasswordField("New password", validators=[DataRequired("Choose a new password.")])
