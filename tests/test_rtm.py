"""Remote therapeutic monitoring: the time log and set-up on the record, the periods and codes,
the month report and its CSV, each role's scope, and the demo clinic checked by hand."""

import csv
import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.care.rtm import month_bounds
from app.demo.clinic import build_demo_clinic
from app.extensions import db
from app.models import (
    DailyLog,
    ExerciseTick,
    PlanItem,
    QuestionnaireResponse,
    Role,
    RtmSetup,
    TimeLogEntry,
    Treatment,
    User,
)
from tests.conftest import QueryCounter, text_of
from tests.factories import make_log, make_treatment, make_user
from tests.helpers import HTMX, actions


@pytest.fixture
def sam(auth):
    therapist = make_user(Role.THERAPIST, name="Sam Patel")
    auth.login(therapist.email)
    return therapist


def my_patient(therapist, today, day=20, name=None, consent=True):
    """A patient of `therapist`, who consented to remote monitoring at Visit 1 (unless not)."""
    patient = make_user(Role.PATIENT, name=name)
    treatment = make_treatment(patient, today - timedelta(days=day), therapist=therapist)
    if consent:
        treatment.rtm_consent_on = treatment.evaluation_date
        treatment.rtm_consent_how = "in_person"
        treatment.rtm_consent_by_id = therapist.id
        db.session.commit()
    return patient, treatment


def log_time(client, auth, patient, headers=None, **fields):
    data = {"csrf_token": auth.token(), "day": fields.pop("day", ""), "minutes": "15", "what": "Phone call"}
    data.update({k: str(v) for k, v in fields.items()})
    return client.post(f"/therapist/patients/{patient.id}/time-log", data=data, headers=headers or {})


def entries(patient) -> list[tuple[date, int, str, bool]]:
    return [
        (e.day, e.minutes, e.what, e.interactive)
        for e in db.session.scalars(sa.select(TimeLogEntry).where(TimeLogEntry.patient_id == patient.id))
    ]


# --- The time log ----------------------------------------------------------------------------------


def test_a_therapist_logs_time_on_the_record(client, auth, sam, today):
    patient, _ = my_patient(sam, today)
    response = log_time(
        client, auth, patient, day=today.isoformat(), minutes=25, what="Video visit", interactive="y"
    )
    assert response.status_code == 303
    assert response.location.endswith(f"/therapist/patients/{patient.id}#rtm")
    assert entries(patient) == [(today, 25, "Video visit", True)]
    assert "time_log_add" in actions()
    page = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "25 min · live call or video: yes · supports: 98980" in page
    assert "Video visit" in page
    assert "Sam Patel" in page


def test_time_by_htmx_swaps_the_monitoring_region(client, auth, sam, today):
    patient, _ = my_patient(sam, today)
    response = log_time(client, auth, patient, headers=HTMX, day=today.isoformat(), minutes=12)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section class="card" id="rtm"')
    # 2026: 98979 (10-19 minutes) needs a real-time interaction in the month, like 98980.
    assert (
        "12 min · live call or video: no · supports: none yet · 98979 needs a live call or video visit"
        in text_of(response)
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"minutes": "0"}, "Enter a number from 1 to 240."),
        ({"minutes": "241"}, "Enter a number from 1 to 240."),
        ({"minutes": "ten"}, "Enter a whole number, like 10."),
        ({"minutes": "9" * 40}, "Enter a number from 1 to 240."),
        ({"what": ""}, "Say what was done"),
        ({"what": "x" * 201}, "Keep it to 200 characters."),
        ({"day": "2026-02-30"}, "Enter a real date"),
        ({"day": "FUTURE"}, "The date cannot be in the future."),
        ({"day": "BEFORE"}, "The date cannot be before Visit 1"),
    ],
)
def test_the_time_log_explains_what_is_wrong(client, auth, sam, today, fields, message):
    patient, treatment = my_patient(sam, today)
    replace = {"FUTURE": today + timedelta(days=1), "BEFORE": treatment.evaluation_date - timedelta(days=1)}
    fields = {k: replace.get(v, v) for k, v in fields.items()}
    response = log_time(client, auth, patient, **{"day": today.isoformat(), **fields})
    assert response.status_code == 422
    assert message in text_of(response, 422)
    assert entries(patient) == []


def test_control_characters_never_reach_the_database(client, auth, sam, today):
    patient, _ = my_patient(sam, today)
    response = log_time(client, auth, patient, day=today.isoformat(), what="Call\x00 with\tpatient")
    assert response.status_code == 303
    assert entries(patient)[0][2] == "Call with patient"


