"""The Spanish catalogue: every text of the content catalogue translated, with the same
placeholders, in Spanish that reads easy by the Spanish formulas (Fernández-Huerta and
Szigriszt-Pazos, textstat with the language "es"), and served when the page speaks Spanish.

The blocks measured are the ones the English reading-level test measures (tests/readability.py),
built from the Spanish texts of the shipped catalogue. The scores are measured on a textstat
instance of its own, so that the English tests in the same run keep measuring English.
"""

from __future__ import annotations

import re
import statistics
from datetime import date
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale
from textstat.textstat import textstatistics

from app import create_app
from app.care import content
from app.care.translation import catalogue_texts
from app.extensions import db
from app.web.i18n import babel
from app.web.page_context import say
from tests.conftest import ROOT, config_for_tests, delete_all_rows
from tests.readability import (
    as_measured,
    in_language,
    option_labels,
    patient_sentences,
    patient_text_blocks,
    split_sentences,
)

SPANISH_PO = ROOT / "app" / "translations" / "es" / "LC_MESSAGES" / "messages.po"

# A block shorter than this says too little for a formula: it is measured inside the mean only.
MIN_WORDS = 12
# Fernández-Huerta: 60-70 "normal", 70-80 "bastante fácil", 80-90 "fácil", 90+ "muy fácil".
# Szigriszt-Pazos (INFLESZ scale): 55-65 "normal", 65-80 "bastante fácil", 80+ "muy fácil".
BLOCK_MIN = {"fernandez_huerta": 70, "szigriszt_pazos": 65}
SENTENCE_MIN = {"fernandez_huerta": 60, "szigriszt_pazos": 55}
MEAN_MIN = {"fernandez_huerta": 85, "szigriszt_pazos": 80}
MAX_SENTENCE_WORDS = 25

# As KNOWN_NAMES in tests/readability.py: what the box says or the doctor calls it, in Spanish.
SPANISH_KNOWN_NAMES = (
    "acetaminofén",
    "antiinflamatorios",
    "antiinflamatorias",
    "antiinflamatorio",
    "antiinflamatoria",
    "anticoagulante",
    "ibuprofeno",
    "naproxeno",
    "aspirina",
    "diclofenaco",
    "ketorolaco",
    "aine",
    "plasma rico en plaquetas",
    "ultrasonido",
    "sala de emergencias",
    "inyección",
    "inyecciones",
    "terapia física",
    "articulaciones facetarias lumbares",
    "torácica",
)
SPANISH_NAMES = re.compile(r"\b(" + "|".join(re.escape(name) for name in SPANISH_KNOWN_NAMES) + r")\b", re.I)
# The placeholders as a Spanish page fills them (the English sample values, in Spanish).
SPANISH_VALUES: dict[str, object] = {
    "start": "3 de marzo",
    "end": "24 de marzo",
    "nsaid_start": "3 de marzo",
    "nsaid_end": "24 de marzo",
    "day": "jueves",
    "question": "Debilidad nueva o peor en una pierna o un pie",
    "condition": "dolor de espalda (dolor de las articulaciones facetarias lumbares)",
    "closes": "5 p. m.",
    "reopens": "mañana a las 8 a. m.",
    "hours": "de lunes a viernes, de 8 a. m. a 5 p. m.",
    "when": "mañana después de las 8 a. m.",
    "app": "Mi diario del dolor",
    "clinic": "Clínica de Columna Backtrack",
    "quote": "siento las piernas débiles y dormidas",
}
PLACEHOLDER = re.compile(r"\{[a-z_]+\}|%\([a-z_]+\)[sd]|%[sd]")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def load_catalogue() -> Catalog:
    with SPANISH_PO.open("rb") as handle:
        return read_po(handle, locale="es")


CATALOGUE = load_catalogue()
MESSAGES = [message for message in CATALOGUE if message.id]
# A text with a number: each English form and its Spanish form (for 1, and for more).
PLURAL_FORMS = {
    english: spanish_form
    for message in MESSAGES
    if isinstance(message.id, tuple) and isinstance(message.string, tuple) and not message.fuzzy
    for english, spanish_form in zip(message.id, message.string, strict=False)
    if spanish_form
}


