"""Staff read their pages in Spanish once they choose it on their account page: a therapist and an
admin who read Spanish open every staff page of the demo clinic (the dashboard, the alert queue, a
patient's record with its logs, alerts, questionnaires, plan, monitoring and notes, outcomes, the
RTM month, the messages, and the admin's accounts, account, forms, settings, rota, audit trail,
API clients, clinical content and exercise library), and the page's furniture shows no English
word. What people wrote (a patient's notes, messages and medicines, staff notes), names, e-mail
addresses, recorded audit details and codes (PEG, PSFS, PGIC, CPT 98975…, scopes like
patient/*.rs) are shown as they are, so the test takes them out first."""

from __future__ import annotations

import re
from html import unescape

import pytest
import sqlalchemy as sa
from babel.messages import pofile

from app.care.protocol import EXERCISE_PHASE_KEYS
from app.demo.clinic import build_demo_clinic
from app.extensions import db
from app.models import (
    Alert,
    AlertNotice,
    ClinicalNote,
    DailyLog,
    Message,
    PlanItem,
    QuestionnaireItem,
    Role,
    TimeLogEntry,
    Treatment,
    User,
)
from tests.conftest import ROOT, csrf_token, text_of
from tests.english_words import STAFF_ENGLISH, english_words
from tests.factories import make_user
from tests.test_languages import (  # noqa: F401 (catalogues: a fixture)
    SPANISH_PO,
    catalogues,
    signed_off_by_physician,
)

DEMO_PASSWORD = "backtrack-demo"
THERAPIST, ADMIN = "therapist@example.com", "admin@example.com"
# Data a page shows as it is: an identifier, a path, a scope, an address, a time zone
# ("patient/*.rs", "offline_access", "docs/fhir.md", "name@example.com", "America/New_York").
CODE_LIKE = re.compile(r"\S*[A-Za-z0-9][/_@*]\S*|\S+\.(?:md|rs|json|csv)\b")
# Regions that are the record itself rather than the page's words: the audit trail's recorded
# details, the time zone list's names, the clinical content sheet's lines (the English the
# physician signs, beside its translation).
RECORDED = (
    re.compile(r'<td class="small">.*?</td>', re.S),
    re.compile(r'<select[^>]*name="timezone".*?</select>', re.S),
    re.compile(r'<table class="data-table data-table--wrap sheet__table">.*?</table>', re.S),
)


def furniture(response, status: int = 200) -> str:
    """The page's visible words with what it shows as recorded taken out (then `english_words`
    takes out what people wrote)."""
    assert response.status_code == status, f"expected {status}, got {response.status_code}"
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html
    for region in RECORDED:
        html = region.sub(" ", html)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    text = unescape(re.sub(r"<[^>]+>", " ", html))
    return CODE_LIKE.sub(" ", " ".join(text.split()))


def written_by_people() -> list[str]:
    """Everything on the pages that a person typed: names and addresses, a patient's notes,
    medicines, messages, answers and alert quotes, staff notes, acknowledgements and time-log
    entries, and who was told of an alert (recorded when it was sent)."""
    texts: list[str] = []
    for user in db.session.scalars(sa.select(User)):
        texts += [user.full_name, user.email]
    for log in db.session.scalars(sa.select(DailyLog)):
        texts += [log.note or "", log.other_medicine or ""]
    for treatment in db.session.scalars(sa.select(Treatment)):
        texts += [
            treatment.regular_medicines or "",
            treatment.medicines_review_note or "",
            treatment.precautions_note or "",
        ]
    texts += [message.body for message in db.session.scalars(sa.select(Message))]
    texts += [note.body for note in db.session.scalars(sa.select(ClinicalNote))]
    texts += [entry.what for entry in db.session.scalars(sa.select(TimeLogEntry))]
    texts += [item.label for item in db.session.scalars(sa.select(QuestionnaireItem))]
    texts += [notice.told for notice in db.session.scalars(sa.select(AlertNotice))]
    for alert in db.session.scalars(sa.select(Alert)):
        texts += [alert.quote or "", alert.acknowledgement_note or ""]
    return [" ".join(text.split()) for text in texts if text and text.strip()]


def english_on(response, status: int = 200) -> list[str]:
    return english_words(furniture(response, status), *written_by_people(), words=STAFF_ENGLISH)


@pytest.fixture
def clinic(app, catalogues, today):  # noqa: F811 (the fixture imported above)
    """The demo clinic, its Spanish signed off by the physician, its therapist and admin reading
    Spanish (the choice their account page stores)."""
    people = {user.email: user for user in build_demo_clinic(today)}
    signed_off_by_physician(app)
    for email in (THERAPIST, ADMIN):
        people[email].language = "es"
    db.session.commit()
    return people


@pytest.fixture
def staff(client, auth, clinic):
    def sign_in(email: str):
        auth.login(email, DEMO_PASSWORD)
        return client

    return sign_in


def english_on_each(client, urls: list[str]) -> dict[str, list[str]]:
    """Each page's English words, for the pages that have any."""
    found = {url: english_on(client.get(url)) for url in urls}
    return {url: words for url, words in found.items() if words}