def test_another_therapists_patient_is_not_found(client, auth, sam, today):
    other, _ = my_patient(make_user(Role.THERAPIST), today)
    assert log_time(client, auth, other, day=today.isoformat()).status_code == 404
    for path in (f"/therapist/patients/{other.id}/rtm-setup", f"/therapist/patients/{10**12}/time-log"):
        assert (
            client.post(path, data={"csrf_token": auth.token(), "day": today.isoformat()}).status_code == 404
        )
    assert entries(other) == []


def test_an_admin_may_log_time_and_a_patient_may_not(client, auth, today):
    patient, _ = my_patient(make_user(Role.THERAPIST), today)
    auth.login(make_user(Role.ADMIN).email)
    assert log_time(client, auth, patient, day=today.isoformat()).status_code == 303
    auth.logout()
    auth.login(patient.email)
    assert log_time(client, auth, patient, day=today.isoformat()).status_code == 403


def test_set_up_is_recorded_once_per_episode(client, auth, sam, today):
    patient, treatment = my_patient(sam, today)
    url = f"/therapist/patients/{patient.id}/rtm-setup"
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = client.post(url, data={"csrf_token": auth.token(), "day": tomorrow})
    assert response.status_code == 422
    assert "The date cannot be in the future." in text_of(response, 422)
    assert client.post(url, data={"csrf_token": auth.token(), "day": today.isoformat()}).status_code == 303
    assert client.post(url, data={"csrf_token": auth.token(), "day": today.isoformat()}).status_code == 303
    setups = db.session.scalars(sa.select(RtmSetup).where(RtmSetup.treatment_id == treatment.id)).all()
    assert len(setups) == 1
    assert actions().count("rtm_setup") == 1
    page = text_of(client.get(f"/therapist/patients/{patient.id}"))
    # 2026: the set-up is reported once a 30-day period has 2 days of data; none yet.
    assert f"Recorded for {today:%a}, {today:%b} {today.day} by Sam Patel (not reported yet)." in page
    assert "98975: needs a 30-day period with at least 2 days of data" in page


def test_the_record_counts_days_with_data_per_period(client, auth, sam, today):
    patient, treatment = my_patient(sam, today, day=40)
    first = treatment.evaluation_date
    for offset in range(0, 32, 2):  # 16 logs in the first 30 days, then one in the second period
        make_log(patient, first + timedelta(days=offset))
    page = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "15/30 98985" in page  # days 0..28 of period 1: 15 logs
    assert "1/30 none (under 2 days)" in page  # day 30 begins period 2


def test_questionnaires_and_ticks_count_as_days_with_data(client, auth, sam, today):
    patient, treatment = my_patient(sam, today, day=10)
    item = db.session.scalar(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "protect")
    )
    db.session.add(ExerciseTick(plan_item_id=item.id, day=today - timedelta(days=2)))
    db.session.add(
        QuestionnaireResponse(
            patient_id=patient.id,
            treatment_id=treatment.id,
            kind="peg",
            week=0,
            day=treatment.evaluation_date,
        )
    )
    make_log(patient, today - timedelta(days=2))  # same day as the tick: counted once
    db.session.commit()
    assert "2/30 98985" in text_of(client.get(f"/therapist/patients/{patient.id}"))


# --- The month report ------------------------------------------------------------------------------


@pytest.fixture
def month_clinic(app, today):
    sam = make_user(Role.THERAPIST, name="Sam Patel", email="sam@example.com")
    jo = make_user(Role.THERAPIST, name="Jo Lee", email="jo@example.com")
    mine, treatment = my_patient(sam, today, day=40, name="=HYPERLINK(evil)")
    first, _ = month_bounds(today.year, today.month)
    for minutes, interactive in ((25, True), (20, False)):
        db.session.add(
            TimeLogEntry(
                patient_id=mine.id,
                treatment_id=treatment.id,
                staff_id=sam.id,
                day=first,
                minutes=minutes,
                what="Review",
                interactive=interactive,
            )
        )
    theirs, other_treatment = my_patient(jo, today, day=40, name="Olive Other")
    db.session.add(
        TimeLogEntry(
            patient_id=theirs.id,
            treatment_id=other_treatment.id,
            staff_id=jo.id,
            day=first,
            minutes=30,
            what="Review",
            interactive=False,
        )
    )
    db.session.commit()
    return sam, jo


