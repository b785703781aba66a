"""Words of the sign-in and account pages, the error page, and the lines the phone's scripts show
(app/static/js/*.js read them from the page, app/web/script_words.py: they have none of their own)
(see app/care/words/__init__.py). Staff read these pages too, in their own language.

A text with `{phone}`, `{email}` or `{again}` has a piece of the page there (a link, a name in
bold): `say` fills it with that piece as it is."""

# ruff: noqa: S105 (texts about passwords, not passwords)
from __future__ import annotations

from app.care.words import Plural

# --- The sign-in page ------------------------------------------------------------------------------
SIGN_IN = "Sign in"
SIGN_IN_INTRO = "Your PRP plan, daily pain log and home exercises."
SIGN_IN_HELP = "Forgot your password or need an account? Call the clinic at {phone}."
EMAIL_LABEL = "Email"
PASSWORD_LABEL = "Password"
EMAIL_MISSING = "Enter your email address."
EMAIL_NOT_AN_ADDRESS = "Enter an email address like name@example.com."
EMAIL_TOO_LONG = "An email address has at most 254 characters. Check the one you typed."
PASSWORD_MISSING = "Enter your password."
PASSWORD_TOO_LONG = "That is too long for a password. Check what you typed."
NO_MATCH = "That email and password do not match. Check both and try again."
WAIT_SECONDS = Plural(
    "Too many tries. For your safety, wait {count} second, then try again.",
    "Too many tries. For your safety, wait {count} seconds, then try again.",
)
WAIT_MINUTES = Plural(
    "Too many tries. For your safety, wait {count} minute, then try again.",
    "Too many tries. For your safety, wait {count} minutes, then try again.",
)
ACCOUNT_NOT_ACTIVE = "This account is not active. Please call the clinic."
FAILED_TRIES = Plural(
    "There was {count} failed try to sign in to your account since you last signed in, the latest "
    "from {address}. If that was not you, change your password on your account page.",
    "There were {count} failed tries to sign in to your account since you last signed in, the "
    "latest from {address}. If that was not you, change your password on your account page.",
)
UNKNOWN_ADDRESS = "an unknown address"
SIGNED_OUT = "You are signed out."

# --- Passkeys on the sign-in page -----------------------------------------------------------------
PASSKEY_SIGN_IN_HINT = "Added a passkey on this device? Use it instead of your password."
PASSKEY_SIGN_IN = "Sign in with a passkey"

# --- The language chooser (sign-in, set-password and account pages) -------------------------------
LANGUAGE_LABEL = "Language"
LANGUAGE_CHANGE = "Change language"
LANGUAGE_NOT_OFFERED = "Choose a language from the list."

# --- When many wrong tries were made: the e-mailed link ---------------------------------------------
CHECK_EMAIL_TITLE = "Check your email"
CHECK_EMAIL_WHY = (
    "There were many wrong tries to sign in to this account. So for your safety, a password alone "
    "is not enough right now."
)
CHECK_EMAIL_SENT = (
    "If the email and password were right, we sent a link to that email. Open it on this device to "
    "finish signing in. It works once, for {minutes} minutes."
)
CHECK_EMAIL_NONE = (
    "No email? Check the password and {again}, or call the clinic at {phone}. A device you signed "
    "in on before, or a passkey, signs you in at once."
)
CHECK_EMAIL_TRY_AGAIN = "try again"
SIGN_IN_LINK_TITLE = "Finish signing in"
SIGN_IN_LINK_INTRO = "Press the button to sign in to Backtrack on this device."
LINK_NO_LONGER_WORKS = "This link no longer works"
SIGN_IN_LINK_UNUSABLE = (
    "This sign-in link has expired or was already used. Sign in again with your password for a new one."
)

