"""The shape of the code, checked: each audience's package stands alone, the layers depend only
downwards (care ← models ← services ← web and forms ← views), the care rules know nothing of Flask
or the database, every state change needs CSRF, and pages show the care module's own numbers
rather than copies of them. Each check names the file and the import that crosses."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from pathlib import Path

import pytest
from werkzeug.routing import IntegerConverter

from app.care import adherence, chart, progress
from app.care.chart import improvement_threshold
from app.extensions import csrf, db
from app.models import Role
from tests.conftest import ROOT, text_of
from tests.factories import make_log, make_user, patient_on_day

APP = ROOT / "app"
AUDIENCES = ("auth", "patient", "therapist", "admin", "pwa", "errors", "messages", "fhir", "oauth")


def imported_modules(path: Path) -> set[str]:
    """Every `app...` module a file imports, at any depth."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name == "app" or name.startswith("app.")}


def package_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def files_in(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


@pytest.mark.parametrize("audience", AUDIENCES)
def test_an_audience_package_never_imports_another(audience):
    others = set(AUDIENCES) - {audience}
    for path in files_in(audience):
        crossing = {m for m in imported_modules(path) if package_of(m) in others}
        assert not crossing, f"{path.relative_to(ROOT)} imports {sorted(crossing)}"


@pytest.mark.parametrize("layer", ["care", "services", "models", "forms"])
def test_shared_layers_never_import_an_audience_package(layer):
    for path in files_in(layer):
        crossing = {m for m in imported_modules(path) if package_of(m) in AUDIENCES}
        assert not crossing, f"{path.relative_to(ROOT)} imports {sorted(crossing)}"


def test_the_care_rules_know_nothing_of_flask_or_the_database():
    for path in files_in("care"):
        source = path.read_text()
        found = re.search(r"^\s*(?:from|import) ((?:flask|sqlalchemy|wtforms)\w*)", source, re.M)
        assert not found, f"{path.relative_to(ROOT)} imports {found.group(1) if found else ''}"
        outside = {m for m in imported_modules(path) if not m.startswith("app.care")}
        assert not outside, f"{path.relative_to(ROOT)} imports {sorted(outside)}"


# What each lower layer may not import: the layers above it.
ABOVE = {
    "models": ("app.services", "app.forms", "app.web", *(f"app.{a}" for a in AUDIENCES)),
    "services": ("app.forms", "app.web", *(f"app.{a}" for a in AUDIENCES)),
    "forms": ("app.web", *(f"app.{a}" for a in AUDIENCES)),
}


def crossing_imports(path: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(
        m for m in imported_modules(path) if any(m == f or m.startswith(f + ".") for f in forbidden)
    )


@pytest.mark.parametrize("layer", sorted(ABOVE))
def test_a_layer_never_imports_the_layers_above_it(layer):
    """Models and services never reach up to forms, web plumbing or views: services return data,
    views build forms and format it."""
    for path in files_in(layer):
        crossing = crossing_imports(path, ABOVE[layer])
        assert not crossing, f"{path.relative_to(ROOT)} imports {crossing}"


def test_formatting_filters_read_nothing_but_their_arguments():
    """Template filters format values; what pages know of the clinic comes through
    app/web/page_context.py, the one template module that reads services."""
    path = APP / "web" / "templating.py"
    crossing = crossing_imports(path, ("app.services", "app.models", "app.extensions"))
    assert not crossing, f"{path.relative_to(ROOT)} imports {crossing}"


def test_infrastructure_modules_import_no_service():
    for path in (APP / "database.py", APP / "extensions.py", APP / "config.py"):
        crossing = crossing_imports(path, ("app.services", "app.web", "app.forms"))
        assert not crossing, f"{path.relative_to(ROOT)} imports {crossing}"


def test_production_code_never_imports_the_benchmark_or_the_tests():
    for path in sorted(APP.rglob("*.py")):
        found = {m for m in imported_modules_any(path) if m.split(".")[0] in {"bench", "tests"}}
        assert not found, f"{path.relative_to(ROOT)} imports {sorted(found)}"


def imported_modules_any(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_layer_check_names_an_import_that_crosses(tmp_path):
    """The checks above are not vacuous: a service importing a form, or templating a service, is
    seen and named."""
    sample = tmp_path / "sample.py"
    sample.write_text("from app.forms.daily_log import DailyLogForm\nfrom app.services import audit\n")
    assert crossing_imports(sample, ABOVE["services"]) == [
        "app.forms.daily_log",
        "app.forms.daily_log.DailyLogForm",
    ]
    assert crossing_imports(sample, ("app.services",)) == ["app.services", "app.services.audit"]


def test_the_test_sees_imports_it_must_refuse(tmp_path):
    """The checks above would notice a crossing import (they are not vacuous)."""
    sample = tmp_path / "sample.py"
    sample.write_text("from app.patient.forms import ExerciseTickForm\nimport app.admin.routes\n")
    assert {package_of(m) for m in imported_modules(sample)} == {"patient", "admin"}


# --- CSRF on every state change ------------------------------------------------------------------


def sample_path(rule) -> str:
    """The rule's path with a plausible value in each part: 1 for ids, a date otherwise."""
    values = {
        name: "1" if isinstance(converter, IntegerConverter) else "2026-01-01"
        for name, converter in rule._converters.items()
    }
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda match: values[match.group(1)], rule.rule)


def post_routes(app) -> list[str]:
    """Every POST route a browser form can reach: the OAuth token endpoints, exempt for the
    apps' own HTTP clients, are held to their own list (tests/test_fhir_oauth.py)."""
    exempt = csrf._exempt_views
    return sorted(
        sample_path(rule)
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ())
        and f"{app.view_functions[rule.endpoint].__module__}.{app.view_functions[rule.endpoint].__name__}"
        not in exempt
    )


def test_every_post_route_is_known_to_this_test(app):
    # A new POST route appears here; it is then covered by the CSRF check below.
    assert len(post_routes(app)) >= 15


@pytest.mark.parametrize("role", [Role.PATIENT, Role.THERAPIST, Role.ADMIN])
def test_every_post_route_refuses_a_request_without_a_csrf_token(app, client, auth, role):
    make_user(role, email="someone@example.com")
    auth.login("someone@example.com")
    for path in post_routes(app):
        response = client.post(path, data={"note": "x", "done": "1", "direction": "up"})
        assert response.status_code == 400, path
        assert "expired or was sent from somewhere else" in text_of(response, 400), path


# --- Pages show the care module's numbers --------------------------------------------------------


@pytest.fixture
def therapist_with_patient(app, auth, today):
    therapist = make_user(Role.THERAPIST, email="sam@example.com")
    patient, treatment = patient_on_day(20, today, name="Maria Alvarez")
    treatment.therapist_id = therapist.id
    for offset in range(7):
        make_log(patient, today - timedelta(days=offset), back_pain=5)
    db.session.commit()
    auth.login("sam@example.com")
    return patient


def test_the_dashboard_shows_the_care_modules_days_with_data_threshold(
    client, therapist_with_patient, monkeypatch
):
    assert "7 of 16" in text_of(client.get("/therapist/"))
    monkeypatch.setattr(adherence, "RTM_DAYS_WITH_DATA", 20)
    page = text_of(client.get("/therapist/"))
    assert "7 of 20" in page
    assert "of 16" not in page
    monkeypatch.setattr(adherence, "RTM_DAYS_WITH_DATA", 7)
    assert "✓ 7+ (7)" in text_of(client.get("/therapist/"))


def test_the_dashboard_shows_the_care_modules_attention_labels(client, therapist_with_patient, monkeypatch):
    monkeypatch.setitem(adherence.ATTENTION_LABELS, "low_exercise", "Exercises lagging")
    assert "Exercises lagging" in text_of(client.get("/therapist/"))


def test_the_record_and_the_chart_use_the_meaningful_change_constants(
    client, therapist_with_patient, monkeypatch
):
    """Baseline 7, last week 5: 2 points is meaningful by default, not once 3 points are needed."""
    url = f"/therapist/patients/{therapist_with_patient.id}"
    page = client.get(url).get_data(as_text=True)
    assert 'class="meaningful"' in page
    assert "(2 points or 30 % below baseline)" in page
    monkeypatch.setattr(progress, "MEANINGFUL_POINTS", 3.0)
    page = client.get(url).get_data(as_text=True)
    assert 'class="meaningful"' not in page
    assert "(3 points or 30 % below baseline)" in page


def test_the_charts_improvement_band_follows_the_constants(monkeypatch):
    assert improvement_threshold(5.0) == 3.5  # 30 % of 5 comes before 2 points
    assert improvement_threshold(8.0) == 6.0  # 2 points come before 30 % of 8
    monkeypatch.setattr(chart, "MEANINGFUL_POINTS", 1.0)
    assert improvement_threshold(8.0) == 7.0


def test_an_id_too_large_for_the_database_is_not_found(client, auth):
    """PostgreSQL's integer ends at 2**31 - 1: past it a URL answers 404, never a 500."""
    make_user(Role.ADMIN, email="admin@example.com")
    auth.login("admin@example.com")
    for path in (
        f"/therapist/patients/{2**31}",
        f"/admin/accounts/{10**15}",
        f"/therapist/patients/{10**15}/summary",
    ):
        assert client.get(path).status_code == 404, path
