"""The lines the phone's scripts show (app/static/js/*.js), in the page's language: every page
carries them in `<body data-script-words>` as JSON, and `Backtrack.word(key)` in app.js reads them.
The scripts have no words of their own, so what they say is in the catalogue, signed off and
translated like the rest, and the page needs no inline script (the CSP stays strict).

`{address}` and `{count}` stay in the text for the script to fill."""

from __future__ import annotations

from app.care import content
from app.services.clinic.languages import page_translations

SCRIPT_WORDS: dict[str, str] = {
    # app.js: a request that failed, the show-password button, the copy button.
    "did_not_work": content.SCRIPT_DID_NOT_WORK,
    "item_gone": content.SCRIPT_ITEM_GONE,
    "our_side": content.SCRIPT_OUR_SIDE,
    "offline": content.SCRIPT_OFFLINE,
    "password_show": content.PASSWORD_SHOW,
    "password_hide": content.PASSWORD_HIDE,
    "link_copied": content.SCRIPT_LINK_COPIED,
    # passkeys.js
    "passkey_needs_name": content.PASSKEY_NEEDS_NAME,
    "passkey_not_added": content.PASSKEY_NOT_ADDED,
    "passkey_not_used": content.PASSKEY_NOT_USED,
    "passkey_already_here": content.PASSKEY_ALREADY_HERE,
    "passkey_my_phone": content.PASSKEY_MY_PHONE,
    "passkey_this_computer": content.PASSKEY_THIS_COMPUTER,
    # push.js
    "push_blocked": content.PUSH_BLOCKED,
    "push_on": content.PUSH_ON,
    # offline-log.js
    "log_not_kept": content.LOG_NOT_KEPT,
    "log_sign_in_to_send": content.LOG_SIGN_IN_TO_SEND,
    "log_unsent_at_sign_out": content.LOG_UNSENT_AT_SIGN_OUT,
    "log_sent": content.LOG_SENT,
    "logs_sent": content.LOGS_SENT,
}


def script_words() -> dict[str, str]:
    """Every line the scripts may show, in the page's language."""
    words = page_translations()
    return {key: words.gettext(text) for key, text in SCRIPT_WORDS.items()}
