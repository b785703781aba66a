"""The exercise timer on a row of Today: planned from the dose (holds and reps, or minutes; none
for reps alone), drawn into the row with every word it will say as catalogue text in the
reader's language, and kept by the service worker with the rest of the app shell."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
import sqlalchemy as sa

from app.care import content
from app.care.content import Dose
from app.care.timer import GET_READY_SECONDS, REST_SECONDS, TimerPlan, timer_plan
from app.extensions import db
from app.models import PlanItem
from app.web.assets import SHELL_FILES
from tests.factories import patient_on_day
from tests.helpers import HTMX
from tests.test_languages import catalogues, signed_off_by_physician  # noqa: F401 (a fixture)
from tests.test_spanish_pages import english_words

ROW = re.compile(r'<li class="exercise[^"]*" id="exercise-(\d+)">(.*?)</details>\s*</li>', re.S)
TIMER = re.compile(r'<div class="timer(?: timer--strip)?"[^>]*data-timer[^>]*>')
PARTS = re.compile(r'<template id="timer-parts" data-words="([^"]*)">(.*?)</template>', re.S)


@pytest.mark.parametrize(
    ("dose", "plan"),
    [
        (Dose(reps=10, hold_seconds=10, times_per_day=2), TimerPlan(1, 10, 10, 0)),
        (Dose(sets=2, reps=10, hold_seconds=5), TimerPlan(2, 10, 5, 0)),
        (Dose(sets=3, hold_seconds=10, cue="Each side."), TimerPlan(1, 3, 10, 0)),  # "3 times · hold 10 s"
        (Dose(hold_seconds=20), TimerPlan(1, 1, 20, 0)),
        (Dose(minutes=10, times_per_day=2), TimerPlan(1, 1, 0, 10)),
    ],
)
def test_a_dose_with_a_hold_or_minutes_has_a_timer_that_counts_as_the_dose_reads(dose, plan):
    assert timer_plan(dose) == plan
    assert plan.rest_seconds == REST_SECONDS
    assert plan.ready_seconds == GET_READY_SECONDS


@pytest.mark.parametrize(
    "dose", [Dose(sets=2, reps=10, cue="Each side."), Dose(reps=8), Dose(cue="Every 30 minutes of sitting.")]
)
def test_a_dose_of_reps_alone_has_no_timer(dose):
    assert timer_plan(dose) is None


def rows_of(html: str) -> dict[int, str]:
    return {int(item_id): body for item_id, body in ROW.findall(html)}


def timer_of(row: str) -> dict:
    tag = TIMER.search(row)
    assert tag, row[:300]
    attributes = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', tag.group(0)))
    return {name: unescape(value) for name, value in attributes.items()}


def parts_of(html: str) -> tuple[dict, str]:
    """The timer's shared words and controls: once on the page, whatever the number of timers."""
    assert len(PARTS.findall(html)) == 1
    found = PARTS.search(html)
    assert found
    return json.loads(unescape(found.group(1))), found.group(2)


def words_of(html: str, item_id: int) -> dict:
    """What the script reads for a row's timer: the shared words, then the row's own."""
    return parts_of(html)[0] | json.loads(timer_of(rows_of(html)[item_id])["data-words"])


def restore_items(treatment) -> list[PlanItem]:
    query = sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    return list(db.session.scalars(query))


def test_today_shows_the_timer_on_a_hold_or_minutes_row_and_not_on_a_reps_row(client, auth, today):
    patient, treatment = patient_on_day(20, today)  # restore: holds, walking and reps-only rows
    auth.login(patient.email)
    html = client.get("/today").get_data(as_text=True)
    rows = rows_of(html)
    items = restore_items(treatment)
    timed = [item for item in items if item.hold_seconds or item.minutes]
    untimed = [item for item in items if not (item.hold_seconds or item.minutes)]
    assert timed
    assert untimed
    assert any(item.hold_seconds for item in timed)
    assert any(item.minutes for item in timed)
    for item in untimed:
        assert "data-timer" not in rows[item.id], item.exercise.slug
    for item in timed:
        timer = timer_of(rows[item.id])
        assert "hidden" in TIMER.search(rows[item.id]).group(0)  # until the script runs
        plan = timer_plan(item.dose)
        assert (int(timer["data-sets"]), int(timer["data-reps"])) == (plan.sets, plan.reps)
        assert (int(timer["data-hold"]), int(timer["data-minutes"])) == (plan.hold_seconds, plan.minutes)
        assert '<button type="button"' not in rows[item.id]  # start and the rest come from the parts
        assert "data-timer-run" not in rows[item.id]
    # The controls once on the page, for the script to copy into each timer as it wakes.
    _, controls = parts_of(html)
    assert 'aria-live="polite"' in controls
    assert controls.count('<button type="button"') == 5  # start, pause, stop, next set, tick
    assert f"<span data-timer-label>{content.TIMER_START}</span>" in controls
    for part in (
        "start",
        "run",
        "phase",
        "count",
        "fill",
        "where",
        "pause",
        "stop",
        "said",
        "end",
        "next",
        "tick",
    ):
        assert f"data-timer-{part}" in controls, part
    assert controls.count("data-timer-name") == 2  # start and tick say which exercise to a screen reader


