"""Sign in, sign out, and the role-based home redirect."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from app import audit
from app.auth import bp
from app.auth.forms import EmptyForm, SignInForm
from app.auth.session import home_url_for, is_safe_next
from app.extensions import db
from app.models import User
from app.passwords import hash_password, needs_rehash, verify_password


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
        status = 422 if request.method == "POST" else 200
        return render_template("auth/login.html", form=form), status
    email = form.email.data.strip().lower()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if not verify_password(user.password_hash if user else None, form.password.data):
        audit.record("sign_in_failed", detail=f"email={email}",
                     actor_id=user.id if user else None)
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
    login_user(user)
    audit.record("sign_in", actor_id=user.id)
    db.session.commit()
    target = form.next.data
    return redirect(target if is_safe_next(target) else home_url_for(user), code=303)


@bp.post("/sign-out")
@login_required
def logout() -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        return redirect(home_url_for(current_user), code=303)
    audit.record("sign_out")
    db.session.commit()
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"), code=303)