def test_a_therapist_reads_every_page_of_their_work_in_spanish(staff, clinic):
    client = staff(THERAPIST)
    maria = clinic["patient@example.com"].id
    records = [
        f"/therapist/patients/{clinic[email].id}"
        for email in ("patient@example.com", "evaluation@example.com", "maintenance@example.com")
    ]
    pages = ["/therapist/", "/therapist/alerts", "/therapist/outcomes", "/therapist/rtm", *records]
    item = db.session.scalars(  # the plan's other phases and a dose form, as the record opens them
        sa.select(PlanItem)
        .join(Treatment)
        .where(Treatment.patient_id == maria, PlanItem.removed_at.is_(None))
    ).first()
    opened = [f"{records[0]}?phase={key}" for key in EXERCISE_PHASE_KEYS] + [
        f"{records[0]}?phase={item.phase}&dose={item.id}"
    ]
    assert english_on_each(client, [*pages, *opened, f"/patients/{maria}/messages"]) == {}
    dashboard = furniture(client.get("/therapist/"))
    assert "Sus pacientes" in dashboard
    assert "Necesita atención" in dashboard
    assert "adherencia" in dashboard
    record = client.get(records[0]).get_data(as_text=True)
    notes = [log.note for log in db.session.scalars(sa.select(DailyLog).where(DailyLog.patient_id == maria))]
    assert any(note and note in record for note in notes), "what the patient wrote shows as written"
    assert "Plan de ejercicios en casa" in record
    assert "Monitoreo remoto (RTM)" in record


def test_an_admin_reads_every_page_of_theirs_in_spanish(staff, clinic):
    client = staff(ADMIN)
    maria = clinic["patient@example.com"]
    treatment = db.session.scalar(sa.select(Treatment).where(Treatment.patient_id == maria.id))
    pages = [
        "/admin/",
        f"/admin/accounts/{maria.id}",
        f"/admin/accounts/{clinic[THERAPIST].id}",
        f"/admin/accounts/{maria.id}/deactivate",
        "/admin/accounts/new",
        f"/admin/treatments/{treatment.id}",
        "/admin/settings",
        "/admin/on-call",
        "/admin/audit",
        "/admin/api-clients",
        "/admin/clinical-content",
        "/admin/library",
        f"/therapist/patients/{maria.id}",
        "/therapist/alerts",
        "/therapist/outcomes",
        "/therapist/rtm",
    ]
    assert english_on_each(client, pages) == {}
    assert "Ajustes de la clínica" in furniture(client.get("/admin/settings"))


def test_a_form_refused_on_the_record_says_why_in_spanish(staff, clinic):
    client = staff(THERAPIST)
    patient_id = clinic["patient@example.com"].id
    sent = client.post(
        f"/therapist/patients/{patient_id}/time-log",
        data={
            "csrf_token": csrf_token(client.get(f"/therapist/patients/{patient_id}")),
            "day": "",
            "minutes": "abc",
            "what": "",
        },
    )
    assert english_on(sent, 422) == []
    page = furniture(sent, 422)
    assert "Indique la fecha." in page
    assert "Escriba un número entero, como 10." in page


def test_an_admins_forms_refused_say_why_in_spanish(staff):
    client = staff(ADMIN)
    sent = client.post(
        "/admin/accounts/new",
        data={
            "csrf_token": csrf_token(client.get("/admin/accounts/new")),
            "full_name": "",
            "email": "not an address",
            "role": "patient",
        },
    )
    assert english_on(sent, 422) == []
    page = text_of(sent, 422)
    assert "Escriba el nombre de la persona." in page
    assert "Escriba un correo electrónico como nombre@ejemplo.com." in page
    newcomer = make_user(Role.PATIENT, name="Lucía Romero")
    url = f"/admin/accounts/{newcomer.id}/treatments/new"
    assert english_on(client.get(url)) == []
    sent = client.post(url, data={"csrf_token": csrf_token(client.get(url)), "baseline_pain": "11"})
    assert english_on(sent, 422) == []
    assert "Escriba la fecha de la evaluación." in furniture(sent, 422)


def test_a_staff_member_who_reads_english_still_reads_english(client, auth, clinic):
    auth.login("therapist2@example.com", DEMO_PASSWORD)
    page = client.get("/therapist/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Needs attention" in page
    assert "attention" in english_words(text_of(client.get("/therapist/")), words=STAFF_ENGLISH)


def test_every_word_of_the_template_has_its_spanish_and_none_is_fuzzy():
    """Staff words are not signed off, so nothing else stops one from reaching a page untranslated:
    every message of app/translations/messages.pot has its Spanish, every plural form too."""
    with (ROOT / "app" / "translations" / "messages.pot").open("rb") as handle:
        template = pofile.read_po(handle)
    with SPANISH_PO.open("rb") as handle:
        spanish = pofile.read_po(handle, locale="es")
    missing = []
    for message in template:
        if not message.id:
            continue
        found = spanish.get(message.id, context=message.context)
        forms = (
            found.string if found and isinstance(found.string, tuple) else (found.string if found else "",)
        )
        if found is None or found.fuzzy or not all(forms):
            missing.append(message.id)
    assert missing == [], "translate them in app/translations/es/LC_MESSAGES/messages.po"


def test_the_detector_sees_english_furniture_and_leaves_what_people_wrote():
    page = "Sus pacientes · Needs attention · Caminé un poco · allí"
    assert english_words(page, words=STAFF_ENGLISH) == ["attention", "needs"]
    assert english_words(page, "Needs attention", words=STAFF_ENGLISH) == []