def spanish(text: str) -> str:
    """The shipped Spanish for an English text; the English when there is none or its placeholders
    differ (the completeness and placeholder tests name those)."""
    if text in PLURAL_FORMS:
        return PLURAL_FORMS[text]
    message = CATALOGUE.get(text)
    if (
        message is None
        or message.fuzzy
        or not message.string
        or placeholders(message.string) != placeholders(text)
    ):
        return text
    return str(message.string)


SPANISH = textstatistics()
SPANISH.set_lang("es")


def measured(text: str) -> str:
    return as_measured(SPANISH_NAMES.sub("pan", text))


def score(formula: str, text: str) -> float:
    return float(getattr(SPANISH, formula)(measured(text)))


def words(text: str) -> int:
    return int(SPANISH.lexicon_count(measured(text)))


with in_language(spanish, SPANISH_VALUES):
    BLOCKS = list(patient_text_blocks())
    SENTENCES = list(patient_sentences())
    LABELS = list(option_labels())
ENGLISH_BLOCKS = list(patient_text_blocks())
LONG_BLOCKS = [(name, text) for name, text in BLOCKS if words(text) >= MIN_WORDS]
LONG_SENTENCES = [(name, text) for name, text in SENTENCES if words(text) >= MIN_WORDS]


def untranslated(messages) -> list[str]:
    def done(message) -> bool:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return not message.fuzzy and all(string.strip() for string in strings)

    return [str(message.id) for message in messages if not done(message)]


def test_every_text_of_the_catalogue_has_its_spanish():
    assert not untranslated(MESSAGES), (
        f"{len(untranslated(MESSAGES))} without Spanish: {untranslated(MESSAGES)}"
    )
    missing = [text for text in catalogue_texts() if text not in CATALOGUE]
    assert not missing, f"run `flask translate extract` and `update`, then translate: {missing}"


def test_the_completeness_check_names_what_is_left_out():
    catalog = Catalog(locale="es")
    catalog.add("Done.", "Hecho.")
    catalog.add("Left out.", "")
    catalog.add("Guessed.", "Adivinado.", flags=["fuzzy"])
    catalog.add(("One day", "{count} days"), ("Un día", ""))
    assert untranslated(message for message in catalog if message.id) == [
        "Left out.",
        "Guessed.",
        "('One day', '{count} days')",
    ]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda message: str(message.id)[:40])
def test_each_translation_keeps_its_placeholders(message):
    ids = message.id if isinstance(message.id, tuple) else (message.id,)
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    expected = set().union(*(placeholders(text) for text in ids))
    for string in strings:
        assert placeholders(string) == expected, string
        if "python-brace-format" in message.flags:
            string.format(**{name.strip("{}"): "x" for name in expected})  # no stray brace


def test_the_placeholder_check_would_catch_a_lost_or_renamed_one():
    assert placeholders("hasta el {end}.") == placeholders("until {end}.")
    assert placeholders("hasta el {fin}.") != placeholders("until {end}.")
    assert placeholders("hasta el final.") != placeholders("until {end}.")
    assert placeholders("Hola, %(name)s") == {"%(name)s"}


def test_the_measured_blocks_are_the_spanish_ones():
    """The Spanish blocks are built from the Spanish texts: none is its English block, and one of
    them is the shipped Spanish word for word."""
    assert len(BLOCKS) == len(ENGLISH_BLOCKS)
    same = [
        name for (name, text), (_, english) in zip(BLOCKS, ENGLISH_BLOCKS, strict=True) if text == english
    ]
    assert not same, same
    assert dict(BLOCKS)["NOT_SCHEDULED"] == spanish(content.NOT_SCHEDULED) != content.NOT_SCHEDULED
    assert "{" not in " ".join(text for _name, text in BLOCKS)


@pytest.mark.parametrize(("name", "text"), LONG_BLOCKS, ids=[name for name, _ in LONG_BLOCKS])
def test_each_spanish_block_reads_easy(name, text):
    for formula, least in BLOCK_MIN.items():
        assert score(formula, text) >= least, (formula, text)


@pytest.mark.parametrize(("name", "text"), LONG_SENTENCES, ids=[name for name, _ in LONG_SENTENCES])
def test_each_long_spanish_sentence_reads_at_least_normal(name, text):
    for formula, least in SENTENCE_MIN.items():
        assert score(formula, text) >= least, (formula, text)


