"""The admin's account list."""

from __future__ import annotations

import sqlalchemy as sa
from flask import render_template, request

from app.admin import bp
from app.auth.session import role_required
from app.extensions import db
from app.models import Role, User

PAGE_SIZE = 50


@bp.get("/")
@role_required(Role.ADMIN)
def home() -> str:
    page = db.paginate(sa.select(User).order_by(User.role, User.full_name),
                       page=max(request.args.get("page", 1, type=int), 1), per_page=PAGE_SIZE,
                       error_out=False)
    return render_template("admin/home.html", page=page)
