"""Words of the patient's pages around the clinical content: the menu and footer, Today's
headings, the daily log's questions and summary, the progress figures, the questionnaire card and
the offline page (see app/care/words/__init__.py)."""

from __future__ import annotations

from app.care.words import Plural

# --- The menu, on every page -------------------------------------------------------------------
SKIP_TO_MAIN = "Skip to main content"
NAV_MAIN = "Main"  # the menu's name, as a screen reader says it
URGENT_CARD_LABEL = "Warning sign"  # the urgent card's name, as a screen reader says it
NAV_TODAY = "Today"
NAV_PROGRESS = "Progress"
NAV_HISTORY = "History"
NAV_RECORDS = "Records"
NAV_MESSAGES = "Messages"
NAV_UNREAD = "unread"
NAV_ACCOUNT = "Account"
SIGN_OUT = "Sign out"
FOOTER_CALL = "Call {phone}"

# --- The phases, as the timeline and Today name them (app/care/protocol.py) -----------------------
PHASE_TITLES: dict[str, str] = {
    "evaluation": "Evaluation",
    "injection": "Injection day",
    "protect": "Weeks 1–2: calm and protect",
    "restore": "Weeks 3–6: restore function",
    "strengthen": "Weeks 7–12: build strength",
    "maintain": "Maintenance",
}

# --- Today ----------------------------------------------------------------------------------------
TODAY_GREETING = "Hi, {name}"
YOUR_PRP_PLAN = "Your PRP plan"
DAY_AFTER_INJECTION = "Day {count} after your injection · week {week}"
INJECTION_IS_TODAY = "Your injection is today"
INJECTION_IN_DAYS = Plural(
    "Your injection is in {count} day, on {date}", "Your injection is in {count} days, on {date}"
)
NEXT_PHASE_IN = Plural("Next: {phase} in {count} day", "Next: {phase} in {count} days")
TIMELINE_LABEL = "Your treatment timeline"
YOU_ARE_HERE = "you are here"
WELCOME_TITLE = "Welcome to Backtrack"
WHAT_COMES_NEXT = "What comes next"
SAVE = "Save"
NSAID_STOP_SOON = "Anti-inflammatory pills stop soon"
LIST_YOUR_MEDICINES = "List your medicines"
SEE_OR_CHANGE_MEDICINES = "See or change your list"
YOUR_PROGRESS = "Your progress"
SEE_PAIN_CHART = "See your pain chart and questionnaires"
TODAYS_EXERCISES = "Today's exercises"
NOT_TODAY = "Not today"
THIS_PHASE = "This phase"
PHASE_DO = "Do"
PHASE_AVOID = "Avoid"

# --- Progress figures (Today and the Progress page) -----------------------------------------------
BEFORE_TREATMENT = "Before treatment"
LAST_7_DAYS = "Last 7 days"
PAIN_CHANGE = "Change"
NOT_RECORDED = "Not recorded"
NO_LOGS_YET = "No logs yet"
POINTS_LOWER = Plural("{count} point lower", "{count} points lower")
POINTS_HIGHER = Plural("{count} point higher", "{count} points higher")
PERCENT_BETTER = "({percent}% better)"
PERCENT_WORSE = "({percent}% worse)"
NO_CHANGE = "No change"

# --- The questionnaire card -------------------------------------------------------------------
QUESTIONNAIRE_WAITING = "Waiting for you"
QUESTIONNAIRE_READY = "Ready now"
QUESTIONNAIRE_START = "Start: {title}"

# --- The daily log --------------------------------------------------------------------------------
TODAYS_LOG = "Today's log"
LOG_FOR_DAY = "Log for {day}"
BACK_PAIN_NOW = "Back pain right now"
LEG_PAIN_NOW = "Leg pain right now (optional)"
PAIN_SCALE_SKIP = "Skip"
MEDICINE_TAKEN_TODAY = "Pain medicine taken today"
NOTE_LABEL = "Note (optional)"
SAVE_TODAYS_LOG = "Save today's log"
SAVE_THIS_LOG = "Save this log"
LOG_CANCEL = "Cancel"
LOG_TODAY = "Log today"
CHANGE_THIS_LOG = "Change this log"
SUMMARY_BACK_PAIN = "Back pain"
SUMMARY_LEG_PAIN = "Leg pain"
SUMMARY_MEDICINE = "Medicine"
SUMMARY_WARNING_SIGNS = "Warning signs"
SUMMARY_NONE = "None"
SUMMARY_NOTE = "Note"

# --- The offline page -----------------------------------------------------------------------------
OFFLINE_TITLE = "You are offline"
OFFLINE_TRY_AGAIN = "Try again"
OFFLINE_KEEP_LOG = "Keep today's log on this phone"

