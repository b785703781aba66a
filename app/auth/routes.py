"""Sign in, sign out, and the role-based home redirect."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from app.auth import bp
from app.auth.forms import ChangePasswordForm, ChoosePasswordForm, SignInForm
from app.auth.passkeys import offer_passkey_on_phone
from app.auth.session import home_url_for, speaking_as_the_next_page, start_session
from app.care import content
from app.models import User
from app.services.accounts import devices, sessions, sign_in, sign_in_links
from app.services.accounts.accounts import (
    MIN_PASSWORD_LENGTH,
    change_password,
    password_problems,
    usable_link,
    use_setup_link,
)
from app.services.between_visits.reminders import public_url
from app.web.after_response import run_after_response
from app.web.htmx import form_status
from app.web.page_context import say, say_count
from app.web.security import is_safe_next


@bp.app_context_processor
def password_rules() -> dict[str, Any]:
    return {"min_password_length": MIN_PASSWORD_LENGTH}


def wait_words(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 120:
        return say_count(content.WAIT_SECONDS, seconds)
    return say_count(content.WAIT_MINUTES, math.ceil(seconds / 60))


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
    attempt = sign_in.try_password(
        form.email.data, form.password.data, request.remote_addr or "", request.cookies.get(devices.COOKIE)
    )
    if attempt.guarded:
        if attempt.link_token:
            e_mail_link(form.email.data.strip().lower(), attempt.link_token)
        return render_template("auth/check_email.html", minutes=LINK_MINUTES), 202
    if attempt.wait:
        form.password.errors.append(wait_words(attempt.wait))
        return render_template("auth/login.html", form=form), 429
    if attempt.no_match:
        form.password.errors.append(say(content.NO_MATCH))
        return render_template("auth/login.html", form=form), 422
    if attempt.inactive or attempt.user is None:
        form.email.errors.append(say(content.ACCOUNT_NOT_ACTIVE))
        return render_template("auth/login.html", form=form), 422
    user = attempt.user
    start_session(user, "password")  # a new cookie: what goes in it comes after
    offer_passkey_on_phone(user, request.user_agent.string)
    target = form.next.data
    return redirect(target if is_safe_next(target) else home_url_for(user), code=303)


LINK_MINUTES = int(sign_in_links.LIFETIME.total_seconds() // 60)


def e_mail_link(email: str, token: str) -> None:
    """Sent once the answer is out: a right password takes as long to answer as a wrong one."""
    config = dict(current_app.config)
    link = public_url(config) + url_for("auth.sign_in_link", token=token)  # never the request's Host
    run_after_response(lambda: sign_in_links.send(config, email, link))


@bp.route("/sign-in/link/<token>", methods=["GET", "POST"])
def sign_in_link(token: str) -> Response | tuple[str, int]:
    """The e-mailed link: opening it shows a button (mail scanners open links); pressing it signs in."""
    link = sign_in_links.usable(token)
    if link is None:
        return link_gone(content.SIGN_IN_LINK_UNUSABLE)
    form = FlaskForm()
    if not form.validate_on_submit():
        return render_template("auth/sign_in_link.html", form=form), form_status()
    user = sign_in_links.use(link)
    start_session(user, "sign-in link by e-mail")
    return redirect(home_url_for(user), code=303)


def link_gone(message: str) -> tuple[str, int]:
    """A sign-in or set-password link that no longer works: the error page, saying what to do."""
    page = render_template(
        "errors/error.html", code=410, title=say(content.LINK_NO_LONGER_WORKS), message=say(message)
    )
    return page, 410


@bp.post("/sign-out")
@login_required
def logout() -> Response:
    told = say(content.SIGNED_OUT)  # in their language, before they are nobody
    sign_in.sign_out()
    flash(told, "info")
    response = redirect(url_for("auth.login"), code=303)
    # Nothing of this person's stays on a shared phone: the app's caches and storage go too.
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> Response | tuple[str, int]:
    """Choose a password with a one-time link from the clinic; using it signs the person in."""
    link = usable_link(token)
    if link is None:
        return link_gone(content.SETUP_LINK_UNUSABLE)
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        form.password.errors = password_problems(form.password.data, link.user, say)
        if not form.password.errors:
            user = use_setup_link(link, form.password.data)
            start_session(user, "sign-in link")
            with speaking_as_the_next_page(user):
                flash(say(content.PASSWORD_SET, name=user.first_name), "success")
            return redirect(home_url_for(user), code=303)
    return render_template("auth/setup.html", form=form, person=link.user), form_status()


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> Response | tuple[str, int]:
    """Change your own password (every session ends; this device starts a new one), and see and
    end your sessions. The current password is checked and throttled like a sign-in."""
    form = ChangePasswordForm()
    user: User = current_user._get_current_object()
    if form.validate_on_submit():
        attempt = sign_in.check_current_password(user, form.current_password.data, request.remote_addr or "")
        if attempt.wait:
            form.current_password.errors.append(wait_words(attempt.wait))
            return render_account(form, 429)
        if attempt.no_match:
            form.current_password.errors.append(say(content.NOT_CURRENT_PASSWORD))
        else:
            form.password.errors = password_problems(form.password.data, user, say)
        if not form.errors:
            change_password(user, form.password.data)  # ends every session of this account
            start_session(user, "new password")
            flash(say(content.PASSWORD_CHANGED), "success")
            return redirect(url_for("auth.account"), code=303)
    return render_account(form, form_status())


def render_account(form: ChangePasswordForm, status: int) -> tuple[str, int]:
    return render_template(
        "auth/account.html",
        form=form,
        sessions=sessions.active_sessions(current_user),
        this_session=sessions.current_session_id(),
        device_words=lambda user_agent: sessions.device_words(user_agent, say),
    ), status


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Response:
    """End one of your own sessions (a lost phone, say); another person's id answers 404."""
    if not sign_in.end_one_session(current_user._get_current_object(), session_id):
        abort(404)
    if session_id == sessions.current_session_id():
        return redirect(url_for("auth.login"), code=303)
    flash(say(content.SESSION_ENDED), "success")
    return redirect(url_for("auth.account") + "#sessions", code=303)


@bp.post("/account/sessions/end-all")
@login_required
def end_all_sessions() -> Response:
    """Sign out everywhere, this device included."""
    told = say(content.SIGNED_OUT_EVERYWHERE)  # in their language, before they are nobody
    sign_in.sign_out_everywhere(current_user._get_current_object())
    flash(told, "info")
    response = redirect(url_for("auth.login"), code=303)
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response