def test_the_month_report_per_role(client, auth, month_clinic):
    sam, jo = month_clinic
    auth.login(sam.email)
    page = text_of(client.get("/therapist/rtm"))
    assert "=HYPERLINK(evil)" in page
    assert "Olive Other" not in page
    assert "45 yes Sam Patel 98980, 98981" in page
    auth.logout()
    auth.login(jo.email)
    page = text_of(client.get("/therapist/rtm"))
    assert "Olive Other" in page
    assert "30 no Jo Lee none 98980: needs a live call or video visit in the month" in page
    auth.logout()
    auth.login(make_user(Role.ADMIN).email)
    page = text_of(client.get("/therapist/rtm"))
    assert "Olive Other" in page
    assert "=HYPERLINK(evil)" in page
    assert "Whole clinic · 2 patients" in page
    assert "view_rtm_report" in actions()  # it names patients: every look is on the record


def test_the_csv_is_formula_safe_and_audited(client, auth, month_clinic, today):
    auth.login(month_clinic[0].email)
    response = client.get(f"/therapist/rtm.csv?month={today:%Y-%m}")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:4] == ["patient", "email", "episode start (first day of data)", "monitoring period"]
    assert rows[1][0] == "'=HYPERLINK(evil)"
    assert rows[1][7:10] == ["45", "yes", "98980, 98981"]
    assert "rtm_report_export" in actions()


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "26-01", "99999-01", "abc", "2026-1", "1999-12"])
def test_a_month_that_cannot_be_is_not_found(client, auth, month_clinic, month):
    auth.login(month_clinic[0].email)
    assert client.get(f"/therapist/rtm?month={month}").status_code == 404
    assert client.get(f"/therapist/rtm.csv?month={month}").status_code == 404


def test_an_earlier_month_has_nothing_from_this_one(client, auth, month_clinic, today):
    auth.login(month_clinic[0].email)
    first, _ = month_bounds(today.year, today.month)
    earlier = first - timedelta(days=70)
    assert "Nothing to report for this month." in text_of(client.get(f"/therapist/rtm?month={earlier:%Y-%m}"))


def test_patients_do_not_see_the_report(client, auth):
    auth.login(make_user(Role.PATIENT).email)
    assert client.get("/therapist/rtm").status_code == 403
    assert client.get("/therapist/rtm.csv").status_code == 403


def test_the_reports_statement_count_does_not_grow(client, auth, today):
    sam = make_user(Role.THERAPIST)
    auth.login(make_user(Role.ADMIN).email)

    def add_patients(count):
        for _ in range(count):
            patient, treatment = my_patient(sam, today, day=45)
            make_log(patient, today - timedelta(days=1))
            db.session.add(
                TimeLogEntry(
                    patient_id=patient.id,
                    treatment_id=treatment.id,
                    staff_id=sam.id,
                    day=today,
                    minutes=12,
                    what="Review",
                )
            )
        db.session.commit()

    add_patients(2)
    with QueryCounter() as few:
        client.get("/therapist/rtm")
    add_patients(20)
    with QueryCounter() as many:
        client.get("/therapist/rtm")
    assert few.count == many.count


# --- The demo clinic, checked by hand -----------------------------------------------------------------


def data_days(treatment: Treatment) -> set[date]:
    """Days with data worked out without the app's query: logs from Visit 1, ticks, answers."""
    logs = db.session.scalars(
        sa.select(DailyLog.day).where(
            DailyLog.patient_id == treatment.patient_id, DailyLog.day >= treatment.evaluation_date
        )
    )
    ticks = db.session.scalars(
        sa.select(ExerciseTick.day).join(PlanItem).where(PlanItem.treatment_id == treatment.id)
    )
    answers = db.session.scalars(
        sa.select(QuestionnaireResponse.day).where(QuestionnaireResponse.treatment_id == treatment.id)
    )
    return {*logs, *ticks, *answers}


