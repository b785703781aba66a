"""The phrase lists the warning-sign matcher reads, one module per language, as plain data.

Each language module holds one dict, `PHRASES`, made only of strings, lists and dicts, so the same
lists can be rendered into the offline page for `app/static/js/warning-words.js` (see
`app/care/warning_words.py`, `page_data`). Patterns are regular expressions written in the subset
that Python's `re` and JavaScript's `RegExp` read the same way, over text that has already been
lower-cased and stripped of accents (so they are written in plain ASCII: "orinar", "pipi", "nino").

- `words`: named pieces, used inside patterns as `<name>`; `<gap1>` to `<gap8>` are built in and
  mean "up to N words, none of them a word from `<stop>`" (so "my leg is not weak" never reads as
  "leg … weak").
- `findings`: what can be read in a text; each has `patterns` and optional `unless` (a pattern that,
  anywhere in the same clause, means the finding is not meant: "between my legs" is the saddle
  area, not a leg). Which findings make which warning sign is language-independent and lives in
  `app/care/warning_words.py` (`SIGNS`).
- `clause_breaks`: where a negation stops reaching ("but", "pero", a full stop).
- `negation_before`, `negation_after`, `not_new_after`: cues that say a finding is absent, gone, or
  old ("no numbness", "the chills stopped", "for years").
- `pseudo_negation`: phrases that look like a cue but are not one ("not sure", "won't go away").
- `hypothetical`, `someone_else`: "what if I get a fever", "my husband has a fever".
- `temperature`: words that make a number a body temperature, units, and words that mean the
  weather instead. The thresholds are in `app/care/warning_words.py`.
"""

from __future__ import annotations

from typing import Any

from app.care.warning_phrases import en, es

PHRASES: dict[str, dict[str, Any]] = {"en": en.PHRASES, "es": es.PHRASES}
