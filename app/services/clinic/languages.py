"""The languages people are served in. The clinic offers some (`LANGUAGES`, of the catalogues that
ship in app/translations); English is the content the physician signs off on the clinical-content
sheet; any other language is ready for patients only when every catalogue text is translated and
the physician has signed off that translation's version (its fingerprint covers the English and
the translation, so a changed translation needs signing again). Until then its people see English.

Words sent outside a request (reminder e-mails and pushes, alert notices) are written in their
recipient's language with `speaking()`."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel.dates import format_skeleton
from babel.support import NullTranslations, Translations
from flask import current_app, g, has_app_context, has_request_context
from flask_babel import force_locale, get_babel, get_locale, get_translations

from app.care import content, progress
from app.care.staff_words import ENGLISH, Translator
from app.care.translation import catalogue_texts, plural_texts
from app.care.words import Plural
from app.models import User
from app.services.clinic.content_signoff import (
    ALREADY_SIGNED,
    CONTENT_CHANGED,
    SignoffError,
    current_fingerprint,
    record_signoff,
    sign_off,
    version_signed,
)
from app.services.clinic.settings import ClinicSettings, current_settings

SOURCE_LANGUAGE = "en"
SHIPPED = {"en": "English", "es": "Español"}


def offered() -> tuple[str, ...]:
    """The languages the clinic offers (its setting), of those shipped; English always."""
    configured = current_app.config.get("LANGUAGES") or (SOURCE_LANGUAGE,)
    chosen = [code for code in configured if code in SHIPPED]
    return tuple(dict.fromkeys([SOURCE_LANGUAGE, *chosen]))


def catalogue(language: str) -> NullTranslations:
    """The compiled catalogue of `language` (an empty one when it is not compiled), from the
    folder the pages' translations come from (Flask-Babel's)."""
    return catalogue_in(get_babel().translation_directories[0], language)


@lru_cache(maxsize=8)
def catalogue_in(folder: str, language: str) -> NullTranslations:
    return Translations.load(folder, [language])


def translation_of(text: str, language: str) -> str | None:
    """The catalogue's translation of a content text, or None when it has none."""
    if language == SOURCE_LANGUAGE:
        return text
    translated = catalogue(language).gettext(text)
    return translated if translated and translated != text else None


def plural_translation_of(text: Plural, language: str) -> tuple[str, str] | None:
    """A text with a number as `language` says it for 1 and for 2 (its own forms beyond those
    come from the same catalogue entry), or None when the catalogue has no translation."""
    if language == SOURCE_LANGUAGE:
        return text.one, text.other
    forms = catalogue(language)
    translated = (forms.ngettext(text.one, text.other, 1), forms.ngettext(text.one, text.other, 2))
    return None if translated == (text.one, text.other) else translated


def sheet_translation_of(text: str, language: str) -> str | None:
    """A line of the clinical-content sheet in `language`: a text, or one form of a text with a
    number (the sheet shows the "1" and the "2 or more" forms on lines of their own)."""
    found = translation_of(text, language)
    if found is not None:
        return found
    for plural in plural_texts():
        if text in (plural.one, plural.other):
            forms = plural_translation_of(plural, language)
            return None if forms is None else forms[0 if text == plural.one else 1]
    return None


def missing_translations(language: str) -> tuple[str, ...]:
    """Catalogue texts `language` does not translate yet (each shown in English until it does);
    a text with a number is named by its "one" form."""
    return tuple(text for text in catalogue_texts() if translation_of(text, language) is None) + tuple(
        text.one for text in plural_texts() if plural_translation_of(text, language) is None
    )


def catalogue_size() -> int:
    return len(catalogue_texts()) + len(plural_texts())


def translation_fingerprint(english_version: str, language: str) -> str:
    """The version of a translation a physician signs: the English version it translates and
    every text's translation, hashed; the language code in front so versions never collide."""
    pairs: list[list[str]] = [[text, translation_of(text, language) or ""] for text in catalogue_texts()]
    pairs += [
        [text.one, text.other, *(plural_translation_of(text, language) or ("", ""))]
        for text in plural_texts()
    ]
    canonical = json.dumps([english_version, pairs], ensure_ascii=False, separators=(",", ":"))
    return f"{language}-{hashlib.sha256(canonical.encode()).hexdigest()[:12]}"


def english_version() -> str:
    return current_fingerprint(current_settings())


def is_ready(language: str) -> bool:
    """English always; another language once complete and its version signed off."""
    if language == SOURCE_LANGUAGE:
        return True
    if language not in offered() or missing_translations(language):
        return False
    return version_signed(translation_fingerprint(english_version(), language))


def ready_languages() -> tuple[str, ...]:
    return tuple(code for code in offered() if is_ready(code))


def default_language() -> str:
    configured = current_app.config.get("DEFAULT_LANGUAGE", SOURCE_LANGUAGE)
    return configured if configured in offered() and is_ready(configured) else SOURCE_LANGUAGE


def language_of(user: User) -> str:
    """The language to write to `user` in: their choice while it is ready, else the default."""
    chosen = user.language
    if chosen and chosen in offered() and is_ready(chosen):
        return chosen
    return default_language()


