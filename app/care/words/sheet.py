"""The printable home-exercise sheet: the exercises of the patient's plan now, each with its
pictures, dose, steps and stop rule, to keep by the place they exercise
(see app/care/words/__init__.py)."""

from __future__ import annotations

SHEET_LINK = "Print my exercises"
SHEET_TITLE = "My home exercises"
SHEET_FOR = "For {name}"
SHEET_AS_OF = "Your plan on {date}. Your therapist may change it as you get better."
SHEET_QUESTIONS = "If you have questions, call {clinic} at {phone}."
SHEET_PICTURES = "The first picture shows how you start. The second shows how you end."
SHEET_PRINT = "Print"
SHEET_PRINT_HELP = "To keep a copy on paper, use Print. You can also save it as a PDF."
SHEET_DOSE = "How much:"
SHEET_NONE = "You have no home exercises to print right now."
