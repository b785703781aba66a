"""Warning signs written in words: reads a daily-log note or a message the way a clinician would and
names the warning signs in it, with the patient's own words, so a sign typed instead of ticked still
reaches someone ("I wet myself", "can't feel anything when I wipe", "temperature 38.6").

Rules, not a language model: phrase lists per language (`app/care/warning_phrases/`), a negation
step in the manner of NegEx/ConText (a cue such as "no" or "ya no" governs the next few words up to a
clause break; "not sure" and "won't go away" are not cues), and a reading of temperatures. No
clinical NLP library is used: negspacy and medspaCy need spaCy and its models, and whatever the
server used, the phone would need the same steps in JavaScript. The same lists and steps run on the
phone (`app/static/js/warning-words.js`, given `page_data(language)`), so the offline page warns
before the log is sent; the server reads the text again when it arrives.

What it deliberately leaves alone (so these raise nothing):
- a sign said to be absent, gone or old: "no numbness", "the chills stopped", "ya se me quitó el
  hormigueo", "numb toes for years since my surgery";
- someone else's: "my husband has a fever", "mi hijo tiene calentura";
- a question about the future: "what if I get a fever?", "should I go to the ER if my leg gives
  out?", "¿qué hago si me da fiebre?" (but "is it normal if…" / "¿es normal si…?" is read as now);
- numbness with no place named ("I feel numb"), numbness at the injection site itself (the local
  anaesthetic), a rash alone, leg pain, tired or heavy legs, constipation, a stiff neck without a
  headache, a number with no temperature word or unit ("I'm 38", "walked 101 steps") and the
  weather ("101 degrees outside");
- text past `LIMITS["max_chars"]` characters (notes are at most 500, messages 2,000);
- another language's words: a note is read with its writer's language only.
Known blind spots: wording no list has yet (the held-out part of the corpus shows how much: see
tests/corpus/README.md), a letter typed three or more times inside a word ("weeeet"), and Spanish
written without accents where the accent carries the sense ("si"/"sí", "no se"/"no sé").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from app.care.warning_phrases import PHRASES

EMERGENCY = "emergency"
SAME_DAY = "same_day"


@dataclass(frozen=True)
class SignRule:
    """A warning sign and the findings that make it: any one of `when`, each a set of findings
    that must all be present in the text (a severe headache *with* a stiff neck)."""

    key: str
    urgency: str
    when: tuple[tuple[str, ...], ...]


# The clinic's list (CLINICAL.md §4), emergencies first: the order the matches are given in.
SIGNS: tuple[SignRule, ...] = (
    SignRule("saddle_numbness", EMERGENCY, (("saddle_numbness",),)),
    SignRule("bladder_bowel", EMERGENCY, (("bladder_bowel",),)),
    SignRule("leg_weakness", EMERGENCY, (("leg_weakness",), ("leg_numbness",))),
    SignRule("chest_symptoms", EMERGENCY, (("chest_pain",), ("breathing_trouble",))),
    SignRule("allergic_reaction", EMERGENCY, (("hives",), ("face_swelling",), ("rash", "breathing_trouble"))),
    SignRule(
        "headache_fever",
        EMERGENCY,
        (
            ("headache", "fever"),
            ("headache", "chills"),
            ("headache", "stiff_neck"),
            ("headache", "confusion"),
        ),
    ),
    SignRule("fever", SAME_DAY, (("fever",), ("chills",))),
    SignRule("fever_back_pain", SAME_DAY, (("fever", "worse_back_pain"), ("chills", "worse_back_pain"))),
    SignRule("injection_site", SAME_DAY, (("site_infection",),)),
    SignRule("bleeding", SAME_DAY, (("site_bleeding",),)),
    SignRule("positional_headache", SAME_DAY, (("positional_headache",), ("headache", "lying_helps"))),
)
SIGN_KEYS: tuple[str, ...] = tuple(sign.key for sign in SIGNS)
SIGN_URGENCY: dict[str, str] = {sign.key: sign.urgency for sign in SIGNS}
LANGUAGES: tuple[str, ...] = tuple(PHRASES)
DEFAULT_LANGUAGE = "en"

LIMITS: dict[str, int] = {
    "max_chars": 5000,  # characters of the patient's text read (notes ≤ 500, messages ≤ 2,000)
    "max_normalised": 10000,  # characters of the plain text the patterns read
    "window_before": 8,  # words a negation cue reaches forward
    "window_after": 8,  # words a "gone" cue reaches back
    "max_hits": 50,  # matches kept per pattern list
    "max_cues": 200,  # cues kept per cue list
    "max_breaks": 2000,
}
TEMPERATURE: dict[str, Any] = {
    "finding": "fever",  # a reading at or over the threshold is this finding; one under silences it
    "fever_celsius": 38.0,
    "fever_fahrenheit": 100.4,
    "celsius": [34.0, 45.0],
    "fahrenheit": [90.0, 115.0],
    "context_before": 4,  # words between "temp" and the number
    "context_after": 3,  # words between the number and "de fiebre"
    "number": r"\b\d{2,3}(?:[.,]\d{1,2})?(?!\d)",
    "unit_reach": 24,  # characters after a number where a unit is looked for
}
# Read as another character before anything else, in every language: typographic apostrophes,
# degree signs (º is a degree on Spanish keyboards), line ends and ¿ ¡ (they open a clause), and
# invisible characters (a zero-width space inside "nu​mb" must not hide it).
CHARACTERS: dict[str, str] = {
    "\u2019": "'",
    "\u2018": "'",
    "\u201b": "'",
    "`": "'",
    "\u00b4": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\u00ba": "\u00b0",
    "\u02da": "\u00b0",
    "\n": ". ",
    "\r": ". ",
    "\u2028": ". ",
    "\u2029": ". ",
    "\u0085": ". ",
    "\u00bf": ". ",
    "\u00a1": ". ",
    "\u200b": "",
    "\u200c": "",
    "\u200d": "",
    "\u2060": "",
    "\ufeff": "",
    "\u00ad": "",
}
MACRO = re.compile(r"<([a-z][a-z0-9_]*)>")
GAPS = 8
# Cues that silence what follows them, and cues that silence what comes before them.
CUES_BEFORE = ("negation_before", "hypothetical", "someone_else")
CUES_AFTER = ("negation_after", "not_new_after")
CUE_LISTS = CUES_BEFORE + CUES_AFTER


@dataclass(frozen=True)
class WordMatch:
    """A warning sign read in the patient's words; `words` are the quoted parts of their text."""

    key: str
    urgency: str
    words: tuple[str, ...]

    @property
    def quote(self) -> str:
        return " … ".join(self.words)


