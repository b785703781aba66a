"""Sign in, sign out, and the role-based home redirect."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import ChangePasswordForm, ChoosePasswordForm, SignInForm
from app.auth.passkeys import offer_passkey_on_phone
from app.auth.session import home_url_for, start_session
from app.extensions import db
from app.htmx import form_status
from app.models import User
from app.passwords import hash_password, needs_rehash, verify_password
from app.security import is_safe_next
from app.services import audit
from app.services.accounts import password_problems, set_password, usable_link, use_setup_link
from app.services.sign_in_throttle import failed_sign_in_words, too_many_tries

TOO_MANY_TRIES = (
    "Too many tries. For your safety, wait 15 minutes and try again, or call the clinic to get a new "
    "sign-in link."
)


@bp.get("/")
def home() -> Response:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_url_for(current_user))


@bp.route("/sign-in", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(home_url_for(current_user))
    form = SignInForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), form_status()
    email = form.email.data.strip().lower()
    if too_many_tries(email, request.remote_addr or ""):
        audit.record("sign_in_throttled", detail=f"Refused after too many tries as {email}")
        db.session.commit()
        form.password.errors.append(TOO_MANY_TRIES)
        return render_template("auth/login.html", form=form), 429
    user = db.session.scalar(sa.select(User).where(User.email == email))
    # Verified even when no account matches, so the time taken does not reveal which emails exist.
    verified = verify_password(user.password_hash if user else None, form.password.data)
    if user is None or not verified:
        audit.record("sign_in_failed", detail=failed_sign_in_words(email), actor_id=user.id if user else None)
        db.session.commit()
        form.password.errors.append("That email and password do not match. Check both and try again.")
        return render_template("auth/login.html", form=form), 422
    if not user.active:
        audit.record("sign_in_refused_inactive", actor_id=user.id)
        db.session.commit()
        form.email.errors.append("This account is not active. Please call the clinic.")
        return render_template("auth/login.html", form=form), 422
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(form.password.data)
    offer_passkey_on_phone(user, request.user_agent.string)
    start_session(user, "password")
    target = form.next.data
    return redirect(target if is_safe_next(target) else home_url_for(user), code=303)


@bp.post("/sign-out")
@login_required
def logout() -> Response:
    audit.record("sign_out")
    db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    response = redirect(url_for("auth.login"), code=303)
    # Nothing of this person's stays on a shared phone: the app's caches and storage go too.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


LINK_UNUSABLE = (
    "This link has expired, was already used, or was replaced by a newer one. Ask the clinic for a new link."
)


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> Response | tuple[str, int]:
    """Choose a password with a one-time link from the clinic; using it signs the person in."""
    link = usable_link(token)
    if link is None:
        return render_template(
            "errors/error.html", code=410, title="This link no longer works", message=LINK_UNUSABLE
        ), 410
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        form.password.errors = password_problems(form.password.data, link.user)
        if not form.password.errors:
            user = use_setup_link(link, form.password.data)
            audit.record("setup_link_used", actor_id=user.id, patient_id=audit.patient_id_of(user))
            db.session.commit()
            login_user(user)
            flash(f"Welcome, {user.first_name}. Your password is set.", "success")
            return redirect(home_url_for(user), code=303)
    return render_template("auth/setup.html", form=form, person=link.user), form_status()


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Response | tuple[str, int]:
    """Change your own password; every other session of yours is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append("That is not your current password.")
        else:
            form.password.errors = password_problems(form.password.data, current_user)
        if not form.errors:
            user = current_user._get_current_object()
            set_password(user, form.password.data)
            audit.record("password_changed", patient_id=audit.patient_id_of(user))
            db.session.commit()
            login_user(user)  # this session continues under the new token; all others end
            flash("Your password is changed. You are signed out on your other devices.", "success")
            return redirect(url_for("auth.account"), code=303)
    return render_template("auth/account.html", form=form), form_status()
