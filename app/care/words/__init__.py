"""Patient-facing words that sit around the clinical content: headings, buttons, labels and
messages of the patient's pages, one module per part of the app. `app.care.content` takes every
upper-case constant of these modules in, so the physician's sign-off sheet, the reading-level test
and the translation catalogue see them exactly like the clinical texts. These modules hold plain
constants and import nothing from `app.care.content` (it imports them)."""
