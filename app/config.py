"""Configuration: safe defaults, then `instance/config.py`, then environment variables.

Environment variables win so that the same build runs in every deployment. The documented names
(`SECRET_KEY`, `DATABASE_URL`, `CLINIC_TIMEZONE`, `CLINIC_PHONE`, `HTMX_URL`, `HTMX_SRI`) are read
directly; any other setting can be given as `BACKTRACK_<NAME>` (values parsed as JSON, so
`BACKTRACK_SESSION_COOKIE_SECURE=false` works).

The audit trail's key (`AUDIT_KEY`, with retired ones in `AUDIT_OLD_KEYS`) is a secret of its own
beside `SECRET_KEY`, not derived from it: the two live differently. `SECRET_KEY` signs cookies and
may be changed at any time (everyone signs in again); the audit key chains the trail and signs its
checkpoints, so every version of it must be kept for as long as the trail is (a new one is a
rotation on the trail), and a machine that only checks the trail (the restore drill) needs it
without being able to forge sessions. docs/security.md#the-audit-key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path
from typing import Any

HTMX_VERSION = "2.0.11"
HTMX_CDN_URL = f"https://cdn.jsdelivr.net/npm/htmx.org@{HTMX_VERSION}/dist/htmx.min.js"
# Subresource-integrity hash of exactly that file (the same bytes as the npm package's dist file).
HTMX_CDN_SRI = "sha384-2OatzQy1H+Zd/IIrjr1TcuDGqLXeHhbooAyJY1KdQMKnr4LZ22k31GBLdYKHmVjg"

DIRECT_ENV_KEYS = (
    "BACKTRACK_ENV",
    "SECRET_KEY",
    "DATABASE_URL",
    "CLINIC_TIMEZONE",
    "CLINIC_PHONE",
    "HTMX_URL",
    "HTMX_SRI",
    "PUBLIC_URL",
    *(
        f"MAIL_{name}"
        for name in ("SERVER", "PORT", "USE_TLS", "USE_SSL", "USERNAME", "PASSWORD", "DEFAULT_SENDER")
    ),
    "VAPID_PRIVATE_KEY",
    "VAPID_PUBLIC_KEY",
    "VAPID_SUBJECT",
    "AUDIT_KEY",
    "AUDIT_OLD_KEYS",
    "AUDIT_CHECKPOINT_FILE",
    "AUDIT_CHECKPOINT_EMAIL",
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
)
TRUE_WORDS = {"1", "true", "yes", "on"}
PLACEHOLDER_SECRETS = {"", "change-me", "changeme", "dev", "secret", "development"}
MIN_SECRET_LENGTH = 32


def default_settings(instance_path: str) -> dict[str, Any]:
    """The settings a fresh install starts from; production-safe unless told otherwise."""
    sqlite_path = Path(instance_path) / "backtrack.sqlite3"
    return {
        "BACKTRACK_ENV": "production",
        "SECRET_KEY": None,
        "DATABASE_URL": f"sqlite:///{sqlite_path}",
        "CLINIC_NAME": "Backtrack Spine Clinic",
        # The languages the clinic offers (app/services/clinic/languages.py): English, and each
        # other one once its catalogue is complete and the physician has signed off its version.
        # Spanish covers every page; offering it ("en es") is the clinic's choice, and it reaches
        # people once the physician has signed off its version.
        "LANGUAGES": ["en"],
        "DEFAULT_LANGUAGE": "en",
        "CLINIC_TIMEZONE": "America/New_York",
        "CLINIC_PHONE": "+1 555 010 0199",
        "NSAID_DAYS_BEFORE": 7,
        "NSAID_DAYS_AFTER": 14,
        "NO_ICE_HOURS": 72,
        "ALERT_ESCALATE_MINUTES_OPEN": 30,
        "ALERT_ESCALATE_MINUTES_CLOSED": 60,
        "CLINIC_OPEN_DAYS": "mon,tue,wed,thu,fri",
        "CLINIC_OPENS_AT": "08:00",
        "CLINIC_CLOSES_AT": "17:00",
        # Holidays: dates the clinic is shut on an open day ("2026-12-25,2027-01-01"), so a
        # "call the clinic today" message sends patients to the after-hours line on them.
        "CLINIC_CLOSED_DATES": "",
        "CLINIC_AFTER_HOURS_PHONE": "+1 555 010 0111",
        # The "Before your injection" page (docs/clinical-protocol.md#before-the-injection): the
        # brochure draws the blood at Visit 1 and guides facet, SI joint, ligament and muscle
        # injections by ultrasound; patients do not drive themselves home unless the clinic says so.
        "BLOOD_DRAW": "visit_1",
        "ULTRASOUND_SITES": "facet_joints,si_joint,ligaments,paraspinal_muscles",
        "DRIVE_HOME": "no",
        # Sessions end on the server after this long idle, and after this long in all.
        "SESSION_IDLE_MINUTES_PATIENT": 30,
        "SESSION_MAX_HOURS_PATIENT": 12,
        "SESSION_IDLE_MINUTES_STAFF": 30,
        "SESSION_MAX_HOURS_STAFF": 12,
        "HTMX_URL": None,
        "HTMX_SRI": None,
        # argon2id; RFC 9106's second recommendation (64 MiB, 3 passes) is well above OWASP's floor.
        "PASSWORD_HASH_TIME_COST": 3,
        "PASSWORD_HASH_MEMORY_KIB": 65536,
        "PASSWORD_HASH_PARALLELISM": 4,
        "HISTORY_PAGE_SIZE": 14,
        # Each app process re-reads the admin's clinic settings at most this often (seconds); the
        # process that saves them forgets its copy at once. 0 reads them on every request.
        "CLINIC_SETTINGS_MAX_AGE": 30,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,
        "WTF_CSRF_TIME_LIMIT": 60 * 60 * 12,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        # The clinic's exercise photos (docs/operating.md#exercise-photos): the largest file an admin
        # may upload (its form may be this much larger than MAX_CONTENT_LENGTH, and only there), the
        # most pixels its picture may have (read from its header, before it is decoded), and the
        # longer side of the picture as stored and served.
        "EXERCISE_PHOTO_MAX_BYTES": 5 * 1024 * 1024,
        "EXERCISE_PHOTO_MAX_PIXELS": 40_000_000,
        "EXERCISE_PHOTO_MAX_EDGE": 1200,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        # Where the app is reached (links in reminders, the passkey relying party); from the request
        # when unset (development).
        "PUBLIC_URL": None,
        # Reminders by e-mail (docs/operating.md): the clinic's SMTP server.
        "MAIL_SERVER": None,
        "MAIL_PORT": None,  # 25, or 465 with MAIL_USE_SSL
        "MAIL_USE_TLS": False,  # STARTTLS
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
        "MAIL_DEFAULT_SENDER": None,
        # Reminders by web push: `flask vapid-keys` makes a pair.
        "VAPID_PRIVATE_KEY": None,
        "VAPID_PUBLIC_KEY": None,
        "VAPID_SUBJECT": None,  # mailto: address of the clinic, shown to push services
        # `flask backup` / `restore` on PostgreSQL: where pg_dump and pg_restore are, when not on PATH.
        "PG_BIN_DIR": None,
        # The audit trail (docs/security.md#the-audit-trail): the key it is chained with (required in
        # production; `flask audit new-key` makes one), the keys it was chained with before (checked,
        # never used to write), and where `flask audit checkpoint` writes the signed head.
        "AUDIT_KEY": None,
        "AUDIT_OLD_KEYS": [],  # in the environment: separated by spaces or commas
        "AUDIT_CHECKPOINT_FILE": None,  # an append-only file, ideally on another machine's disk
        "AUDIT_CHECKPOINT_EMAIL": None,  # the operator's address: `audit checkpoint --mail` sends there
    }


def read_environment() -> dict[str, Any]:
    """The documented variables that are set in the environment (empty ones are ignored)."""
    return {key: os.environ[key] for key in DIRECT_ENV_KEYS if os.environ.get(key)}


def finalize(config: dict[str, Any], instance_path: str) -> None:
    """Derive dependent settings and refuse unsafe production configurations."""
    config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(config["DATABASE_URL"])
    if isinstance(config.get("LANGUAGES"), str):  # "en es" or "en,es" in the environment
        config["LANGUAGES"] = config["LANGUAGES"].replace(",", " ").split()
    for flag in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
        if isinstance(config.get(flag), str):
            config[flag] = config[flag].strip().lower() in TRUE_WORDS
    if config.get("MAIL_PORT"):
        config["MAIL_PORT"] = int(config["MAIL_PORT"])
    if config.get("HTMX_URL"):
        config.setdefault("HTMX_SRI", None)
    else:
        config["HTMX_URL"] = HTMX_CDN_URL
        config["HTMX_SRI"] = HTMX_CDN_SRI
    if config["BACKTRACK_ENV"] == "production":
        secret = config.get("SECRET_KEY") or ""
        if secret.lower() in PLACEHOLDER_SECRETS or len(secret) < MIN_SECRET_LENGTH:
            raise RuntimeError(
                "Refusing to start: set SECRET_KEY to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters (python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))')."
            )
    elif not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = development_secret(instance_path)
    finalize_audit_keys(config)
    if config["BACKTRACK_ENV"] == "production" and not config.get("ALLOW_DEMO_PHONES"):
        refuse_demo_phones(config)


# 555-0100 to 555-0199 are reserved for fiction in the North American plan, and 555 is no area
# code: the demo's numbers (+1 555 010 0199) and any like them.
FICTIONAL_PHONE = re.compile(r"^1?555\d{7}$|55501\d\d$")
PHONE_SETTINGS = ("CLINIC_PHONE", "CLINIC_AFTER_HOURS_PHONE")


def refuse_demo_phones(config: dict[str, Any]) -> None:
    """A patient with a warning sign is told to call these numbers: production does not go live
    with the demo's fictional ones. (BACKTRACK_ALLOW_DEMO_PHONES=true lets the test suite and a
    demo server run as production with them; never set it for a clinic.)"""
    for key in PHONE_SETTINGS:
        digits = "".join(ch for ch in str(config.get(key) or "") if ch.isdigit())
        if FICTIONAL_PHONE.search(digits):
            raise RuntimeError(
                f"Refusing to start: {key} is the demo's fictional number ({config[key]}). Set the "
                "clinic's real number: patients with a warning sign are told to call it."
            )


def finalize_audit_keys(config: dict[str, Any]) -> None:
    """Production refuses to start without a real audit key, or with the cookie key reused for it;
    development derives one from its SECRET_KEY, so `make run` needs nothing more."""
    old = config.get("AUDIT_OLD_KEYS") or []
    config["AUDIT_OLD_KEYS"] = old.replace(",", " ").split() if isinstance(old, str) else list(old)
    key = config.get("AUDIT_KEY") or ""
    if config["BACKTRACK_ENV"] == "production":
        if key.lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH or key == config["SECRET_KEY"]:
            raise RuntimeError(
                "Refusing to start: set AUDIT_KEY to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters, not the SECRET_KEY (`flask audit new-key` makes one; "
                "docs/operating.md#the-audit-key)."
            )
    elif not key:
        config["AUDIT_KEY"] = hmac.new(
            config["SECRET_KEY"].encode(), b"backtrack development audit key", hashlib.sha256
        ).hexdigest()
    short = [n for n, old_key in enumerate(config["AUDIT_OLD_KEYS"], 1) if len(old_key) < MIN_SECRET_LENGTH]
    if short:
        raise RuntimeError(
            f"Refusing to start: AUDIT_OLD_KEYS holds a value shorter than {MIN_SECRET_LENGTH} "
            f"characters (number {short[0]}): give the audit keys used before, separated by spaces."
        )


def development_secret(instance_path: str) -> str:
    """A per-checkout key kept in `instance/`, so development sign-ins survive restarts."""
    path = Path(instance_path) / "development-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def normalize_database_url(url: str) -> str:
    """Accept the common `postgres://` spellings and use psycopg 3 for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
