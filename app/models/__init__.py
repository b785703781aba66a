"""Typed SQLAlchemy models, one module per entity group; import from here."""

from app.models.accounts import ClinicSetting, SetupLink
from app.models.api import (
    ApiClient,
    ApiToken,
    AuthorizationCode,
    ExportFile,
    ExportJob,
    RateWindow,
    UsedAssertion,
)
from app.models.audit import AuditEvent
from app.models.between_visits import (
    Message,
    Passkey,
    PushSubscription,
    ReminderPreference,
    ReminderSend,
    WebAuthnChallenge,
)
from app.models.consents import ProcedureConsent
from app.models.exercise_versions import ExercisePhoto, ExerciseVersion
from app.models.lessons import LessonRead
from app.models.logs import Alert, AlertNotice, DailyLog, LogSubmission
from app.models.measures import QuestionnaireItem, QuestionnaireResponse
from app.models.notes import ClinicalNote
from app.models.rtm import RtmSetup, TimeLogEntry
from app.models.safety import OnCallShift
from app.models.sessions import SignInAttempt, SignInLink, UserSession
from app.models.signoffs import ContentSignoff
from app.models.summaries import DailySummary, TreatmentSummary
from app.models.treatments import Exercise, ExerciseTick, PlanItem, Treatment
from app.models.users import Role, User

__all__ = [
    "Alert",
    "AlertNotice",
    "ApiClient",
    "ApiToken",
    "AuditEvent",
    "AuthorizationCode",
    "ClinicSetting",
    "ClinicalNote",
    "ContentSignoff",
    "DailyLog",
    "DailySummary",
    "Exercise",
    "ExercisePhoto",
    "ExerciseTick",
    "ExerciseVersion",
    "ExportFile",
    "ExportJob",
    "LessonRead",
    "LogSubmission",
    "Message",
    "OnCallShift",
    "Passkey",
    "PlanItem",
    "ProcedureConsent",
    "PushSubscription",
    "QuestionnaireItem",
    "QuestionnaireResponse",
    "RateWindow",
    "ReminderPreference",
    "ReminderSend",
    "Role",
    "RtmSetup",
    "SetupLink",
    "SignInAttempt",
    "SignInLink",
    "TimeLogEntry",
    "Treatment",
    "TreatmentSummary",
    "UsedAssertion",
    "User",
    "UserSession",
    "WebAuthnChallenge",
]
