"""The sign-in and account pages in Spanish: a patient who reads Spanish, and a browser that asks
for Spanish before anyone signs in, read every page, fragment, flash and error of signing in and of
the account in Spanish, and the lines the phone's scripts show come from the page in Spanish too.
Each page's visible text is read for English words (tests/test_spanish_pages.py's detector, with
the words of these pages added), so a heading, a button, a label, a form's message or a flash
written outside the catalogue shows up here."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import sqlalchemy as sa

from app.care import content
from app.extensions import db
from app.models import Passkey, Role, UserSession
from app.services.accounts import sign_in_links
from app.services.accounts.accounts import issue_setup_link
from app.services.accounts.sign_in_throttle import FREE_PER_ACCOUNT, FREE_PER_ACCOUNT_AND_ADDRESS
from app.services.clinic import languages
from app.web.script_words import SCRIPT_WORDS
from tests.conftest import PASSWORD, ROOT, Auth, csrf_token, text_of
from tests.english_words import ENGLISH, english_words
from tests.factories import make_user, patient_on_day
from tests.fhir_support import app_token, register_app
from tests.test_languages import ASKS_SPANISH, catalogues, signed_off_by_physician  # noqa: F401
from tests.test_passkeys import DESKTOP, add_passkey, post_json
from tests.test_sessions import PHONE_UA, browser, right, wrong
from tests.test_sign_in_guard import guess_from_new_addresses, later, try_password
from tests.test_spanish_pages import reads_spanish  # noqa: F401

# The words of these pages that Spanish does not use (besides those of the patient's pages).
ACCOUNT_ENGLISH = ENGLISH | frozenset(
    [
        "password",
        "passwords",
        "email",
        "passkey",
        "passkeys",
        "device",
        "devices",
        "reminders",
        "remind",
        "remove",
        "removed",
        "add",
        "added",
        "stop",
        "apps",
        "access",
        "session",
        "sessions",
        "quiet",
        "hours",
        "time",
        "zone",
        "notifications",
        "notes",
        "minutes",
        "seconds",
        "signed",
        "everywhere",
        "choose",
        "welcome",
        "finish",
        "press",
        "button",
        "page",
        "help",
        "home",
        "try",
        "tries",
        "again",
        "check",
        "forgot",
        "need",
        "from",
        "last",
        "seen",
        "used",
        "hide",
        "current",
        "new",
        "on",
        "in",
        "to",
        "of",
        "for",
        "at",
        "or",
        "not",
        "is",
        "are",
        "was",
        "were",
        "read",
        "until",
        "unless",
        "allowed",
        "where",
        "link",
        "works",
        "enter",
        "like",
        "too",
        "many",
        "wait",
        "safety",
        "active",
        "please",
        "browser",
        "phone",
        "computer",
        "daily",
        "name",
        "found",
        "find",
        "went",
        "wrong",
        "our",
        "side",
        "set",
        "easy",
        "guess",
        "characters",
        "request",
        "understood",
    ]
)
SPANISH_CLIENT = {"HTTP_ACCEPT_LANGUAGE": ASKS_SPANISH["Accept-Language"]}


def english_left(page: str, *shown: str) -> list[str]:
    return english_words(page, *shown, words=ACCOUNT_ENGLISH)


def spanish(text: str) -> str:
    translated = languages.translation_of(text, "es")
    assert translated, text
    return translated


@pytest.fixture
def spanish_browser(app, client, catalogues):  # noqa: F811 (the fixture imported above)
    """Spanish signed off by the physician, and a browser that asks for Spanish (nobody signed in)."""
    signed_off_by_physician(app)
    client.environ_base.update(SPANISH_CLIENT)
    return client


@pytest.fixture
def spanish_patient(client, reads_spanish, today, monkeypatch, app):  # noqa: F811
    """A patient who reads Spanish, signed in on a desktop browser, with phone notifications set up
    by the clinic (so the account page offers them)."""
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", "a-public-key")
    client.environ_base.update({"HTTP_USER_AGENT": DESKTOP})
    patient, _ = reads_spanish(20, today)
    return patient


def test_the_detector_knows_the_account_pages_words():
    assert english_left("Su cuenta · Change your password · Sign out everywhere") == [
        "change",
        "everywhere",
        "password",
        "sign",
        "your",
    ]


# --- Before signing in --------------------------------------------------------------------------------


def test_the_sign_in_page_is_spanish_and_offers_the_language(spanish_browser):
    page = spanish_browser.get("/sign-in")
    words = text_of(page)
    assert spanish(content.SIGN_IN_INTRO) in words
    assert spanish(content.PASSKEY_SIGN_IN) in words  # the passkey part, shown by passkeys.js
    assert 'name="language"' in page.get_data(as_text=True)
    assert "Idioma · Language" in words  # the chooser's label in each ready language
    assert english_left(words) == []


def test_a_sign_in_with_a_mistake_is_answered_in_spanish(spanish_browser, app):
    patient = make_user(Role.PATIENT)
    token = csrf_token(spanish_browser.get("/sign-in"))
    empty = spanish_browser.post("/sign-in", data={"csrf_token": token, "email": "", "password": ""})
    words = text_of(empty, 422)
    assert spanish(content.EMAIL_MISSING) in words
    assert spanish(content.PASSWORD_MISSING) in words
    assert english_left(words) == []
    not_an_address = spanish_browser.post(
        "/sign-in", data={"csrf_token": token, "email": "maria at home", "password": "x"}
    )
    assert spanish(content.EMAIL_NOT_AN_ADDRESS) in text_of(not_an_address, 422)
    for _ in range(FREE_PER_ACCOUNT_AND_ADDRESS):
        no_match = wrong(spanish_browser, patient.email)
    words = text_of(no_match, 422)
    assert spanish(content.NO_MATCH) in words
    assert english_left(words, patient.email) == []
    waiting = wrong(spanish_browser, patient.email)
    words = text_of(waiting, 429)
    assert "Demasiados intentos. Por su seguridad, espere 2 segundos" in words
    assert english_left(words, patient.email) == []


def test_an_account_that_is_not_active_is_told_in_spanish(spanish_browser):
    closed = make_user(Role.PATIENT, active=False)
    words = text_of(right(spanish_browser, closed.email), 422)
    assert spanish(content.ACCOUNT_NOT_ACTIVE) in words
    assert english_left(words, closed.email) == []


def test_the_check_your_email_page_is_spanish(app, spanish_browser):
    owner = make_user(Role.PATIENT, email="dueno.cuenta@example.com")
    guess_from_new_addresses(app, owner.email, FREE_PER_ACCOUNT)
    with later(seconds=3):
        guarded = browser(app, "10.9.0.1")
        guarded.environ_base.update(SPANISH_CLIENT)
        answer = try_password(guarded, owner.email, "another wrong guess")  # nothing is e-mailed
    words = text_of(answer, 202)
    assert spanish(content.CHECK_EMAIL_TITLE) in words
    assert spanish(content.CHECK_EMAIL_TRY_AGAIN) in words  # the link inside the sentence
    assert english_left(words) == []


def test_the_sign_in_link_page_and_a_used_link_are_spanish(app, spanish_browser):
    owner = make_user(Role.PATIENT)
    token = sign_in_links.issue(owner)
    db.session.commit()
    page = text_of(spanish_browser.get(f"/sign-in/link/{token}"))
    assert spanish(content.SIGN_IN_LINK_INTRO) in page
    assert english_left(page) == []
    gone = text_of(spanish_browser.get("/sign-in/link/not-a-link-we-sent"), 410)
    assert spanish(content.SIGN_IN_LINK_UNUSABLE) in gone
    assert english_left(gone) == []


def test_choosing_a_password_from_the_clinics_link_is_spanish(app, spanish_browser, today):
    patient, _ = patient_on_day(3, today)
    path = f"/setup/{issue_setup_link(patient, None)}"
    db.session.commit()
    page = spanish_browser.get(path)
    words = text_of(page)
    assert f"Hola, {patient.first_name}" in words
    assert spanish(content.NEW_PASSWORD_HINT).format(least=15) in words
    assert 'name="language"' in page.get_data(as_text=True)
    assert english_left(words, patient.full_name, patient.email) == []
    weak = spanish_browser.post(path, data={"csrf_token": csrf_token(page), "password": "short pass"})
    words = text_of(weak, 422)
    assert "Use al menos 15 caracteres. Ahora tiene 10." in words
    assert english_left(words, patient.full_name, patient.email) == []
    guessable = spanish_browser.post(
        path, data={"csrf_token": csrf_token(page), "password": "password password password"}
    )
    assert "Pruebe con unas palabras que no tengan nada que ver" in text_of(guessable, 422)
    done = spanish_browser.post(
        path, data={"csrf_token": csrf_token(page), "password": "river lamp orange cloud"}
    )
    assert done.status_code == 303
    today_page = text_of(spanish_browser.get("/today"))  # the flash, in the page's language
    assert f"Su contraseña está lista, {patient.first_name}." in today_page
    assert english_words(today_page, patient.full_name) == []
    gone = text_of(spanish_browser.get(path), 410)
    assert spanish(content.SETUP_LINK_UNUSABLE) in gone
    assert english_left(gone) == []


def test_the_error_pages_are_spanish(spanish_browser):
    missing = text_of(spanish_browser.get("/no-such-page"), 404)
    assert spanish(content.ERROR_NOT_FOUND) in missing
    assert "Código de error: 404" in missing
    assert english_left(missing) == []
    forged = text_of(spanish_browser.post("/sign-in", data={"email": "a@example.com"}), 400)
    assert spanish(content.FORM_EXPIRED) in forged
    assert english_left(forged) == []
    odd = text_of(
        spanish_browser.post(
            "/language", data={"csrf_token": csrf_token(spanish_browser.get("/sign-in")), "language": "xx"}
        ),
        400,
    )
    assert spanish(content.LANGUAGE_NOT_OFFERED) in odd
    assert english_left(odd) == []


def test_a_refused_passkey_is_explained_in_spanish(spanish_browser):
    unknown = {"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}
    answer = post_json(spanish_browser, "/passkeys/sign-in", {"credential": unknown})
    assert answer.status_code == 400
    assert answer.get_json() == {"error": spanish(content.PASSKEY_NOT_CHECKED)}


def test_the_app_is_named_in_spanish_when_installed(spanish_browser):
    manifest = spanish_browser.get("/manifest.webmanifest")
    assert manifest.get_json()["name"] == spanish(content.APP_NAME)
    assert manifest.get_json()["description"] == spanish(content.APP_DESCRIPTION)
    assert "Accept-Language" in manifest.headers["Vary"]


# --- Signed in ---------------------------------------------------------------------------------------


def test_the_account_page_is_spanish_in_every_part(app, client, spanish_patient):
    diary = register_app(make_user(Role.ADMIN))
    app_token(client, diary)  # an app that can read the patient's records
    _credential, added = add_passkey(client, "Teléfono de María")
    assert added.status_code == 200
    page = client.get("/account")
    words = text_of(page)
    for part in (
        content.ACCOUNT_TITLE,
        content.CHANGE_PASSWORD_TITLE,
        content.SESSIONS_TITLE,
        content.PASSKEYS_TITLE,
        content.REMINDERS_TITLE,
        content.APPS_TITLE,
        content.PUSH_ALLOW,
    ):
        assert spanish(part) in words, part
    assert "Se agregó la llave de acceso “Teléfono de María”" in words  # the flash
    assert "Chrome en Linux" in words
    assert spanish(content.TIME_ZONE_PACIFIC) in words
    assert english_left(words, spanish_patient.full_name, spanish_patient.email, diary.name) == []


def test_what_the_account_page_says_after_each_change_is_spanish(app, client, spanish_patient):
    shown = (spanish_patient.full_name, spanish_patient.email)
    page = client.get("/account")
    wrong_current = client.post(
        "/account",
        data={"csrf_token": csrf_token(page), "current_password": "not it", "password": "short"},
    )
    words = text_of(wrong_current, 422)
    assert spanish(content.NOT_CURRENT_PASSWORD) in words
    assert english_left(words, *shown) == []
    weak = client.post(
        "/account",
        data={"csrf_token": csrf_token(page), "current_password": PASSWORD, "password": "aaaaaaaaaaaaaaaaaa"},
    )
    words = text_of(weak, 422)
    assert spanish(content.GUESS_REPEATS) in words
    assert english_left(words, *shown) == []

    bad_time = client.post(
        "/account/reminders",
        data={
            "csrf_token": csrf_token(page),
            "by_email": "y",
            "daily_log_at": "",
            "quiet_from": "25:99",
            "quiet_until": "08:00",
            "timezone": "",
        },
    )
    words = text_of(bad_time, 422)
    assert spanish(content.TIME_LIKE_EVENING) in words
    assert spanish(content.TIME_LIKE_NIGHT) in words
    assert english_left(words, *shown) == []
    saved = client.post(
        "/account/reminders",
        data={
            "csrf_token": csrf_token(page),
            "by_email": "y",
            "daily_log_at": "19:00",
            "quiet_from": "21:00",
            "quiet_until": "08:00",
            "timezone": "",
        },
    )
    assert saved.status_code == 303
    words = text_of(client.get("/account"))
    assert spanish(content.REMINDERS_SAVED) in words
    assert english_left(words, *shown) == []

    Auth(browser(app, "198.51.100.20", DESKTOP)).login(spanish_patient.email)
    other = db.session.scalar(sa.select(UserSession.id).where(UserSession.ip_address == "198.51.100.20"))
    page = client.get("/account")
    ended = client.post(f"/account/sessions/{other}/end", data={"csrf_token": csrf_token(page)})
    assert ended.status_code == 303
    words = text_of(client.get("/account"))
    assert spanish(content.SESSION_ENDED) in words
    assert english_left(words, *shown) == []

    page = client.get("/account")
    changed = client.post(
        "/account",
        data={
            "csrf_token": csrf_token(page),
            "current_password": PASSWORD,
            "password": "river lamp orange cloud",
        },
    )
    assert changed.status_code == 303
    words = text_of(client.get("/account"))
    assert spanish(content.PASSWORD_CHANGED) in words
    assert english_left(words, *shown) == []


def test_removing_a_passkey_and_stopping_an_app_are_told_in_spanish(client, spanish_patient):
    shown = (spanish_patient.full_name, spanish_patient.email)
    diary = register_app(make_user(Role.ADMIN))
    app_token(client, diary)
    add_passkey(client, "Teléfono de María")
    client.get("/account")  # the flash of the adding is read here
    passkey = db.session.scalar(sa.select(Passkey.id))
    page = client.get("/account")
    assert (
        client.post(f"/passkeys/{passkey}/remove", data={"csrf_token": csrf_token(page)}).status_code == 303
    )
    words = text_of(client.get("/account"))
    assert "Se quitó la llave de acceso “Teléfono de María”." in words
    assert english_left(words, *shown, diary.name) == []
    page = client.get("/account")
    assert (
        client.post(f"/account/apps/{diary.id}/stop", data={"csrf_token": csrf_token(page)}).status_code
        == 303
    )
    words = text_of(client.get("/account"))
    assert f"{diary.name} ya no puede leer su expediente." in words
    assert english_left(words, *shown, diary.name) == []


@pytest.mark.parametrize("path", ["/sign-out", "/account/sessions/end-all"])
def test_signing_out_is_told_in_spanish(client, spanish_patient, path):
    signed_out = client.post(path, data={"csrf_token": csrf_token(client.get("/account"))})
    assert signed_out.headers["Location"] == "/sign-in"
    words = text_of(client.get("/sign-in", headers=ASKS_SPANISH))
    told = content.SIGNED_OUT if path == "/sign-out" else content.SIGNED_OUT_EVERYWHERE
    assert spanish(told) in words
    assert english_left(words) == []


def test_failed_tries_and_the_passkey_offer_are_told_in_spanish_at_sign_in(app, reads_spanish, today):  # noqa: F811
    patient, _ = reads_spanish(20, today)
    stranger = browser(app, "203.0.113.66")
    for _ in range(3):
        wrong(stranger, patient.email)
    phone = browser(app, "198.51.100.30", PHONE_UA)  # no language asked: the account's is used
    right(phone, patient.email)
    words = text_of(phone.get("/today"))
    assert "Hubo 3 intentos fallidos de entrar a su cuenta" in words
    assert spanish(content.PASSKEY_OFFER_TITLE) in words  # the one-time offer on a phone
    assert spanish(content.PASSKEY_SET_UP) in words
    assert english_left(words, patient.full_name, "203.0.113.66") == []


def test_staff_read_the_account_page_in_their_language(client, auth, catalogues):  # noqa: F811
    signed_off_by_physician(client.application)
    therapist = make_user(Role.THERAPIST, name="Sam Patel")
    therapist.language = "es"
    db.session.commit()
    auth.login(therapist.email)
    words = text_of(client.get("/account"))
    assert spanish(content.CHANGE_PASSWORD_TITLE) in words
    account = words[words.index(spanish(content.CHANGE_PASSWORD_TITLE)) :]  # the staff menu is staff's
    assert english_left(account, therapist.full_name, therapist.email) == []


# --- The lines the scripts show --------------------------------------------------------------------------

SCRIPTS = sorted((ROOT / "app" / "static" / "js").glob("*.js"))


def script_words_of(response) -> dict[str, str]:
    found = re.search(r"<body data-script-words='([^']*)'", response.get_data(as_text=True))
    assert found, "no script words on the page"
    return json.loads(unescape(found.group(1)))


def test_the_scripts_lines_come_from_the_page_in_spanish(client, spanish_patient):
    words = script_words_of(client.get("/account"))
    assert words["passkey_not_added"] == spanish(content.PASSKEY_NOT_ADDED)
    assert words["log_sent"] == spanish(content.LOG_SENT)
    assert english_left(" · ".join(words.values())) == []


def test_an_english_page_hands_the_scripts_the_catalogues_english(client):
    assert script_words_of(client.get("/sign-in")) == SCRIPT_WORDS


# A script asks for a line by its key: `word("key")`, `word(test ? "one" : "other")`, `ours("key")`.
ASKING = re.compile(r"\b(?:word|ours)\(((?:[^()]|\([^()]*\))*)\)")


def test_every_line_a_script_asks_for_is_on_the_page_and_every_line_there_is_asked_for():
    asked = {
        key
        for script in SCRIPTS
        for argument in ASKING.findall(script.read_text())
        for key in re.findall(r'"([a-z_]+)"', argument)
    }
    assert asked == set(SCRIPT_WORDS)


def test_no_script_has_a_sentence_of_its_own():
    """A line a person reads is in the catalogue, not in a script: no string in them has words."""
    for script in SCRIPTS:
        code = re.sub(r"/\*.*?\*/", " ", script.read_text(), flags=re.S)  # comments are for us
        sentences = [
            text for text in re.findall(r'"([^"\n]*)"', code) if re.search(r"[A-Za-z]+ [a-z]+ [a-z]+", text)
        ]
        assert sentences == [], script.name
