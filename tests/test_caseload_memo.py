"""The dashboard's rows kept between views (app/services/pages/caseload_memo.py): a row worked out
before is used again only while nothing it is worked out from has changed. For each kind of
change, the next look shows the row a process that never saw it works out, and that row differs
from the one before the change (so each test fails if its part of the key is taken away)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from app.care.feelings import HURT_RUN
from app.extensions import db
from app.models import Alert, DailyLog, ExerciseTick, Message, PlanItem, Role, Treatment, TreatmentSummary
from app.services import summaries
from app.services.clinic.settings import ClinicSettings, current_settings
from app.services.pages.caseload import CaseloadRow, load_caseload
from app.services.pages.caseload_memo import RowMemo
from app.services.safety.alerts import acknowledge
from app.services.treatment.plans import remove_exercise
from tests.conftest import QueryCounter
from tests.factories import make_log, make_user, my_patient, open_alert

TREATMENTS_AND_ALERTS = 2  # the caseload with its figures, then the open alerts
RECENT_DAYS_AND_PLANS = 2  # for the rows to work out


@pytest.fixture
def caseload(app, today):
    """A therapist with two patients three weeks after the injection: logs with pain rising (the
    week before 3, this week 6), ticks on some days; the second quiet."""
    therapist = make_user(Role.THERAPIST)
    patient, treatment = my_patient(therapist, today, day=21)
    for offset in range(1, 15):
        make_log(patient, today - timedelta(days=offset), back_pain=6 if offset <= 7 else 3)
    items = live_items(treatment)
    for offset in range(1, 8, 2):
        db.session.add(ExerciseTick(plan_item_id=items[0].id, day=today - timedelta(days=offset)))
    my_patient(therapist, today, day=30)
    db.session.commit()
    return therapist, patient, treatment


def live_items(treatment: Treatment) -> list[PlanItem]:
    return list(
        db.session.scalars(
            sa.select(PlanItem)
            .where(PlanItem.treatment_id == treatment.id, PlanItem.removed_at.is_(None))
            .order_by(PlanItem.id)
        )
    )


def looked_at(
    therapist, day: date, memo: RowMemo, settings: ClinicSettings | None = None
) -> list[CaseloadRow]:
    return load_caseload(therapist.id, day, settings or current_settings(), memo)


def of(rows: list[CaseloadRow], patient) -> CaseloadRow:
    """The patient's row (the caseload comes in no particular order)."""
    [row] = [row for row in rows if row.patient.id == patient.id]
    return row


def by_patient(rows: list[CaseloadRow]) -> dict[int, CaseloadRow]:
    return {row.patient.id: row for row in rows}


def never_seen(therapist, day: date, settings: ClinicSettings | None = None) -> list[CaseloadRow]:
    """The rows as a process that kept none works them out."""
    return looked_at(therapist, day, RowMemo(), settings)


def test_a_second_look_works_out_no_row_again(caseload, today):
    therapist, patient, _treatment = caseload
    memo, settings = RowMemo(), current_settings()
    with QueryCounter() as first:
        rows = looked_at(therapist, today, memo, settings)
    with QueryCounter() as second:
        again = looked_at(therapist, today, memo, settings)
    assert first.count == TREATMENTS_AND_ALERTS + RECENT_DAYS_AND_PLANS, first.statements
    assert second.count == TREATMENTS_AND_ALERTS, second.statements
    assert by_patient(again) == by_patient(rows)
    assert [reason.kind for reason in of(rows, patient).reasons] == ["pain_rising", "low_exercise"]


def test_only_the_patient_whose_data_changed_is_worked_out_again(caseload, today):
    therapist, patient, _treatment = caseload
    memo = RowMemo()
    looked_at(therapist, today, memo)
    assert len(memo.rows) == 2
    make_log(patient, today, back_pain=2)
    rows = looked_at(therapist, today, memo)
    assert len(memo.rows) == 3  # one row more: the changed patient's, under its new revision
    assert by_patient(rows) == by_patient(never_seen(therapist, today))
    assert of(rows, patient).last_log == today


def a_log_with_more_pain(patient, treatment, today):
    make_log(patient, today, back_pain=9)


def a_log_edited_to_less_pain(patient, treatment, today):
    yesterday = today - timedelta(days=1)
    log = db.session.scalars(
        sa.select(DailyLog).where(DailyLog.patient_id == patient.id, DailyLog.day == yesterday)
    ).one()
    log.back_pain = 0
    db.session.commit()


def ticks_on_every_day(patient, treatment, today):
    for item in live_items(treatment)[1:]:  # the first has its ticks already
        for offset in range(0, 7):
            db.session.add(ExerciseTick(plan_item_id=item.id, day=today - timedelta(days=offset)))
    db.session.commit()


def exercises_removed(patient, treatment, today):
    for item in live_items(treatment)[1:]:
        remove_exercise(item)
    db.session.commit()


def the_injection_moved(patient, treatment, today):
    treatment.injection_date = treatment.injection_date - timedelta(days=7)
    db.session.commit()


def the_baseline_corrected(patient, treatment, today):
    """A column of the treatment that no summary depends on: the key's copy of the treatment."""
    treatment.baseline_pain = 3
    db.session.commit()


def a_warning_sign(patient, treatment, today):
    """An alert raised with no log (a message read as a warning): no summary changes."""
    db.session.add(Alert(patient_id=patient.id, day=today, symptom="fever", urgency="same_day"))
    db.session.commit()


def a_message_from_the_patient(patient, treatment, today):
    db.session.add(Message(patient_id=patient.id, author_id=patient.id, body="My leg feels odd."))
    db.session.commit()