def test_a_page_without_exercises_has_no_timer_parts(client, auth, today):
    patient, _ = patient_on_day(-10, today)  # evaluation: no exercise due yet
    auth.login(patient.email)
    response = client.get("/today")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert content.NO_EXERCISES_YET.split("{")[0][:20] in unescape(html)
    assert "data-timer" not in html
    assert 'id="timer-parts"' not in html


def test_the_timers_words_are_the_catalogues_with_the_totals_filled(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    item = next(item for item in restore_items(treatment) if item.hold_seconds)
    item.sets, item.reps, item.hold_seconds = 2, 6, 10
    db.session.commit()
    html = client.get("/today").get_data(as_text=True)
    assert json.loads(timer_of(rows_of(html)[item.id])["data-words"]) == {
        "rep": "Rep {rep} of 6",
        "set": "Set {set} of 2",
    }  # the row carries only its totals
    words = words_of(html, item.id)
    assert words["hold"] == content.TIMER_HOLD
    assert words["relax"] == content.TIMER_RELAX
    assert words["rep"] == "Rep {rep} of 6"
    assert words["set"] == "Set {set} of 2"
    assert words["rep_done"] == content.TIMER_REP_DONE
    assert words["set_done"] == content.TIMER_SET_DONE
    assert words["all_done"] == content.TIMER_ALL_DONE
    assert words["pause"] == content.TIMER_PAUSE
    assert words["go_on"] == content.TIMER_GO_ON
    walking = next(item for item in restore_items(treatment) if item.minutes)
    assert json.loads(timer_of(rows_of(html)[walking.id])["data-words"]) == {
        "runs_for": f"The timer runs for {walking.minutes} minutes."
    }
    words = words_of(html, walking.id)
    assert words["time_up"] == content.TIMER_TIME_UP


def test_the_row_htmx_returns_after_a_tick_keeps_its_timer(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    item = next(item for item in restore_items(treatment) if item.hold_seconds)
    fragment = client.post(
        f"/exercises/{item.id}/done",
        data={"csrf_token": auth.token(), "done": "1", "session": "1"},
        headers=HTMX,
    ).get_data(as_text=True)
    assert timer_of(fragment)["data-reps"] == str(timer_plan(item.dose).reps)


def test_a_spanish_reader_gets_the_timers_words_in_spanish(client, auth, app, today, catalogues):  # noqa: F811
    signed_off_by_physician(app)
    patient, treatment = patient_on_day(20, today)
    patient.language = "es"
    db.session.commit()
    auth.login(patient.email)
    html = client.get("/today").get_data(as_text=True)
    item = next(item for item in restore_items(treatment) if item.hold_seconds)
    words = words_of(html, item.id)
    assert words["pause"] == "Pausa"
    assert words["rep"] == f"Repetición {{rep}} de {timer_plan(item.dose).reps}"
    assert words["hold"] == "Sostenga. Siga respirando."
    assert english_words(" ".join(words.values())) == []
    assert all(word not in words.values() for word in (content.TIMER_HOLD, content.TIMER_ALL_DONE))
    _, controls = parts_of(html)
    assert "Empezar a contar" in controls  # the start button, copied into each timer
    assert english_words(re.sub(r"<[^>]+>", " ", controls)) == []
    walking = next(item for item in restore_items(treatment) if item.minutes)
    words = words_of(html, walking.id)
    assert words["runs_for"] == f"El temporizador cuenta {walking.minutes} minutos."


def test_the_script_is_on_every_page_and_in_the_offline_shell(client):
    assert "js/exercise-timer.js" in SHELL_FILES
    html = client.get("/sign-in").get_data(as_text=True)
    assert re.search(r'<script src="/static/js/exercise-timer.js\?v=[0-9a-f]{12}" defer></script>', html)
    shell = json.loads(
        re.search(r"var SHELL = (\[.*?\]);", client.get("/sw.js").get_data(as_text=True)).group(1)
    )
    assert any(url.startswith("/static/js/exercise-timer.js?v=") for url in shell)
