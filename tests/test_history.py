"""The patient's history: own entries only, newest first, paginated, yesterday editable."""

from datetime import timedelta

from tests.conftest import QueryCounter, text_of
from tests.factories import make_log, make_user


def test_history_lists_own_entries_newest_first(client, auth, today):
    patient, other = make_user(), make_user()
    make_log(patient, today - timedelta(days=3), back_pain=6, note="Old entry")
    make_log(patient, today, back_pain=2, note="New entry")
    make_log(other, today, back_pain=9, note="Someone else's entry")
    auth.login(patient.email)
    page = text_of(client.get("/history"))
    assert page.index("New entry") < page.index("Old entry")
    assert "Someone else's entry" not in page


def test_history_is_paginated(client, auth, app, today):
    patient = make_user()
    for offset in range(20):
        make_log(patient, today - timedelta(days=offset), note=f"entry {offset:02d}")
    auth.login(patient.email)
    first = text_of(client.get("/history"))
    second = text_of(client.get("/history?page=2"))
    assert "entry 00" in first
    assert "entry 13" in first
    assert "entry 14" not in first
    assert "entry 14" in second
    assert "entry 19" in second
    assert "Page 2 of 2" in second
    assert client.get("/history?page=99").status_code == 200
    assert client.get("/history?page=abc").status_code == 200


def test_only_today_and_yesterday_offer_a_change_link(client, auth, today):
    patient = make_user()
    for offset in range(3):
        make_log(patient, today - timedelta(days=offset))
    auth.login(patient.email)
    html = client.get("/history").get_data(as_text=True)
    assert f'href="/log/{today}/edit"' in html
    assert f'href="/log/{today - timedelta(days=1)}/edit"' in html
    assert f'href="/log/{today - timedelta(days=2)}/edit"' not in html


def test_empty_history_points_to_the_log(client, auth):
    auth.login(make_user().email)
    assert "No entries yet." in text_of(client.get("/history"))


def test_history_query_count_does_not_grow(client, auth, today):
    patient = make_user()
    auth.login(patient.email)
    make_log(patient, today)
    with QueryCounter() as few:
        client.get("/history")
    for offset in range(1, 40):
        make_log(patient, today - timedelta(days=offset))
    with QueryCounter() as many:
        client.get("/history")
    assert few.count == many.count
