"""Friendly error pages: every failure answers with a page a person can act on, never a trace."""

from flask import Blueprint

bp = Blueprint("errors", __name__)
