"""Patient-facing words that sit around the clinical content: headings, buttons, labels and
messages of the patient's pages, one module per part of the app. `app.care.content` takes every
upper-case constant of these modules in, so the physician's sign-off sheet, the reading-level test
and the translation catalogue see them exactly like the clinical texts. These modules hold plain
constants and import nothing from `app.care.content` (it imports them)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Plural:
    """A text that changes with a number ("1 day", "3 days"): both English forms, translated
    through ngettext, so a language with other plural rules gets its own forms from its
    catalogue. `{count}` in either form is the number."""

    one: str
    other: str