@dataclass
class Scan:
    """What one reading found, with the plain text it read and the work it took (for the tests)."""

    matches: list[WordMatch]
    normalised: str
    work: int = 0
    kept: dict[str, tuple[int, int]] = field(default_factory=dict)  # list: (matches kept, its cap)


def find_warning_signs(text: str, language: str = DEFAULT_LANGUAGE) -> list[WordMatch]:
    """The warning signs in a note or message, emergencies first. Never raises."""
    return scan(text, language).matches


def language_for(code: object) -> str:
    """The phrase lists for a language tag ("es", "es-US", "ES_mx"); English when unknown."""
    if isinstance(code, str):
        base = code.strip().lower().replace("_", "-").split("-")[0]
        if base in PHRASES:
            return base
    return DEFAULT_LANGUAGE


def page_data(language: str) -> dict[str, Any]:
    """Everything warning-words.js needs, as JSON-serialisable data: the same patterns, cues,
    limits and thresholds this module reads (built once from the phrase lists; about 33 KB of JSON
    for English, 6 KB gzipped). The strict CSP allows no inline script, not even JSON, so render it
    into an attribute, single-quoted (`tojson` escapes `'`):
    `<form … data-warning-phrases='{{ warning_phrases|tojson }}'>`, and in the page's script
    `BacktrackWarningWords.find(text, JSON.parse(form.getAttribute("data-warning-phrases")))`."""
    return deepcopy(_built(language_for(language)))


# --- Building the data from the phrase lists ------------------------------------------------------


