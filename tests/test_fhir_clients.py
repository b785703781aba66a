"""Outside clients against Backtrack served by real gunicorn (two workers, the demo clinic):
SMART's own Python client (`fhirclient`) runs the patient's standalone launch — discovery from
the CapabilityStatement, PKCE, the consent screen answered by a person's browser requests, the
code exchange, a refresh — then reads; `fhirpy` reads and searches with the token. Everything
they get back validates with fhir.resources (R4B)."""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
import sqlalchemy as sa
from fhirclient import client as smart_client
from fhirclient.models.observation import Observation as ClientObservation
from fhirpy import SyncFHIRClient

from app.extensions import db
from app.models import Role, User
from tests.browser import PHONE, screenshot, sign_in, watched_page
from tests.fhir_support import REDIRECT, authorize_query, pkce, register_app, validate

pytestmark = pytest.mark.e2e
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SCOPE = "launch/patient offline_access patient/*.rs"


@pytest.fixture(scope="module")
def diary(migrated_app, live_server):
    with migrated_app.app_context():
        admin = db.session.scalar(sa.select(User).where(User.role == Role.ADMIN.value))
        maria = db.session.scalar(sa.select(User).where(User.email == "patient@example.com"))
        client = register_app(admin, scopes=SCOPE)
        return client.client_id, maria.id


def browser_signed_in(base: str) -> requests.Session:
    """What Maria's browser does: the sign-in page, then its form with the CSRF token."""
    session = requests.Session()
    page = session.get(f"{base}/sign-in", timeout=10)
    form = {
        "email": "patient@example.com",
        "password": "backtrack-demo",
        "csrf_token": CSRF.search(page.text)[1],
    }
    assert session.post(f"{base}/sign-in", data=form, timeout=10).status_code == 200
    return session


def consent(session: requests.Session, authorize_url: str) -> str:
    """Open the consent screen the app sent her to, tap Allow; the app's callback URL."""
    page = session.get(authorize_url, timeout=10, allow_redirects=False)
    assert page.status_code == 200
    assert "Allow My Pain Diary?" in page.text
    answer = session.post(
        authorize_url,
        data={"csrf_token": CSRF.search(page.text)[1], "decision": "approve"},
        timeout=10,
        allow_redirects=False,
    )
    assert answer.status_code == 302
    callback = answer.headers["Location"]
    assert callback.startswith(REDIRECT)
    return callback


def test_fhirclient_runs_the_standalone_launch_and_fhirpy_searches(live_server, diary):
    client_id, maria_id = diary
    smart = smart_client.FHIRClient(
        settings={
            "app_id": client_id,
            "api_base": f"{live_server}/fhir",
            "redirect_uri": REDIRECT,
            "scope": SCOPE,
        }
    )
    authorize_url = smart.authorize_url  # read from the CapabilityStatement's SMART extension
    assert authorize_url.startswith(f"{live_server}/oauth/authorize?")
    assert "code_challenge=" in authorize_url
    smart.handle_callback(consent(browser_signed_in(live_server), authorize_url))
    assert smart.ready
    assert smart.patient_id == str(maria_id)

    patient = smart.patient  # fhirclient reads Patient/{id} itself
    assert patient.name[0].text == "Maria Alvarez"  # one name as the clinic wrote it (no given/family split)
    validate(patient.as_json())
    pain = ClientObservation.where(struct={"patient": str(maria_id), "code": "http://loinc.org|72514-3"})
    observations = list(pain.perform_resources_iter(smart.server))  # follows the next links too
    assert observations
    assert all(o.code.coding[0].code == "72514-3" for o in observations)
    for observation in observations:
        validate(observation.as_json())

    assert smart.reauthorize() is not None  # the refresh token rotates
    token = smart.server.auth.access_token

    fhir = SyncFHIRClient(f"{live_server}/fhir", authorization=f"Bearer {token}")
    me = fhir.reference("Patient", str(maria_id)).to_resource()
    assert me["name"][0]["text"] == "Maria Alvarez"
    found = fhir.resources("Observation").search(patient=f"Patient/{maria_id}").limit(20).fetch_all()
    assert len(found) == len({o["id"] for o in found}) > 20  # followed the next links
    for resource in found:
        validate(resource.serialize())
    plans = fhir.resources("CarePlan").search(subject=f"Patient/{maria_id}").fetch()
    assert plans
    assert validate(plans[0].serialize()).status == "active"
    for kind in ("QuestionnaireResponse", "Flag", "Communication", "Practitioner"):
        for resource in fhir.resources(kind).limit(50).fetch():
            validate(resource.serialize())
    recent = fhir.resources("Observation").search(patient=maria_id, date__ge="2000-01-01").fetch()
    assert recent
    assert fhir.resources("Observation").search(patient=maria_id + 1000).fetch() == []
    code_system = requests.get(f"{live_server}/fhir/CodeSystem/backtrack", timeout=10).json()
    assert urljoin(live_server, "/fhir/CodeSystem/backtrack") == code_system["url"]


def test_in_a_real_browser_the_consent_screen_sends_her_back_to_the_app(browser, live_server, diary):
    """Chromium holds the redirect after the consent form to the page's Content-Security-Policy
    (`form-action`): the app's callback must be allowed there, and nothing else breaks."""
    client_id, _maria_id = diary
    verifier, challenge = pkce()
    path = authorize_query(SimpleNamespace(client_id=client_id), challenge, SCOPE, aud=f"{live_server}/fhir")
    with watched_page(browser, live_server, **PHONE) as page:
        page.route("https://app.example/**", lambda route: route.fulfill(status=200, body="the app"))
        sign_in(page, "patient@example.com")
        page.goto(path)
        assert page.get_by_role("heading", name="Allow My Pain Diary?").is_visible()
        screenshot(page, "fhir-consent")
        page.get_by_role("button", name="Allow", exact=True).click()
        page.wait_for_url(f"{REDIRECT}?**")
        params = parse_qs(urlsplit(page.url).query)
        assert params["state"] == ["state-123"]
        assert page.errors == []
    token = requests.post(
        f"{live_server}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": params["code"][0],
            "redirect_uri": REDIRECT,
            "client_id": client_id,
            "code_verifier": verifier,
        },
        timeout=10,
    )
    assert token.status_code == 200
    assert token.json()["patient"]
