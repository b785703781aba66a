"""Warning symptoms (red flags): which are asked, what a log or a message reports (ticked, in the
patient's words, or worked out from pain scores), and the one urgent card for the moment
(docs/clinical-protocol.md#warning-symptoms)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil

from app.care import content
from app.care.content import (
    ALL_ALERT_FLAGS,
    FIRST_DAYS_ONLY_FLAGS,
    RED_FLAGS,
    SEVERE_PAIN_STREAK,
    THORACIC_ONLY_FLAGS,
    RedFlag,
)
from app.care.hours import OpeningHours, Say, clock_words, when_words
from app.care.warning_words import find_warning_signs

SEVERE_PAIN_MIN = 8
SEVERE_PAIN_ABOVE_USUAL = 2
SEVERE_PAIN_DAYS = 3
FLARE_LAST_DAY = 2  # days 0–2: a flare of soreness is expected (the aftercare text)
ALLERGY_LAST_DAY = 3  # an allergic reaction to what was given is asked on days 0–3

TICKED, WORDS, DERIVED = "ticked", "words", "derived"
SOURCES = (TICKED, WORDS, DERIVED)


def flags_asked(thoracic: bool, day_number: int | None = None) -> tuple[RedFlag, ...]:
    """The warning questions for this patient on this day after the injection (None: no
    treatment yet, every question): chest symptoms only after a mid-back injection, an allergic
    reaction only in the first days after it."""

    def asked(flag: RedFlag) -> bool:
        if flag.key in THORACIC_ONLY_FLAGS and not thoracic:
            return False
        if flag.key in FIRST_DAYS_ONLY_FLAGS and day_number is not None:
            return 0 <= day_number <= ALLERGY_LAST_DAY
        return True

    return tuple(flag for flag in RED_FLAGS if asked(flag))


def by_urgency(flags: Iterable[RedFlag]) -> list[RedFlag]:
    """Emergencies first, each group in the order the questions are asked."""
    order = {key: n for n, key in enumerate(ALL_ALERT_FLAGS)}
    return sorted(flags, key=lambda flag: (flag.urgency != "emergency", order[flag.key]))


def flags_for(answered_yes: Iterable[str]) -> list[RedFlag]:
    """The red flags for the symptoms answered "yes", emergencies first."""
    chosen = set(answered_yes)
    return by_urgency(flag for flag in RED_FLAGS if flag.key in chosen)


# --- Severe pain, against the patient's own usual pain ------------------------------------------


def severe_pain_threshold(baseline: float | None) -> int | None:
    """The daily score that counts as severe for this patient: 8 or more, and at least 2 points
    above their usual pain (a patient who lives at 8 is not told to call for his usual 8), never
    above 10. None when nothing on the scale is above their usual pain (a baseline of 10)."""
    if baseline is None:
        return SEVERE_PAIN_MIN
    threshold = min(10, max(SEVERE_PAIN_MIN, ceil(baseline + SEVERE_PAIN_ABOVE_USUAL)))
    return threshold if threshold > baseline else None


def has_severe_pain_streak(
    scores_by_day: Mapping[date, int],
    today: date,
    baseline: float | None = None,
    injection_date: date | None = None,
) -> bool:
    """Severe back pain (see severe_pain_threshold) on each of the three days ending today. Not
    on days 0–2 after the injection, where a flare is expected: the aftercare text asks for a call
    when it is not settling by day 3, and on day 3 days 1–3 count."""
    if injection_date is not None and 0 <= (today - injection_date).days <= FLARE_LAST_DAY:
        return False
    threshold = severe_pain_threshold(baseline)
    if threshold is None:
        return False
    days = (today - timedelta(days=offset) for offset in range(SEVERE_PAIN_DAYS))
    return all(scores_by_day.get(day, -1) >= threshold for day in days)


def urgent_flags(
    answered_yes: Iterable[str],
    scores_by_day: Mapping[date, int],
    today: date,
    baseline: float | None = None,
    injection_date: date | None = None,
) -> list[RedFlag]:
    """Every flag a log's ticks raise, including the derived severe-pain streak."""
    flags = flags_for(answered_yes)
    if has_severe_pain_streak(scores_by_day, today, baseline, injection_date):
        flags.append(SEVERE_PAIN_STREAK)
    return flags


# --- What was reported, and how ------------------------------------------------------------------


@dataclass(frozen=True)
class Reported:
    """One warning sign as the patient gave it: ticked, read in their words (`quote`), or worked
    out from their pain scores."""

    flag: RedFlag
    source: str = TICKED
    quote: str = ""

    @property
    def in_words(self) -> bool:
        return self.source == WORDS


def read_in_words(text: str, language: str = "en") -> list[Reported]:
    """The warning signs a note or message names, with the patient's words (app/care/warning_words)."""
    return [
        Reported(ALL_ALERT_FLAGS[match.key], WORDS, match.quote)
        for match in find_warning_signs(text or "", language)
        if match.key in ALL_ALERT_FLAGS
    ]


