"""US remote therapeutic monitoring (RTM), musculoskeletal: which codes a patient's data and the
staff's logged time support (docs/clinical-protocol.md#remote-therapeutic-monitoring).

Every code and threshold is in `RTM_CODES` below, so a new year's change is one edit there. The
app reports what the records support; the clinic's biller checks it against the payer's rules.

- Device supply, per 30-day monitoring period counted from the patient's first day of data in the
  episode: a day with data has a pain log, a questionnaire answer or an exercise tick.
- Treatment management, per calendar month, from the time log staff keep; the codes marked
  `needs_interactive` need at least one live call or video visit with the patient in the month.
- Set-up and education, once per episode, when staff record it and a 30-day period has at least
  2 days with data (the 2026 rule; it was 16 before).
- Nothing is reported before the patient's consent to remote monitoring is recorded (date, how,
  by whom): data, time and set-up from before it do not count, and the report says why a code is
  held back.

The 2026 descriptors (AMA CPT 2026; CMS CY 2026 Physician Fee Schedule final rule) are summarised
with their sources in docs/clinical-protocol.md#remote-therapeutic-monitoring.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from app.care.staff_words import N_

PERIOD_DAYS = 30
CPT_YEAR = 2026


@dataclass(frozen=True)
class RtmCode:
    code: str
    what: str  # a staff word, shown in the reader's language
    basis: str  # "episode" (once), "period" (30 days of data) or "month" (staff minutes)
    min_days: int = 0
    max_days: int = 0
    min_minutes: int = 0
    max_minutes: int | None = None
    needs_interactive: bool = False
    each_further: int | None = None  # minutes per further unit (an add-on code)


RTM_CODES: tuple[RtmCode, ...] = (  # CPT 2026
    RtmCode("98975", N_("Set-up and patient education"), "episode", min_days=2),
    RtmCode("98985", N_("Device supply, 2–15 days with data"), "period", min_days=2, max_days=15),
    RtmCode("98977", N_("Device supply, 16–30 days with data"), "period", min_days=16, max_days=30),
    RtmCode(
        "98979",
        N_("Treatment management, 10–19 minutes"),
        "month",
        min_minutes=10,
        max_minutes=19,
        needs_interactive=True,
    ),
    RtmCode(
        "98980",
        N_("Treatment management, first 20 minutes"),
        "month",
        min_minutes=20,
        max_minutes=None,
        needs_interactive=True,
    ),
    RtmCode(
        "98981",
        N_("Treatment management, each further 20 minutes"),
        "month",
        min_minutes=40,
        needs_interactive=True,
        each_further=20,
    ),
)
CODES_BY_NUMBER = {code.code: code for code in RTM_CODES}
SETUP_CODE = next(code for code in RTM_CODES if code.basis == "episode")
LOWEST_SUPPLY_DAYS = min(code.min_days for code in RTM_CODES if code.basis == "period")
# Why a code is held back, and how consent was given: staff words, shown in the reader's language
# (the biller's CSV keeps the English).
INTERACTIVE_MISSING = N_("needs a live call or video visit in the month")
SETUP_DAYS_MISSING = N_("needs a 30-day period with at least {days} days of data")
CONSENT_MISSING = N_("no consent to remote monitoring recorded")
CONSENT_HOW: dict[str, str] = {
    "in_person": N_("in person, at the clinic"),
    "phone": N_("by phone"),
    "video": N_("by video"),
    "written": N_("signed form"),
}


def setup_supported(periods: Iterable[Period]) -> bool:
    """98975 is reported once per episode, and only once a period has 2 days with data (2026)."""
    return any(period.days_with_data >= SETUP_CODE.min_days for period in periods)


def since_consent(days: Iterable[date], consent_on: date | None) -> set[date]:
    """The days that count once consent is recorded: those from the consent day on. Without it
    every day is shown, and no code is reported from them."""
    return set(days) if consent_on is None else {day for day in days if day >= consent_on}


def episode_start(first_data_day: date | None, consent_on: date | None) -> date | None:
    """The monitoring episode starts on the first day of data, but never before the consent."""
    if first_data_day is None or consent_on is None:
        return first_data_day
    return max(first_data_day, consent_on)


@dataclass(frozen=True)
class Billed:
    code: str
    units: int = 1

    def __str__(self) -> str:
        return self.code if self.units == 1 else f"{self.code} ×{self.units}"


def supply_code(days_with_data: int) -> str | None:
    """The device-supply code a period's days with data support, if any."""
    for code in RTM_CODES:
        if code.basis == "period" and code.min_days <= days_with_data <= code.max_days:
            return code.code
    return None


