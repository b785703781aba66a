"""The safety net's pure rules: which signs are asked, what a log reports, the one urgent card, severe
pain against the patient's own baseline, medicines in the patient's words, the on-call rota and the
escalation steps."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.care import content
from app.care.content import ALL_ALERT_FLAGS, RED_FLAG_KEYS
from app.care.escalation import ADMINS, CLINICIAN, ON_CALL, AlertFacts, escalation_wait, next_step
from app.care.hours import opening_hours, parse_dates
from app.care.medicines import hides_acetaminophen, names_an_nsaid, needs_prescriber_plan, review_findings
from app.care.on_call import Shift, on_call_at
from app.care.warning_words import SIGN_KEYS, find_warning_signs
from app.care.warnings import (
    SEVERE_PAIN_STREAK,
    Circumstances,
    Reported,
    flags_asked,
    flags_for,
    has_severe_pain_streak,
    message_for,
    read_in_words,
    reports_for,
    severe_pain_threshold,
    urgent_card,
    urgent_flags,
)

NEW_YORK = ZoneInfo("America/New_York")
HOURS = opening_hours("mon,tue,wed,thu,fri", "08:00", "17:00")
MONDAY = date(2026, 11, 30)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), NEW_YORK)


def test_every_sign_the_words_reader_names_is_a_question_and_an_alert_kind():
    """A sign in words and a ticked sign are the same alert kind (the same key)."""
    assert set(SIGN_KEYS) == set(RED_FLAG_KEYS)
    assert set(SIGN_KEYS) <= set(ALL_ALERT_FLAGS)


def test_the_new_signs_have_their_urgency_and_fever_is_asked_at_100_4():
    urgency = {key: ALL_ALERT_FLAGS[key].urgency for key in RED_FLAG_KEYS}
    assert urgency["allergic_reaction"] == urgency["headache_fever"] == "emergency"
    assert urgency["fever_back_pain"] == urgency["bleeding"] == "same_day"
    assert "100.4 °F (38.0 °C)" in ALL_ALERT_FLAGS["fever"].question
    assert "new numbness in one or both legs" in ALL_ALERT_FLAGS["leg_weakness"].question
    assert "growing" in ALL_ALERT_FLAGS["bleeding"].question
    assert "stiff neck or confusion" in ALL_ALERT_FLAGS["headache_fever"].question
    for text in (
        content.EMERGENCY_AFTER_INJECTION,
        content.EMERGENCY_BEFORE_INJECTION,
        content.EMERGENCY_ANY_TIME,
    ):
        assert text.endswith("Do not drive yourself.")


@pytest.mark.parametrize(("day", "asked"), [(-3, False), (0, True), (3, True), (4, False), (None, True)])
def test_an_allergic_reaction_is_asked_of_everyone_in_the_first_days(day, asked):
    keys = [flag.key for flag in flags_asked(thoracic=False, day_number=day)]
    assert ("allergic_reaction" in keys) is asked
    assert "bleeding" in keys
    assert "headache_fever" in keys
    assert "fever_back_pain" in keys


@pytest.mark.parametrize(
    ("baseline", "threshold"), [(None, 8), (3, 8), (6, 8), (7, 9), (7.5, 10), (8, 10), (9, 10), (10, None)]
)
def test_severe_pain_is_judged_against_the_patients_own_baseline(baseline, threshold):
    assert severe_pain_threshold(baseline) == threshold


def test_a_streak_needs_three_severe_days_and_none_is_raised_in_the_flare_of_days_0_to_2():
    injection = MONDAY
    scores = {injection + timedelta(days=n): 10 for n in range(6)}
    assert not has_severe_pain_streak(scores, injection + timedelta(days=2), 6, injection)
    assert has_severe_pain_streak(scores, injection + timedelta(days=3), 6, injection)
    assert not has_severe_pain_streak(
        {**scores, injection + timedelta(days=4): 7}, injection + timedelta(days=5), 6
    )
    usual_eight = {MONDAY - timedelta(days=n): 9 for n in range(3)}
    assert not has_severe_pain_streak(usual_eight, MONDAY, baseline=8)
    assert has_severe_pain_streak(usual_eight, MONDAY, baseline=6)


def test_the_flare_days_start_on_the_injection_day_itself():
    """Severe pain on the three days up to the injection day is the flare's first day, not a
    warning; the same scores three days after the injection are."""
    injection = MONDAY
    before = {injection - timedelta(days=n): 10 for n in range(3)}
    assert not has_severe_pain_streak(before, injection, 6, injection)
    assert has_severe_pain_streak(before, injection, 6)  # no injection date: judged as any day
    assert has_severe_pain_streak(before, injection, 6, injection + timedelta(days=30))  # before it


def test_a_day_without_a_log_breaks_the_streak_and_a_baseline_of_ten_never_streaks():
    two_days = {MONDAY: 10, MONDAY - timedelta(days=1): 10}
    assert not has_severe_pain_streak(two_days, MONDAY, 6)
    assert not has_severe_pain_streak({MONDAY - timedelta(days=n): 10 for n in range(3)}, MONDAY, 10)


def test_the_streak_flag_uses_the_patients_baseline_and_the_injection_date():
    """urgent_flags passes both on: 8s are severe for a patient who lives at 5, not at 7; and
    three 10s on days 0-2 after the injection raise nothing."""
    eights = {MONDAY - timedelta(days=n): 8 for n in range(3)}
    assert [flag.key for flag in urgent_flags([], eights, MONDAY, 5)] == [SEVERE_PAIN_STREAK.key]
    assert urgent_flags([], eights, MONDAY, 7) == []
    tens = {MONDAY - timedelta(days=n): 10 for n in range(3)}
    assert urgent_flags([], tens, MONDAY, 5, MONDAY - timedelta(days=2)) == []
    assert urgent_flags([], tens, MONDAY, 5, MONDAY - timedelta(days=3)) != []


def test_a_tick_stands_for_the_same_sign_in_words_and_the_ticks_come_first():
    words = read_in_words("my legs feel weak and I have a fever of 38.5")
    assert {report.flag.key for report in words} == {"leg_weakness", "fever"}
    reports = reports_for(flags_for(["leg_weakness"]), words)
    assert [(r.flag.key, r.source) for r in reports] == [("leg_weakness", "ticked"), ("fever", "words")]
    assert reports[1].quote
    assert "38.5" in reports[1].quote
    assert read_in_words("no numbness today, the site looks fine") == []


def circumstances(now: datetime, injected: bool = True) -> Circumstances:
    return Circumstances(injected=injected, condition=None, hours=HOURS, now=now)


def test_with_an_emergency_the_card_gives_one_action_and_lists_the_same_day_signs_for_the_team():
    reports = [
        Reported(ALL_ALERT_FLAGS["fever"]),
        Reported(ALL_ALERT_FLAGS["saddle_numbness"], "words", "numb bum"),
    ]
    card = urgent_card(reports, circumstances(at(MONDAY, 10)), open_keys=["fever"])
    assert card.emergency
    assert card.message == content.EMERGENCY_AFTER_INJECTION
    assert [n.flag.key for n in card.main] == ["saddle_numbness"]
    assert [n.flag.key for n in card.also] == ["fever"]
    assert card.main[0].said == (
        "You wrote: “numb bum”. This may mean: Numb skin in the groin, buttocks or inner thighs (the parts you "
        "sit on)."
    )
    assert card.asks_for_help


def test_without_an_emergency_the_card_says_when_to_call_the_clinic():
    card = urgent_card([Reported(ALL_ALERT_FLAGS["bleeding"])], circumstances(at(MONDAY, 20)))
    assert not card.emergency
    assert not card.also
    assert not card.asks_for_help
    assert card.message.startswith("Call the clinic's after-hours line now.")
    assert not urgent_card([], None)


def test_medicines_are_found_in_the_patients_words():
    assert names_an_nsaid("2 Aleve")
    assert names_an_nsaid("Goody's powder")
    assert names_an_nsaid("MOBIC 15mg")
    assert not names_an_nsaid("Norco")
    assert not names_an_nsaid("gabapentin")
    assert hides_acetaminophen("Norco 5/325, Tylenol PM at night") == ["norco", "tylenol pm"]
    found = review_findings("Eliquis 5 mg twice a day\nprednisone\nZoloft\nfish-oil\nmeloxicam")
    assert [(f.kind.key, f.names) for f in found] == [
        ("blood_thinner", ("eliquis",)),
        ("oral_steroid", ("prednisone",)),
        ("ssri", ("zoloft",)),
        ("supplement", ("fish oil",)),
        ("nsaid", ("meloxicam",)),
    ]
    assert needs_prescriber_plan("warfarin 5mg")
    assert needs_prescriber_plan("Plavix")
    assert not needs_prescriber_plan("fish oil, vitamin D")


def test_an_overnight_shift_covers_the_early_hours_of_the_next_day():
    friday_night = Shift(7, 4, time(17), time(8))
    assert friday_night.covers(at(MONDAY + timedelta(days=4), 23))
    assert friday_night.covers(at(MONDAY + timedelta(days=5), 7, 59))
    assert not friday_night.covers(at(MONDAY + timedelta(days=5), 8))
    assert not friday_night.covers(at(MONDAY + timedelta(days=4), 16, 59))
    day_shift = Shift(8, 0, time(8), time(17))
    assert on_call_at([day_shift, friday_night, Shift(8, 0, time(12), time(13))], at(MONDAY, 12)) == [8]
    assert friday_night.words == "Friday, 5 pm to 8 am the next day"
    whole_saturday = Shift(9, 5, time(8), time(8))
    assert whole_saturday.covers(at(MONDAY + timedelta(days=6), 7, 59))
    assert not whole_saturday.covers(at(MONDAY + timedelta(days=6), 8))


def test_a_shift_starts_on_the_minute_and_ends_just_before_its_end():
    day_shift = Shift(8, 0, time(8), time(17))
    assert day_shift.covers(at(MONDAY, 8))
    assert not day_shift.covers(at(MONDAY, 7, 59))
    assert day_shift.covers(at(MONDAY, 16, 59))
    assert not day_shift.covers(at(MONDAY, 17))
    assert not day_shift.covers(at(MONDAY + timedelta(days=1), 12))  # another day, same hours
    assert not day_shift.covers(at(MONDAY - timedelta(days=1), 12))
    sunday_night = Shift(7, 6, time(20), time(8))
    assert sunday_night.covers(at(MONDAY - timedelta(days=1), 20))  # Sunday 8 pm
    assert sunday_night.covers(at(MONDAY, 7, 59))  # into Monday: the week wraps
    assert not sunday_night.covers(at(MONDAY - timedelta(days=1), 19, 59))


def wait(moment: datetime) -> timedelta:
    return escalation_wait(HOURS, moment, 30, 60)


def test_an_emergency_escalates_to_on_call_then_admins_once_each():
    raised = at(MONDAY, 10)
    fresh = AlertFacts("emergency", raised, acknowledged=False)
    assert next_step(fresh, raised, wait) == CLINICIAN
    told = AlertFacts("emergency", raised, False, {CLINICIAN: raised})
    assert next_step(told, raised + timedelta(minutes=29), wait) is None
    assert next_step(told, raised + timedelta(minutes=30), wait) == ON_CALL
    on_call = AlertFacts(
        "emergency", raised, False, {CLINICIAN: raised, ON_CALL: raised + timedelta(minutes=31)}
    )
    assert next_step(on_call, raised + timedelta(minutes=60), wait) is None
    assert next_step(on_call, raised + timedelta(minutes=61), wait) == ADMINS
    done = AlertFacts("emergency", raised, False, {0: raised, 1: raised, 2: raised})
    assert next_step(done, raised + timedelta(days=1), wait) is None
    acknowledged = AlertFacts("emergency", raised, True, {CLINICIAN: raised})
    assert next_step(acknowledged, raised + timedelta(hours=5), wait) is None


def test_outside_clinic_hours_the_wait_is_longer_and_nobody_on_call_goes_straight_to_the_admins():
    evening = at(MONDAY, 19)
    told = AlertFacts("emergency", evening, False, {CLINICIAN: evening})
    assert next_step(told, evening + timedelta(minutes=59), wait) is None
    assert next_step(told, evening + timedelta(minutes=60), wait) == ON_CALL
    nobody = AlertFacts("emergency", evening, False, {0: evening, 1: evening}, nobody=frozenset({ON_CALL}))
    assert next_step(nobody, evening, wait) == ADMINS


def test_a_same_day_alert_tells_the_clinician_and_does_not_escalate():
    raised = at(MONDAY, 10)
    told = AlertFacts("same_day", raised, False, {CLINICIAN: raised})
    assert next_step(told, raised + timedelta(days=2), wait) is None


def test_the_issues_own_examples_are_read():
    """The notes and the message from the issue that reached nobody in time."""
    note = "my bottom and groin feel numb and I wet myself this morning. Legs feel weak."
    assert [m.key for m in find_warning_signs(note, "en")] == [
        "saddle_numbness",
        "bladder_bowel",
        "leg_weakness",
    ]
    message = "chest pain and can't breathe well… numb in my groin"
    assert {m.key for m in find_warning_signs(message, "en")} == {"saddle_numbness", "chest_symptoms"}


def test_on_a_holiday_the_clinic_is_closed_and_opens_again_on_the_next_working_day():
    """Opening hours know holidays: on a Monday the clinic is shut, a same-day sign goes to the
    after-hours line, and 'opens again' skips every closed day (here Monday and Tuesday)."""
    holidays = opening_hours("mon,tue,wed,thu,fri", "08:00", "17:00", "2026-11-30, 2026-12-01")
    assert HOURS.is_open(at(MONDAY, 10))
    assert not holidays.is_open(at(MONDAY, 10))
    assert holidays.next_opening(at(MONDAY, 10)) == at(MONDAY + timedelta(days=2), 8)
    moment = Circumstances(injected=True, condition=None, hours=holidays, now=at(MONDAY, 10))
    message = message_for(ALL_ALERT_FLAGS["injection_site"], moment)
    assert message.startswith("Call the clinic's after-hours line now.")
    assert "Wednesday" in message


def test_holidays_are_iso_dates_in_any_separation():
    assert parse_dates("2026-12-25\n2027-01-01, 2027-01-19;2027-05-31") == {
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 1, 19),
        date(2027, 5, 31),
    }
    assert parse_dates("  ") == frozenset()
    with pytest.raises(ValueError, match="Invalid isoformat"):
        parse_dates("25/12/2026")
