"""Forms for accounts, treatments, clinic settings and the audit filter. Labels, choices and
messages are staff words (`_l`: translated when shown, in the reader's language); a choice that is
a catalogue text (a condition, a weekday) is translated the same way."""

from __future__ import annotations

import re
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import available_timezones

import sqlalchemy as sa
from flask import current_app, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.datastructures import FileStorage
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    InputRequired,
    Length,
    Optional,
    Regexp,
    StopValidation,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from app.care.before_injection import BLOOD_DRAW_CHOICES, DRIVE_HOME_CHOICES
from app.care.content import CONDITIONS, INJECTION_SITES, Dose
from app.care.hours import WEEKDAY_NAMES, WEEKDAYS, parse_dates, parse_time
from app.care.protocol import EXERCISE_PHASE_KEYS
from app.extensions import db
from app.forms import DayField, Form, stripped, stripped_lines, whole_number
from app.forms.dose import DOSE_NAMES, PhaseDoseForm
from app.models import ExerciseVersion, Role, User
from app.models.exercise_versions import (
    NAME_MAX,
    PHOTO_ALT_MAX,
    PURPOSE_MAX,
    STEP_MAX,
    STEPS_MAX,
    STOP_IF_MAX,
    TEXT_LANGUAGES,
)
from app.services.audit import ACTIONS
from app.services.audit.trail import AuditFilter
from app.services.clinic.settings import EDITABLE, ClinicSettings
from app.services.treatment.library import Draft
from app.services.treatment.photos import CleanPhoto, PhotoLimits, PhotoRefused, clean_photo, megabytes
from app.services.treatment.treatments import TreatmentDetails

ROLE_NAMES = {  # staff words
    Role.PATIENT.value: _l("Patient"),
    Role.THERAPIST.value: _l("Therapist"),
    Role.ADMIN.value: _l("Admin"),
}
ROLE_CHOICES = [SelectChoice(r.value, ROLE_NAMES[r.value]) for r in Role]
STRIP = [stripped]
PHONE_PATTERN = r"^\+?[0-9 ()\-.]{7,25}$"
CLOCK_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
MAX_DAYS_AHEAD = 365
MAX_YEARS_BACK = 3