@dataclass(frozen=True)
class Management:
    minutes: int
    interactive: bool
    codes: tuple[Billed, ...]
    held_back: tuple[str, ...]  # codes the minutes reach but a live call is missing

    @property
    def summary(self) -> str:
        return ", ".join(str(billed) for billed in self.codes)


def management_codes(minutes: int, interactive: bool) -> Management:
    """The treatment-management codes a calendar month's minutes support."""
    codes, held_back = [], []
    for code in RTM_CODES:
        if code.basis != "month" or minutes < code.min_minutes:
            continue
        if code.max_minutes is not None and minutes > code.max_minutes:
            continue
        if code.needs_interactive and not interactive:
            held_back.append(code.code)
            continue
        units = 1 + (minutes - code.min_minutes) // code.each_further if code.each_further else 1
        codes.append(Billed(code.code, units))
    return Management(minutes, interactive, tuple(codes), tuple(held_back))


@dataclass(frozen=True)
class Period:
    number: int  # 1 for the first 30 days of the episode
    start: date
    end: date
    days_with_data: int
    complete: bool  # its last day is over

    @property
    def code(self) -> str | None:
        return supply_code(self.days_with_data)


def period_start(first_data_day: date, day: date) -> tuple[int, date]:
    """The number and first day of the monitoring period that holds `day`."""
    index = (day - first_data_day).days // PERIOD_DAYS
    return index + 1, first_data_day + timedelta(days=index * PERIOD_DAYS)


def periods(
    first_data_day: date | None, data_days: Iterable[date], today: date, until: date | None = None
) -> list[Period]:
    """Every 30-day period from the first day of data up to the one holding `until` (today)."""
    until = until or today
    if first_data_day is None or first_data_day > until:
        return []
    days = set(data_days)
    found = []
    number, start = 1, first_data_day
    while start <= until:
        end = start + timedelta(days=PERIOD_DAYS - 1)
        count = sum(1 for day in days if start <= day <= end)
        found.append(Period(number, start, end, count, end < today))
        number, start = number + 1, end + timedelta(days=1)
    return found


def periods_ending_in(
    first_data_day: date | None, data_days: Iterable[date], first: date, last: date, today: date
) -> list[Period]:
    """The periods whose last day falls from `first` to `last` (a billing month), leaving out a
    period that has not begun yet (in the month in progress it would read as 0 days of data)."""
    return [
        period
        for period in periods(first_data_day, data_days, today, until=last)
        if first <= period.end <= last and period.start <= today
    ]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def counted_periods_ending_in(
    first_data_day: date | None, days_by_index: Mapping[int, int], first: date, last: date, today: date
) -> list[Period]:
    """`periods_ending_in` from each period's count of days with data (index 0 for the first
    period), as a database counts them, rather than from the days themselves."""
    if first_data_day is None:
        return []
    found = []
    index = max(0, (first - first_data_day).days // PERIOD_DAYS - 1)
    while (start := first_data_day + timedelta(days=index * PERIOD_DAYS)) + timedelta(
        days=PERIOD_DAYS - 1
    ) <= last:
        end = start + timedelta(days=PERIOD_DAYS - 1)
        if end >= first and start <= today:
            found.append(Period(index + 1, start, end, days_by_index.get(index, 0), end < today))
        index += 1
    return found
