"""Words that reach a patient outside the pages: reminder e-mails and push notifications, the
sign-in link e-mail, the service worker's own line, the calendar file, the printable summary and
the data export's column headers (see app/care/words/__init__.py).

E-mails and pushes are sent outside a request, so the sender writes them in the recipient's
language (`speaking()` in app/services/clinic/languages.py); the calendar file and the export are
written in the patient's language the same way. A notification is read on a lock screen, so it
never names a symptom, a medicine or a treatment."""

from __future__ import annotations

from app.care.words import Plural

# --- Reminders: the subject is the whole notification (a push shows it as title and line) --------
REMINDER_DAILY_LOG = "Backtrack: your daily check-in is ready"
REMINDER_NSAID_WINDOW = "Backtrack: check your plan for tomorrow"
REMINDER_VISIT_2 = "Backtrack: you have a visit tomorrow"
REMINDER_MESSAGE = "Backtrack: you have a new message"
REMINDER_EMAIL_BODY = (
    "{subject}.\n\nOpen Backtrack to see it: {link}\n\n"
    "For your privacy, this e-mail has no health details. To change or stop these e-mails, go to "
    "your account in Backtrack: {account_link}\n"
)
# The service worker's line when a push arrives without one.
PUSH_FALLBACK = "Open Backtrack to see what is new."

# --- The sign-in link, e-mailed when an account is being guessed at ----------------------------
SIGN_IN_LINK_SUBJECT = "Your link to sign in"
SIGN_IN_LINK_EMAIL_BODY = (
    "Someone, maybe you, typed your password to sign in to Backtrack.\n\n"
    "There were many wrong tries on your account. So for your safety, we ask you to finish "
    "signing in with this link. It works once, for {minutes} minutes:\n\n{link}\n\n"
    "If this was not you, do not open the link. Call the clinic. Then change your password on "
    "your account page when you next sign in."
)

# --- The calendar file ------------------------------------------------------------------------------
CALENDAR_NAME = "{clinic}: your PRP plan"
CALENDAR_VISIT_1 = "Visit 1: evaluation"
CALENDAR_VISIT_2 = "Visit 2: PRP injection"
CALENDAR_PHASE_STARTS = "Starts: {phase}"
CALENDAR_NO_NSAIDS = "No anti-inflammatory pills"
CALENDAR_QUESTIONS = "If you have a question, call {clinic}: {phone}"
# The alarm the evening before each visit.
CALENDAR_ALARM_VISIT = "Your visit at {clinic} is tomorrow."

# --- The printable summary (app/templates/records/summary.html) --------------------------------
SUMMARY_PAGE_TITLE = "Summary: {name}"
SUMMARY_BACK = "← Back"
SUMMARY_PRINT_HINT = "To keep a copy, use your browser's Print and choose “Save as PDF”."
SUMMARY_HEADING = "{name}: PRP treatment summary"
SUMMARY_PRINTED = "Printed {day}"
SUMMARY_THERAPIST = "Therapist: {name}"
SUMMARY_DAY_AFTER = "Day {day} after the injection (week {week})"
SUMMARY_INJECTION_IN = Plural("Injection in {count} day", "Injection in {count} days")
SUMMARY_TIMELINE = "Timeline"
SUMMARY_TIMELINE_CAPTION = "Phases and their dates"
SUMMARY_VISIT_2 = "Visit 2: injection"
SUMMARY_NOW = "(now)"
SUMMARY_FROM = "From {day}"
SUMMARY_DONE_IN_DAYS = Plural("What was done, last {count} day", "What was done, last {count} days")
SUMMARY_DONE_CAPTION = "Pain logs and exercises done"
SUMMARY_DAYS_LOGGED = "Days with a pain log"
SUMMARY_DAYS_OF = "{done} of {expected} days ({percent}%)"
SUMMARY_EXERCISES_DONE = "Exercises done"
SUMMARY_SESSIONS_OF = "{done} of {expected} times ({percent}%)"
SUMMARY_WARNINGS_TITLE = "Warning signs reported"
SUMMARY_IN_OWN_WORDS = "A possible warning sign, in the patient's words:"
SUMMARY_EMERGENCY = "Emergency"
SUMMARY_SAME_DAY = "Same day"
SUMMARY_SEEN = "seen by the clinic"
SUMMARY_NONE_REPORTED = "None reported."
SUMMARY_PAIN_SINCE = "Back pain since {day}"
SUMMARY_NO_PAIN_YET = "No pain logged yet."
SUMMARY_CHART_LABEL = "Back pain by day since {day}"
SUMMARY_CHART_DESCRIPTION = (
    "Each dot is one day's back pain from 0 to 10. The dashed line is the pain before treatment. "
    "The shaded columns are the phases."
)
SUMMARY_CHART_KEY = (
    "0 = no pain, 10 = worst. Dashed: before treatment. Green band: a change big enough to matter."
)
SUMMARY_ACTIVITIES = "Activities (0 = cannot do, 10 = as before)"
SUMMARY_ACTIVITY = "Activity"
SUMMARY_EVALUATION = "Evaluation"
SUMMARY_WEEK = "Week {week}"
SUMMARY_EXERCISES_NOW = "Home exercises now ({phase})"

