"""`GET /healthz`: for load balancers, and the benchmark's baseline page."""

import sqlalchemy as sa
from flask import Blueprint

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[str, int, dict[str, str]]:
    db.session.execute(sa.text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
