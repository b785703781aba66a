"""Words the care rules write for staff (the attention list's reasons, "3 hours ago", the RTM codes'
descriptions, labels), written in English here and shown in the reader's language.

Staff words are not signed off like the patient's content: they are plain gettext messages of the
staff pages. A constant is marked with `N_` (Babel's keyword for a text translated where it is
shown, so `flask translate extract` finds it) and shown through the page's gettext. A function that
builds a sentence from numbers takes a `Translator`: English as written by default (the rules and
their tests), or the page's catalogue (`flask_babel.get_translations()`), whose `gettext` and
`ngettext` calls the extractor finds by their names."""

from __future__ import annotations

from typing import Protocol


def N_(text: str) -> str:
    """A staff word, marked for the catalogue; translated where it is shown."""
    return text


class Translator(Protocol):
    def gettext(self, message: str, /) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /) -> str: ...


class AsWritten:
    """The English as written: one form for 1, the other for every other number."""

    def gettext(self, message: str, /) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int, /) -> str:
        return singular if n == 1 else plural


ENGLISH: Translator = AsWritten()