# --- Choosing a password with the clinic's link -------------------------------------------------
SETUP_TITLE = "Choose your password"
SETUP_WELCOME = "Welcome, {name}"
SETUP_INTRO = "Choose a password for Backtrack. You will use it with your email, {email}, to sign in."
SETUP_SAVE = "Save and sign in"
SETUP_LINK_UNUSABLE = (
    "This link has expired, was already used, or was replaced by a newer one. Ask the clinic for a new link."
)
PASSWORD_SET = "Your password is set, {name}. Welcome to Backtrack."
NEW_PASSWORD_LABEL = "New password"
NEW_PASSWORD_HINT = (
    "At least {least} characters. A short sentence, or a few words that do not go together, is easy "
    "to remember and hard to guess. For example: “river lamp orange cloud”."
)
PASSWORD_SHOW = "Show"
PASSWORD_HIDE = "Hide"
CHOOSE_A_PASSWORD = "Choose a password."
PASSWORD_TOO_SHORT = (
    "Use at least {least} characters. It has {length} now. A short sentence you can remember works well."
)
PASSWORD_TOO_LONG_TO_KEEP = "Use at most {most} characters."
PASSWORD_HAS_EMAIL = "Do not use your email address in your password."
PASSWORD_EASY_TO_GUESS = "{why} Try a few unrelated words, like “river lamp orange cloud”."
# Why a password is easy to guess (the checker, zxcvbn, names which one applies).
GUESS_TOO_EASY = "It is too easy to guess."
GUESS_KEY_ROW = "Keys in a row on the keyboard are easy to guess."
GUESS_KEY_PATTERN = "Short patterns of keys are easy to guess."
GUESS_REPEATS = "Repeats like “aaa” are easy to guess."
GUESS_REPEATED_WORDS = "Repeats like “abcabc” are just a bit harder to guess than “abc”."
GUESS_SEQUENCE = "Runs like “abc” or “6543” are easy to guess."
GUESS_YEARS = "Recent years are easy to guess."
GUESS_DATES = "Dates are often easy to guess."
GUESS_TOP_10 = "This is one of the 10 most used passwords."
GUESS_TOP_100 = "This is one of the 100 most used passwords."
GUESS_COMMON = "Many people use this password."
GUESS_LIKE_COMMON = "This is close to a password many people use."
GUESS_ONE_WORD = "One word by itself is easy to guess."
GUESS_NAMES = "Names by themselves are easy to guess."
GUESS_COMMON_NAMES = "Common names are easy to guess."

# --- The account page --------------------------------------------------------------------------
ACCOUNT_TITLE = "Your account"
CHANGE_PASSWORD_TITLE = "Change your password"
CURRENT_PASSWORD_LABEL = "Current password"
CURRENT_PASSWORD_MISSING = "Enter your current password."
NEW_PASSWORD_MISSING = "Choose a new password."
NOT_CURRENT_PASSWORD = "That is not your current password."
CHANGE_PASSWORD = "Change password"
CHANGE_PASSWORD_NOTE = "Changing your password signs you out on your other phones and computers."
PASSWORD_CHANGED = "Your password is changed. You are signed out on your other devices."

# Where you are signed in.
SESSIONS_TITLE = "Where you are signed in"
SESSION_THIS_DEVICE = "This device"
SESSION_TIMES = "From {address} · signed in {since} · last seen {seen}"
SESSION_WHICH = "{device}, signed in {since}"
DEVICE_BROWSER_ON = "{browser} on {system}"
DEVICE_A_BROWSER = "A browser"
SIGN_OUT_EVERYWHERE = "Sign out everywhere"
SESSIONS_END_ON_THEIR_OWN = (
    "Sessions end on their own after {idle_minutes} minutes without use, and after {max_hours} hours in all."
)
SESSION_ENDED = "That session is ended. That device must sign in again."
SIGNED_OUT_EVERYWHERE = "You are signed out on every device."

# Passkeys.
PASSKEYS_TITLE = "Passkeys"
PASSKEY_ADDED_ON = "Added {added}"
PASSKEY_ADDED_AND_USED = "Added {added} · last used {used}"
PASSKEY_REMOVE = "Remove"
PASSKEYS_NONE = "You have no passkeys yet."
PASSKEY_NAME_LABEL = "Name this device"
PASSKEY_NAME_HINT = "For example “My phone” or “Work laptop”."
PASSKEY_NAME_MISSING = "Give the passkey a name, like “My phone”."
PASSKEY_NAME_TOO_LONG = "Keep the name to 60 characters or fewer."
PASSKEY_ADD = "Add a passkey"
PASSKEY_UNSUPPORTED = (
    "To add a passkey, open this page in a browser that can use them. Most phones from 2022 on can."
)
PASSKEY_ADDED = "The passkey “{name}” is added. Next time, sign in with it."
PASSKEY_REMOVED = "The passkey “{name}” is removed. It no longer signs you in."
PASSKEY_ALREADY_ADDED = "This passkey is already added."
PASSKEY_UNKNOWN = "This passkey does not work here. Sign in with your email and password."
PASSKEY_TOO_SLOW = "That took too long, or the page was old. Please try again."
PASSKEY_NOT_CHECKED = "That passkey could not be checked. Please try again, or use your password."
# The one-time offer on Today after a first password sign-in on a phone.
PASSKEY_SET_UP = "Set it up"
PASSKEY_NOT_NOW = "Not now"
PASSKEY_THIS_PHONE = "This phone"

