"""Spanish (and any later language) reaches patients only when its catalogue is complete and the
physician has signed off that translation's version; a changed translation needs signing again.
People choose their language on the sign-in, set-password and account pages; reminders and
alert notices are written in the recipient's language."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from babel.messages import mofile, pofile
from flask_babel import get_babel, get_domain

from app.care import content
from app.extensions import db
from app.models import AuditEvent, ContentSignoff, Role, User
from app.services.clinic import languages
from tests.conftest import ROOT, Auth, csrf_token, text_of
from tests.factories import make_user, patient_on_day, with_reminders
from tests.helpers import evening

SPANISH_PO = ROOT / "app" / "translations" / "es" / "LC_MESSAGES" / "messages.po"
# A text every patient page shows: the check-in card's title on Today.
TODAY_TEXT = content.NOT_SCHEDULED


def write_catalogue(folder, *, leave_out: int = 0, change: str | None = None) -> None:
    """The shipped Spanish catalogue compiled into `folder`, every text translated (a text the
    translators have not reached yet gets a marked stand-in), `leave_out` texts left untranslated,
    and `change` appended to one catalogue text's translation (a corrected wording; staff words
    are not signed off, so the changed one is a patient's)."""
    with SPANISH_PO.open("rb") as handle:
        catalogue = pofile.read_po(handle, locale="es")
    texts = [message for message in catalogue if message.id and isinstance(message.id, str)]
    patients = set(languages.catalogue_texts())  # the texts a translation is signed for
    left_out = 0
    for message in texts:
        if not message.string:
            message.string = f"(es) {message.id}"
        if left_out < leave_out and message.id in patients:
            message.string = ""
            left_out += 1
    if change:
        [corrected] = [message for message in texts if message.id == TODAY_TEXT]
        corrected.string = f"{corrected.string}{change}"
    target = folder / "es" / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with (target / "messages.mo").open("wb") as handle:
        mofile.write_mo(handle, catalogue)


@pytest.fixture
def catalogues(app, tmp_path, monkeypatch):
    """The app reading its catalogues from a folder of this test's (each rewrite read afresh)."""
    monkeypatch.setattr(get_babel(), "translation_directories", [str(tmp_path)])
    monkeypatch.setitem(app.config, "LANGUAGES", ["en", "es"])

    def rewrite(**changes) -> None:
        write_catalogue(tmp_path, **changes)
        languages.catalogue_in.cache_clear()
        get_domain().cache.clear()

    rewrite()
    yield rewrite
    languages.catalogue_in.cache_clear()
    get_domain().cache.clear()


def spanish(text: str) -> str:
    translated = languages.translation_of(text, "es")
    assert translated, text
    return translated


