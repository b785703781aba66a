"""The composer."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.forms import stripped_lines
from app.models.between_visits import MESSAGE_MAX_LENGTH

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(value: str | None) -> str:
    """Typed text without control characters (a NUL byte cannot be stored by PostgreSQL)."""
    return CONTROL_CHARACTERS.sub("", stripped_lines(value))


class MessageForm(FlaskForm):
    body = TextAreaField(
        "Your message",
        filters=[printable],
        validators=[
            DataRequired("Write your message first."),
            Length(
                max=MESSAGE_MAX_LENGTH,
                message="Keep the message to %(max)d characters or fewer. It has %(length)d now.",
            ),
        ],
    )
