"""The app as production builds it, plus the benchmark's `build-clinic` command:
`flask --app bench.app build-clinic --patients N`."""

from __future__ import annotations

from flask import Flask

from app import create_app as create_production_app
from bench.build_clinic import build_clinic


def create_app() -> Flask:
    app = create_production_app()
    app.cli.add_command(build_clinic)
    return app
