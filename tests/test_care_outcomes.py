"""The clinic's outcome figures (app/care/outcomes.py), against examples worked by hand."""

from datetime import date, timedelta

import pytest

from app.care.outcomes import (
    Course,
    Share,
    chart_series,
    group_outcome,
    outcome_tables,
    responders_by_week,
    spread,
    wilson_interval,
    window,
)

TODAY = date(2026, 6, 1)
LONG_AGO = TODAY - timedelta(days=200)


def course(baseline, week6=None, condition="lumbar_facet", injection=LONG_AGO, **more):
    pain = {6: week6} if week6 is not None else {}
    return Course(condition, injection, baseline, pain_by_week=pain, **more)


def test_windows_are_seven_days_around_each_week():
    assert window(6) == (39, 45)
    assert window(12) == (81, 87)


def test_wilson_intervals_match_published_tables():
    low, high = wilson_interval(2, 5)
    assert (round(low, 1), round(high, 1)) == (11.8, 76.9)
    low, high = wilson_interval(0, 10)
    assert (low, round(high, 1)) == (0.0, 27.8)
    low, high = wilson_interval(10, 10)
    assert (round(low, 1), round(high, 1)) == (72.2, 100.0)
    assert wilson_interval(0, 0) is None


def test_median_and_interquartile_range():
    assert spread([40, 10, 30, 20]) == spread([10, 20, 30, 40])
    result = spread([10, 20, 30, 40])
    assert (result.median, result.q1, result.q3) == (25, 17.5, 32.5)
    assert spread([12.5]).median == 12.5
    assert spread([]) is None


def test_a_group_worked_by_hand_with_missing_data():
    courses = [
        course(8, 4),  # 50 %
        course(6, 3),  # 50 %
        course(10, 8),  # 20 %
        course(5, 5),  # 0 %
        course(4, 5),  # -25 % (worse)
        course(7),  # started, no data around week 6
        course(7, None, injection=TODAY - timedelta(days=40)),  # week 6 not over yet: not counted
        course(None, 3),  # no baseline: no percent change
    ]
    result = group_outcome("All", courses, 6, TODAY)
    assert (result.started, result.with_data) == (7, 5)
    assert (result.pain.median, result.pain.q1, result.pain.q3) == (20, 0, 50)
    assert result.responders[30] == Share(2, 5)
    assert result.responders[50] == Share(2, 5)
    assert result.responders_all[30] == Share(2, 7)
    assert round(result.responders_all[30].percent, 1) == 28.6
    assert result.too_few


def test_the_week_six_window_ends_on_day_45():
    assert not course(8, 4, injection=TODAY - timedelta(days=45)).reached(6, TODAY)
    assert course(8, 4, injection=TODAY - timedelta(days=46)).reached(6, TODAY)


def test_psfs_peg_and_pgic_in_a_group():
    courses = [
        course(
            8,
            4,
            psfs_by_week={0: {"a": 2, "b": 4}, 6: {"a": 5, "b": 6}},
            peg_by_week={0: 8.0, 6: 4.0},
            pgic_by_week={6: 1},
        ),
        course(
            6, 6, psfs_by_week={0: {"a": 3}, 6: {"a": 3}}, peg_by_week={0: 5.0, 6: 6.0}, pgic_by_week={6: 4}
        ),
        course(6, 5, psfs_by_week={6: {"a": 3}}, peg_by_week={6: 2.0}, pgic_by_week={6: 2}),
    ]
    result = group_outcome("All", courses, 6, TODAY)
    assert (result.psfs.median, result.psfs_count) == (1.25, 2)  # +2.5 and 0; the third has no baseline
    assert (result.peg.median, result.peg_count) == (15, 2)  # 50 % and -20 %
    assert result.pgic == Share(2, 3)


def test_ten_with_data_are_enough_to_judge():
    assert not group_outcome("All", [course(8, 4)] * 10, 6, TODAY).too_few
    assert group_outcome("All", [course(8, 4)] * 9, 6, TODAY).too_few


def test_tables_per_condition_leave_out_empty_groups():
    courses = [course(8, 4)] * 3 + [course(6, 3, condition="si_joint")]
    names = {"lumbar_facet": "Facet", "si_joint": "SI", "disc": "Disc"}
    tables = outcome_tables(courses, TODAY, names)
    assert [t.week for t in tables] == [6, 12]
    assert [g.label for g in tables[0].by_condition] == ["Facet", "SI"]
    assert tables[0].overall.with_data == 4
    assert tables[1].overall.with_data == 0
    assert tables[1].overall.started == 4


def test_responders_by_week_for_the_chart():
    courses = [
        Course("x", LONG_AGO, 8, pain_by_week={1: 8, 2: 5, 3: 4}),
        Course("x", LONG_AGO, 10, pain_by_week={1: 9, 2: 8, 3: 4}),
    ]
    weeks = responders_by_week(courses, TODAY)
    assert [(w.week, w.with_data) for w in weeks[:4]] == [(1, 2), (2, 2), (3, 2), (4, 0)]
    assert [w.responders[30].percent for w in weeks[:3]] == [0, 50, 100]
    assert [w.responders[50].percent for w in weeks[:3]] == [0, 0, 100]
    series = chart_series(weeks)
    # Among those with data, weeks without data are left out; counting missing as not improved,
    # every week both courses are past has a point (0 % where nobody logged).
    assert [(len(s.points), s.missing_as_not_improved) for s in series] == [
        (3, False),
        (3, False),
        (12, True),
        (12, True),
    ]
    assert [w.started for w in weeks[:4]] == [2, 2, 2, 2]
    assert weeks[3].responders_all[30].percent == 0
    assert series[0].points[2][1] < series[0].points[1][1] < series[0].points[0][1]  # higher share, higher


@pytest.mark.parametrize(("count", "total", "percent"), [(1, 3, 33.33), (0, 0, None)])
def test_share_percent(count, total, percent):
    value = Share(count, total).percent
    assert (round(value, 2) if value is not None else None) == percent