def reports_for(
    ticked: Iterable[RedFlag], in_words: Iterable[Reported] = (), derived: Iterable[RedFlag] = ()
) -> list[Reported]:
    """Everything one log or message reports, each sign once (a tick stands for the same sign in
    words), emergencies first. The ticks themselves are never changed by what the words say."""
    found: dict[str, Reported] = {}
    for flag in ticked:
        found.setdefault(flag.key, Reported(flag))
    for report in in_words:
        found.setdefault(report.flag.key, report)
    for flag in derived:
        found.setdefault(flag.key, Reported(flag, DERIVED))
    order = {flag.key: n for n, flag in enumerate(by_urgency(report.flag for report in found.values()))}
    return sorted(found.values(), key=lambda report: order[report.flag.key])


# --- The urgent card -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Circumstances:
    """What the urgent message depends on: where the patient is in treatment and the clinic's hours
    at this moment (`now` is the wall-clock time at the clinic)."""

    injected: bool
    condition: str | None  # the condition's name, for the emergency department
    hours: OpeningHours
    now: datetime

    @property
    def clinic_open(self) -> bool:
        return self.hours.is_open(self.now)


def message_for(flag: RedFlag, circumstances: Circumstances | None, say: Say = content.render) -> str:
    """The urgent message for this flag's urgency now; without circumstances (a page cached for
    anyone), the words that are true at any time. `say` gives them in the reader's language."""
    if flag.urgency == "emergency":
        if circumstances is None:
            return say(content.EMERGENCY_ANY_TIME)
        if circumstances.injected:
            return say(content.EMERGENCY_AFTER_INJECTION)
        condition = (
            say(content.CONDITION_FOR_EMERGENCY, condition=say(circumstances.condition).lower())
            if circumstances.condition
            else say(content.CONDITION_UNKNOWN)
        )
        return say(content.EMERGENCY_BEFORE_INJECTION, condition=condition)
    if circumstances is None:
        return say(content.SAME_DAY_ANY_TIME)
    if circumstances.clinic_open:
        return say(content.SAME_DAY_OPEN, closes=clock_words(circumstances.hours.closes, say))
    reopens = circumstances.hours.next_opening(circumstances.now)
    when = when_words(reopens, circumstances.now, say=say) if reopens else say(content.NEXT_WORKING_DAY)
    return say(content.SAME_DAY_CLOSED, reopens=when)


@dataclass(frozen=True)
class UrgentNotice:
    """One warning sign on the urgent card, with what the patient said about it."""

    flag: RedFlag
    quote: str = ""  # the patient's words, when the sign was read in a note or message
    open_alert: bool = False  # staff have not seen it yet: the card asks "Did you get help?"

    @property
    def is_emergency(self) -> bool:
        return self.flag.urgency == "emergency"

    @property
    def said(self) -> str:
        return self.said_in(content.render)

    def said_in(self, say: Say) -> str:
        """ "You told us: …" for a tick, "You wrote: “…”. This may mean: …" for words (the
        patient's words as written, in any language)."""
        if self.quote:
            return say(content.YOU_WROTE, quote=self.quote, question=say(self.flag.question))
        return say(content.YOU_TOLD_US, question=say(self.flag.question))


@dataclass(frozen=True)
class UrgentCard:
    """The one card at the top of the page: when an emergency is present, its single action (911,
    the emergency department) and the same-day signs listed for the emergency team; otherwise the
    same-day action (call the clinic, or its after-hours line)."""

    notices: tuple[UrgentNotice, ...]
    circumstances: Circumstances | None
    help_answer: str | None = None  # the patient's last answer to "Did you get help?"

    def __bool__(self) -> bool:
        return bool(self.notices)

    @property
    def emergency(self) -> bool:
        return any(notice.is_emergency for notice in self.notices)

    @property
    def message(self) -> str:
        return self.message_in(content.render)

    def message_in(self, say: Say) -> str:
        if not self.notices:
            return ""
        return message_for(self.notices[0].flag, self.circumstances, say)

    @property
    def main(self) -> tuple[UrgentNotice, ...]:
        """The signs behind the action."""
        if not self.emergency:
            return self.notices
        return tuple(notice for notice in self.notices if notice.is_emergency)

    @property
    def also(self) -> tuple[UrgentNotice, ...]:
        """Same-day signs, told to the emergency team when an emergency is present."""
        if not self.emergency:
            return ()
        return tuple(notice for notice in self.notices if not notice.is_emergency)

    @property
    def asks_for_help(self) -> bool:
        return any(notice.open_alert for notice in self.notices)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(notice.flag.key for notice in self.notices)


def urgent_card(
    reported: Iterable[Reported], circumstances: Circumstances | None, open_keys: Iterable[str] = ()
) -> UrgentCard:
    """The card for these reports, emergencies first; `open_keys` name the signs whose alert
    staff have not seen yet."""
    still_open = set(open_keys)
    seen: dict[str, UrgentNotice] = {}
    for report in reported:
        if report.flag.key not in seen:
            seen[report.flag.key] = UrgentNotice(report.flag, report.quote, report.flag.key in still_open)
    ordered = by_urgency(notice.flag for notice in seen.values())
    return UrgentCard(tuple(seen[flag.key] for flag in ordered), circumstances)
