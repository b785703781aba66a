"""Every sentence a patient reads is in the content catalogue, so the physician's sign-off sheet and
the reading-level test see it: each patient page is rendered in English, cut into the blocks a
person reads (a paragraph, a list item, a button, a label, a heading), and every catalogue text
found in a block is taken out of it (its placeholders match what fills them). What is left may
only be data: names, numbers, dates, the clinic's own name and phone. A word left over is a
sentence written in a template, a form or a flash message instead of the catalogue.

The Spanish pages test (tests/test_spanish_pages.py) is the same promise seen from the other
side: a text that bypasses the catalogue shows in English on a Spanish page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from app.care.translation import catalogue_texts, plural_texts
from app.extensions import db
from app.models import Role, User
from app.services.accounts import sign_in_links
from app.services.accounts.accounts import issue_setup_link
from app.services.accounts.sign_in_throttle import FREE_PER_ACCOUNT
from tests.conftest import csrf_token, text_of
from tests.english_words import english_words
from tests.factories import make_log, make_user, patient_on_day
from tests.fhir_support import app_token, register_app
from tests.test_languages import catalogues, signed_off_by_physician  # noqa: F401 (a fixture)
from tests.test_passkeys import DESKTOP, add_passkey
from tests.test_sign_in_guard import browser, guess_from_new_addresses, later, try_password
from tests.test_spanish_pages import (  # noqa: F401 (reads_spanish: a fixture)
    PAGES_AFTER_IT,
    PAGES_BEFORE_THE_INJECTION,
    reads_spanish,
)

# Tags inside a sentence: their text joins the text around them. Every other tag ends a block.
INLINE = frozenset(
    ["a", "strong", "em", "b", "i", "span", "small", "time", "abbr", "mark", "sup", "sub", "bdi"]
)
SKIPPED = frozenset(["script", "style", "template", "svg", "noscript"])
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
# What a page shows that is data, not words of the catalogue.
DATA = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Monday|Tuesday|Wednesday|Thursday|Friday|"
    r"Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun|AM|PM|am|pm|a\.m|p\.m)\b|"
    r"Backtrack Spine Clinic|Backtrack|PRP|English|Español|[0-9]+"
)
WORD = re.compile(r"[A-Za-z][A-Za-z']+")


class Blocks(HTMLParser):
    """The visible text of a page, one string per block a person reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.skipping = 0

    def end_block(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.current.append(" ")
        elif tag not in INLINE:
            self.end_block()
        if tag in {"input", "button"}:  # a button's words are in its value or its text
            value = dict(attrs).get("value")
            if value and dict(attrs).get("type") in {"submit", "button"}:
                self.blocks.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag not in INLINE:
            self.end_block()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.current.append(data)


def blocks_of(html: str) -> list[str]:
    parser = Blocks()
    parser.feed(html)
    parser.end_block()
    return parser.blocks


@dataclass(frozen=True)
class CatalogueText:
    pattern: re.Pattern[str]
    longest_piece: str  # a cheap first test: a block without it cannot hold the text
    words: int  # the text's own length, placeholders left out


@lru_cache(maxsize=1)
def catalogue_patterns() -> tuple[CatalogueText, ...]:
    """Every catalogue text (both forms of the plural ones), as it shows on a page: whitespace
    folded, each placeholder standing for a few words of data. Longest first, so a sentence is
    taken out whole before a short label inside it."""
    texts = {*catalogue_texts(), *(form for plural in plural_texts() for form in (plural.one, plural.other))}
    patterns = []
    for text in texts:
        folded = " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())
        pieces = PLACEHOLDER.split(folded)
        if not any(piece.strip() for piece in pieces):
            continue
        regex = r".{1,80}?".join(re.escape(piece) for piece in pieces)
        if not pieces[0].strip():  # the text opens with data: a few words of it
            regex = r"(?:\S+ ){0,5}" + regex
        if not pieces[-1].strip():  # the text ends with data (a date, a name): a few words of it
            regex += r"\S*(?: \S+){0,5}"
        patterns.append(CatalogueText(re.compile(regex), max(pieces, key=len).strip(), len("".join(pieces))))
    return tuple(sorted(patterns, key=lambda text: -text.words))


def left_over(block: str, names: list[str]) -> list[str]:
    """The words of a block that no catalogue text and no data account for."""
    for text in catalogue_patterns():
        if text.longest_piece in block:
            block = text.pattern.sub(" | ", block)
    for name in names:
        block = block.replace(name, " ")
    return WORD.findall(DATA.sub(" ", block))


def words_not_in_the_catalogue(html: str, *shown: str) -> dict[str, list[str]]:
    """`shown`: other data the page shows as it is (a passkey's or an app's name)."""
    people = {
        part for row in db.session.execute(sa.select(User.full_name, User.email)) for part in row if part
    }
    names = sorted(people | set(shown), key=len, reverse=True)
    found = {}
    for block in blocks_of(html):
        if words := left_over(block, names):
            found[block] = words
    return found


@pytest.fixture
def patient_at(auth):
    def sign_in(day: int, today):
        patient, _treatment = patient_on_day(day, today)
        auth.login(patient.email)
        return patient

    return sign_in


def page(client, url: str) -> str:
    response = client.get(url)
    text_of(response)  # a 200, not an error page
    return response.get_data(as_text=True)


@pytest.mark.parametrize("day", [-5, 0, 3, 20, 60])
def test_every_sentence_on_today_is_in_the_catalogue(client, patient_at, today, day):
    patient_at(day, today)
    assert words_not_in_the_catalogue(page(client, "/today")) == {}


def test_every_sentence_of_a_saved_log_and_of_the_log_being_changed_is_in_the_catalogue(
    client, patient_at, today
):
    patient = patient_at(20, today)
    make_log(patient, today, back_pain=4)
    assert words_not_in_the_catalogue(page(client, "/today")) == {}
    assert words_not_in_the_catalogue(page(client, f"/log/{today.isoformat()}/edit")) == {}


@pytest.mark.parametrize("url", PAGES_BEFORE_THE_INJECTION)
def test_every_sentence_before_the_injection_is_in_the_catalogue(client, patient_at, today, url):
    patient_at(-5, today)
    assert words_not_in_the_catalogue(page(client, url)) == {}


@pytest.mark.parametrize("url", [*PAGES_AFTER_IT, "/progress"])
def test_every_sentence_after_the_injection_is_in_the_catalogue(client, patient_at, today, url):
    patient = patient_at(20, today)
    for day in range(8):
        make_log(patient, today.fromordinal(today.toordinal() - day), back_pain=4)
    assert words_not_in_the_catalogue(page(client, url)) == {}


def test_the_messages_after_a_save_without_javascript_are_in_the_catalogue(client, patient_at, auth, today):
    patient_at(20, today)
    answers = {"csrf_token": auth.token(), "back_pain": "4", "medication": "none", "no_warning_signs": "y"}
    saved = client.post(f"/log/{today}", data=answers, follow_redirects=True)
    assert "Your log is saved." in text_of(saved)
    assert words_not_in_the_catalogue(saved.get_data(as_text=True)) == {}


def test_a_spanish_reader_is_told_in_spanish_that_the_log_is_saved(client, reads_spanish, auth, today):  # noqa: F811
    patient, _ = reads_spanish(20, today)
    answers = {"csrf_token": auth.token(), "back_pain": "4", "medication": "none", "no_warning_signs": "y"}
    page = text_of(client.post(f"/log/{today}", data=answers, follow_redirects=True))
    assert "Su registro está guardado." in page
    assert english_words(page, patient.full_name) == []


def test_the_check_sees_a_sentence_written_outside_the_catalogue(app):
    html = "<main><h1>Today</h1><p>Your log is saved. Drink more water today.</p><p>5/10</p></main>"
    assert words_not_in_the_catalogue(html) == {
        "Your log is saved. Drink more water today.": ["Drink", "more", "water", "today"]
    }


# --- Signing in and the account (their words are app/care/words/account.py) ----------------------


def test_every_sentence_of_the_account_page_is_in_the_catalogue(app, client, patient_at, today, monkeypatch):
    monkeypatch.setitem(app.config, "VAPID_PUBLIC_KEY", "a-public-key")  # the notifications part
    client.environ_base.update({"HTTP_USER_AGENT": DESKTOP})
    patient_at(20, today)
    diary = register_app(make_user(Role.ADMIN))
    app_token(client, diary)
    add_passkey(client, "Work laptop")
    assert words_not_in_the_catalogue(page(client, "/account"), diary.name, "Work laptop") == {}
    token = csrf_token(client.get("/account"))
    wrong = client.post("/account", data={"csrf_token": token, "current_password": "x", "password": "short"})
    text_of(wrong, 422)
    assert words_not_in_the_catalogue(wrong.get_data(as_text=True), diary.name, "Work laptop") == {}
    bad_times = {"csrf_token": token, "daily_log_at": "", "quiet_from": "25:99", "quiet_until": "08:00"}
    refused = client.post("/account/reminders", data=bad_times)
    text_of(refused, 422)
    assert words_not_in_the_catalogue(refused.get_data(as_text=True), diary.name, "Work laptop") == {}


def test_every_sentence_of_signing_in_is_in_the_catalogue(app, client, today):
    assert words_not_in_the_catalogue(page(client, "/sign-in")) == {}
    patient, _ = patient_on_day(3, today)
    token = csrf_token(client.get("/sign-in"))
    for answers, status in (
        ({"email": "", "password": ""}, 422),
        ({"email": patient.email, "password": "x"}, 422),
    ):
        answer = client.post("/sign-in", data={"csrf_token": token, **answers})
        text_of(answer, status)
        assert words_not_in_the_catalogue(answer.get_data(as_text=True)) == {}
    link = sign_in_links.issue(patient)
    setup = f"/setup/{issue_setup_link(patient, None)}"
    db.session.commit()
    assert words_not_in_the_catalogue(page(client, f"/sign-in/link/{link}")) == {}
    assert words_not_in_the_catalogue(page(client, setup)) == {}
    weak = client.post(setup, data={"csrf_token": token, "password": "password password password"})
    text_of(weak, 422)
    assert words_not_in_the_catalogue(weak.get_data(as_text=True)) == {}
    for path in ("/sign-in/link/not-a-link", "/setup/not-a-link", "/no-such-page"):
        gone = client.get(path)
        assert gone.status_code in (404, 410)
        assert words_not_in_the_catalogue(gone.get_data(as_text=True)) == {}


def test_every_sentence_of_the_check_your_email_page_is_in_the_catalogue(app):
    owner = make_user(Role.PATIENT)
    guess_from_new_addresses(app, owner.email, FREE_PER_ACCOUNT)
    with later(seconds=3):
        answer = try_password(browser(app, "10.9.0.1"), owner.email, "another wrong guess")
    text_of(answer, 202)
    assert words_not_in_the_catalogue(answer.get_data(as_text=True)) == {}


def test_the_language_chooser_says_language_in_each_ready_language(client, catalogues):  # noqa: F811
    signed_off_by_physician(client.application)
    html = page(client, "/sign-in")
    assert 'Language · <span lang="es">Idioma</span>' in html
    assert words_not_in_the_catalogue(html, "Idioma") == {}