def sign_off_sheet(client):
    page = client.get("/admin/clinical-content")
    html = page.get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(version|translations)"[^>]*value="([^"]*)"', html))
    return client.post(
        "/admin/clinical-content", data={"csrf_token": csrf_token(page), "reviewed": "y", **fields}
    )


def signed_off_by_physician(app) -> None:
    browser = app.test_client()
    physician = make_user(Role.ADMIN, name="Dr Rivera")
    Auth(browser).login(physician.email)
    done = sign_off_sheet(browser)
    assert done.status_code == 303, done.get_data(as_text=True)[:500]


def lang_of(response) -> str:
    match = re.search(r'<html[^>]*\blang="([^"]+)"', response.get_data(as_text=True))
    assert match
    return match.group(1)


ASKS_SPANISH = {"Accept-Language": "es-US,es;q=0.9,en;q=0.5"}


def test_spanish_is_not_served_until_its_translation_is_signed_off(app, client, catalogues, today):
    patient, _ = patient_on_day(20, today)
    sign_in = client.get("/sign-in", headers=ASKS_SPANISH)
    assert lang_of(sign_in) == "en"
    assert 'name="language"' not in sign_in.get_data(as_text=True)  # nothing to choose yet
    assert "Accept-Language" in sign_in.headers["Vary"]

    signed_off_by_physician(app)

    sign_in = client.get("/sign-in", headers=ASKS_SPANISH)
    assert lang_of(sign_in) == "es"
    assert 'name="language"' in sign_in.get_data(as_text=True)
    Auth(client).login(patient.email)
    today_page = client.get("/today", headers=ASKS_SPANISH)
    assert lang_of(today_page) == "es"
    page = text_of(today_page)
    assert spanish(content.PHASE_GUIDANCE["restore"].summary) in page
    assert spanish(content.PHASE_GUIDANCE["restore"].do[0]) in page


def test_the_sheet_shows_each_translation_beside_the_english_and_signs_both(app, client, admin, catalogues):
    sheet = text_of(client.get("/admin/clinical-content"))
    assert re.search(r"Español\s*: version es-[0-9a-f]{12}", sheet)
    assert "not signed off yet: not offered to patients until it is" in sheet
    assert spanish(content.PHASE_GUIDANCE["protect"].do[0]) in sheet
    done = sign_off_sheet(client)
    assert done.status_code == 303
    assert "with the Español translation" in text_of(client.get(done.location))
    versions = set(db.session.scalars(sa.select(ContentSignoff.fingerprint)))
    assert [v for v in versions if v.startswith("es-")] == [languages.translation_statuses()[0].version]
    details = db.session.scalars(sa.select(AuditEvent.detail).where(AuditEvent.action == "content_signoff"))
    assert any("Español translation" in (detail or "") for detail in details)
    assert "signed off: offered to patients" in text_of(client.get("/admin/clinical-content"))


def test_a_changed_translation_needs_signing_again(app, client, catalogues):
    signed_off_by_physician(app)
    assert languages.ready_languages() == ("en", "es")
    catalogues(change=" (corregido)")
    assert languages.ready_languages() == ("en",)
    assert lang_of(client.get("/sign-in", headers=ASKS_SPANISH)) == "en"
    signed_off_by_physician(app)
    assert lang_of(client.get("/sign-in", headers=ASKS_SPANISH)) == "es"


def test_an_incomplete_translation_is_never_offered_even_when_signed(app, client, admin, catalogues):
    catalogues(leave_out=3)
    sheet = text_of(client.get("/admin/clinical-content"))
    assert f"3 of {languages.catalogue_size()} texts not translated yet: not offered" in sheet
    assert sign_off_sheet(client).status_code == 303
    assert languages.ready_languages() == ("en",)
    assert not db.session.scalar(sa.select(ContentSignoff.id).where(ContentSignoff.fingerprint.like("es-%")))


def test_a_translation_changed_while_the_sheet_was_open_is_not_signed(app, client, admin, catalogues):
    page = client.get("/admin/clinical-content")
    html = page.get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(version|translations)"[^>]*value="([^"]*)"', html))
    catalogues(change=" (corregido)")
    response = client.post(
        "/admin/clinical-content", data={"csrf_token": csrf_token(page), "reviewed": "y", **fields}
    )
    assert "The content changed since this page was opened" in text_of(response, 422)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ContentSignoff)) == 0


def test_a_patient_chooses_spanish_on_the_account_page_and_it_is_kept(app, client, auth, catalogues, today):
    signed_off_by_physician(app)
    patient, _ = patient_on_day(20, today)
    auth.login(patient.email)
    account = client.get("/account")
    assert 'id="language-choice"' in account.get_data(as_text=True)
    chosen = client.post(
        "/language", data={"csrf_token": csrf_token(account), "language": "es", "next": "/today"}
    )
    assert chosen.status_code == 303
    assert chosen.location.endswith("/today")
    assert db.session.get(User, patient.id).language == "es"
    assert ("language_changed", "es") in [
        tuple(row) for row in db.session.execute(sa.select(AuditEvent.action, AuditEvent.detail))
    ]
    assert lang_of(client.get("/today")) == "es"  # no Accept-Language: the account's choice


@pytest.mark.parametrize("language", ["fr", "", "es-ES", "<script>"])
def test_a_language_that_is_not_ready_is_refused_plainly(app, client, auth, catalogues, today, language):
    patient, _ = patient_on_day(20, today)
    auth.login(patient.email)
    account = client.get("/account")
    refused = client.post("/language", data={"csrf_token": csrf_token(account), "language": language})
    assert refused.status_code == 400
    assert "Choose a language from the list." in text_of(refused, 400)
    assert db.session.get(User, patient.id).language is None


def test_spanish_that_is_not_signed_off_cannot_be_chosen(app, client, auth, catalogues, today):
    patient, _ = patient_on_day(20, today)
    auth.login(patient.email)
    account = client.get("/account")
    refused = client.post("/language", data={"csrf_token": csrf_token(account), "language": "es"})
    assert refused.status_code == 400
    assert db.session.get(User, patient.id).language is None


def test_choosing_needs_the_csrf_token(app, client, catalogues):
    signed_off_by_physician(app)
    assert client.post("/language", data={"language": "es"}).status_code == 400


def test_a_choice_made_before_signing_in_becomes_the_accounts(app, client, catalogues, today):
    signed_off_by_physician(app)
    patient, _ = patient_on_day(20, today)
    sign_in = client.get("/sign-in")
    chosen = client.post(
        "/language", data={"csrf_token": csrf_token(sign_in), "language": "es", "next": "/sign-in"}
    )
    assert chosen.status_code == 303
    assert "backtrack_language=es" in chosen.headers["Set-Cookie"]
    assert "HttpOnly" in chosen.headers["Set-Cookie"]
    assert lang_of(client.get("/sign-in")) == "es"
    Auth(client).login(patient.email)
    assert db.session.get(User, patient.id).language == "es"


def test_an_unsafe_next_goes_home_instead(app, client, catalogues):
    signed_off_by_physician(app)
    sign_in = client.get("/sign-in")
    chosen = client.post(
        "/language",
        data={"csrf_token": csrf_token(sign_in), "language": "es", "next": "https://evil.example/"},
    )
    assert chosen.status_code == 303
    assert "evil" not in chosen.location


def test_a_reminder_is_written_in_the_patients_language(app, client, catalogues, today):
    from app.services.between_visits.reminders import send_due_reminders
    from app.services.clinic.settings import current_settings
    from tests.smtp_server import smtp_server

    signed_off_by_physician(app)
    spanish_speaker, _ = patient_on_day(20, today, email="lucia@example.com")
    spanish_speaker.language = "es"
    english_speaker, _ = patient_on_day(20, today, email="maria@example.com")
    with_reminders(spanish_speaker)
    with_reminders(english_speaker)
    with smtp_server() as inbox:
        config = {**app.config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": inbox.port}
        config |= {"MAIL_DEFAULT_SENDER": "reminders@clinic.example", "PUBLIC_URL": "https://clinic.example"}
        send_due_reminders(evening(today), current_settings(), config)
        subjects = {recipients[0]: message["Subject"] for recipients, message in inbox.messages}
    assert subjects == {
        "lucia@example.com": spanish(content.REMINDER_DAILY_LOG),
        "maria@example.com": content.REMINDER_DAILY_LOG,
    }