def expand(pattern: str, words: dict[str, str], depth: int = 0) -> str:
    """A pattern with its `<name>` pieces written out (`<gapN>`: up to N words, none a stop word)."""
    if depth > 10:
        raise ValueError(f"phrase words nest too deep: {pattern}")

    def piece(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("gap") and name[3:].isdigit() and 1 <= int(name[3:]) <= GAPS:
            stop = expand(words["stop"], words, depth + 1)
            return f"(?:(?!(?:{stop})\\b)[a-z0-9']+ ){{0,{int(name[3:])}}}"
        return "(?:" + expand(words[name], words, depth + 1) + ")"

    return MACRO.sub(piece, pattern)


def _any_of(patterns: list[str], words: dict[str, str], bounded: bool = True) -> str:
    body = "|".join("(?:" + expand(pattern, words) + ")" for pattern in patterns)
    return f"\\b(?:{body})\\b" if bounded else f"(?:{body})"


@cache
def _built(language: str) -> dict[str, Any]:
    phrases = PHRASES[language]
    words = phrases["words"]
    temperature = phrases["temperature"]
    return {
        "version": 1,
        "language": language,
        "limits": dict(LIMITS),
        "characters": {**CHARACTERS, **phrases["replace"]},
        "signs": [{"key": s.key, "urgency": s.urgency, "when": [list(a) for a in s.when]} for s in SIGNS],
        "findings": [
            {
                "name": name,
                "pattern": _any_of(finding["patterns"], words),
                "unless": _any_of(finding["unless"], words) if finding.get("unless") else None,
            }
            for name, finding in phrases["findings"].items()
        ],
        "cues_before": list(CUES_BEFORE),
        "cues_after": list(CUES_AFTER),
        "clause_breaks": _any_of(phrases["clause_breaks"], words, bounded=False),
        "pseudo_negation": _any_of(phrases["pseudo_negation"], words),
        **{name: _any_of(phrases[name], words) for name in CUE_LISTS},
        "temperature": {
            **TEMPERATURE,
            "context": _any_of(temperature["context"], words),
            "unit": "^ ?" + _any_of(temperature["unit"], words, bounded=False) + "(?![a-z0-9])",
            "not_body": _any_of(temperature["not_body"], words),
        },
    }


@dataclass(frozen=True)
class _Finding:
    name: str
    pattern: re.Pattern[str]
    unless: re.Pattern[str] | None


@dataclass(frozen=True)
class _Compiled:
    data: dict[str, Any]
    findings: tuple[_Finding, ...]
    lists: dict[str, re.Pattern[str]]


@cache
def _compiled(language: str) -> _Compiled:
    data = _built(language)

    def compiled(source: str) -> re.Pattern[str]:
        return re.compile(source, re.ASCII)

    findings = tuple(
        _Finding(f["name"], compiled(f["pattern"]), compiled(f["unless"]) if f["unless"] else None)
        for f in data["findings"]
    )
    t = data["temperature"]
    lists = {name: compiled(data[name]) for name in ("clause_breaks", "pseudo_negation", *CUE_LISTS)} | {
        f"temperature_{k}": compiled(t[k]) for k in ("number", "context", "unit", "not_body")
    }
    return _Compiled(data, findings, lists)


# --- Reading a text (warning-words.js does these same steps in the same order) --------------------


@dataclass
class _Plain:
    """The patient's text as the patterns read it: lower case ASCII letters, digits, a few marks and
    single spaces; `starts`/`ends` give each character's place in the original text, for quoting."""

    text: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    read: int = 0  # characters of the original text read


def _plain(text: str, characters: dict[str, str], limits: dict[str, int]) -> _Plain:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []

    def put(char: str, index: int) -> None:
        out.append(char)
        starts.append(index)
        ends.append(index + 1)

    def space(index: int) -> None:
        if out and out[-1] != " ":
            put(" ", index)

    def unspace() -> None:
        if out and out[-1] == " ":
            out.pop()
            starts.pop()
            ends.pop()

    read = 0
    for index, char in enumerate(text):
        if index >= limits["max_chars"] or len(out) >= limits["max_normalised"]:
            break
        read += 1
        for piece in unicodedata.normalize("NFKD", characters.get(char, char)).lower():
            code = ord(piece)
            if 0x300 <= code <= 0x36F:
                continue
            if "a" <= piece <= "z":
                if len(out) >= 2 and out[-1] == piece and out[-2] == piece:
                    ends[-1] = index + 1  # "NUMBBBB" reads "numbb" and is quoted whole
                else:
                    put(piece, index)
            elif "0" <= piece <= "9" or piece == "'":
                put(piece, index)
            elif piece in ".,":
                if out and "0" <= out[-1] <= "9":
                    put(piece, index)
                else:
                    unspace()
                    put(piece, index)
                    put(" ", index)
            elif piece in ";:!?":
                unspace()
                put(piece, index)
                put(" ", index)
            elif piece == "\u00b0":
                space(index)
                for letter in "deg":
                    put(letter, index)
                put(" ", index)
            else:
                space(index)
    unspace()
    return _Plain("".join(out), starts, ends, read)


class _Reading:
    """One text being read: its plain form, where its clauses break and where its cues are."""

    def __init__(self, plain: _Plain, compiled: _Compiled) -> None:
        self.plain = plain
        self.text = plain.text
        self.compiled = compiled
        self.limits: dict[str, int] = compiled.data["limits"]
        self.work = plain.read
        self.kept: dict[str, tuple[int, int]] = {}
        counts = [0]
        for index, char in enumerate(self.text):
            starts_word = _wordlike(char) and (index == 0 or not _wordlike(self.text[index - 1]))
            counts.append(counts[-1] + (1 if starts_word else 0))
        self.word_counts = counts
        lists = compiled.lists
        breaks = self.hits("clause_breaks", lists["clause_breaks"], self.limits["max_breaks"])
        self.break_starts = [start for start, _ in breaks]
        self.break_ends = [end for _, end in breaks]
        pseudo = self.hits("pseudo_negation", lists["pseudo_negation"], self.limits["max_cues"])

        def cues(*names: str) -> list[tuple[int, int]]:
            found = [hit for name in names for hit in self.hits(name, lists[name], self.limits["max_cues"])]
            return [c for c in found if not any(p[0] < c[1] and c[0] < p[1] for p in pseudo)]

        self.cues_before = cues(*compiled.data["cues_before"])
        self.cues_after = cues(*compiled.data["cues_after"])

    def hits(self, name: str, pattern: re.Pattern[str], limit: int) -> list[tuple[int, int]]:
        """Where a pattern matches, the first `limit` times."""
        self.work += len(self.text)
        found: list[tuple[int, int]] = []
        for match in pattern.finditer(self.text):
            if len(found) >= limit:
                break
            found.append((match.start(), match.end()))
        self.kept[name] = (len(found), limit)
        return found

    def words(self, start: int, end: int) -> int:
        return self.word_counts[end] - self.word_counts[start]

    def scope(self, start: int, end: int) -> tuple[int, int]:
        """The clause around a hit: from the last break before it to the first break after it."""
        before = bisect_right(self.break_ends, start) - 1
        after = bisect_left(self.break_starts, end)
        return (
            self.break_ends[before] if before >= 0 else 0,
            self.break_starts[after] if after < len(self.break_starts) else len(self.text),
        )

    def silenced(self, start: int, end: int, unless: re.Pattern[str] | None = None) -> bool:
        """Negated, hypothetical, someone else's, gone or old, or meant otherwise (`unless`)."""
        first, last = self.scope(start, end)
        self.work += 1 + len(self.cues_before) + len(self.cues_after)
        reach_before, reach_after = self.limits["window_before"], self.limits["window_after"]
        for cue_start, cue_end in self.cues_before:
            if cue_start >= first and cue_end <= start and self.words(cue_end, start) <= reach_before:
                return True
        for cue_start, cue_end in self.cues_after:
            if cue_start >= end and cue_end <= last and self.words(end, cue_start) <= reach_after:
                return True
        if unless is not None:
            clause = self.text[first:last]
            self.work += len(clause)
            if unless.search(clause):
                return True
        return False

    def temperatures(self) -> tuple[list[tuple[int, int]], set[int]]:
        """Readings at or over the fever threshold, and the clauses (by start) with one under it."""
        t = self.compiled.data["temperature"]
        lists = self.compiled.lists
        contexts = self.hits("temperature_context", lists["temperature_context"], self.limits["max_cues"])
        fevers: list[tuple[int, int]] = []
        low: set[int] = set()
        for start, end in self.hits(
            "temperature_number", lists["temperature_number"], self.limits["max_hits"]
        ):
            value = float(self.text[start:end].replace(",", "."))
            if t["celsius"][0] <= value <= t["celsius"][1]:
                fever = value >= t["fever_celsius"]
            elif t["fahrenheit"][0] <= value <= t["fahrenheit"][1]:
                fever = value >= t["fever_fahrenheit"]
            else:
                continue
            first, last = self.scope(start, end)
            following = self.text[end : end + t["unit_reach"]]
            self.work += len(following) + len(contexts)
            unit = lists["temperature_unit"].search(following)
            before = after = None
            for c_start, c_end in contexts:
                if c_start >= first and c_end <= start and self.words(c_end, start) <= t["context_before"]:
                    before = (c_start, c_end)
                if (
                    after is None
                    and c_start >= end
                    and c_end <= last
                    and self.words(end, c_start) <= t["context_after"]
                ):
                    after = (c_start, c_end)
            if unit is None and before is None and after is None:
                continue
            if before is None and after is None:
                clause = self.text[first:last]
                self.work += len(clause)
                if lists["temperature_not_body"].search(clause):
                    continue
            if fever:
                quote_start = before[0] if before else start
                quote_end = end + unit.end() if unit else (after[1] if after and not before else end)
                fevers.append((quote_start, quote_end))
            else:
                low.add(first)
        return fevers, low

    def quote(self, start: int, end: int, original: str) -> str:
        return original[self.plain.starts[start] : self.plain.ends[end - 1]]


def _wordlike(char: str) -> bool:
    return "a" <= char <= "z" or "0" <= char <= "9" or char == "'"


def scan(text: str, language: str = DEFAULT_LANGUAGE) -> Scan:
    """Read a text for warning signs; the reading behind `find_warning_signs`."""
    original = text if isinstance(text, str) else ""
    compiled = _compiled(language_for(language))
    data = compiled.data
    plain = _plain(original, data["characters"], data["limits"])
    reading = _Reading(plain, compiled)
    fevers, low = reading.temperatures()
    fever_finding = data["temperature"]["finding"]
    found: dict[str, list[tuple[int, int]]] = {}
    for finding in compiled.findings:
        for start, end in reading.hits(finding.name, finding.pattern, reading.limits["max_hits"]):
            if finding.name == fever_finding and reading.scope(start, end)[0] in low:
                continue
            if not reading.silenced(start, end, finding.unless):
                found.setdefault(finding.name, []).append((start, end))
    for start, end in fevers:
        if not reading.silenced(start, end):
            found.setdefault(fever_finding, []).append((start, end))
    matches = []
    for sign in data["signs"]:
        spans = sorted(
            {
                span
                for names in sign["when"]
                if all(n in found for n in names)
                for n in names
                for span in found[n]
            }
        )
        if spans:
            words: list[str] = []
            for start, end in _merged(spans):
                words_quoted = reading.quote(start, end, original)
                if words_quoted not in words:
                    words.append(words_quoted)
            matches.append(WordMatch(sign["key"], sign["urgency"], tuple(words)))
    return Scan(matches, plain.text, reading.work, reading.kept)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def work_budget(language: str = DEFAULT_LANGUAGE) -> int:
    """The most work one reading can take, whatever the text: characters read, characters handed to
    the pattern engine, and cues looked at. The caps in LIMITS make it finite; the patterns have no
    unbounded repeat inside another (tests/test_warning_words.py), so each pass is near-linear."""
    data = _built(language_for(language))
    limits = data["limits"]
    text = limits["max_normalised"] + 32  # one character's expansion can pass the cap a little
    hits, cues = limits["max_hits"], limits["max_cues"]
    findings = data["findings"]
    passes = 2 + len(data["cues_before"]) + len(data["cues_after"]) + 2 + len(findings)
    check = 1 + (len(data["cues_before"]) + len(data["cues_after"])) * cues
    unless = sum(1 for finding in findings if finding["unless"])
    temperature = hits * (data["temperature"]["unit_reach"] + cues + text)
    budget: int = (
        limits["max_chars"]
        + passes * text
        + (len(findings) + 1) * hits * check
        + unless * hits * text
        + temperature
    )
    return budget
