"""Account rules shared by the admin pages, `flask create-user` and sign-in: creating an account,
setup links, passwords, activation. Each change is put on the audit trail here.

A setup link's token is random, shown once, and stored only as a SHA-256 hash; it lasts 72 hours,
works once, and a newer link for the same person voids the older ones.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from zxcvbn import zxcvbn

from app.care import content
from app.care.hours import Say
from app.extensions import db
from app.models import Role, SetupLink, Treatment, User
from app.models.base import utcnow
from app.services import audit
from app.services.accounts import sessions
from app.services.accounts.passwords import hash_password
from app.services.clinic.languages import page_words

SETUP_LINK_LIFETIME = timedelta(hours=72)
MIN_PASSWORD_LENGTH = 15  # NIST SP 800-63B rev. 4, single-factor
MAX_PASSWORD_LENGTH = 256
MIN_STRENGTH = 3  # zxcvbn's 0-4 scale; 3 = "safely unguessable"


class AccountRuleError(ValueError):
    """A change the clinic's rules forbid (the message says why, for the admin)."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


MAX_NAME_LENGTH = 120
MAX_EMAIL_LENGTH = 254


def normal_email(email: str) -> str:
    return email.strip().lower()


def email_taken(email: str, except_id: int | None = None) -> bool:
    taken = db.session.scalar(sa.select(User.id).where(User.email == normal_email(email)))
    return taken is not None and taken != except_id


def account_problems(full_name: str, email: str) -> list[str]:
    """What is wrong with a new account's name and email, in words an admin can act on (in the
    page's language; English from a command)."""
    words = page_words()
    problems = []
    if not full_name.strip() or len(full_name.strip()) > MAX_NAME_LENGTH:
        problems.append(
            words.gettext("Enter a name of 1 to {count} characters.").format(count=MAX_NAME_LENGTH)
        )
    try:
        validate_email(normal_email(email), check_deliverability=False)
    except EmailNotValidError:
        problems.append(words.gettext("Enter an email address like name@example.com."))
    else:
        if len(normal_email(email)) > MAX_EMAIL_LENGTH:
            problems.append(
                words.gettext("Keep the email to {count} characters.").format(count=MAX_EMAIL_LENGTH)
            )
        elif email_taken(email):
            problems.append(words.gettext("Another account already uses this email."))
    return problems


def create_account(
    full_name: str, email: str, role: str, created_by: User | None = None, password: str | None = None
) -> User:
    """A new account of any role, by an admin (who then issues a sign-in link) or by `flask
    create-user` (with a password, checked like one chosen on the web)."""
    problems = account_problems(full_name, email)
    if role not in {r.value for r in Role}:
        problems.append(page_words().gettext("Choose a role from the list."))
    user = User(full_name=full_name.strip(), email=normal_email(email), role=role)
    if not problems and password is not None:
        problems = password_problems(password, user)
    if problems:
        raise AccountRuleError(" ".join(problems))
    if password is not None:
        user.password_hash = hash_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(
        "account_create",
        patient_id=audit.patient_id_of(user),
        detail=f"{user.role.title()}: {account_words(user)}",
        actor_id=created_by.id if created_by else None,
    )
    return user


def issue_setup_link(user: User, issued_by: User | None) -> str:
    """A new link for `user`, voiding any earlier unused one, on the audit trail. Returns the raw
    token (once)."""
    now = utcnow()
    revoke_setup_links(user)
    token = secrets.token_urlsafe(32)
    db.session.add(
        SetupLink(
            user_id=user.id,
            token_hash=token_digest(token),
            created_at=now,
            expires_at=now + SETUP_LINK_LIFETIME,
            created_by_id=issued_by.id if issued_by else None,
        )
    )
    audit.record(
        "setup_link_issued", patient_id=audit.patient_id_of(user), detail=f"For {account_words(user)}"
    )
    return token