class AccountForm(Form):
    full_name = StringField(
        _l("Full name"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the person's name.")),
            Length(max=120, message=_l("Keep the name to 120 characters.")),
        ],
    )
    email = EmailField(
        _l("Email"),
        filters=[lambda v: (v or "").strip().lower()],
        validators=[
            DataRequired(_l("Enter an email address.")),
            Length(max=254),
            Email(_l("Enter an email address like name@example.com.")),
        ],
    )
    role = SelectField(
        _l("Role"),
        choices=ROLE_CHOICES,
        validate_choice=False,
        default="patient",
        validators=[AnyOf([r.value for r in Role], message=_l("Choose a role from the list."))],
    )

    def __init__(self, *args: Any, account: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.account = account

    def validate_email(self, field: Field) -> None:
        taken = db.session.scalar(sa.select(User.id).where(User.email == field.data))
        if taken and (self.account is None or taken != self.account.id):
            raise ValidationError(_l("Another account already uses this email."))


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def therapist_choices() -> list[SelectChoice]:
    """Active therapists. There is no "no therapist" choice: every active treatment has a
    responsible clinician, who is told of each of its alerts."""
    therapists = db.session.execute(
        sa.select(User.id, User.full_name)
        .where(User.role == Role.THERAPIST.value, User.active.is_(True))
        .order_by(User.full_name)
    )
    return [SelectChoice("", gettext("Choose the responsible clinician"))] + [
        SelectChoice(str(i), name) for i, name in therapists
    ]


def staff_choices() -> list[SelectChoice]:
    """Active therapists and admins: who can be on call."""
    staff = db.session.execute(
        sa.select(User.id, User.full_name, User.role)
        .where(User.role.in_([Role.THERAPIST.value, Role.ADMIN.value]), User.active.is_(True))
        .order_by(User.full_name)
    )
    return [SelectChoice("", gettext("Choose who is on call"))] + [
        SelectChoice(str(i), f"{name} ({str(ROLE_NAMES.get(role, role)).lower()})") for i, name, role in staff
    ]


class TreatmentForm(Form):
    evaluation_date = DayField(
        _l("Evaluation (visit 1)"), validators=[InputRequired(_l("Enter the evaluation date."))]
    )
    injection_date = DayField(
        _l("Injection (visit 2)"), validators=[InputRequired(_l("Enter the injection date."))]
    )
    condition = SelectField(  # a condition's name is a catalogue text
        _l("Condition"),
        choices=[SelectChoice(k, _l(v)) for k, v in CONDITIONS.items()],
        validate_choice=False,
        validators=[AnyOf(list(CONDITIONS), message=_l("Choose a condition from the list."))],
    )
    sites = CheckboxesField(
        _l("Injection sites"),
        choices=[SelectChoice(k, _l(v)) for k, v in INJECTION_SITES.items()],
        validate_choice=False,
    )
    baseline_pain = whole_number(_l("Baseline back pain (0–10)"), 0, 10)
    therapist = SelectField(
        _l("Responsible clinician"),
        validate_choice=False,
        validators=[
            DataRequired(_l("Choose the responsible clinician: they are told of every warning sign."))
        ],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.therapist.choices = therapist_choices()

    def details(self) -> TreatmentDetails:
        """The treatment as entered (call after `validate`, which requires both dates)."""
        evaluation, injection = self.evaluation_date.data, self.injection_date.data
        if evaluation is None or injection is None:
            raise ValueError("details() needs a validated form")
        return TreatmentDetails(
            evaluation_date=evaluation,
            injection_date=injection,
            condition=self.condition.data,
            sites=tuple(self.sites.data),
            baseline_pain=self.baseline_pain.data,
            therapist_id=int(self.therapist.data),
        )

    def validate_sites(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one injection site."))
        if any(site not in INJECTION_SITES for site in field.data):
            raise ValidationError(_l("Choose sites from the list."))

    def validate_therapist(self, field: Field) -> None:
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose an active therapist from the list."))

    def validate_evaluation_date(self, field: Field) -> None:
        if field.data < self.today - timedelta(days=365 * MAX_YEARS_BACK):
            raise ValidationError(
                gettext(
                    "The evaluation is more than %(years)s years ago. Check the year.", years=MAX_YEARS_BACK
                )
            )
        if field.data > self.today + timedelta(days=MAX_DAYS_AHEAD):
            raise ValidationError(_l("The evaluation is more than a year ahead. Check the year."))

    def validate_injection_date(self, field: Field) -> None:
        if self.evaluation_date.data and field.data < self.evaluation_date.data:
            raise ValidationError(_l("The injection cannot be before the evaluation."))
        if field.data > self.today + timedelta(days=MAX_DAYS_AHEAD):
            raise ValidationError(_l("The injection is more than a year ahead. Check the year."))


class OnCallForm(Form):
    clinician = SelectField(
        _l("Clinician"), validate_choice=False, validators=[DataRequired(_l("Choose who is on call."))]
    )
    days = CheckboxesField(  # the weekdays' names are catalogue texts
        _l("Days"),
        choices=[SelectChoice(str(n), _l(name)) for n, name in enumerate(WEEKDAY_NAMES)],
        validate_choice=False,
    )
    starts_at = StringField(
        _l("From (24-hour, like 17:00)"),
        filters=STRIP,
        validators=[DataRequired(_l("Enter a time like 17:00."))],
    )
    ends_at = StringField(
        _l("To (24-hour, like 08:00; earlier than the start means the next day, the same time 24 hours)"),
        filters=STRIP,
        validators=[DataRequired(_l("Enter a time like 08:00."))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinician.choices = staff_choices()

    def validate_clinician(self, field: Field) -> None:
        if field.data not in {choice.value for choice in field.choices}:
            raise ValidationError(_l("Choose an active therapist or admin from the list."))

    def validate_days(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one day."))
        if any(day not in {str(n) for n in range(7)} for day in field.data):
            raise ValidationError(_l("Choose days from the list."))

    def validate_starts_at(self, field: Field) -> None:
        if not CLOCK_TIME.match(field.data or ""):
            raise ValidationError(_l("Enter a time like 17:00."))

    def validate_ends_at(self, field: Field) -> None:
        if not CLOCK_TIME.match(field.data or ""):
            raise ValidationError(_l("Enter a time like 08:00."))

    def shift(self) -> tuple[int, list[int], time, time]:
        """(clinician id, weekdays, starts, ends), after `validate`."""
        return (
            int(self.clinician.data),
            [int(day) for day in self.days.data],
            parse_time(self.starts_at.data),
            parse_time(self.ends_at.data),
        )


class TreatmentStatusForm(Form):
    status = SelectField(
        _l("Status"),
        validate_choice=False,
        choices=[SelectChoice("completed", _l("Completed")), SelectChoice("cancelled", _l("Cancelled"))],
        validators=[AnyOf(["completed", "cancelled"], message=_l("Choose completed or cancelled."))],
    )


TIMEZONES = sorted(available_timezones())


class SettingsForm(Form):
    name = StringField(
        _l("Clinic name"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the clinic's name.")),
            Length(max=120),
        ],
    )
    timezone = SelectField(  # a list, not free text: nobody has to know how tz names are spelt
        _l("Time zone"),
        choices=[SelectChoice(zone, zone.replace("_", " ")) for zone in TIMEZONES],
        validate_choice=False,
        render_kw={"required": False},  # a list always has a choice; "required" on it is invalid HTML
        validators=[
            DataRequired(_l("Choose a time zone, like America/New_York.")),
            AnyOf(TIMEZONES, message=_l("Choose a time zone from the list, like America/New_York.")),
        ],
    )
    phone = StringField(
        _l("Phone number"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the clinic's phone number.")),
            Regexp(PHONE_PATTERN, message=_l("Enter a phone number, like +1 555 010 0199.")),
        ],
    )
    nsaid_days_before = whole_number(_l("NSAID-free days before the injection"), 0, 30, required=True)
    nsaid_days_after = whole_number(_l("NSAID-free days after the injection"), 0, 60, required=True)
    no_ice_hours = whole_number(_l("Hours without ice after the injection"), 0, 168, required=True)
    open_days = CheckboxesField(
        _l("Days the clinic is open"),
        choices=[SelectChoice(key, _l(name)) for key, name in zip(WEEKDAYS, WEEKDAY_NAMES, strict=True)],
        validate_choice=False,
    )
    opens_at = StringField(_l("Opens at (24-hour, like 08:00)"), filters=STRIP)
    closes_at = StringField(_l("Closes at (24-hour, like 17:00)"), filters=STRIP)
    closed_dates = TextAreaField(
        _l("Holidays: dates the clinic is closed (like 2026-12-25, one per line or with commas)"),
        filters=STRIP,
        validators=[Optional(), Length(max=2000, message=_l("Enter at most 150 dates."))],
    )
    after_hours_phone = StringField(
        _l("After-hours phone number"),
        filters=STRIP,
        validators=[
            DataRequired(_l("Enter the number patients call when the clinic is closed.")),
            Regexp(PHONE_PATTERN, message=_l("Enter a phone number, like +1 555 010 0111.")),
        ],
    )

    escalate_minutes_open = whole_number(
        _l("Minutes an emergency waits for staff before it goes to the on-call clinician, clinic open"),
        5,
        240,
        required=True,
    )
    escalate_minutes_closed = whole_number(
        _l("Minutes an emergency waits for staff before it goes to the on-call clinician, clinic closed"),
        5,
        240,
        required=True,
    )

    blood_draw = RadioField(
        _l("Where the clinic draws the blood for the PRP"),
        choices=[SelectChoice(key, _l(words)) for key, words in BLOOD_DRAW_CHOICES.items()],
        validate_choice=False,
        validators=[AnyOf(list(BLOOD_DRAW_CHOICES), message=_l("Choose when the clinic draws the blood."))],
    )
    ultrasound_sites = CheckboxesField(
        _l("Sites the clinic injects under ultrasound"),
        choices=[SelectChoice(key, _l(name)) for key, name in INJECTION_SITES.items()],
        validate_choice=False,
    )
    drive_home = RadioField(
        _l("May patients drive themselves home after the injection?"),
        choices=[SelectChoice(key, _l(words)) for key, words in DRIVE_HOME_CHOICES.items()],
        validate_choice=False,
        validators=[AnyOf(list(DRIVE_HOME_CHOICES), message=_l("Choose whether patients may drive home."))],
    )

    patient_idle_minutes = whole_number(
        _l("Patients: minutes idle before signing out"), 5, 240, required=True
    )
    patient_max_hours = whole_number(_l("Patients: hours before signing in again"), 1, 24 * 30, required=True)
    staff_idle_minutes = whole_number(_l("Staff: minutes idle before signing out"), 5, 120, required=True)
    staff_max_hours = whole_number(_l("Staff: hours before signing in again"), 1, 24, required=True)

    def __init__(self, *args: Any, current: ClinicSettings, **kwargs: Any) -> None:
        super().__init__(*args, obj=current, **kwargs)
        if not self.is_submitted():
            self.open_days.data = current.open_days.split(",")
            self.ultrasound_sites.data = [key for key in current.ultrasound_sites.split(",") if key]

    def validate_open_days(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one day the clinic is open."))
        if any(day not in WEEKDAYS for day in field.data):
            raise ValidationError(_l("Choose days from the list."))

    def validate_ultrasound_sites(self, field: Field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one site the clinic injects under ultrasound."))
        if any(site not in INJECTION_SITES for site in field.data):
            raise ValidationError(_l("Choose sites from the list."))

    def validate_opens_at(self, field: Field) -> None:
        if not CLOCK_TIME.match(field.data or ""):
            raise ValidationError(_l("Enter a time like 08:00."))

    def validate_closes_at(self, field: Field) -> None:
        if not CLOCK_TIME.match(field.data or ""):
            raise ValidationError(_l("Enter a time like 17:00."))
        if CLOCK_TIME.match(self.opens_at.data or "") and field.data <= self.opens_at.data:
            raise ValidationError(_l("The clinic must close after it opens."))

    def validate_closed_dates(self, field: Field) -> None:
        try:
            parse_dates(field.data or "")
        except ValueError:
            raise ValidationError(
                _l("Enter dates like 2026-12-25, separated by commas or new lines.")
            ) from None

    def values(self) -> dict[str, str]:
        """Every setting as the text it is stored as."""
        lists = ("open_days", "ultrasound_sites")
        values = {name: str(self[name].data) for name in EDITABLE if name not in lists}
        chosen = set(self.open_days.data or [])
        values["open_days"] = ",".join(day for day in WEEKDAYS if day in chosen)
        values["closed_dates"] = ",".join(
            day.isoformat() for day in sorted(parse_dates(self.closed_dates.data or ""))
        )
        sites = set(self.ultrasound_sites.data or [])
        values["ultrasound_sites"] = ",".join(key for key in INJECTION_SITES if key in sites)
        return values


# The filter's words on the audit trail's own record stay English, whoever reads the page.
AUDIT_FILTER_NAMES = {
    "actor": "person acting",
    "patient": "patient",
    "action": "action",
    "date_from": "from",
    "date_to": "to",
}


class AuditFilterForm(Form):
    """Read from the query string (GET), so no CSRF token."""

    class Meta:
        csrf = False

    actor = StringField(
        _l("Person acting (part of a name or email)"),
        filters=STRIP,
        validators=[Length(max=254)],
    )
    patient = StringField(
        _l("Patient (part of a name or email)"),
        filters=STRIP,
        validators=[Length(max=254)],
    )
    action = SelectField(_l("Action"), validate_choice=False)
    date_from = DayField(_l("From"), validators=[Optional()])
    date_to = DayField(_l("To"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice("", gettext("All actions"))] + [
            SelectChoice(key, gettext(label)) for key, label in ACTIONS.items()
        ]

    def validate_date_to(self, field: DayField) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("“To” cannot be before “From”."))

    def words(self) -> str:
        """The filter in words, for the audit trail's own record of an export (in English)."""
        parts = [
            f"{AUDIT_FILTER_NAMES[name]} {value}"
            for name, value in (
                ("actor", self.actor.data),
                ("patient", self.patient.data),
                ("action", ACTIONS.get(self.action.data or "", "")),
                ("date_from", self.date_from.data),
                ("date_to", self.date_to.data),
            )
            if value
        ]
        return "Filtered by " + "; ".join(parts) if parts else "The whole trail, unfiltered"

    def wanted(self) -> AuditFilter:
        """The filter as typed (call after `validate`)."""
        return AuditFilter(
            self.actor.data, self.patient.data, self.action.data, self.date_from.data, self.date_to.data
        )


class SignoffForm(Form):
    """The physician confirms they have read the version on the page."""

    version = HiddenField(validators=[DataRequired(), Length(max=64)])
    translations = HiddenField(validators=[Length(max=400)])  # the translation versions shown
    reviewed = BooleanField(
        _l("I have reviewed every text and number on this sheet, and I approve it for use with patients."),
        validators=[DataRequired(_l("Tick the box to confirm you have reviewed this version."))],
    )


# --- The clinic's exercise library -----------------------------------------------------------------


def steps_of(text: str | None) -> tuple[str, ...]:
    """The steps typed one per line (blank lines dropped)."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


class ExerciseVersionForm(Form):
    """A version of a library exercise: its texts as patients will read them, in one language, and
    its default dose in each phase (checked as the plan editor checks a dose)."""

    name = StringField(
        _l("Name"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Give the exercise a name.")),
            Length(max=NAME_MAX, message=_l("Keep the name to %(max)d characters.")),
        ],
    )
    purpose = TextAreaField(
        _l("What it is for"),
        filters=[stripped_lines],
        validators=[
            DataRequired(_l("Say in a sentence what the exercise is for.")),
            Length(max=PURPOSE_MAX, message=_l("Keep this to %(max)d characters.")),
        ],
    )
    steps = TextAreaField(
        _l("Steps, one per line"),
        filters=[stripped_lines],
        validators=[DataRequired(_l("Write the steps, one per line."))],
    )
    stop_if = TextAreaField(
        _l("When to stop"),
        filters=[stripped_lines],
        validators=[
            DataRequired(_l("Say when the patient should stop.")),
            Length(max=STOP_IF_MAX, message=_l("Keep this to %(max)d characters.")),
        ],
    )
    language = SelectField(
        _l("Language of the text"),
        choices=[SelectChoice("en", "English"), SelectChoice("es", "Español")],
        validate_choice=False,
        default="en",
        validators=[AnyOf(list(TEXT_LANGUAGES), message=_l("Choose English or Spanish."))],
    )
    protect = FormField(PhaseDoseForm)
    restore = FormField(PhaseDoseForm)
    strengthen = FormField(PhaseDoseForm)
    maintain = FormField(PhaseDoseForm)

    def validate_steps(self, field: TextAreaField) -> None:
        steps = steps_of(field.data)
        if len(steps) > STEPS_MAX:
            raise ValidationError(
                gettext(
                    "Keep it to %(most)s steps. There are %(count)s now.", most=STEPS_MAX, count=len(steps)
                )
            )
        if any(len(step) > STEP_MAX for step in steps):
            raise ValidationError(gettext("Keep each step to %(most)s characters.", most=STEP_MAX))

    def phase_forms(self) -> list[tuple[str, PhaseDoseForm]]:
        return [(phase, self[phase].form) for phase in EXERCISE_PHASE_KEYS]

    def draft(self) -> Draft:
        doses = {}
        for phase, form in self.phase_forms():
            if not form.is_blank():
                doses[phase] = Dose(
                    **{name: form[name].data for name in DOSE_NAMES if name != "cue"}, cue=form.cue.data or ""
                )
        return Draft(
            name=self.name.data or "",
            purpose=self.purpose.data or "",
            steps=steps_of(self.steps.data),
            stop_if=self.stop_if.data or "",
            language=self.language.data or "en",
            doses=doses,
        )


def version_form_data(version: ExerciseVersion, doses: dict[str, Dose]) -> dict[str, Any]:
    """A version's fields as the form's starting values (editing starts from what is there)."""
    data: dict[str, Any] = {
        "name": version.name,
        "purpose": version.purpose,
        "steps": "\n".join(version.steps),
        "stop_if": version.stop_if,
        "language": version.language,
    }
    for phase, dose in doses.items():
        data[phase] = {name: getattr(dose, name) for name in DOSE_NAMES}
    return data


class SignVersionForm(Form):
    """The physician confirms they have read this version of the exercise: the fingerprint of what
    the page showed them (texts, doses, photo) comes back with the tick."""

    reviewed = BooleanField(
        _l("I have reviewed this version's texts and doses, and I approve it for use with patients."),
        validators=[DataRequired(_l("Tick the box to confirm you have reviewed this version."))],
    )
    fingerprint = HiddenField(filters=[stripped])


def photo_limits() -> PhotoLimits:
    config = current_app.config
    return PhotoLimits(
        max_bytes=int(config["EXERCISE_PHOTO_MAX_BYTES"]),
        max_pixels=int(config["EXERCISE_PHOTO_MAX_PIXELS"]),
        max_edge=int(config["EXERCISE_PHOTO_MAX_EDGE"]),
    )


def refusal_words(refused: PhotoRefused) -> str:
    """Why a photo was refused, in words the admin can act on."""
    facts = refused.facts
    if refused.reason == "empty":
        words = gettext("That file is empty. Choose a photo: a PNG, JPEG or WebP file.")
    elif refused.reason == "too_big":
        words = gettext(
            "That photo is larger than %(limit)s. Choose a smaller photo, or save this one smaller.",
            limit=megabytes(facts["limit"]),
        )
    elif refused.reason == "too_many_pixels":
        words = gettext(
            "That picture has too many pixels (more than %(limit)s million). Save it smaller, then "
            "upload it again.",
            limit=facts["limit"] // 1_000_000,
        )
    elif refused.reason == "too_small":
        words = gettext(
            "That photo is too small (%(width)s × %(height)s pixels). Choose one at least %(limit)s "
            "pixels wide and high.",
            width=facts["width"],
            height=facts["height"],
            limit=facts["limit"],
        )
    elif refused.reason == "moving":
        words = gettext("That picture moves. Choose a still photo.")
    else:
        words = gettext(
            "That file is not a photo we can use. Choose a PNG, JPEG or WebP photo "
            "(not an SVG, a PDF or a page)."
        )
    return str(words)


class PhotoForm(Form):
    """The clinic's photo of an exercise and the words that describe it. The one form that takes a
    file: whatever it is called and whatever type the browser gave it, its bytes are decoded as a
    picture and only a new encoding of its pixels is kept (app/services/treatment/photos.py)."""

    class Meta(Form.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if request.is_json:
                return None
            return FlaskForm.Meta.wrap_formdata(self, form, formdata)  # the form's fields and its file

    photo = FileField(_l("Photo"))
    photo_alt = StringField(
        _l("What the photo shows"),
        filters=[stripped],
        validators=[
            DataRequired(_l("Describe the photo for someone who cannot see it.")),
            Length(max=PHOTO_ALT_MAX, message=_l("Keep this to %(max)d characters.")),
        ],
    )
    cleaned: CleanPhoto | None = None

    def validate_photo(self, field: FileField) -> None:
        upload = field.data
        limits = photo_limits()
        raw = upload.stream.read(limits.max_bytes + 1) if isinstance(upload, FileStorage) else b""
        if not raw and not (isinstance(upload, FileStorage) and upload.filename):
            raise StopValidation(gettext("Choose a photo to upload: a PNG, JPEG or WebP file."))
        try:
            self.cleaned = clean_photo(raw, limits)
        except PhotoRefused as refused:
            raise StopValidation(refusal_words(refused)) from None


class RemovePhotoForm(Form):
    """Removing the photo (as a draft): a button, so only CSRF."""