# --- The Progress page ----------------------------------------------------------------------------
CHART_PAIN_TITLE = "Back pain"
CHART_LABEL = "Back pain, last 30 days"
CHART_DASHED_LINE = "Dashed line: before treatment."
CHART_SHOW_TABLE = "Show as a table"
CHART_TABLE_CAPTION = "Back pain by day, last 30 days"
CHART_TABLE_DAY = "Day"
TRENDS_TITLE = "Pain, daily life and activities"

# --- History, records, medicines, messages ---------------------------------------------------------
HISTORY_TITLE = "Your history"
HISTORY_LOG_TODAY = "Log today's pain"
HISTORY_CHANGE_ENTRY = "Change this entry"
HISTORY_CHANGE_ENTRY_FOR = "for {day}"
# Moving through a long list, a page at a time.
PAGES_LABEL = "Pages"
PAGE_NEWER = "Newer"
PAGE_OLDER = "Older"
PAGE_OF = "Page {page} of {pages}"
PAGE_N = "Page {page}"  # a list too long to count
RECORDS_TITLE = "Your records"
RECORDS_DOWNLOADS = "Downloads"
RECORDS_DOWNLOAD_DATA = "Download my data"
RECORDS_DOWNLOAD_FHIR = "Download as FHIR"
RECORDS_ADD_CALENDAR = "Add to my calendar"
RECORDS_PRINTABLE = "Printable summary"
BACK_TO_TODAY = "← Today"
MEDICINES_SAVE = "Save my list"
MESSAGES_WITH_THERAPIST = "With your care team: {name}, your therapist."
MESSAGES_WITH_CLINIC = "With your care team at {clinic}."
MESSAGES_WRITE_TITLE = "Write to your care team"
MESSAGES_SEE_WARNINGS = "See the warning signs"
MESSAGES_YOUR_MESSAGE = "Your message"
MESSAGES_WRITE_FIRST = "Write your message first."
MESSAGES_SEND = "Send"
MESSAGES_CONVERSATION = "Conversation"
MESSAGES_EARLIER = Plural("{count} earlier message not shown.", "{count} earlier messages not shown.")
MESSAGES_YOU = "You"
MESSAGES_CARE_TEAM = "{name}, your care team"
MESSAGES_READ_AT = "Read {when}"
MESSAGES_SENT = "Sent"

# --- Questionnaires -------------------------------------------------------------------------------
QUESTIONNAIRE_ANSWERED = "You answered this on {day}. You can change your answers until {end}."
QUESTIONNAIRE_CHECK_ANSWERS = "Please check the answers marked below. Nothing was saved yet."
PSFS_ACTIVITY_NAME = "Activity {count}"
PSFS_HOW_WELL = "How well can you do activity {count}?"
QUESTIONNAIRE_SAVE = "Save my answers"
QUESTIONNAIRE_SAVED = "Saved"
QUESTIONNAIRE_ONE_MORE = "One more is ready: {title}."
BACK_TO_TODAY_BUTTON = "Back to Today"

# --- The exercise row ----------------------------------------------------------------------------
EXERCISE_DONE = "Done"
EXERCISE_TIME = "Time {count}"
EXERCISE_TIME_OF = "of {count}: {name}"
EXERCISE_HOW = "How to do it"
EXERCISE_HOW_SHOW = "Show the steps"
EXERCISE_STOP = "Stop:"
EXERCISE_PHOTO_CAPTION = "A photo from your clinic."
LOG_PAGE_TITLE = "Your daily log"
GO_BACK = "← Back"
LOG_IS_SAVED = "Your log is saved."


LOG_TOO_OLD = "You can change only today's and yesterday's entries."

# --- Why a patient's answer was not taken (shown by the field, in the reader's language) ----------

PAIN_NUMBER_MISSING = "Choose a number from 0 to 10."
CHOOSE_LISTED = "Choose from the listed options."
WARNING_SIGNS_MISSING = "Tick any warning sign you have, or tick “No, none of these”."
WARNING_SIGNS_AND_NONE = "You ticked a warning sign and also “No, none of these”. Please check your answer."
NAME_TOO_LONG = "Keep the name to {max} characters or fewer. It has {length} now."
LOG_NOTE_TOO_LONG = "Keep the note to {max} characters or fewer. It has {length} now."
MEDICINES_TOO_LONG = "Keep the list to {max} characters or fewer. It has {length} now."
LOG_EVERY_MISSING = "Choose how often."
PGIC_MISSING = "Choose the answer that fits best."
PSFS_RATING_MISSING = "Rate this activity from 0 to 10."
PSFS_NAME_MISSING = "Name the activity you rated, or clear the rating."
PSFS_NAMED_TWICE = "Each activity can be named only once."
PSFS_NONE_NAMED = "Name at least one activity."
ACTION_NOT_UNDERSTOOD = "That action was not understood. Please reload the page and try again."
ANSWER_NOT_UNDERSTOOD = "That answer was not understood. Please reload the page and try again."