def revoke_setup_links(user: User) -> None:
    """Void every unused link of this person (a newer link, or the account deactivated)."""
    db.session.execute(
        sa.update(SetupLink)
        .where(SetupLink.user_id == user.id, SetupLink.used_at.is_(None), SetupLink.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def usable_link(token: str) -> SetupLink | None:
    """The link for this token if it is unused, not replaced, not expired, and its account active."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalar(sa.select(SetupLink).where(SetupLink.token_hash == token_digest(token)))
    if link is None or link.used_at or link.revoked_at or link.expires_at <= utcnow():
        return None
    return link if link.user.active else None


# Why a password is easy to guess, in our words for each of the checker's (zxcvbn's) warnings.
GUESS_WORDS = {
    "Straight rows of keys are easy to guess.": content.GUESS_KEY_ROW,
    "Short keyboard patterns are easy to guess.": content.GUESS_KEY_PATTERN,
    'Repeats like "aaa" are easy to guess.': content.GUESS_REPEATS,
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': content.GUESS_REPEATED_WORDS,
    'Sequences like "abc" or "6543" are easy to guess.': content.GUESS_SEQUENCE,
    "Recent years are easy to guess.": content.GUESS_YEARS,
    "Dates are often easy to guess.": content.GUESS_DATES,
    "This is a top-10 common password.": content.GUESS_TOP_10,
    "This is a top-100 common password.": content.GUESS_TOP_100,
    "This is a very common password.": content.GUESS_COMMON,
    "This is similar to a commonly used password.": content.GUESS_LIKE_COMMON,
    "A word by itself is easy to guess.": content.GUESS_ONE_WORD,
    "Names and surnames by themselves are easy to guess.": content.GUESS_NAMES,
    "Common names and surnames are easy to guess.": content.GUESS_COMMON_NAMES,
}


def password_problems(password: str, user: User, say: Say = content.render) -> list[str]:
    """What is wrong with a new password, in words a patient can act on (empty when fine), in the
    words `say` gives (the page's language)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return [say(content.PASSWORD_TOO_SHORT, least=MIN_PASSWORD_LENGTH, length=len(password))]
    if len(password) > MAX_PASSWORD_LENGTH:
        return [say(content.PASSWORD_TOO_LONG_TO_KEEP, most=MAX_PASSWORD_LENGTH)]
    lowered = password.lower()
    local_part = user.email.split("@")[0].lower()
    if lowered == user.email.lower() or (len(local_part) >= 4 and local_part in lowered):
        return [say(content.PASSWORD_HAS_EMAIL)]
    hints = [user.email, *user.full_name.split()]
    # Score it as typed and with spaces and punctuation removed: "password password" must not
    # pass because a space splits the repeat.
    squeezed = "".join(ch for ch in password if ch.isalnum())
    result = min(
        (zxcvbn(text[:100], user_inputs=hints) for text in (password, squeezed) if text),
        key=lambda r: r["score"],
    )
    if result["score"] < MIN_STRENGTH:
        why = GUESS_WORDS.get(result["feedback"].get("warning") or "", content.GUESS_TOO_EASY)
        return [say(content.PASSWORD_EASY_TO_GUESS, why=say(why))]
    return []


def set_password(user: User, password: str) -> None:
    """A new password ends every session of the account (the caller may start a new one here)."""
    user.password_hash = hash_password(password)
    sessions.revoke_all(user, "password changed")


def change_password(user: User, password: str) -> None:
    """The person's own change on the account page, on the record."""
    set_password(user, password)
    audit.record("password_changed", patient_id=audit.patient_id_of(user))


def choose_language(user: User, language: str) -> None:
    """The person's own language, on the record (the caller checks it is one that is ready)."""
    if user.language != language:
        user.language = language
        audit.record("language_changed", detail=language, patient_id=audit.patient_id_of(user))


def use_setup_link(link: SetupLink, password: str) -> User:
    link.used_at = utcnow()
    set_password(link.user, password)
    audit.record("setup_link_used", actor_id=link.user.id, patient_id=audit.patient_id_of(link.user))
    return link.user


def active_admin_count() -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.active.is_(True))
        )
        or 0
    )


def check_admin_change(
    target: User, acting: User, new_role: str | None = None, deactivating: bool = False
) -> None:
    """Admins cannot deactivate or demote themselves, and the last active admin stays."""
    losing_admin = (
        target.role == Role.ADMIN.value
        and target.active
        and (deactivating or (new_role is not None and new_role != Role.ADMIN.value))
    )
    if not losing_admin:
        return
    if target.id == acting.id:
        raise AccountRuleError(
            page_words().gettext(
                "You cannot deactivate your own account or remove your own admin role. Ask another admin."
            )
        )
    if active_admin_count() <= 1:
        raise AccountRuleError(
            page_words().gettext("This is the last active admin. Make someone else an admin first.")
        )


def deactivate(target: User, acting: User) -> None:
    check_admin_change(target, acting, deactivating=True)
    target.active = False
    sessions.revoke_all(target, "deactivated")
    # A link issued before now must not work after a reactivation.
    revoke_setup_links(target)
    audit.record("account_deactivate", patient_id=audit.patient_id_of(target), detail=account_words(target))


def reactivate(target: User) -> None:
    target.active = True
    audit.record("account_reactivate", patient_id=audit.patient_id_of(target), detail=account_words(target))


def end_every_session(target: User) -> None:
    """An admin signs a person out on every device (a lost phone), without deactivating."""
    sessions.revoke_all(target, "ended by an admin")
    detail = f"Every session of {account_words(target)}"
    audit.record("session_end", patient_id=audit.patient_id_of(target), detail=detail)


def account_words(user: User) -> str:
    return f"{user.full_name} ({user.email})"


ACCOUNT_FIELD_LABELS = {"full_name": "Name", "email": "Email", "role": "Role"}


def update_account(target: User, acting: User, full_name: str, email: str, role: str) -> list[str]:
    """Apply an admin's edit under the account rules; returns what changed, in words."""
    check_admin_change(target, acting, new_role=role)
    check_role_change(target, role)
    wanted = {"full_name": full_name, "email": email, "role": role}
    changes = [
        f"{ACCOUNT_FIELD_LABELS[name]} changed from {getattr(target, name)} to {value}"
        for name, value in wanted.items()
        if getattr(target, name) != value
    ]
    if target.role != role:
        sessions.revoke_all(target, "role changed")  # what they may see changes: sign in again
    for name, value in wanted.items():
        setattr(target, name, value)
    audit.record("account_update", patient_id=audit.patient_id_of(target), detail="; ".join(changes))
    return changes


def check_role_change(target: User, new_role: str) -> None:
    """A role change must not orphan records: patients keep their treatments, therapists hand
    their active patients over first."""
    if new_role == target.role:
        return
    if target.role == Role.PATIENT.value and db.session.scalar(
        sa.select(Treatment.id).where(Treatment.patient_id == target.id).limit(1)
    ):
        raise AccountRuleError(
            page_words().gettext(
                "This patient has treatment records, so their role cannot change. "
                "Create a separate staff account instead."
            )
        )
    if target.role == Role.THERAPIST.value:
        patients = (
            db.session.scalar(
                sa.select(sa.func.count())
                .select_from(Treatment)
                .where(Treatment.therapist_id == target.id, Treatment.status == "active")
            )
            or 0
        )
        if patients:
            said = page_words().ngettext(  # the English says "patient(s)" either way
                "This therapist has {count} active patient(s). Assign them to another therapist first.",
                "This therapist has {count} active patient(s). Assign them to another therapist first.",
                patients,
            )
            raise AccountRuleError(said.format(count=patients))