def test_no_spanish_sentence_runs_long():
    long = [(name, text) for name, text in SENTENCES if words(text) > MAX_SENTENCE_WORDS]
    assert not long, long


def test_the_spanish_texts_read_easy_on_average():
    for formula, least in MEAN_MIN.items():
        mean = statistics.mean(score(formula, text) for _name, text in LONG_BLOCKS)
        assert mean >= least, (formula, mean)


def test_the_spanish_measure_would_catch_dense_text():
    dense = (
        "La administración de plasma rico en plaquetas requiere la interrupción de la farmacoterapia "
        "antiinflamatoria no esteroidea para preservar la señalización de la cascada inflamatoria."
    )
    assert words(dense) >= MIN_WORDS
    for formula in BLOCK_MIN:
        assert score(formula, dense) < SENTENCE_MIN[formula], formula
    jargon = (
        "Consulte a su facultativo respecto de las contraindicaciones farmacológicas pertinentes a "
        "su patología osteomuscular degenerativa."
    )
    assert score("fernandez_huerta", jargon) < BLOCK_MIN["fernandez_huerta"]
    run_on = " ".join(["Camine un poco y"] * 7) + " descanse."
    assert words(run_on) > MAX_SENTENCE_WORDS
    assert split_sentences("Uno. ¿Dos? ¡Tres!") == ["Uno.", "¿Dos?", "¡Tres!"]


def test_every_choice_label_is_translated():
    english = dict(option_labels())
    same = [name for name, text in LABELS if text == english[name]]
    assert not same, same


@pytest.fixture
def spanish_app(migrated_app, tmp_path):
    """The app reading the shipped Spanish catalogue, compiled here as `make` compiles it.

    Flask-Babel keeps the catalogues it loaded per process, by language, whatever app loaded
    them: they are forgotten before and after, so no other test's Spanish is read here, nor ours
    there."""
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, load_catalogue())
    database_url = migrated_app.config["DATABASE_URL"]
    application = create_app(
        config_for_tests(database_url) | {"BABEL_TRANSLATION_DIRECTORIES": str(Path(tmp_path))}
    )
    with application.app_context():
        babel.domain_instance.cache.clear()
        yield application
        delete_all_rows()
        babel.domain_instance.cache.clear()
        db.engine.dispose()  # its own connections, closed rather than left to the collector


def test_the_compiled_catalogue_speaks_spanish_when_the_locale_is_spanish(spanish_app):
    march_3, march_24 = date(2026, 3, 3), date(2026, 3, 24)
    with force_locale("es"):
        assert say(content.EMERGENCY_AFTER_INJECTION).startswith(
            "Vaya ahora a la sala de emergencias o llame al 911."
        )
        assert say(content.NSAID_UPCOMING, start=march_3, end=march_24) == (
            "Deje las pastillas antiinflamatorias el 3 de marzo. No vuelva a tomarlas hasta el 24 de marzo."
        )
        assert say(content.RED_FLAGS[0].question) == spanish(content.RED_FLAGS[0].question)
        ice = say(content.AFTERCARE_RULES[0])
    assert ice.startswith("No se ponga hielo")
    assert "{" not in ice
    # Spanish is not offered to patients yet (LANGUAGES): a Spanish browser still reads English.
    with spanish_app.test_request_context(headers={"Accept-Language": "es"}):
        assert say(content.NOT_SCHEDULED) == content.NOT_SCHEDULED


def test_the_requests_catalogue_follows_each_change_of_language(app):
    """page_translations keeps the request's catalogue while its language holds: a block in
    another language (force_locale, as e-mails to a Spanish-speaking patient use) gets its own,
    and the page's comes back after it, in Python and in the templates alike."""
    from flask import render_template_string

    from app.services.clinic.languages import page_translations

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert page_translations().gettext("Patients") == "Patients"
        assert render_template_string('{{ _("Patients") }}') == "Patients"
        with force_locale("es"):
            assert page_translations().gettext("Patients") == "Pacientes"
            assert render_template_string('{{ _("Patients") }}') == "Pacientes"
            assert render_template_string('{{ ngettext("%(num)d patient", "%(num)d patients", 3) }}') == (
                "3 pacientes"
            )
        assert page_translations().gettext("Patients") == "Patients"
        assert render_template_string('{{ _("Patients") }}') == "Patients"
