"""The composer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.care.content import MESSAGES_WRITE_FIRST
from app.forms import Form, printable
from app.models.between_visits import MESSAGE_MAX_LENGTH


class MessageForm(Form):
    body = TextAreaField(
        _l("Your message"),  # staff read it; patients read the catalogue's label
        filters=[printable],
        validators=[
            DataRequired(MESSAGES_WRITE_FIRST),
            Length(
                max=MESSAGE_MAX_LENGTH,
                message=_l("Keep the message to %(max)d characters or fewer. It has %(length)d now."),
            ),
        ],
    )
