"""Production refuses to go live with the demo's fictional 555 phone numbers: a patient with a
warning sign is told to call them."""

import pytest

from app import create_app
from tests.conftest import TEST_AUDIT_KEY, TEST_SECRET


@pytest.fixture(autouse=True)
def like_a_clinic(monkeypatch):
    """Not the test suite's opt-in, and no numbers from the environment."""
    for name in ("BACKTRACK_ALLOW_DEMO_PHONES", "CLINIC_PHONE", "CLINIC_AFTER_HOURS_PHONE"):
        monkeypatch.delenv(name, raising=False)


def production(tmp_path, **phones):
    return {
        "SECRET_KEY": TEST_SECRET,
        "AUDIT_KEY": TEST_AUDIT_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "CLINIC_PHONE": "+1 212 639 2000",
        "CLINIC_AFTER_HOURS_PHONE": "+1 212 639 2001",
        **phones,
    }


@pytest.mark.parametrize(
    ("key", "number"),
    [
        ("CLINIC_PHONE", "+1 555 010 0199"),
        ("CLINIC_PHONE", "(312) 555-0100"),
        ("CLINIC_AFTER_HOURS_PHONE", "+1 555 010 0111"),
        ("CLINIC_AFTER_HOURS_PHONE", "555-0150"),
    ],
)
def test_production_refuses_the_demo_numbers(tmp_path, key, number):
    with pytest.raises(RuntimeError, match=f"Refusing to start: {key} is the demo's fictional number"):
        create_app(production(tmp_path, **{key: number}))


def test_production_with_the_defaults_refuses_to_start(tmp_path):
    config = production(tmp_path)
    del config["CLINIC_PHONE"], config["CLINIC_AFTER_HOURS_PHONE"]
    with pytest.raises(RuntimeError, match="demo's fictional number"):
        create_app(config)


def test_production_starts_with_real_numbers(tmp_path):
    app = create_app(production(tmp_path, CLINIC_PHONE="+1 312 555 1234"))  # 555 outside 0100-0199
    assert app.config["CLINIC_PHONE"] == "+1 312 555 1234"


def test_development_keeps_the_demo_numbers(tmp_path):
    app = create_app({"BACKTRACK_ENV": "development", "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})
    assert "555" in app.config["CLINIC_PHONE"]
