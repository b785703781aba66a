"""When the clinic reads messages, and when a patient writing outside those hours can expect a
reply. One place for the hours until they become a clinic setting."""

from __future__ import annotations

from datetime import datetime, time, timedelta

# Monday = 0. Days not listed are closed.
CLINIC_HOURS: dict[int, tuple[time, time]] = {day: (time(8, 0), time(17, 0)) for day in range(5)}
HOURS_IN_WORDS = "Monday to Friday, 8 am to 5 pm"


def is_open(local: datetime) -> bool:
    """`local` is on the clinic's clock."""
    hours = CLINIC_HOURS.get(local.weekday())
    return hours is not None and hours[0] <= local.time().replace(tzinfo=None) < hours[1]


def next_opening(local: datetime) -> datetime:
    """The next moment the clinic opens after `local` (a closed clinic's next morning)."""
    for offset in range(8):
        day = local.date() + timedelta(days=offset)
        hours = CLINIC_HOURS.get(day.weekday())
        if hours is None:
            continue
        opening = datetime.combine(day, hours[0], tzinfo=local.tzinfo)
        if opening > local:
            return opening
    raise ValueError("CLINIC_HOURS lists no open day")


def reply_expected(local: datetime) -> str:
    """ "tomorrow after 8 am", "on Monday after 8 am": when a message sent now gets read."""
    opening = next_opening(local)
    clock = (
        f"{opening:%I}".lstrip("0")
        + (f":{opening:%M}" if opening.minute else "")
        + (" am" if opening.hour < 12 else " pm")
    )
    days = (opening.date() - local.date()).days
    if days == 0:
        return f"today after {clock}"
    if days == 1:
        return f"tomorrow after {clock}"
    return f"on {opening:%A} after {clock}"