# --- The figures of pain, daily life and activities (Today, the summary) ------------------------
TREND_BACK_PAIN = "Back pain"
TREND_PEG = "Pain and daily life"
TREND_PSFS = "Activities you named"
TREND_PGIC = "Overall change you reported"
TREND_LOWER_BETTER = "0–10, lower is better"
TREND_HIGHER_BETTER = "0–10, higher is better"
TREND_BEFORE_NOW = "Before {before} · now {now}"
TREND_MEANINGFUL = "Meaningful ({threshold})"
TREND_NOT_YET = "Not yet meaningful ({threshold})"
TREND_NO_CHANGE_YET = "Change shows once there is a before and a later answer."
TREND_WEEK = "Week {week}: {answer}"
TREND_LOWER = "{threshold} lower"
# The change that counts as meaningful (app/care/progress.py), as the figures name it.
TREND_THRESHOLD = "{points} points or {percent} %"

# --- The data export: the column headers a person reads in a spreadsheet -------------------------
EXPORT_HEADERS: dict[str, str] = {
    "name": "Name",
    "email": "Email",
    "role": "Role",
    "active": "Active",
    "created": "Account made (UTC)",
    "treatment": "Treatment",
    "visit_1": "Visit 1 (evaluation)",
    "visit_2": "Visit 2 (injection)",
    "condition": "Condition",
    "sites": "Injection sites",
    "baseline": "Pain at first visit (0-10)",
    "therapist": "Therapist",
    "status": "Status",
    "day": "Day",
    "back_pain": "Back pain (0-10)",
    "leg_pain": "Leg pain (0-10)",
    "medicine": "Medicine",
    "warning_signs": "Warning signs",
    "note": "Note",
    "saved": "Saved (UTC)",
    "other_medicine": "Other medicine",
    "phase": "Phase",
    "exercise": "Exercise",
    "dose": "Dose",
    "cue": "Tip",
    "removed": "Taken off the plan (UTC)",
    "questionnaire": "Questionnaire",
    "round": "Round",
    "answered": "Answered",
    "item": "Question",
    "answer": "Answer",
    "score": "Score",
    "warning_sign": "Warning sign",
    "urgency": "How urgent",
    "acknowledged": "Seen by staff (UTC)",
    "staff_note": "Staff note",
    "reported_as": "How you told us",
    "in_words": "In your own words",
    "got_help": "Did you get help",
    "minutes": "Minutes",
    "what_was_done": "What was done",
    "live_call": "Live call or video",
    "by": "By",
    "setup_day": "Day of set-up and teaching",
    "recorded_by": "Recorded by",
    "consent_version": "Version of the words",
    "consent_language": "Language",
    "consent_how": "How",
    "consent_when": "When (UTC)",
    "consent_current": "Still in force",
}
# Cells in words, not codes.
EXPORT_WORDS: dict[str, str] = {
    "active": "Active",
    "not_active": "Not active",
    "live": "Live",
    "not_live": "Not live",
    "in_force": "In force",
    "not_in_force": "No longer in force",
    "ticked": "Ticked",
    "words": "In your own words",
    "derived": "Worked out from pain",
    "evaluation": "First visit",
    "online": "Read and confirmed online",
    "in_clinic": "Recorded in clinic",
}
EXPORT_WEEK = "Week {week}"
