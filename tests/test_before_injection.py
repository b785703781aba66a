"""The PRP consent page, "Before your injection" (docs/clinical-protocol.md#before-the-injection):
what PRP can and cannot do and its real risks (the collapsed lung only for a mid-back injection,
the brochure's "no significant adverse effects" never), how to get ready by the clinic's settings,
and the patient's confirmation recorded (which words, when, how, by whom) and shown to staff."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.care import content
from app.care.before_injection import page_for, version_of
from app.extensions import db
from app.models import AuditEvent, ClinicSetting, ProcedureConsent, Role
from app.services.clinic.settings import forget_stored_settings
from app.services.treatment.treatments import TreatmentDetails, schedule_treatment
from tests.conftest import Auth, csrf_token, text_of
from tests.factories import make_user, patient_on_day
from tests.helpers import settings_fields

PAGE = "/before-your-injection"
BROCHURE_CLAIM = "no significant adverse effects"


def evaluation_patient(today, sites=("facet_joints",), condition="lumbar_facet", therapist=None, **kwargs):
    """A patient five days before their injection (Visit 1 was two days ago)."""
    patient = make_user(Role.PATIENT, **kwargs)
    details = TreatmentDetails(
        today - timedelta(days=2),
        today + timedelta(days=5),
        condition,
        sites,
        7,
        therapist.id if therapist else None,
    )
    treatment = schedule_treatment(patient, details)
    db.session.commit()
    return patient, treatment


def consents() -> list[ProcedureConsent]:
    return list(db.session.scalars(sa.select(ProcedureConsent).order_by(ProcedureConsent.id)))


def confirm(client, **data):
    token = csrf_token(client.get(PAGE))
    return client.post(PAGE, data={"csrf_token": token, **data})


@pytest.fixture
def therapist_user():
    return make_user(Role.THERAPIST, name="Sam Patel")


# --- The patient's page and the card on Today --------------------------------------------------------


def test_today_links_to_the_page_until_the_patient_confirms_and_the_consent_is_recorded(
    client, auth, today, therapist_user
):
    patient, treatment = evaluation_patient(today, therapist=therapist_user)
    auth.login(patient.email)
    today_page = client.get("/today").get_data(as_text=True)
    assert content.BEFORE_CARD_TEXT in today_page
    assert f'href="{PAGE}"' in today_page

    response = confirm(client, has_read="y")
    assert response.status_code == 303
    assert response.location.endswith("/today#main")
    [consent] = consents()
    assert (consent.treatment_id, consent.patient_id, consent.how) == (treatment.id, patient.id, "online")
    assert consent.recorded_by_id == patient.id
    assert consent.language == "en"
    assert not consent.showed_lung_risk
    shown = page_for(False, "visit_1", "no", "facet_joints,si_joint,ligaments,paraspinal_muscles").texts()
    assert consent.text_version == version_of(shown)  # the words read, with this clinic's settings
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "procedure_consent")).one()
    assert event.patient_id == patient.id
    assert consent.text_version in event.detail

    after = text_of(client.get("/today"))
    assert content.BEFORE_CONFIRM_SAVED in after
    assert content.BEFORE_CARD_TEXT not in after
    page = text_of(client.get(PAGE))
    assert content.render(content.BEFORE_CONFIRMED_ONLINE, day=f"{today:%B} {today.day}") in page
    assert content.BEFORE_CONFIRM_LABEL not in page  # nothing left to tick


def test_the_page_says_what_prp_cannot_promise_and_the_real_risks(client, auth, today):
    patient, _ = evaluation_patient(today)
    auth.login(patient.email)
    page = text_of(client.get(PAGE))
    for text in (
        content.BEFORE_MEANT,
        content.BEFORE_CANNOT,
        content.BEFORE_RISK_FLARE,
        content.BEFORE_RISK_INFECTION,
        content.BEFORE_RISK_BLEEDING,
        content.BEFORE_RISK_NERVE,
        content.BEFORE_RISK_HEADACHE,
        content.BEFORE_EAT,
        content.BEFORE_CLOTHES,
        content.BEFORE_ILL,
        content.BEFORE_BLOOD_THINNER,
    ):
        assert text in page, text
    assert "PRP does not help everyone." in page
    assert "Do not stop it on your own." in page
    assert content.BEFORE_RISK_LUNG not in page  # a low-back injection: no lung near the needle
    assert "collapsed lung" not in page.lower()


@pytest.mark.parametrize(
    ("sites", "condition"),
    [(("thoracic_spine",), "thoracic_strain"), (("thoracic_spine", "facet_joints"), "lumbar_facet")],
)
def test_the_collapsed_lung_is_a_risk_only_for_a_mid_back_injection(client, auth, today, sites, condition):
    patient, treatment = evaluation_patient(today, sites=sites, condition=condition)
    assert treatment.is_thoracic  # the same rule that asks about chest pain in the daily log
    auth.login(patient.email)
    assert content.BEFORE_RISK_LUNG in text_of(client.get(PAGE))
    confirm(client, has_read="y")
    [consent] = consents()
    assert consent.showed_lung_risk
    low_back = page_for(False, "visit_1", "no", "facet_joints").texts()
    mid_back = page_for(True, "visit_1", "no", "facet_joints").texts()
    assert version_of(low_back) != version_of(mid_back)


def test_the_brochures_no_adverse_effects_claim_is_never_shown(client, auth, today, therapist_user):
    texts = [value for name, value in vars(content).items() if name.isupper() and isinstance(value, str)]
    assert not [text for text in texts if BROCHURE_CLAIM in text.lower() or "no side effects" in text.lower()]
    patient, _ = evaluation_patient(today, sites=("thoracic_spine",), therapist=therapist_user)
    auth.login(patient.email)
    for path in (PAGE, "/today"):
        assert BROCHURE_CLAIM not in text_of(client.get(path)).lower()
    confirm(client)  # the page with its error
    assert BROCHURE_CLAIM not in client.get(PAGE).get_data(as_text=True).lower()


def test_an_unticked_box_is_refused_with_a_clear_error(client, auth, today):
    patient, _ = evaluation_patient(today)
    auth.login(patient.email)
    response = confirm(client)
    assert response.status_code == 422
    page = text_of(response, 422)
    assert content.BEFORE_CONFIRM_MISSING in page
    assert 'aria-describedby="has_read-error"' in response.get_data(as_text=True)
    assert consents() == []
    assert confirm(client, has_read="").status_code == 422
    assert consents() == []


def test_the_confirmation_needs_its_csrf_token(client, auth, today):
    patient, _ = evaluation_patient(today)
    auth.login(patient.email)
    client.get(PAGE)
    assert client.post(PAGE, data={"has_read": "y"}).status_code == 400
    assert consents() == []


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"json": {"has_read": True}}, 415),
        ({"data": "[1, 2]", "content_type": "application/json"}, 415),
        ({"data": "[" * 20_000 + "]" * 20_000, "content_type": "application/json"}, 415),
        ({"data": "has_read=y", "content_type": "text/plain"}, 415),
        ({"data": "<has_read>y</has_read>", "content_type": "application/xml"}, 415),
        ({"data": {"file": (b"x" * 100, "x.txt")}}, 422),  # multipart, no box
        ({"data": {}}, 422),
        ({"data": b"", "content_type": "application/x-www-form-urlencoded"}, 422),
        ({"data": b"\xff\xfe", "content_type": "application/x-www-form-urlencoded"}, 422),
    ],
)
def test_odd_bodies_answer_4xx_and_record_nothing(client, auth, today, body, status):
    """As a script would send them, with a real token in the header (so they reach the view)."""
    patient, _ = evaluation_patient(today)
    auth.login(patient.email)
    token = csrf_token(client.get(PAGE))
    response = client.post(PAGE, headers={"X-CSRFToken": token}, **sent(body))
    assert response.status_code == status
    assert consents() == []
    assert client.post(PAGE, **sent(body)).status_code in (400, 415)  # without the token: refused too


def sent(body: dict) -> dict:
    """The body with a fresh file object for each request (a sent one is closed)."""
    data = body.get("data")
    if isinstance(data, dict) and "file" in data:
        raw, name = data["file"]
        return {**body, "data": {**data, "file": (io.BytesIO(raw), name)}}
    return body


@pytest.mark.parametrize(
    "data",
    [
        {"file": (io.BytesIO(b"x" * 100), "x.txt")},
        {"has_read": ["", ""]},
        {"has_read": "false"},
        {},
    ],
)
def test_odd_forms_with_the_token_come_back_with_the_error(client, auth, today, data):
    patient, _ = evaluation_patient(today)
    auth.login(patient.email)
    token = csrf_token(client.get(PAGE))
    response = client.post(PAGE, data={"csrf_token": token, **data})
    assert response.status_code == 422
    assert content.BEFORE_CONFIRM_MISSING in text_of(response, 422)
    assert consents() == []


def test_confirming_twice_keeps_the_first_record(client, auth, today):
    patient, _ = evaluation_patient(today)
    auth.login(patient.email)
    token = csrf_token(client.get(PAGE))
    assert client.post(PAGE, data={"csrf_token": token, "has_read": "y"}).status_code == 303
    first = consents()[0].consented_at
    again = client.post(PAGE, data={"csrf_token": token, "has_read": "y"})
    assert again.status_code == 303
    assert [consent.consented_at for consent in consents()] == [first]


def test_after_the_injection_day_there_is_nothing_to_confirm(client, auth, today):
    patient, _ = patient_on_day(3, today)
    auth.login(patient.email)
    page = text_of(client.get(PAGE))
    assert content.BEFORE_TOO_LATE in page
    assert content.BEFORE_CARD_TEXT not in text_of(client.get("/today"))
    token = csrf_token(client.get("/today"))
    assert client.post(PAGE, data={"csrf_token": token, "has_read": "y"}).status_code == 400
    assert consents() == []


def test_each_patient_sees_and_confirms_only_their_own(app, client, auth, today):
    maria, maria_treatment = evaluation_patient(today, name="Maria Alvarez")
    tom, tom_treatment = evaluation_patient(today, sites=("thoracic_spine",), name="Tom Baker")
    auth.login(tom.email)
    assert content.BEFORE_RISK_LUNG in text_of(client.get(PAGE))
    confirm(client, has_read="y", treatment_id=str(maria_treatment.id), patient_id=str(maria.id))
    [consent] = consents()
    assert (consent.treatment_id, consent.patient_id) == (tom_treatment.id, tom.id)

    other = app.test_client()
    Auth(other).login(maria.email)
    page = text_of(other.get(PAGE))
    assert "Tom" not in page
    assert content.BEFORE_RISK_LUNG not in page  # her own page, not Tom's
    assert content.BEFORE_CONFIRM_LABEL in page  # she has not confirmed
    assert content.BEFORE_CARD_TEXT in text_of(other.get("/today"))

    unscheduled = make_user(Role.PATIENT)
    Auth(other).logout()
    Auth(other).login(unscheduled.email)
    assert other.get(PAGE).status_code == 404


def test_staff_cannot_use_the_patients_page(client, auth, today, therapist_user):
    evaluation_patient(today, therapist=therapist_user)
    auth.login(therapist_user.email)
    assert client.get(PAGE).status_code in (403, 404)


# --- Clinic settings change the text ------------------------------------------------------------------


def test_the_clinic_settings_change_what_the_page_says(client, auth, today):
    patient, _ = evaluation_patient(today)
    auth.login(patient.email)
    before = text_of(client.get(PAGE))
    assert content.BEFORE_BLOOD_AT_VISIT_1 in before
    assert content.BEFORE_RIDE_NO_DRIVING in before
    assert "Facet joints" in before
    assert "Disc" not in before

    db.session.add_all(
        [
            ClinicSetting(key="blood_draw", value="injection_day"),
            ClinicSetting(key="drive_home", value="yes"),
            ClinicSetting(key="ultrasound_sites", value="disc,thoracic_spine"),
        ]
    )
    db.session.commit()
    forget_stored_settings()
    after = text_of(client.get(PAGE))
    assert content.BEFORE_BLOOD_ON_INJECTION_DAY in after
    assert content.BEFORE_BLOOD_AT_VISIT_1 not in after
    assert content.BEFORE_RIDE_MAY_DRIVE in after
    assert content.BEFORE_RIDE_NO_DRIVING not in after
    assert "Disc" in after
    assert "Mid back (thoracic spine)" in after
    assert "Facet joints" not in after

    confirm(client, has_read="y")
    [consent] = consents()
    assert consent.text_version == version_of(
        page_for(False, "injection_day", "yes", "disc,thoracic_spine").texts()
    )


def test_the_admin_sets_where_the_blood_is_drawn_the_ultrasound_sites_and_the_ride_home(client, auth, today):
    admin = make_user(Role.ADMIN)
    auth.login(admin.email)
    token = csrf_token(client.get("/admin/settings"))
    fields = settings_fields(
        blood_draw="injection_day", ultrasound_sites=["si_joint", "disc"], drive_home="yes"
    )
    assert client.post("/admin/settings", data={"csrf_token": token, **fields}).status_code == 303
    assert db.session.get(ClinicSetting, "blood_draw").value == "injection_day"
    assert db.session.get(ClinicSetting, "ultrasound_sites").value == "si_joint,disc"
    assert db.session.get(ClinicSetting, "drive_home").value == "yes"
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "settings_update")).one()
    assert "Where the blood for the PRP is drawn changed from visit_1 to injection_day" in event.detail

    refused = client.post(
        "/admin/settings",
        data={"csrf_token": token, **settings_fields(ultrasound_sites=[], blood_draw="tomorrow")},
    )
    assert refused.status_code == 422
    page = text_of(refused, 422)
    assert "Tick at least one site the clinic injects under ultrasound." in page
    assert "Choose when the clinic draws the blood." in page


# --- What staff see and record ------------------------------------------------------------------------


def test_the_record_shows_whether_and_when_the_patient_consented(app, client, auth, today, therapist_user):
    patient, _ = evaluation_patient(today, therapist=therapist_user, name="Maria Alvarez")
    auth.login(therapist_user.email)
    record = f"/therapist/patients/{patient.id}"
    assert "Consent to the injection Not given yet." in text_of(client.get(record))

    phone = app.test_client()
    Auth(phone).login(patient.email)
    confirm(phone, has_read="y")

    page = text_of(client.get(record))
    assert "read and confirmed online by the patient" in page
    assert f"{consents()[0].text_version} (English)" in page
    assert "Not given yet." not in page
    admin = make_user(Role.ADMIN)
    Auth(client).logout()
    Auth(client).login(admin.email)
    assert "read and confirmed online by the patient" in text_of(client.get(record))


def test_staff_record_consent_given_in_clinic(app, client, auth, today, therapist_user):
    patient, treatment = evaluation_patient(today, sites=("thoracic_spine",), therapist=therapist_user)
    auth.login(therapist_user.email)
    record = f"/therapist/patients/{patient.id}"
    path = f"/therapist/patients/{patient.id}/procedure-consent"
    token = csrf_token(client.get(record))

    unticked = client.post(path, data={"csrf_token": token})
    assert unticked.status_code == 422
    assert "Tick the box once the patient has read the page and agreed." in text_of(unticked, 422)
    assert client.post(path, data={"confirmed": "y"}).status_code == 400  # no CSRF token
    assert client.post(path, json={"confirmed": True}, headers={"X-CSRFToken": token}).status_code == 415
    assert consents() == []

    response = client.post(path, data={"csrf_token": token, "confirmed": "y"})
    assert response.status_code == 303
    [consent] = consents()
    assert (consent.how, consent.recorded_by_id, consent.treatment_id) == (
        "in_clinic",
        therapist_user.id,
        treatment.id,
    )
    assert consent.showed_lung_risk
    assert consent.text_version == version_of(
        page_for(True, "visit_1", "no", "facet_joints,si_joint,ligaments,paraspinal_muscles").texts()
    )
    page = text_of(client.get(record))
    assert "recorded in clinic by Sam Patel" in page
    assert "with the collapsed-lung risk of a mid-back injection" in page
    assert ("procedure_consent", patient.id) in [
        (event.action, event.patient_id) for event in db.session.scalars(sa.select(AuditEvent))
    ]

    phone = app.test_client()
    Auth(phone).login(patient.email)
    assert content.BEFORE_CARD_TEXT not in text_of(phone.get("/today"))
    assert content.render(content.BEFORE_CONFIRMED_IN_CLINIC, day=f"{today:%B} {today.day}") in text_of(
        phone.get(PAGE)
    )


def test_only_the_patients_own_clinicians_see_or_record_it(client, auth, today, therapist_user):
    patient, _ = evaluation_patient(today, therapist=therapist_user)
    stranger = make_user(Role.THERAPIST)
    auth.login(stranger.email)
    assert client.get(f"/therapist/patients/{patient.id}").status_code == 404
    token = csrf_token(client.get("/therapist/"))
    path = f"/therapist/patients/{patient.id}/procedure-consent"
    assert client.post(path, data={"csrf_token": token, "confirmed": "y"}).status_code == 404
    assert consents() == []

    Auth(client).logout()
    other_patient, _ = evaluation_patient(today)
    Auth(client).login(other_patient.email)
    token = csrf_token(client.get("/today"))
    assert client.post(path, data={"csrf_token": token, "confirmed": "y"}).status_code in (403, 404)
    assert consents() == []