@contextmanager
def speaking(user: User) -> Iterator[str]:
    """gettext (and `say`) in `user`'s language inside the block, outside a request too."""
    language = language_of(user)
    with force_locale(language):
        yield language


def page_translations() -> NullTranslations:
    """Flask-Babel's catalogue for the language in force, kept for the request while that language
    is: Flask-Babel looks it up afresh for every text (10 µs; a page says 300 to 600 of them).
    Kept by the locale object Flask-Babel holds for the request (`g._flask_babel.babel_locale`),
    which `force_locale` replaces and restores, so a block in another language gets its own."""
    if not has_app_context():
        outside: NullTranslations = get_translations()
        return outside
    here = g._get_current_object()  # once: each look-up through the proxy costs (a page says 600 texts)
    locale = getattr(getattr(here, "_flask_babel", None), "babel_locale", None)
    kept = getattr(here, "_page_translations", None)
    if locale is not None and kept is not None and kept[0] is locale:
        found: NullTranslations = kept[1]
        return found
    found = get_translations()
    here._page_translations = (get_locale(), found)
    return found


def page_words() -> Translator:
    """What the care rules write their staff words with (app/care/staff_words.py): the page's
    catalogue, or the one `speaking` chose; outside both (a command, a test of the rules), the
    English as written."""
    forced = getattr(g.get("_flask_babel"), "babel_locale", None) if g else None
    if has_request_context() or forced is not None:
        catalogue: Translator = page_translations()
        return catalogue
    return ENGLISH


def written(text: str, **values: object) -> str:
    """A catalogue text in the language in force (a page's, or the one `speaking` chose), its
    placeholders filled; a date as a sentence says it ("March 24", "24 de marzo"), by Babel. What
    `say` is for templates, for words built outside one (the calendar file, the export)."""
    return content.render(page_translations().gettext(text), **_dates_in_words(values))


def written_count(text: Plural, count: int, **values: object) -> str:
    """A text with a number, in the language in force and its plural rule."""
    chosen = page_translations().ngettext(text.one, text.other, count)
    return content.render(chosen, count=count, **_dates_in_words(values))


def threshold_words() -> str:
    """The change in pain that counts as meaningful, in the language in force: "2 points or 30 %"."""
    return written(  # read at each call: a clinic's rules may change the numbers
        content.TREND_THRESHOLD,
        points=f"{progress.MEANINGFUL_POINTS:g}",
        percent=f"{progress.MEANINGFUL_PERCENT:g}",
    )


def _dates_in_words(values: dict[str, object]) -> dict[str, object]:
    here = str(get_locale() or SOURCE_LANGUAGE)
    return {
        key: format_skeleton("MMMMd", value, locale=here) if isinstance(value, date) else value
        for key, value in values.items()
    }


@dataclass(frozen=True)
class TranslationStatus:
    """A translation as the clinical-content sheet shows it beside the English."""

    language: str
    name: str
    version: str
    missing: int
    total: int
    signed: bool

    @property
    def complete(self) -> bool:
        return self.missing == 0


def translation_statuses() -> list[TranslationStatus]:
    """Each offered language other than English: its version, how complete, whether signed."""
    english = english_version()
    statuses = []
    for language in offered():
        if language == SOURCE_LANGUAGE:
            continue
        version = translation_fingerprint(english, language)
        statuses.append(
            TranslationStatus(
                language=language,
                name=SHIPPED[language],
                version=version,
                missing=len(missing_translations(language)),
                total=catalogue_size(),
                signed=version_signed(version),
            )
        )
    return statuses


def sign_off_translations(shown: dict[str, str]) -> list[TranslationStatus]:
    """The physician's sign-off covers the translations shown beside the English: each complete
    one whose version is still the one shown is signed (an incomplete one stays unavailable).
    Raises SignoffError when a translation changed since the page was drawn."""
    signed = []
    for status in translation_statuses():
        if status.language not in shown:
            continue  # not on the page that was signed
        if shown[status.language] != status.version:
            raise SignoffError(CONTENT_CHANGED)
        if status.complete and not status.signed:
            words = f"Reviewed and approved the {status.name} translation, version {status.version}"
            record_signoff(status.version, words)
            signed.append(status)
    return signed


def sign_off_sheet(
    version: str, settings: ClinicSettings, physician: User, shown: dict[str, str]
) -> list[TranslationStatus]:
    """The physician signs the sheet as shown: the English version unless it is signed already,
    and each complete translation shown beside it; refused when nothing on it is left to sign."""
    if version != current_fingerprint(settings):
        raise SignoffError(CONTENT_CHANGED)
    english_is_new = not version_signed(version)
    if english_is_new:
        sign_off(version, settings, physician)
    signed = sign_off_translations(shown)
    if not english_is_new and not signed:
        raise SignoffError(ALREADY_SIGNED)
    return signed


def anything_to_sign(settings: ClinicSettings) -> bool:
    """Whether the sheet holds a version not signed yet: the English or a complete translation."""
    if not version_signed(current_fingerprint(settings)):
        return True
    return any(status.complete and not status.signed for status in translation_statuses())
