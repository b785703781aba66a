"""Remote therapeutic monitoring codes (app/care/rtm.py) at every threshold."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.care import rtm
from app.care.rtm import Billed, management_codes, month_bounds, periods, periods_ending_in, supply_code


@pytest.mark.parametrize(
    ("days", "code"), [(0, None), (1, None), (2, "98985"), (15, "98985"), (16, "98977"), (30, "98977")]
)
def test_device_supply_code_by_days_with_data(days, code):
    assert supply_code(days) == code


@pytest.mark.parametrize(
    ("minutes", "codes"),
    [
        (9, ()),
        (10, (Billed("98979"),)),
        (19, (Billed("98979"),)),
        (20, (Billed("98980"),)),
        (39, (Billed("98980"),)),
        (40, (Billed("98980"), Billed("98981"))),
        (59, (Billed("98980"), Billed("98981"))),
        (60, (Billed("98980"), Billed("98981", 2))),
    ],
)
def test_management_codes_with_a_live_call(minutes, codes):
    assert management_codes(minutes, interactive=True).codes == codes


@pytest.mark.parametrize(
    ("minutes", "codes", "held_back"),
    [
        (9, (), ()),
        (10, (), ("98979",)),  # 2026: 98979 needs a real-time interaction too, like 98980
        (19, (), ("98979",)),
        (20, (), ("98980",)),
        (39, (), ("98980",)),
        (40, (), ("98980", "98981")),
    ],
)
def test_every_management_code_needs_a_live_call_in_the_month(minutes, codes, held_back):
    result = management_codes(minutes, interactive=False)
    assert (result.codes, result.held_back) == (codes, held_back)


def test_billed_reads_like_a_claim_line():
    assert str(Billed("98981", 2)) == "98981 ×2"
    assert management_codes(60, True).summary == "98980, 98981 ×2"


def test_periods_run_thirty_days_from_the_first_day_of_data():
    first = date(2026, 3, 1)
    data = [first + timedelta(days=n) for n in range(0, 45, 2)]  # every other day for 45 days
    found = periods(first, data, today=date(2026, 4, 10))
    assert [(p.number, p.start, p.end) for p in found] == [
        (1, date(2026, 3, 1), date(2026, 3, 30)),
        (2, date(2026, 3, 31), date(2026, 4, 29)),
    ]
    assert [p.days_with_data for p in found] == [15, 8]
    assert [p.code for p in found] == ["98985", "98985"]
    assert [p.complete for p in found] == [True, False]


def test_a_period_reaches_sixteen_days():
    first = date(2026, 3, 1)
    found = periods(first, [first + timedelta(days=n) for n in range(16)], today=date(2026, 3, 31))
    assert (found[0].days_with_data, found[0].code) == (16, "98977")


def test_no_data_no_periods():
    assert periods(None, [], today=date(2026, 3, 1)) == []


def test_periods_ending_in_a_month():
    first = date(2026, 3, 1)
    data = [first, first + timedelta(days=1)]
    start, end = month_bounds(2026, 3)
    assert [p.number for p in periods_ending_in(first, data, start, end, today=date(2026, 3, 15))] == [1]
    assert periods_ending_in(first, data, *month_bounds(2026, 4), today=date(2026, 4, 1))[0].number == 2


def test_month_bounds():
    assert month_bounds(2026, 2) == (date(2026, 2, 1), date(2026, 2, 28))
    assert month_bounds(2026, 12) == (date(2026, 12, 1), date(2026, 12, 31))


def test_every_code_and_threshold_is_in_one_table():
    assert [c.code for c in rtm.RTM_CODES] == ["98975", "98985", "98977", "98979", "98980", "98981"]
    assert rtm.SETUP_CODE.code == "98975"
    assert rtm.PERIOD_DAYS == 30


def test_a_new_years_threshold_is_one_edit(monkeypatch):
    new_year = {"98985": {"max_days": 11}, "98977": {"min_days": 12}}
    changed = tuple(replace(code, **new_year.get(code.code, {})) for code in rtm.RTM_CODES)
    monkeypatch.setattr(rtm, "RTM_CODES", changed)
    assert (supply_code(11), supply_code(12)) == ("98985", "98977")


def test_the_edges_of_a_period_count_where_a_claim_would():
    """Day 30 is the first period's last day and day 31 the second's first; a period is complete
    the day after its last day, not on it; the first day of data makes a period by itself."""
    first = date(2026, 3, 1)
    last_of_first, first_of_second = first + timedelta(days=29), first + timedelta(days=30)
    found = periods(first, [last_of_first, first_of_second], today=last_of_first, until=first_of_second)
    assert [(p.number, p.start, p.days_with_data) for p in found] == [(1, first, 1), (2, first_of_second, 1)]
    assert [p.complete for p in found] == [False, False]  # today is the first period's last day
    assert periods(first, [first], today=first + timedelta(days=30))[0].complete
    assert [p.number for p in periods(first, [first], today=first)] == [1]
    assert rtm.period_start(first, first_of_second) == (2, first_of_second)
    assert rtm.period_start(first, last_of_first) == (1, first)


def test_a_period_ending_on_the_first_or_the_last_day_of_a_month_belongs_to_it():
    first = date(2026, 3, 2)  # period 1 ends March 31, period 2 ends April 30
    in_march = periods_ending_in(first, [first], *month_bounds(2026, 3), today=date(2026, 5, 1))
    in_april = periods_ending_in(first, [first], *month_bounds(2026, 4), today=date(2026, 5, 1))
    assert [p.end for p in in_march] == [date(2026, 3, 31)]
    assert [p.end for p in in_april] == [date(2026, 4, 30)]
    starts_feb = date(2026, 1, 2)  # period 1 ends January 31, period 2 ends March 2
    assert [
        p.end
        for p in periods_ending_in(starts_feb, [], date(2026, 3, 2), date(2026, 3, 31), date(2026, 4, 1))
    ] == [date(2026, 3, 2)]


def test_a_period_that_has_not_begun_is_not_listed_in_the_month_in_progress():
    """Data from October 3: period 2 ends December 1, period 3 runs December 2 to 31. On December 1
    the report lists period 2 only, not period 3 at 0 days; from December 2 both."""
    first = date(2026, 10, 3)
    december = month_bounds(2026, 12)
    assert [p.number for p in periods_ending_in(first, [first], *december, today=date(2026, 12, 1))] == [2]
    assert [p.number for p in periods_ending_in(first, [first], *december, today=date(2026, 12, 2))] == [2, 3]
    on_the_first = rtm.counted_periods_ending_in(first, {0: 1}, *december, today=date(2026, 12, 1))
    assert [p.number for p in on_the_first] == [2]
    on_the_second = rtm.counted_periods_ending_in(first, {0: 1}, *december, today=date(2026, 12, 2))
    assert [p.number for p in on_the_second] == [2, 3]


# --- 2026: the set-up's two days, and nothing before the consent -----------------------------------


def test_the_set_up_is_reported_once_a_period_has_two_days_of_data():
    first = date(2026, 3, 1)
    assert not rtm.setup_supported(periods(first, [first], today=date(2026, 3, 10)))
    assert rtm.setup_supported(periods(first, [first, first + timedelta(days=5)], today=date(2026, 3, 10)))
    assert rtm.SETUP_CODE.min_days == 2


def test_only_days_from_the_consent_on_count_once_it_is_recorded():
    days = [date(2026, 3, d) for d in (1, 2, 5)]
    assert rtm.since_consent(days, date(2026, 3, 2)) == {date(2026, 3, 2), date(2026, 3, 5)}
    assert rtm.episode_start(date(2026, 3, 1), date(2026, 3, 2)) == date(2026, 3, 2)
    assert rtm.episode_start(date(2026, 3, 3), date(2026, 3, 2)) == date(2026, 3, 3)
