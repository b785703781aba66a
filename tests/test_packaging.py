"""A plain `pip install .` (docs/deploying.md) carries everything the app serves: the templates,
the static files, the local htmx copy and the compiled catalogues (the last two are built, and git
ignores them, so the wheel must name them). The wheel is built here as pip builds it, by the
project's own build backend."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_carries_templates_static_files_and_catalogues(tmp_path):
    from hatchling.builders.wheel import WheelBuilder

    wheel = Path(next(iter(WheelBuilder(str(ROOT)).build(directory=str(tmp_path), versions=["standard"]))))
    names = set(zipfile.ZipFile(wheel).namelist())
    tracked = subprocess.run(
        ["git", "ls-files", "app/templates", "app/static"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert tracked
    assert set(tracked) <= names
    assert "app/static/vendor/htmx.min.js" in names
    assert {
        "app/translations/es/LC_MESSAGES/messages.mo",
        "app/translations/es/LC_MESSAGES/messages.po",
    } <= names
    assert not any(name.startswith(("tests/", "instance/", "bench/")) for name in names)
