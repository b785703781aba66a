"""Ticking home exercises: one tap, undo, idempotent, and no tampering."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import ExerciseTick, PlanItem
from tests.conftest import text_of
from tests.factories import patient_on_day
from tests.helpers import HTMX


@pytest.fixture
def plan(auth, today):
    patient, treatment = patient_on_day(20, today)  # restore phase
    auth.login(patient.email)
    items = db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id)).all()
    return {item.phase: item for item in sorted(items, key=lambda i: -i.position)} | {
        "restore_items": [i for i in items if i.phase == "restore"]
    }


def ticks() -> list[tuple[int, object]]:
    return [(t.plan_item_id, t.day) for t in db.session.scalars(sa.select(ExerciseTick))]


def test_ticking_returns_the_row_marked_done(client, auth, plan, today):
    item = plan["restore"]
    response = client.post(
        f"/exercises/{item.id}/done", data={"csrf_token": auth.token(), "tick": "1:1"}, headers=HTMX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li class="exercise is-done" id="exercise-{item.id}">')
    assert 'aria-pressed="true"' in html
    assert 'name="tick" value="1:0"' in html  # the next tap takes it back
    assert ticks() == [(item.id, today)]


def test_tapping_again_undoes_it(client, auth, plan):
    item, token = plan["restore"], auth.token()
    client.post(f"/exercises/{item.id}/done", data={"csrf_token": token, "done": "1"}, headers=HTMX)
    response = client.post(
        f"/exercises/{item.id}/done", data={"csrf_token": token, "done": "0"}, headers=HTMX
    )
    assert 'aria-pressed="false"' in response.get_data(as_text=True)
    assert ticks() == []


def test_a_double_tap_leaves_one_tick(client, auth, plan):
    item, token = plan["restore"], auth.token()
    for _ in range(2):
        client.post(f"/exercises/{item.id}/done", data={"csrf_token": token, "done": "1"})
    assert len(ticks()) == 1


def test_without_javascript_the_tick_redirects_back_to_the_row(client, auth, plan):
    item = plan["restore"]
    response = client.post(f"/exercises/{item.id}/done", data={"csrf_token": auth.token(), "done": "1"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/today#exercise-{item.id}"
    assert "Done" in text_of(client.get("/today"))


def test_another_patients_exercise_is_not_found(client, auth, plan, today):
    _, other_treatment = patient_on_day(20, today)
    other_item = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == other_treatment.id)
    ).first()
    response = client.post(f"/exercises/{other_item.id}/done", data={"csrf_token": auth.token(), "done": "1"})
    assert response.status_code == 404
    assert ticks() == []


def test_an_exercise_from_another_phase_is_not_found(client, auth, plan):
    response = client.post(
        f"/exercises/{plan['strengthen'].id}/done", data={"csrf_token": auth.token(), "done": "1"}
    )
    assert response.status_code == 404


def test_a_removed_exercise_is_not_found(client, auth, plan):
    item = plan["restore"]
    item.removed_at = item.treatment.created_at + timedelta(seconds=1)
    db.session.commit()
    assert (
        client.post(f"/exercises/{item.id}/done", data={"csrf_token": auth.token(), "done": "1"}).status_code
        == 404
    )


@pytest.mark.parametrize("path", ["/exercises/abc/done", "/exercises/999999/done", "/exercises/-1/done"])
def test_a_tampered_id_is_not_found(client, auth, plan, path):
    assert client.post(path, data={"csrf_token": auth.token(), "done": "1"}).status_code == 404


@pytest.mark.parametrize("done", ["2", "yes", ""])
def test_an_unknown_action_is_a_bad_request(client, auth, plan, done):
    response = client.post(
        f"/exercises/{plan['restore'].id}/done", data={"csrf_token": auth.token(), "done": done}
    )
    assert response.status_code == 400
    assert ticks() == []


def test_ticking_needs_csrf(client, plan):
    assert client.post(f"/exercises/{plan['restore'].id}/done", data={"done": "1"}).status_code == 400
    assert ticks() == []


def test_today_shows_which_exercises_are_done(client, auth, plan):
    first, second = plan["restore_items"][:2]
    ticked = client.post(f"/exercises/{first.id}/done", data={"csrf_token": auth.token(), "done": "1"})
    assert ticked.status_code == 303, ticked.get_data(as_text=True)[:2000]  # back to Today
    html = client.get("/today").get_data(as_text=True)
    assert f'<li class="exercise is-done" id="exercise-{first.id}">' in html
    assert f'<li class="exercise " id="exercise-{second.id}">' in html


# --- Sessions a day and days a week ---------------------------------------------------------------


def set_dose(item, **dose) -> None:
    for name, value in dose.items():
        setattr(item, name, value)
    db.session.commit()


def test_an_exercise_done_twice_a_day_has_a_tick_for_each_time(client, auth, plan, today):
    item = plan["restore"]
    set_dose(item, times_per_day=2)
    html = client.get("/today").get_data(as_text=True)
    row = html[html.index(f'id="exercise-{item.id}"') :].split("</li>")[0]
    # One form for the row (one token), a button for each time that says what it sends.
    assert row.count("<form") == 1
    assert row.count('name="csrf_token"') == 1
    assert f'name="tick" value="1:1" class="exercise__session " id="tick-{item.id}-1"' in row
    assert f'name="tick" value="2:1" class="exercise__session " id="tick-{item.id}-2"' in row
    token = auth.token()
    first = client.post(
        f"/exercises/{item.id}/done", data={"csrf_token": token, "tick": "1:1"}, headers=HTMX
    ).get_data(as_text=True)
    assert 'class="exercise "' in first  # one of two: not done yet
    assert 'name="tick" value="1:0"' in first  # the next tap on time 1 takes it back
    second = client.post(
        f"/exercises/{item.id}/done", data={"csrf_token": token, "tick": "2:1"}, headers=HTMX
    ).get_data(as_text=True)
    assert 'class="exercise is-done"' in second
    assert sorted(t.session for t in db.session.scalars(sa.select(ExerciseTick))) == [1, 2]
    client.post(f"/exercises/{item.id}/done", data={"csrf_token": token, "tick": "1:0"}, headers=HTMX)
    assert sorted(t.session for t in db.session.scalars(sa.select(ExerciseTick))) == [2]
    # The fields a row done once a day sends still name a session.
    client.post(f"/exercises/{item.id}/done", data={"csrf_token": token, "done": "1", "session": "1"})
    assert sorted(t.session for t in db.session.scalars(sa.select(ExerciseTick))) == [1, 2]


@pytest.mark.parametrize(
    "fields",
    [
        {"done": "1", "session": "0"},
        {"done": "1", "session": "3"},
        {"done": "1", "session": "11"},
        {"done": "1", "session": "x"},
        {"tick": "3:1"},
        {"tick": "0:1"},
        {"tick": "1:2"},
        {"tick": "1"},
        {"tick": "x:1"},
        {"tick": ""},
        {},
    ],
)
def test_a_session_the_plan_does_not_have_is_refused(client, auth, plan, fields):
    item = plan["restore"]
    set_dose(item, times_per_day=2)
    response = client.post(f"/exercises/{item.id}/done", data={"csrf_token": auth.token(), **fields})
    assert response.status_code == 400
    assert ticks() == []


def test_an_exercise_not_due_today_is_listed_for_its_next_day_and_cannot_be_ticked(client, auth, plan, today):
    """The plan fixture is on day 20 after the injection: day 6 of its recovery week."""
    item = plan["restore"]
    set_dose(item, days_per_week=3)  # days 0, 2 and 5 of each week: not today
    html = client.get("/today").get_data(as_text=True)
    later = html[html.index(f'id="later-{item.id}"') :]
    next_day = today + timedelta(days=1)  # day 21: day 0 of the next week
    assert f"Next time: {next_day:%A}." in later[: later.index("</li>")]
    assert f'id="tick-{item.id}-1"' not in html
    assert "Not today" in html
    response = client.post(f"/exercises/{item.id}/done", data={"csrf_token": auth.token(), "done": "1"})
    assert response.status_code == 404
    assert ticks() == []