# Reminders.
REMINDERS_TITLE = "Reminders"
REMINDERS_SEND_ME = "Send me reminders"
REMINDERS_BY_EMAIL = "By e-mail"
REMINDERS_BY_PUSH = "As a notification on my phone"
REMINDERS_DAILY_LOG_AT = "Remind me about my daily log at"
REMINDERS_QUIET_HOURS = "Quiet hours"
REMINDERS_QUIET_FROM = "Quiet from"
REMINDERS_QUIET_UNTIL = "Quiet until"
REMINDERS_TIME_ZONE = "Time zone"
TIME_ZONE_NOT_LISTED = "Choose a time zone from the list."
TIME_ZONE_CLINIC = "The clinic's time zone"
TIME_ZONE_EASTERN = "Eastern time"
TIME_ZONE_CENTRAL = "Central time"
TIME_ZONE_MOUNTAIN = "Mountain time"
TIME_ZONE_ARIZONA = "Arizona time"
TIME_ZONE_PACIFIC = "Pacific time"
TIME_ZONE_ALASKA = "Alaska time"
TIME_ZONE_HAWAII = "Hawaii time"
REMINDERS_SAVE = "Save reminder choices"
TIME_LIKE_EVENING = "Enter a time, like 19:00."
TIME_LIKE_NIGHT = "Enter a time, like 21:00."
TIME_LIKE_MORNING = "Enter a time, like 08:00."
TIME_OUTSIDE_QUIET_HOURS = "Choose a time outside your quiet hours."
REMINDERS_SAVED = "Your reminder choices are saved."
REMINDERS_OFF = "Reminders are off."
PUSH_PERMISSION = "Each phone or computer asks you first before it shows these notes."
PUSH_ALLOW = "Turn on notes on this device"

# Apps that can read your records.
APPS_TITLE = "Apps that can read your records"
APP_ALLOWED = "Allowed {since} · can read until {until} unless you stop it"
APP_STOP = "Stop access"
APP_STOPPED = "{app} can no longer read your records."

# --- The error page --------------------------------------------------------------------------------
ERROR_CODE = "Error {code}"
ERROR_BAD_REQUEST = "That request did not work"
ERROR_NO_ACCESS = "You do not have access to this page"
ERROR_NOT_FOUND = "We could not find that page"
ERROR_NOT_ALLOWED = "That action is not allowed here"
ERROR_TOO_LARGE = "That was too much to send"
ERROR_CHECK_ANSWERS = "Please check your answers"
ERROR_TOO_MANY = "Too many tries"
ERROR_OUR_SIDE = "Something went wrong on our side"
ERROR_GO_HOME = "Go to your home page"
ERROR_NEED_HELP = "Need help? Call the clinic at {phone}."
FORM_EXPIRED = (
    "This form had expired or was sent from somewhere else, so nothing was saved. Go back, reload "
    "the page and try again."
)
NOT_UNDERSTOOD = "That request was not understood."
# What any form says of a character a text answer cannot hold (app/forms/__init__.py).
UNUSUAL_CHARACTER = "This answer has a hidden character we cannot keep. Take it out, then try again."
ONE_LINE = "Keep this answer on one line: remove the line break or tab, then try again."
UNUSUAL_ADDRESS = "This address has characters a web address cannot have. Check the link and try again."

# --- Lines the phone's scripts show (app/web/script_words.py hands them over) -------------------
APP_DESCRIPTION = "Your PRP treatment plan, daily pain log and home exercises."
APP_NAME = "Backtrack: your PRP recovery"
SCRIPT_DID_NOT_WORK = "That did not work. Please reload the page and try again."
SCRIPT_ITEM_GONE = "That item is no longer there. Please reload the page."
SCRIPT_OUR_SIDE = "Something went wrong on our side. Nothing was lost: please try again."
SCRIPT_OFFLINE = "You seem to be offline. Nothing was sent. Please try again when you are back online."
SCRIPT_LINK_COPIED = "Link copied."
PASSKEY_NEEDS_NAME = "Passkeys need this site's name, not a number: open it at {address} and try again."
PASSKEY_NOT_ADDED = "No passkey was added."
PASSKEY_NOT_USED = "No passkey was used. You can sign in with your password."
PASSKEY_ALREADY_HERE = "This device already has a passkey for your account."
PASSKEY_MY_PHONE = "My phone"
PASSKEY_THIS_COMPUTER = "This computer"
PUSH_BLOCKED = "Notifications are blocked for this site in your browser settings."
PUSH_ON = "Notes are on for this device."
LOG_NOT_KEPT = "This phone could not keep your log. Please try again when you are online."
LOG_SIGN_IN_TO_SEND = "Sign in to send the log kept on this phone."
LOG_SENT = "Your log kept on this phone was sent."
LOGS_SENT = "{count} logs kept on this phone were sent."
LOG_UNSENT_AT_SIGN_OUT = (
    "A log kept on this phone has not been sent yet. Go online and wait until it is sent. Tap Sign "
    "out again to sign out anyway: the kept log will be lost."
)
