"""What the "Before your injection" page says to one patient: what PRP is meant to do and cannot
promise, its risks, how to get ready, and how the needle is guided
(docs/clinical-protocol.md#before-the-injection).

Plain data, no Flask: the view reads the texts in the page's language, and the version of what
was read is a fingerprint of exactly those texts, so a consent record names the words the
patient saw (in their language, with this clinic's settings, with or without the mid-back risk).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.care import content
from app.care.staff_words import N_

# The settings' choices, for the admin (staff words, shown in the reader's language).
BLOOD_DRAW_CHOICES = {  # clinic setting "blood_draw": where the PRP's blood is taken
    "visit_1": N_("At Visit 1, the evaluation (as the clinic's brochure says)"),
    "injection_day": N_("On injection day, just before the injection"),
}
DRIVE_HOME_CHOICES = {  # clinic setting "drive_home"
    "no": N_("No: patients bring someone to drive them home"),
    "yes": N_("Yes, if they feel well and no leg is weak or numb"),
}
# The places a clinic may inject under ultrasound (clinic setting "ultrasound_sites"): the
# injection sites a treatment names, in the patient's words.
ULTRASOUND_SITE_KEYS = tuple(content.INJECTION_SITES)

VERSION_LENGTH = 12


@dataclass(frozen=True)
class BeforeInjectionPage:
    risks: tuple[str, ...]
    blood_draw: str
    ride_home: str
    ultrasound_sites: tuple[str, ...]  # the site names, in the clinic's order

    @property
    def ready(self) -> tuple[str, ...]:
        """How to get ready, in the order a patient meets it: the blood draw, what to eat,
        what to wear, the ride home, when to move the day, a blood thinner."""
        return (
            self.blood_draw,
            content.BEFORE_EAT,
            content.BEFORE_CLOTHES,
            self.ride_home,
            content.BEFORE_ILL,
            content.BEFORE_BLOOD_THINNER,
        )

    def texts(self) -> tuple[str, ...]:
        """Every text on the page, in page order (the version is made from these)."""
        return (
            content.BEFORE_TITLE,
            content.BEFORE_INTRO,
            content.BEFORE_MEANT_TITLE,
            content.BEFORE_MEANT,
            content.BEFORE_CANNOT_TITLE,
            content.BEFORE_CANNOT,
            content.BEFORE_RISKS_TITLE,
            content.BEFORE_RISKS_INTRO,
            *self.risks,
            content.BEFORE_RISKS_WATCH,
            content.BEFORE_READY_TITLE,
            *self.ready,
            content.BEFORE_ULTRASOUND_TITLE,
            content.BEFORE_ULTRASOUND_INTRO,
            *self.ultrasound_sites,
            content.BEFORE_ULTRASOUND_OTHER,
            content.BEFORE_CONFIRM_TITLE,
            content.BEFORE_QUESTIONS,
            content.BEFORE_CONFIRM_LABEL,
        )


def risks_for(thoracic: bool, catalogue: Any = content) -> tuple[str, ...]:
    """The real risks; a collapsed lung only where the needle goes near the lungs (mid back).
    `catalogue` is the content catalogue, or the same read in another language."""
    common = (
        catalogue.BEFORE_RISK_FLARE,
        catalogue.BEFORE_RISK_INFECTION,
        catalogue.BEFORE_RISK_BLEEDING,
        catalogue.BEFORE_RISK_NERVE,
        catalogue.BEFORE_RISK_HEADACHE,
        catalogue.BEFORE_RISK_ALLERGY,
    )
    return (*common, catalogue.BEFORE_RISK_LUNG) if thoracic else common


def site_keys(stored: str) -> tuple[str, ...]:
    """The known sites of a stored setting ("facet_joints,si_joint"), in the clinic's order."""
    return tuple(key for key in stored.split(",") if key in content.INJECTION_SITES)


def page_for(thoracic: bool, blood_draw: str, drive_home: str, ultrasound_sites: str) -> BeforeInjectionPage:
    """The page for a patient whose injection is (or is not) in the mid back, at a clinic with
    these settings."""
    return BeforeInjectionPage(
        risks=risks_for(thoracic),
        blood_draw=(
            content.BEFORE_BLOOD_ON_INJECTION_DAY
            if blood_draw == "injection_day"
            else content.BEFORE_BLOOD_AT_VISIT_1
        ),
        ride_home=content.BEFORE_RIDE_MAY_DRIVE if drive_home == "yes" else content.BEFORE_RIDE_NO_DRIVING,
        ultrasound_sites=tuple(content.INJECTION_SITES[key] for key in site_keys(ultrasound_sites)),
    )


# What Visit 1 and injection day say when the clinic draws the blood on injection day: the phase
# guidance's own words say Visit 1 (the brochure's way).
ON_INJECTION_DAY_SUMMARIES = {
    "evaluation": content.EVALUATION_SUMMARY_BLOOD_ON_INJECTION_DAY,
    "injection": content.INJECTION_SUMMARY_BLOOD_ON_INJECTION_DAY,
}


def guidance_for(phase_key: str, blood_draw: str) -> content.PhaseGuidance:
    """A phase's guidance at a clinic that draws the PRP's blood where `blood_draw` says (clinic
    setting "blood_draw"): the phase guidance never tells a patient the blood is taken at a visit
    where it is not."""
    guidance = content.PHASE_GUIDANCE[phase_key]
    if blood_draw == "injection_day" and phase_key in ON_INJECTION_DAY_SUMMARIES:
        return dataclasses.replace(guidance, summary=ON_INJECTION_DAY_SUMMARIES[phase_key])
    return guidance


def version_of(shown: Iterable[str]) -> str:
    """The fingerprint of the texts as shown (translated, filled): a different word, another
    language, a changed setting or the mid-back risk make another version."""
    digest = hashlib.sha256("\n".join(shown).encode()).hexdigest()
    return digest[:VERSION_LENGTH]
