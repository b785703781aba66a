""" "How did that feel?" after a tick: stored per session, refused when odd or not the patient's,
shown to the therapist per exercise; two "it hurt more" in a row flag the patient, three "easier"
with steady pain hint "ready to progress"."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.care.feelings import Run, hurts_again, pain_steady, ready_to_progress, run_of
from app.extensions import db
from app.models import ExerciseTick, PlanItem, Role
from tests.conftest import QueryCounter, text_of
from tests.factories import make_log, make_user, my_patient, patient_on_day
from tests.helpers import HTMX

DAY = date(2026, 3, 10)


# --- The rules (app/care/feelings.py) ------------------------------------------------------------


def test_the_run_is_the_same_answer_at_the_end():
    assert run_of([]) == Run()
    answers = [("hurt", DAY), ("hurt", DAY - timedelta(1)), ("easier", DAY - timedelta(2))]
    assert run_of(answers) == Run("hurt", 2, DAY)
    assert run_of([("easier", DAY), ("hurt", DAY), ("hurt", DAY)]) == Run("easier", 1, DAY)


def test_hurt_twice_in_a_row_lately_flags():
    assert hurts_again(Run("hurt", 2, DAY), DAY)
    assert hurts_again(Run("hurt", 3, DAY - timedelta(6)), DAY)
    assert not hurts_again(Run("hurt", 1, DAY), DAY)
    assert not hurts_again(Run("harder", 2, DAY), DAY)
    assert not hurts_again(Run("hurt", 2, DAY - timedelta(7)), DAY)  # a week old: settled


def steady(first: int, second: int) -> dict[date, int]:
    """Back pain `first` the week before, `second` this week."""
    week_before = {DAY - timedelta(days=n): first for n in range(7, 14)}
    return week_before | {DAY - timedelta(days=n): second for n in range(7)}


def test_ready_to_progress_needs_three_easier_and_pain_not_rising():
    assert pain_steady(steady(4, 4), DAY)
    assert pain_steady(steady(5, 3), DAY)
    assert not pain_steady(steady(3, 4), DAY)
    assert not pain_steady({DAY: 3}, DAY)  # one week alone cannot say
    assert ready_to_progress(Run("easier", 3, DAY), steady(4, 4), DAY)
    assert not ready_to_progress(Run("easier", 2, DAY), steady(4, 4), DAY)
    assert not ready_to_progress(Run("easier", 3, DAY), steady(3, 4), DAY)
    assert not ready_to_progress(Run("right", 3, DAY), steady(4, 4), DAY)


# --- The patient answers ---------------------------------------------------------------------------


@pytest.fixture
def twice_a_day(auth, today):
    """A patient on day 20 (restore), signed in, and an item of today done twice a day."""
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    items = db.session.scalars(
        sa.select(PlanItem).where(
            PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore", PlanItem.times_per_day == 2
        )
    ).all()
    assert items
    return items[0]


def tick(client, token, item, session=1, done="1"):
    data = {"csrf_token": token, "done": done, "session": str(session)}
    return client.post(f"/exercises/{item.id}/done", data=data, headers=HTMX)


def feel(client, token, item, feeling, session=1, headers=HTMX):
    data = {"csrf_token": token, "session": str(session), "feeling": feeling}
    return client.post(f"/exercises/{item.id}/feeling", data=data, headers=headers)


def stored(item) -> dict[int, str | None]:
    return dict(
        db.session.execute(
            sa.select(ExerciseTick.session, ExerciseTick.feeling).where(ExerciseTick.plan_item_id == item.id)
        ).all()
    )


def test_the_question_comes_after_a_tick_and_the_answer_is_kept(client, auth, twice_a_day, today):
    item = twice_a_day
    token = auth.token()
    assert f'id="feeling-{item.id}"' not in client.get("/today").get_data(as_text=True)  # nothing done
    row = tick(client, token, item).get_data(as_text=True)
    assert "How did that feel?" in row
    assert 'name="session" value="1"' in row
    response = feel(client, token, item, "harder")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<li class="exercise')
    assert 'value="harder" class="feeling__choice" aria-pressed="true"' in html
    assert html.count('aria-pressed="true"') == 2  # the tick and the answer
    assert "Thank you. Your therapist can see this." in html
    assert stored(item) == {1: "harder"}
    assert db.session.get(ExerciseTick, db.session.scalar(sa.select(ExerciseTick.id))).felt_at is not None


def test_the_second_session_is_asked_about_once_ticked(client, auth, twice_a_day):
    item = twice_a_day
    token = auth.token()
    tick(client, token, item, 1)
    feel(client, token, item, "right", 1)
    row = tick(client, token, item, 2).get_data(as_text=True)
    assert 'name="session" value="2"' in row
    assert 'aria-pressed="true">About right' not in row  # session 2 not answered yet
    feel(client, token, item, "easier", 2)
    assert stored(item) == {1: "right", 2: "easier"}


def test_without_javascript_the_answer_redirects_to_the_row(client, auth, twice_a_day):
    item = twice_a_day
    token = auth.token()
    tick(client, token, item)
    response = feel(client, token, item, "hurt", headers={})
    assert response.status_code == 303
    assert response.location.endswith(f"/today#exercise-{item.id}")
    page = client.get("/today").get_data(as_text=True)
    assert "Go easy on this one next time" in page


def test_changing_the_answer_replaces_it(client, auth, twice_a_day):
    item = twice_a_day
    token = auth.token()
    tick(client, token, item)
    feel(client, token, item, "hurt")
    feel(client, token, item, "right")
    assert stored(item) == {1: "right"}


def test_undoing_the_tick_takes_the_answer_and_its_run_away(client, auth, twice_a_day):
    item = twice_a_day
    token = auth.token()
    tick(client, token, item, 1)
    feel(client, token, item, "hurt", 1)
    tick(client, token, item, 2)
    feel(client, token, item, "hurt", 2)
    db.session.refresh(item)
    assert (item.feeling_run, item.feeling_run_length) == ("hurt", 2)
    tick(client, token, item, 2, done="0")
    db.session.refresh(item)
    assert stored(item) == {1: "hurt"}
    assert (item.feeling_run, item.feeling_run_length) == ("hurt", 1)


def test_a_session_not_ticked_cannot_be_answered(client, auth, twice_a_day):
    item = twice_a_day
    response = feel(client, auth.token(), item, "easier")
    assert response.status_code == 409
    assert stored(item) == {}


@pytest.mark.parametrize(
    "body",
    [
        {"session": "1"},
        {"session": "1", "feeling": "great"},
        {"session": "1", "feeling": ""},
        {"session": "0", "feeling": "easier"},
        {"session": "3", "feeling": "easier"},  # prescribed twice a day
        {"session": "11", "feeling": "easier"},
        {"session": "x", "feeling": "easier"},
        {"session": "1", "feeling": "easier" * 100},
        {"feeling": ["easier", "hurt"], "session": "1"},
    ],
)
def test_odd_bodies_are_refused(client, auth, twice_a_day, body):
    item = twice_a_day
    token = auth.token()
    tick(client, token, item)
    response = client.post(f"/exercises/{item.id}/feeling", data={"csrf_token": token, **body}, headers=HTMX)
    assert 400 <= response.status_code < 500, response.status_code
    assert stored(item) == {1: None}


def test_an_answer_without_csrf_is_refused(client, auth, twice_a_day):
    item = twice_a_day
    tick(client, auth.token(), item)
    response = client.post(f"/exercises/{item.id}/feeling", data={"session": "1", "feeling": "hurt"})
    assert response.status_code == 400
    assert stored(item) == {1: None}


def test_another_patients_exercise_is_refused(client, auth, today):
    _other, treatment = patient_on_day(20, today)
    item = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).first()
    db.session.add(ExerciseTick(plan_item_id=item.id, day=today, session=1))
    db.session.commit()
    me, _ = patient_on_day(20, today)
    auth.login(me.email)
    response = feel(client, auth.token(), item, "hurt")
    assert response.status_code == 404
    assert stored(item) == {1: None}


def test_today_takes_no_more_statements_with_every_exercise_answered(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    items = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).all()
    client.get("/today")
    with QueryCounter() as before:
        client.get("/today")
    for item in items:
        db.session.add(ExerciseTick(plan_item_id=item.id, day=today, session=1, feeling="right"))
    db.session.commit()
    with QueryCounter() as after:
        page = client.get("/today")
    assert page.get_data(as_text=True).count(
        'value="right" class="feeling__choice" aria-pressed="true"'
    ) == len(items)
    assert after.count == before.count


# --- The therapist sees it ---------------------------------------------------------------------------


def answered(item, feelings: list[str], last_day: date) -> None:
    """Answers on consecutive days ending `last_day`, oldest first (as the patient gave them)."""
    first = last_day - timedelta(days=len(feelings) - 1)
    for offset, feeling in enumerate(feelings):
        db.session.add(
            ExerciseTick(plan_item_id=item.id, day=first + timedelta(days=offset), session=1, feeling=feeling)
        )
    db.session.commit()


def patient_answers_today(client, auth, patient, item, feeling) -> None:
    """The patient signs in, ticks today and answers; the therapist signs back in after."""
    auth.login(patient.email)
    token = auth.token()
    tick(client, token, item)
    assert feel(client, token, item, feeling).status_code == 200
    auth.logout()


def restore_item(treatment) -> PlanItem:
    item = db.session.scalars(
        sa.select(PlanItem)
        .where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
        .order_by(PlanItem.position)
    ).first()
    assert item is not None
    return item


@pytest.fixture
def sam(auth):
    return make_user(Role.THERAPIST, name="Sam Patel")


def attention_of(client) -> str:
    page = text_of(client.get("/therapist/"))
    return (
        page[page.index("Needs attention") : page.index("All patients")] if "Needs attention" in page else ""
    )


def test_it_hurt_more_twice_in_a_row_puts_the_patient_on_the_attention_list(client, auth, sam, today):
    patient, treatment = my_patient(sam, today, name="Hana Hurt")
    for offset in range(14):
        make_log(patient, today - timedelta(days=offset), back_pain=3)  # nothing else to flag
    item = restore_item(treatment)
    answered(item, ["hurt"], today - timedelta(days=1))
    patient_answers_today(client, auth, patient, item, "right")
    auth.login(sam.email)
    assert "It hurt more" not in attention_of(client)  # hurt, then about right: not twice in a row
    auth.logout()
    patient_answers_today(client, auth, patient, item, "hurt")  # today's answer changed
    auth.login(sam.email)
    attention = attention_of(client)
    assert "Exercise hurt Hana Hurt “It hurt more” twice in a row after" in attention
    record = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "How it felt: Hurt more" in record


def test_the_record_shows_the_latest_answers_per_exercise(client, auth, sam, today):
    patient, treatment = my_patient(sam, today)
    item = restore_item(treatment)
    answered(item, ["hurt", "harder", "right", "easier"], today - timedelta(days=1))
    auth.login(sam.email)
    html = client.get(f"/therapist/patients/{patient.id}").get_data(as_text=True)
    felt = html[html.index(f'id="felt-{item.id}"') :]
    felt = felt[: felt.index("</p>")]
    assert felt.index("Easier") < felt.index("About right") < felt.index("Harder")
    assert "Hurt more" not in felt  # the latest three
    assert f'id="ready-{item.id}"' not in html


@pytest.mark.parametrize(("before", "now", "ready"), [(4, 4, True), (5, 4, True), (3, 5, False)])
def test_three_easier_with_steady_pain_hints_ready_to_progress(client, auth, sam, today, before, now, ready):
    patient, treatment = my_patient(sam, today)
    for offset in range(14):
        make_log(patient, today - timedelta(days=offset), back_pain=now if offset < 7 else before)
    item = restore_item(treatment)
    dose = item.dose
    answered(item, ["easier", "easier"], today - timedelta(days=1))
    patient_answers_today(client, auth, patient, item, "easier")
    auth.login(sam.email)
    html = client.get(f"/therapist/patients/{patient.id}").get_data(as_text=True)
    assert (f'id="ready-{item.id}"' in html) is ready
    assert ("Ready to progress?" in html) is ready
    db.session.refresh(item)
    assert item.dose == dose  # a hint for the therapist: the plan stays as it is
