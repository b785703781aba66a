"""Medicines named in a patient's own words: the anti-inflammatories hidden in "other medicine from my
doctor", and, in the list of regular medicines given at evaluation, the ones the physician must plan
the injection around (docs/clinical-protocol.md#medicines).

Names are matched as whole words, brand and generic alike, case and punctuation aside ("ELIQUIS
5mg", "fish-oil"). The lists name what patients in the US take; a name not listed is not found, so
the physician still reads the list itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from app.care.staff_words import N_

# Anti-inflammatories (NSAIDs): they may blunt the healing response PRP relies on (§3 of the
# clinic's text). Aspirin is one, also inside Excedrin and BC and Goody's powders.
NSAIDS = (
    "ibuprofen",
    "advil",
    "motrin",
    "midol",
    "naproxen",
    "aleve",
    "naprosyn",
    "anaprox",
    "aspirin",
    "bayer",
    "ecotrin",
    "excedrin",
    "bc powder",
    "bc powders",
    "goody's",
    "goodys",
    "meloxicam",
    "mobic",
    "celecoxib",
    "celebrex",
    "diclofenac",
    "voltaren",
    "arthrotec",
    "ketorolac",
    "toradol",
    "nabumetone",
    "relafen",
    "etodolac",
    "indomethacin",
    "indocin",
    "piroxicam",
    "feldene",
    "oxaprozin",
    "daypro",
    "sulindac",
    "ketoprofen",
    "flurbiprofen",
    "salsalate",
    "diflunisal",
)
# Blood thinners (anticoagulants and antiplatelets, low-dose aspirin among them): the injection
# needs a plan with the prescriber; they are never stopped without one.
BLOOD_THINNERS = (
    "warfarin",
    "coumadin",
    "jantoven",
    "apixaban",
    "eliquis",
    "rivaroxaban",
    "xarelto",
    "dabigatran",
    "pradaxa",
    "edoxaban",
    "savaysa",
    "clopidogrel",
    "plavix",
    "prasugrel",
    "effient",
    "ticagrelor",
    "brilinta",
    "enoxaparin",
    "lovenox",
    "heparin",
    "fondaparinux",
    "arixtra",
    "dipyridamole",
    "aggrenox",
    "cilostazol",
    "aspirin",
    "baby aspirin",
    "ecotrin",
)
ORAL_STEROIDS = (
    "prednisone",
    "prednisolone",
    "methylprednisolone",
    "medrol",
    "dexamethasone",
    "decadron",
    "hydrocortisone",
    "cortef",
    "deltasone",
)
# SSRIs (and the SNRIs, which act alike on platelets): a little more bleeding.
SSRIS = (
    "sertraline",
    "zoloft",
    "fluoxetine",
    "prozac",
    "citalopram",
    "celexa",
    "escitalopram",
    "lexapro",
    "paroxetine",
    "paxil",
    "fluvoxamine",
    "luvox",
    "vilazodone",
    "viibryd",
    "vortioxetine",
    "trintellix",
    "venlafaxine",
    "effexor",
    "duloxetine",
    "cymbalta",
    "desvenlafaxine",
    "pristiq",
)
# Supplements that affect platelets or clotting.
SUPPLEMENTS = (
    "fish oil",
    "omega 3",
    "krill oil",
    "vitamin e",
    "ginkgo",
    "ginkgo biloba",
    "garlic",
    "ginseng",
    "turmeric",
    "curcumin",
    "ginger",
    "feverfew",
    "dong quai",
    "saw palmetto",
)
# Acetaminophen hidden in other medicines: they count toward the day's limit.
HIDDEN_ACETAMINOPHEN = (
    "norco",
    "percocet",
    "vicodin",
    "lortab",
    "endocet",
    "tylenol pm",
    "tylenol with codeine",
    "tylenol 3",
    "nyquil",
    "dayquil",
    "theraflu",
    "excedrin",
)


@dataclass(frozen=True)
class MedicineKind:
    key: str
    label: str  # for staff, on the record (a staff word: shown in the reader's language)
    names: tuple[str, ...]
    needs_prescriber_plan: bool = False


KINDS: tuple[MedicineKind, ...] = (
    MedicineKind("blood_thinner", N_("Blood thinner"), BLOOD_THINNERS, needs_prescriber_plan=True),
    MedicineKind("oral_steroid", N_("Oral steroid"), ORAL_STEROIDS),
    MedicineKind("ssri", N_("SSRI or SNRI antidepressant"), SSRIS),
    MedicineKind("supplement", N_("Supplement that affects platelets"), SUPPLEMENTS),
    MedicineKind("nsaid", N_("Anti-inflammatory (NSAID)"), NSAIDS),
)
KINDS_BY_KEY: dict[str, MedicineKind] = {kind.key: kind for kind in KINDS}


def plain(text: str) -> str:
    """Lower case, accents and punctuation gone ("fish-oil" is "fish oil"); apostrophes kept."""
    folded = (
        unicodedata.normalize("NFKD", text.replace("\u2019", "'")).encode("ascii", "ignore").decode().lower()
    )
    return " ".join(re.sub(r"[^a-z0-9']+", " ", folded).split())


@cache
def _pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


def names_in(text: str, names: tuple[str, ...]) -> list[str]:
    """The listed names found in `text`, in the order written, each once."""
    found: list[str] = []
    for match in _pattern(names).finditer(plain(text)):
        if match.group(0) not in found:
            found.append(match.group(0))
    return found


def names_an_nsaid(text: str) -> bool:
    """The patient's words name an anti-inflammatory ("Mobic", "2 Aleve", "goody's powder")."""
    return bool(names_in(text, NSAIDS))


def hides_acetaminophen(text: str) -> list[str]:
    return names_in(text, HIDDEN_ACETAMINOPHEN)


@dataclass(frozen=True)
class Finding:
    kind: MedicineKind
    names: tuple[str, ...]  # as found in the list


@lru_cache(maxsize=4096)
def review_findings(medicines: str) -> tuple[Finding, ...]:
    """What the physician must see in a list of regular medicines, blood thinners first (kept per
    list: the dashboard asks for every patient's on every request)."""
    findings = []
    for kind in KINDS:
        found = names_in(medicines, kind.names)
        if found:
            findings.append(Finding(kind, tuple(found)))
    return tuple(findings)


def needs_prescriber_plan(medicines: str) -> bool:
    return any(finding.kind.needs_prescriber_plan for finding in review_findings(medicines))


def takes_blood_thinner(medicines: str) -> bool:
    return bool(names_in(medicines, BLOOD_THINNERS))


def finding_keys(medicines: str) -> frozenset[str]:
    """Which kinds the list names: a change of these makes a new review necessary."""
    return frozenset(finding.kind.key for finding in review_findings(medicines))