def an_exercise_hurt_twice(patient, treatment, today):
    """Kept on the plan item by the answers, not on the summaries: its own part of the key."""
    item = live_items(treatment)[0]
    item.feeling_run, item.feeling_run_length, item.feeling_run_day = "hurt", HURT_RUN, today
    db.session.commit()


def written_around_the_writes_then_rebuilt(patient, treatment, today):
    """A bulk load (as the benchmark's) goes around the writes; the rebuild gives new revisions."""
    db.session.execute(sa.insert(DailyLog).values(patient_id=patient.id, day=today, back_pain=10))
    db.session.commit()
    summaries.rebuild(db.session())
    db.session.commit()


CHANGES: list[Callable] = [
    a_log_with_more_pain,
    a_log_edited_to_less_pain,
    ticks_on_every_day,
    exercises_removed,
    the_injection_moved,
    the_baseline_corrected,
    a_warning_sign,
    a_message_from_the_patient,
    an_exercise_hurt_twice,
    written_around_the_writes_then_rebuilt,
]


@pytest.mark.parametrize("change", CHANGES, ids=[change.__name__ for change in CHANGES])
def test_a_change_after_a_look_is_in_the_next_one(caseload, today, change):
    therapist, patient, treatment = caseload
    memo = RowMemo()
    before = looked_at(therapist, today, memo)
    assert by_patient(looked_at(therapist, today, memo)) == by_patient(before)  # kept
    change(patient, treatment, today)
    after = looked_at(therapist, today, memo)
    assert by_patient(after) == by_patient(never_seen(therapist, today))
    assert of(after, patient) != of(before, patient)


def test_a_warning_sign_answered_leaves_the_row(caseload, today):
    therapist, patient, _treatment = caseload
    alert = Alert(patient_id=patient.id, day=today, symptom="fever", urgency="same_day")
    db.session.add(alert)
    db.session.commit()
    memo = RowMemo()
    before = looked_at(therapist, today, memo)
    assert of(before, patient).reasons[0].kind == "same_day"
    acknowledge(alert, make_user(Role.THERAPIST), "Called her; seen in clinic today.")
    db.session.commit()
    after = looked_at(therapist, today, memo)
    assert by_patient(after) == by_patient(never_seen(therapist, today))
    assert "same_day" not in [reason.kind for reason in of(after, patient).reasons]


def test_the_next_day_works_every_row_out_again(caseload, today):
    therapist, _patient, _treatment = caseload
    memo = RowMemo()
    before = looked_at(therapist, today, memo)
    tomorrow = today + timedelta(days=1)
    after = looked_at(therapist, tomorrow, memo)
    assert by_patient(after) == by_patient(never_seen(therapist, tomorrow))
    assert {p: row.position.day for p, row in by_patient(after).items()} == {
        p: row.position.day + 1 for p, row in by_patient(before).items()
    }


def test_the_clinics_settings_are_part_of_the_key(caseload, today):
    """An anti-inflammatory on day 4 is inside a 7-day window after the injection, not a 3-day one."""
    therapist, patient, treatment = caseload
    treatment.injection_date = today - timedelta(days=5)
    db.session.commit()
    log = db.session.scalars(
        sa.select(DailyLog).where(
            DailyLog.patient_id == patient.id, DailyLog.day == today - timedelta(days=1)
        )
    ).one()
    log.nsaid = True
    db.session.commit()
    memo = RowMemo()
    strict = replace(current_settings(), nsaid_days_after=7)
    loose = replace(current_settings(), nsaid_days_after=3)
    with_window = looked_at(therapist, today, memo, strict)
    without = looked_at(therapist, today, memo, loose)
    assert "nsaid" in [reason.kind for reason in of(with_window, patient).reasons]
    assert "nsaid" not in [reason.kind for reason in of(without, patient).reasons]
    assert by_patient(without) == by_patient(never_seen(therapist, today, loose))


def test_a_look_in_another_language_has_its_own_words(caseload, today):
    therapist, patient, _treatment = caseload
    open_alert(patient, today)
    memo = RowMemo()
    english = looked_at(therapist, today, memo)
    with force_locale("es"):
        spanish = looked_at(therapist, today, memo)
        assert by_patient(spanish) == by_patient(never_seen(therapist, today))
    assert [r.text for r in of(spanish, patient).reasons] != [r.text for r in of(english, patient).reasons]
    assert by_patient(looked_at(therapist, today, memo)) == by_patient(english)


def test_every_write_and_rebuild_gives_the_summaries_a_new_revision(caseload, today):
    _therapist, patient, treatment = caseload

    def revisions() -> dict[int, int]:
        return dict(
            db.session.execute(sa.select(TreatmentSummary.treatment_id, TreatmentSummary.revision)).all()
        )

    first = revisions()
    assert all(first.values()), first
    make_log(patient, today, back_pain=1)
    second = revisions()
    assert second[treatment.id] != first[treatment.id]
    assert {k: v for k, v in second.items() if k != treatment.id} == {
        k: v for k, v in first.items() if k != treatment.id
    }
    summaries.rebuild(db.session())
    db.session.commit()
    third = revisions()
    assert all(third[k] != second[k] for k in third)
    assert summaries.verify(db.session()) == []


def test_a_full_memo_lets_the_oldest_rows_go(caseload, today):
    therapist, _patient, _treatment = caseload
    memo, settings = RowMemo(size=1), current_settings()
    looked_at(therapist, today, memo, settings)
    assert len(memo.rows) == 1
    with QueryCounter() as counter:
        looked_at(therapist, today, memo, settings)
    assert counter.count == TREATMENTS_AND_ALERTS + RECENT_DAYS_AND_PLANS  # one row kept, one out