def test_the_demo_clinics_month_report_by_hand(client, auth, today):
    build_demo_clinic(today)
    auth.login("admin@example.com", "backtrack-demo")
    page = text_of(client.get("/therapist/rtm"))
    # Minutes from the demo time log: Maria 10 + 15 with a call, Robert 20 (video) + 25, Aisha 12,
    # Daniel 30 without a call, Tom 8.
    assert "25 yes Sam Patel" in page
    assert "45 yes Sam Patel" in page
    assert "12 no Sam Patel" in page
    assert "30 no Jordan Lee" in page
    assert "8 no Sam Patel" in page
    assert "98979: needs a live call or video visit in the month" in page  # Aisha, 12 minutes
    assert "every code: no consent to remote monitoring recorded" in page  # Daniel
    maria = db.session.scalar(
        sa.select(Treatment)
        .join(User, Treatment.patient_id == User.id)
        .where(User.email == "patient@example.com")
    )
    days = sorted(data_days(maria))
    first = days[0]
    # Maria's first period started on her first day of data and holds today (day 20 of the protocol).
    in_period = [d for d in days if first <= d <= first + timedelta(days=29)]
    expected = "98977" if len(in_period) >= 16 else "98985"
    row = page[page.index("Maria Alvarez") : page.index("Maria Alvarez") + 200]
    assert f" {len(in_period)} " in row
    assert f"{expected}, 98980" in row


def test_the_dashboard_counts_questionnaire_days_as_days_with_data(client, auth, sam, today):
    patient, treatment = my_patient(sam, today, day=10)
    make_log(patient, today - timedelta(days=1))
    with QueryCounter() as before:
        assert "0% 1 of 16" in text_of(client.get("/therapist/"))
    for week in (0, 1):
        db.session.add(
            QuestionnaireResponse(
                patient_id=patient.id,
                treatment_id=treatment.id,
                kind="peg",
                week=week,
                day=today - timedelta(days=3 + week),
            )
        )
    db.session.commit()
    with QueryCounter() as after:
        assert "0% 3 of 16" in text_of(client.get("/therapist/"))
    assert before.count == after.count


def test_the_month_report_comes_in_pages_and_the_csv_holds_every_row(
    client, auth, month_clinic, today, monkeypatch
):
    """A clinic group's month has thousands of rows: the page shows a page of them, the CSV all."""
    monkeypatch.setattr("app.therapist.routes.RTM_PAGE_SIZE", 1)
    auth.login(make_user(Role.ADMIN).email)
    first = text_of(client.get(f"/therapist/rtm?month={today:%Y-%m}"))
    second = text_of(client.get(f"/therapist/rtm?month={today:%Y-%m}&page=2"))
    assert "Whole clinic · 2 patients" in first
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in second
    assert ("Olive Other" in first) != ("Olive Other" in second)
    assert ("=HYPERLINK(evil)" in first) != ("=HYPERLINK(evil)" in second)
    past_the_end = text_of(client.get(f"/therapist/rtm?month={today:%Y-%m}&page=7"))
    assert "Page 2 of 2" in past_the_end
    assert "Whole clinic · 2 patients" in past_the_end
    assert client.get(f"/therapist/rtm?month={today:%Y-%m}&page=99999999").status_code == 404
    rows = list(
        csv.reader(io.StringIO(client.get(f"/therapist/rtm.csv?month={today:%Y-%m}").get_data(as_text=True)))
    )
    assert len(rows) == 3  # the header and both patients


def test_a_whole_clinics_month_is_counted_no_further_than_the_cap(
    client, auth, month_clinic, today, monkeypatch
):
    """Counting every row of a clinic group's month took longer the larger the clinic: the page
    reads its rows in name order and counts up to the cap (app/database.py COUNT_CAP), the rest is
    in the CSV."""
    monkeypatch.setattr("app.therapist.routes.RTM_PAGE_SIZE", 1)
    monkeypatch.setattr("app.database.COUNT_CAP", 1)
    monkeypatch.setattr("app.web.listing.COUNT_CAP", 1)
    auth.login(make_user(Role.ADMIN).email)
    first = text_of(client.get(f"/therapist/rtm?month={today:%Y-%m}"))
    assert "More than 1 patients with something to report (every one is in the CSV)" in first
    assert "Page 1" in first
    assert "Page 1 of" not in first
    second = client.get(f"/therapist/rtm?month={today:%Y-%m}&page=2")
    assert "Page 2" in text_of(second)
    assert 'rel="next"' not in second.get_data(as_text=True)  # the last row: no page after it
    assert ("Olive Other" in first) != ("Olive Other" in text_of(second))


# --- Consent, and codes held back with their reason --------------------------------------------------


