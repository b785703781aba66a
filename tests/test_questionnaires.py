"""PEG, PSFS and PGIC on the patient's side: the one card on Today, each screen, saving and the
trends beside pain."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Role
from app.services.treatment.measures import load_history
from tests.conftest import QueryCounter, text_of
from tests.factories import make_answer as answer
from tests.factories import make_log, make_user, patient_on_day
from tests.helpers import HTMX

PEG = {"pain": "6", "enjoyment": "5", "activity": "7"}


@pytest.fixture
def patient_at(client, auth, today):
    def at(day, **kwargs):
        patient, treatment = patient_on_day(day, today, **kwargs)
        auth.login(patient.email)
        return patient, treatment

    return at


def cards(client) -> list[str]:
    html = client.get("/today").get_data(as_text=True)
    return re.findall(r'id="questionnaire-card-title">([^<]+)<', html)


def post(client, auth, kind, data, headers=None):
    return client.post(f"/check-in/{kind}", data={"csrf_token": auth.token(), **data}, headers=headers or {})


def responses(treatment) -> list[tuple[str, int, dict]]:
    history = load_history(treatment.id)
    return [(r.kind, r.week, r.values()) for r in history.responses]


# --- The card on Today -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "title"),
    [
        (-5, "Activities that are hard for you"),  # evaluation: PSFS before PEG
        (20, "Weekly check-in"),
        (40, "Weekly check-in"),  # this week's PEG is overdue (day 38), PSFS still only due
        (36, "Activities that are hard for you"),
        (80, "Activities that are hard for you"),
    ],
)
def test_today_shows_one_questionnaire_card(client, patient_at, day, title):
    patient_at(day)
    assert cards(client) == [title]


def test_the_card_moves_on_as_rounds_are_answered(client, patient_at, today):
    _patient, treatment = patient_at(37)
    answer(treatment, "psfs", 6, [("Sit", 4)], today)
    assert cards(client) == ["How has your back changed?"]
    answer(treatment, "pgic", 6, [("change", 2)], today)
    assert cards(client) == ["Weekly check-in"]
    answer(treatment, "peg", 6, [("pain", 4), ("enjoyment", 4), ("activity", 4)], today)
    assert cards(client) == []


def test_an_overdue_card_says_it_is_waiting(client, patient_at):
    patient_at(20)  # week 3 runs days 15-21; due until day 17
    assert "Waiting for you" in text_of(client.get("/today"))


def test_no_card_beside_an_urgent_message(client, patient_at, today):
    patient, _treatment = patient_at(20)
    make_log(patient, today, back_pain=5, leg_weakness=True)
    page = text_of(client.get("/today"))
    assert "Go to the emergency department now" in page
    assert cards(client) == []


def test_the_card_comes_after_the_daily_log(client, patient_at):
    patient_at(20)
    html = client.get("/today").get_data(as_text=True)
    assert html.index('id="daily-log"') < html.index('id="questionnaire-card-title"')


def test_no_card_without_a_treatment_or_before_visit_one(client, auth, today):
    auth.login(make_user().email)
    assert cards(client) == []


def test_today_query_count_does_not_grow_with_answers(client, patient_at, today):
    _patient, treatment = patient_at(90)
    answer(treatment, "peg", 0, [("pain", 5), ("enjoyment", 4), ("activity", 3)], today)
    with QueryCounter() as few:
        client.get("/today")
    for week in range(1, 13):
        answer(treatment, "peg", week, [("pain", 5), ("enjoyment", 4), ("activity", 3)], today)
        answer(treatment, "psfs", week, [("Sit", 4), ("Walk", 5)], today)
    with QueryCounter() as many:
        client.get("/today")
    assert few.count == many.count


# --- PEG ---------------------------------------------------------------------------------------------


def test_peg_is_saved_with_its_date_and_items(client, auth, patient_at, today):
    _patient, treatment = patient_at(20)
    response = post(client, auth, "peg", PEG)
    assert response.status_code == 303
    assert response.location.endswith("/today")
    assert responses(treatment) == [("peg", 3, {"pain": 6, "enjoyment": 5, "activity": 7})]
    assert load_history(treatment.id).responses[0].day == today
    page = text_of(client.get("/today"))
    assert "Your answers are saved" in page
    assert cards(client) == []


def test_the_peg_screen_shows_the_published_words(client, patient_at):
    patient_at(20)
    page = text_of(client.get("/check-in/peg"))
    assert (
        "What number best describes how, during the past week, pain has interfered with your "
        "enjoyment of life? 0 = Does not interfere 10 = Completely interferes"
    ) in page
    assert "general activity? 0 = Does not interfere 10 = Completely interferes" in page
    assert "average in the past week? 0 = No pain 10 = Pain as bad as you can imagine" in page
    assert "“Interfered” means got in the way." in page


def test_peg_with_a_missing_answer_comes_back_with_the_others_kept(client, auth, patient_at):
    _patient, treatment = patient_at(20)
    response = post(client, auth, "peg", {"pain": "6", "activity": "7"})
    assert response.status_code == 422
    assert "Choose a number from 0 to 10." in text_of(response, 422)
    assert 'value="6" checked' in response.get_data(as_text=True)
    assert responses(treatment) == []


def test_peg_by_htmx_answers_with_the_thanks_fragment(client, auth, patient_at):
    patient_at(20)
    response = post(client, auth, "peg", PEG, headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="card questionnaire" id="questionnaire"')
    assert "Your answers are saved" in html


def test_answering_a_round_again_replaces_it(client, auth, patient_at):
    _patient, treatment = patient_at(20)
    post(client, auth, "peg", PEG)
    page = client.get("/check-in/peg").get_data(as_text=True)
    assert 'value="6" checked' in page
    assert "You answered this on" in page
    post(client, auth, "peg", {"pain": "2", "enjoyment": "2", "activity": "2"})
    assert responses(treatment) == [("peg", 3, {"pain": 2, "enjoyment": 2, "activity": 2})]


@pytest.mark.parametrize("value", ["11", "-1", "x", "9" * 30, "\x00"])
def test_peg_refuses_values_off_the_scale(client, auth, patient_at, value):
    patient_at(20)
    assert post(client, auth, "peg", {**PEG, "pain": value}).status_code == 422


# --- PSFS --------------------------------------------------------------------------------------------


def test_psfs_at_evaluation_names_up_to_three_activities(client, auth, patient_at):
    _patient, treatment = patient_at(-5)
    page = text_of(client.get("/check-in/psfs"))
    assert "Activity 1" in page
    assert "Activity 3" in page
    assert "Activity 4" not in page
    data = {
        "name_0": "Sit through a movie",
        "new_rating_0": "3",
        "name_1": "Garden\x00 an hour",
        "new_rating_1": "2",
    }
    assert post(client, auth, "psfs", data).status_code == 303
    assert responses(treatment) == [("psfs", 0, {"Sit through a movie": 3, "Garden an hour": 2})]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Name at least one activity."),
        ({"name_0": "Sit"}, "Rate this activity from 0 to 10."),
        ({"new_rating_0": "4"}, "Name the activity you rated, or clear the rating."),
        (
            {"name_0": "Sit", "new_rating_0": "4", "name_1": "sit", "new_rating_1": "3"},
            "Each activity can be named only once.",
        ),
        (
            {"name_0": "x" * 81, "new_rating_0": "4"},
            "Keep the name to 80 characters or fewer. It has 81 now.",
        ),
    ],
)
def test_psfs_explains_what_is_missing(client, auth, patient_at, data, message):
    _patient, treatment = patient_at(-5)
    response = post(client, auth, "psfs", data)
    assert response.status_code == 422
    assert message in text_of(response, 422)
    assert responses(treatment) == []


def test_psfs_at_week_six_re_rates_the_same_activities_and_may_add_one(client, auth, patient_at, today):
    _patient, treatment = patient_at(40)
    answer(
        treatment,
        "psfs",
        0,
        [("Sit through a movie", 2), ("Lift my grandchild", 4)],
        today - timedelta(days=45),
    )
    page = text_of(client.get("/check-in/psfs"))
    assert "Rate how well you can do each of these activities today." in page
    assert "Sit through a movie" in page
    assert "Activity 3" in page
    assert "Activity 4" not in page
    assert post(client, auth, "psfs", {"rating_0": "5"}).status_code == 422  # every one re-rated
    data = {"rating_0": "5", "rating_1": "6", "name_0": "Garden", "new_rating_0": "1"}
    assert post(client, auth, "psfs", data).status_code == 303
    week_6 = responses(treatment)[1]
    assert week_6 == ("psfs", 6, {"Sit through a movie": 5, "Lift my grandchild": 6, "Garden": 1})
    trend = load_history(treatment.id).psfs
    assert (trend.change, trend.meaningful) == (2.5, True)  # the garden has no baseline


# --- PGIC and the schedule --------------------------------------------------------------------------


def test_pgic_at_week_six(client, auth, patient_at):
    _patient, treatment = patient_at(44)
    page = text_of(client.get("/check-in/pgic"))
    assert "Since the start of the study, my overall status is:" in page
    assert "Very much improved" in page
    assert "Minimally improved" in page
    assert "Very much worse" in page
    assert post(client, auth, "pgic", {"change": "2"}).status_code == 303
    assert responses(treatment) == [("pgic", 6, {"change": 2})]
    assert post(client, auth, "pgic", {"change": "8"}).status_code == 422


def test_a_questionnaire_that_is_not_open_sends_the_patient_home(client, auth, patient_at):
    _patient, treatment = patient_at(20)
    response = client.get("/check-in/pgic")
    assert response.status_code == 303
    assert "There is nothing to answer right now." in text_of(client.get("/today"))
    assert post(client, auth, "pgic", {"change": "1"}).status_code == 303
    assert responses(treatment) == []


def test_an_unknown_questionnaire_is_not_found(client, patient_at):
    patient_at(20)
    assert client.get("/check-in/odi").status_code == 404


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.ADMIN])
def test_staff_do_not_answer_questionnaires(client, auth, role):
    auth.login(make_user(role).email)
    assert client.get("/check-in/peg").status_code == 403


# --- Progress beside pain -------------------------------------------------------------------------


def test_progress_shows_peg_and_psfs_beside_pain_with_their_thresholds(client, patient_at, today):
    patient, treatment = patient_at(50)
    for offset in range(7):
        make_log(patient, today - timedelta(days=offset), back_pain=4)
    answer(treatment, "peg", 0, [("pain", 7), ("enjoyment", 6), ("activity", 5)], today - timedelta(days=55))
    answer(treatment, "peg", 8, [("pain", 4), ("enjoyment", 4), ("activity", 4)], today)
    answer(treatment, "psfs", 0, [("Sit", 2), ("Walk", 3)], today - timedelta(days=55))
    answer(treatment, "psfs", 6, [("Sit", 3), ("Walk", 3)], today - timedelta(days=10))
    answer(treatment, "pgic", 6, [("change", 2)], today - timedelta(days=10))
    page = text_of(client.get("/progress"))
    assert (
        "Back pain 0–10, lower is better Before 7 · now 4 3 points lower (43%) Meaningful (2 points or 30 % lower)"
        in page
    )
    assert (
        "Pain and daily life 0–10, lower is better Before 6 · now 4 2 points lower (33%) Meaningful (30 % lower)"
        in page
    )
    assert (
        "Activities you named 0–10, higher is better Before 2.5 · now 3 0.5 points higher Not yet meaningful (2 points higher)"
        in page
    )
    assert "Overall change you reported Week 6: Much improved" in page
    assert "(PEG)" not in page  # no instrument acronyms on patient pages
    assert "PSFS" not in page


def test_no_trends_before_any_answer(client, patient_at):
    patient_at(20)
    assert "Pain and daily life" not in text_of(client.get("/today"))


def test_the_database_keeps_one_answer_per_round(app, today):
    _patient, treatment = patient_on_day(20, today)
    answer(treatment, "peg", 3, [("pain", 1)], today)
    with pytest.raises(sa.exc.IntegrityError):
        answer(treatment, "peg", 3, [("pain", 2)], today)
    db.session.rollback()
