"""The translation machinery: every text of the content catalogue reaches the gettext template,
pages say their language in `<html lang>` and in `Vary`, a language not offered is never served,
and a page in an offered language shows its catalogue's words and its dates."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from flask_babel import force_locale

from app.care import content
from app.care.translation import catalogue_texts, extract_content, plural_texts
from app.web.templating import long_date, month_day, short_date
from tests.conftest import ROOT


def test_every_patient_text_of_the_catalogue_is_extracted_and_no_key_is():
    texts = catalogue_texts()
    assert content.NOT_SCHEDULED in texts
    assert content.RED_FLAGS[0].question in texts
    assert content.PHASE_GUIDANCE["protect"].do[0] in texts
    assert content.EXERCISES[0].steps[0] in texts
    assert "lumbar_facet" not in texts  # a key, not words
    assert "emergency" not in texts
    assert len(texts) == len(set(texts))
    extracted = [message for _line, _func, message, _comments in extract_content(None, None, None, None)]
    plurals = [(text.one, text.other) for text in plural_texts()]
    assert extracted == [*texts, *plurals]
    assert ("{count} minute", "{count} minutes") in plurals  # a text with a number: one plural message


def test_the_shipped_template_holds_every_catalogue_text():
    """app/translations/messages.pot is kept current: `flask translate extract` after a change to
    the catalogue (a translator works from it)."""
    template = (ROOT / "app" / "translations" / "messages.pot").read_text()
    missing = [text for text in catalogue_texts() if f'msgid "{text}"' not in template and len(text) < 70]
    assert not missing, f"run `flask --app wsgi translate extract` and `update`: {missing[:3]}"


def test_every_shipped_catalogue_compiles(tmp_path):
    for po in sorted((ROOT / "app" / "translations").glob("*/LC_MESSAGES/messages.po")):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "compile",
                "-i",
                str(po),
                "-o",
                str(tmp_path / "m.mo"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr


def test_a_page_says_its_language_and_a_language_not_offered_is_not_served(client):
    page = client.get("/sign-in", headers={"Accept-Language": "es-US,es;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="en">' in page.get_data(as_text=True)  # Spanish is not offered yet
    assert "Accept-Language" in page.headers.get("Vary", "")


def test_dates_are_written_the_spanish_way_in_spanish(app):
    """Dates by CLDR patterns in the page's language (which language a page speaks, and when
    Spanish may be spoken at all, is tests/test_languages.py)."""
    with app.test_request_context(), force_locale("es"):
        day = date(2026, 3, 3)
        assert (short_date(day), month_day(day), long_date(day)) == (
            "mar, 3 mar",
            "3 de marzo",
            "martes, 3 de marzo de 2026",
        )


def test_dates_read_as_before_in_english(app):
    with app.test_request_context():
        day = date(2026, 3, 3)
        assert (short_date(day), month_day(day), long_date(day)) == (
            "Tue, Mar 3",
            "March 3",
            "Tuesday, March 3, 2026",
        )