def test_consent_is_recorded_once_with_the_day_how_and_by_whom(client, auth, sam, today):
    patient, treatment = my_patient(sam, today, consent=False)
    url = f"/therapist/patients/{patient.id}/rtm-consent"
    page = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "Not recorded. No code is reported until it is" in page
    tomorrow = (today + timedelta(days=1)).isoformat()
    future = client.post(url, data={"csrf_token": auth.token(), "day": tomorrow, "how": "phone"})
    assert future.status_code == 422
    assert "The date cannot be in the future." in text_of(future, 422)
    unknown = client.post(
        url, data={"csrf_token": auth.token(), "day": today.isoformat(), "how": "telepathy"}
    )
    assert unknown.status_code == 422
    assert "Choose how the patient consented." in text_of(unknown, 422)
    assert client.post(url, data={"day": today.isoformat(), "how": "phone"}).status_code == 400  # no CSRF
    saved = client.post(url, data={"csrf_token": auth.token(), "day": today.isoformat(), "how": "phone"})
    assert saved.status_code == 303
    again = client.post(url, data={"csrf_token": auth.token(), "day": today.isoformat(), "how": "video"})
    assert again.status_code == 303
    treatment = db.session.get(Treatment, treatment.id)
    assert (treatment.rtm_consent_on, treatment.rtm_consent_how, treatment.rtm_consent_by_id) == (
        today,
        "phone",
        sam.id,
    )
    assert actions().count("rtm_consent") == 1
    assert "(by phone), recorded by Sam Patel" in text_of(client.get(f"/therapist/patients/{patient.id}"))


def test_no_code_is_reported_before_consent_and_the_report_says_why(client, auth, sam, today):
    patient, treatment = my_patient(sam, today, day=40, consent=False)
    for offset in range(0, 30):
        make_log(patient, treatment.evaluation_date + timedelta(days=offset))
    first, _ = month_bounds(today.year, today.month)
    db.session.add(
        TimeLogEntry(
            patient_id=patient.id,
            treatment_id=treatment.id,
            staff_id=sam.id,
            day=first,
            minutes=25,
            what="Video visit",
            interactive=True,
        )
    )
    db.session.commit()
    record = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "supports: none (no consent)" in record
    assert "every code: no consent to remote monitoring recorded" in record
    rows = list(
        csv.reader(io.StringIO(client.get(f"/therapist/rtm.csv?month={today:%Y-%m}").get_data(as_text=True)))
    )
    assert rows[1][9] == ""  # no management code
    assert rows[1][10] == "every code: no consent to remote monitoring recorded"
    assert rows[1][12] == ""  # no code at all


def test_data_and_time_before_the_consent_do_not_count(client, auth, sam, today):
    patient, treatment = my_patient(sam, today, day=40, consent=False)
    for offset in range(0, 20):  # 20 days of data before the consent, then 3 after it
        make_log(patient, today - timedelta(days=25 - offset))
    consent_day = today - timedelta(days=3)
    for offset in range(3):
        make_log(patient, consent_day + timedelta(days=offset))
    treatment.rtm_consent_on = consent_day
    treatment.rtm_consent_how = "in_person"
    treatment.rtm_consent_by_id = sam.id
    db.session.commit()
    record = text_of(client.get(f"/therapist/patients/{patient.id}"))
    assert "3/30 98985" in record  # not 98977 from the days before the consent


def test_a_past_months_report_lists_exactly_the_patients_with_days_in_it(client, auth, sam, today):
    """The report finds its patients from each treatment's first and last day of data: a patient
    with days before and after the month but none in it (nor in the 29 days before it) has nothing
    to report; with a day in it, or only in the 29 days before it, they do."""
    first, _last = month_bounds(today.year, today.month)
    month_first, month_last = month_bounds(
        (first - timedelta(days=40)).year, (first - timedelta(days=40)).month
    )
    around = [month_first - timedelta(days=40), month_last + timedelta(days=5)]
    for name, days in (
        ("Around Only", around),
        ("In The Month", [*around, month_first + timedelta(days=10)]),
        ("Just Before", [month_first - timedelta(days=10)]),
    ):
        patient, _treatment = my_patient(sam, today, day=150, name=name)
        for day in days:
            make_log(patient, day)
    page = text_of(client.get(f"/therapist/rtm?month={month_first:%Y-%m}"))
    assert "2 patients with something to report" in page
    assert "In The Month" in page
    assert "Just Before" in page
    assert "Around Only" not in page
    # The month in progress: the two who logged in the 29 days before it.
    current = text_of(client.get("/therapist/rtm"))
    assert "2 patients with something to report" in current
    assert "Around Only" in current
    assert "Just Before" not in current
