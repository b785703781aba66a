"""The outcome figures the writes keep (app/models/summaries.py) and the outcomes page's SQL that
counts and ranks them (app/services/pages/outcomes.py): the same, to the last digit, as the rule
worked out course by course in Python (app.care.outcomes), on either database."""

import random
from datetime import timedelta
from fractions import Fraction

import pytest
import sqlalchemy as sa

from app.care.content import CONDITIONS
from app.care.measures import Round, nearest, percent_reduction
from app.extensions import db
from app.models import DailyLog, QuestionnaireItem, Role, Treatment, TreatmentSummary
from app.services import summaries
from app.services.pages.outcomes import clinic_outcomes, outcome_differences, reference_outcomes
from app.services.summaries import sql
from app.services.treatment.measures import save_answers
from tests.conftest import text_of
from tests.factories import make_answer, make_log, make_treatment, make_user


def test_nearest_rounds_half_to_even_exactly():
    pairs = [(n, d) for n in range(-250, 251) for d in (1, 2, 3, 4, 6, 7, 8, 20, 35, 60)]
    assert all(nearest(n, d) == round(Fraction(n, d)) for n, d in pairs)
    # A float rounds 0.15 down (it is stored a hair below); the exact rule does not.
    assert (round(3 / 20, 1), nearest(30, 20) / 10) == (0.1, 0.2)
    assert percent_reduction(6, 4.2) == 30.0  # 1.8 of 6, not 29.999...


def test_the_databases_rounding_is_the_apps(app):
    """Every numerator from -250 to 250 over the denominators the figures divide by, in one
    statement: the SQL `nearest` gives the Python one's answer (a floor, not a cut toward zero,
    for a negative numerator; a tie to the even number)."""
    denominators = (1, 2, 3, 4, 6, 7, 8, 20, 35, 60)
    numbers = sa.select(sa.literal(0).label("n")).cte("numbers", recursive=True)
    numbers = numbers.union_all(sa.select(numbers.c.n + 1).where(numbers.c.n < 500))
    cases = sa.union_all(*(sa.select(sa.literal(d).label("d")) for d in denominators)).subquery("cases")
    numerator = numbers.c.n - 250
    rows = db.session.execute(
        sa.select(numerator, cases.c.d, sql.nearest(numerator, cases.c.d))
        .select_from(numbers)
        .join(cases, sa.true())
    ).all()
    assert len(rows) == 501 * len(denominators)
    wrong = [(n, d, got) for n, d, got in rows if got != nearest(n, d)]
    assert not wrong, wrong[:10]
    # The extremes a figure can reach: a pain of 10 against a baseline of 0.1 is 99,000 tenths of
    # a percent worse; a baseline from 500 logs divides by 500.
    extremes = [
        (-99_000, 1),
        (-99_001, 2),
        (-99_005, 10),
        (99_000, 1),
        (50_000, 500),
        (-49_750, 500),
        (2_505, 1_000),
    ]
    pairs = sa.union_all(
        *(sa.select(sa.literal(n).label("n"), sa.literal(d).label("d")) for n, d in extremes)
    ).subquery("pairs")
    got = db.session.execute(sa.select(pairs.c.n, pairs.c.d, sql.nearest(pairs.c.n, pairs.c.d))).all()
    assert sorted(got) == sorted((n, d, nearest(n, d)) for n, d in extremes)


LABELS = ("Walk the dog", "Sit through a film", "Lift my grandson", "Garden")


def variant(label: str, rng: random.Random) -> str:
    """The same activity as a patient might type it again: other case, other spacing."""
    return rng.choice((label, label.upper(), label.lower(), "  " + label.replace(" ", "  ") + " "))


def random_clinic(today, seed: int, treatments: int = 30) -> None:
    """Treatments of every condition at every stage, with or without a recorded baseline, logs
    that leave ties to round (four a window, twenty before the injection), worse and better pain,
    and questionnaires with activities retyped, added and dropped."""
    rng = random.Random(seed)
    therapist = make_user(Role.THERAPIST)
    conditions = list(CONDITIONS)
    for _ in range(treatments):
        patient = make_user(Role.PATIENT)
        injection = today - timedelta(days=rng.choice((10, 44, 50, 86, 95, 130, 200)))
        baseline = rng.choice((None, None, 0, 3, 6, 8, 10))
        treatment = make_treatment(
            patient,
            injection,
            therapist=therapist,
            condition=rng.choice(conditions),
            baseline=baseline,
            evaluation=injection - timedelta(days=25),
        )
        for day in rng.sample(range(-22, 0), rng.choice((0, 4, 20))):
            db.session.add(
                DailyLog(
                    patient_id=patient.id, day=injection + timedelta(days=day), back_pain=rng.randint(0, 10)
                )
            )
        for week in (2, 6, 9, 12):
            first = 7 * week - 3
            for day in rng.sample(range(first, first + 7), rng.choice((0, 1, 3, 4, 7))):
                when = injection + timedelta(days=day)
                if when < today:
                    db.session.add(DailyLog(patient_id=patient.id, day=when, back_pain=rng.randint(0, 10)))
        db.session.commit()
        answer_questionnaires(treatment, rng, today)


def answer_questionnaires(treatment: Treatment, rng: random.Random, today) -> None:
    def answer(kind, week, items):
        day = treatment.injection_date + timedelta(days=7 * week)
        if day < today and rng.random() < 0.8:
            make_answer(treatment, kind, week, items, day)

    answer("peg", 0, [(key, rng.randint(0, 10)) for key in ("pain", "enjoyment", "activity")])
    activities = rng.sample(LABELS, 3)
    answer("psfs", 0, [(label, rng.randint(0, 10)) for label in activities])
    for week in (6, 12):
        answer("peg", week, [(key, rng.randint(0, 10)) for key in ("pain", "enjoyment", "activity")])
        rated = [variant(label, rng) for label in rng.sample(activities, rng.randint(0, 3))]
        rated += [label for label in LABELS if label not in activities][: rng.randint(0, 1)]
        answer("psfs", week, [(label, rng.randint(0, 10)) for label in rated or ["Cycle"]])
        answer("pgic", week, [("change", rng.randint(1, 7))])


@pytest.mark.parametrize("seed", [1, 2])
def test_the_page_figures_are_the_rule_course_by_course(app, today, seed):
    random_clinic(today, seed)
    fast, reference = clinic_outcomes(sa.true(), today), reference_outcomes(sa.true(), today)
    assert fast == reference
    tables, weeks, counted = fast
    assert counted == 30
    # Not a vacuous agreement: the random clinic has groups with figures of every kind.
    overall = tables[0].overall
    assert overall.with_data > 5
    assert overall.psfs_count > 2
    assert overall.peg_count > 5
    assert overall.pgic.total > 5
    assert overall.pain is not None
    assert overall.pain.q1 < overall.pain.q3
    assert any(w.with_data for w in weeks)
    assert len(tables[0].by_condition) > 1
    assert outcome_differences(today) == []
    assert summaries.verify(db.session()) == []


def test_a_therapists_scope_counts_only_their_treatments(app, today):
    random_clinic(today, 4, treatments=12)
    other = make_user(Role.THERAPIST)
    patient = make_user(Role.PATIENT)
    mine = make_treatment(patient, today - timedelta(days=100), therapist=other, baseline=8)
    for day in range(39, 46):
        make_log(patient, mine.injection_date + timedelta(days=day), back_pain=4)
    scope = Treatment.therapist_id == other.id
    fast = clinic_outcomes(scope, today)
    assert fast == reference_outcomes(scope, today)
    assert fast[2] == 1
    assert fast[0][0].overall.with_data == 1
    assert fast[0][0].overall.pain.median == 50.0


def test_no_treatment_in_scope_gives_the_tables_with_nothing_counted(app, today):
    tables, weeks, counted = clinic_outcomes(sa.true(), today)
    assert counted == 0
    assert [(t.week, t.overall.started, t.overall.with_data, t.by_condition) for t in tables] == [
        (6, 0, 0, []),
        (12, 0, 0, []),
    ]
    assert [w.started for w in weeks] == [0] * 12
    assert (tables, weeks, counted) == reference_outcomes(sa.true(), today)


def kept(treatment_id: int) -> TreatmentSummary:
    db.session.expire_all()
    return db.session.get(TreatmentSummary, treatment_id)


def test_the_page_reads_the_kept_figures(app, client, auth, today):
    """The page counts what the writes stored, not a recomputation: a stored figure changed
    behind the writes' back shows on the page, and `summaries verify` names it."""
    admin = make_user(Role.ADMIN)
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=100), baseline=8)
    for day in range(39, 46):
        make_log(patient, treatment.injection_date + timedelta(days=day), back_pain=4)
    assert kept(treatment.id).reduction_6 == 500  # 50.0 %, in tenths
    auth.login(admin.email)
    week_6 = "6 1 1 100% (1/1; 21–100%)"  # the responders-by-week row: past the week, with data, ≥30 %
    assert week_6 in text_of(client.get("/therapist/outcomes"))
    db.session.execute(sa.update(TreatmentSummary).values(reduction_6=100))
    db.session.commit()
    page = client.get("/therapist/outcomes")
    assert page.status_code == 200
    assert week_6 not in text_of(page)
    assert "6 1 1 0% (0/1; 0–79%)" in text_of(page)
    assert any("reduction_6 100 (expected 500)" in p for p in summaries.verify(db.session()))
    assert outcome_differences(today)


def test_a_baseline_recorded_later_changes_the_figures(app, today):
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=100), baseline=None)
    for day in (-4, -3, -2, -1):
        make_log(patient, treatment.injection_date + timedelta(days=day), back_pain=(6, 6, 7, 8)[day + 4])
    for day in range(39, 46):
        make_log(patient, treatment.injection_date + timedelta(days=day), back_pain=3)
    # Logged baseline 27 / 4 = 6.75 -> 6.8 (a tie to the even tenth); 3.0 is 55.9 % lower.
    assert kept(treatment.id).reduction_6 == 559
    treatment = db.session.get(Treatment, treatment.id)
    treatment.baseline_pain = 6
    db.session.commit()
    assert kept(treatment.id).reduction_6 == 500
    assert summaries.verify(db.session()) == []


def test_answering_a_round_again_the_same_day_changes_the_figures(app, today):
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=42), baseline=8)
    make_answer(
        treatment, "peg", 0, [("pain", 8), ("enjoyment", 8), ("activity", 8)], treatment.evaluation_date
    )
    make_answer(treatment, "psfs", 0, [("Walk the dog", 2), ("Garden", 4)], treatment.evaluation_date)
    week_6 = Round("psfs", 6, 36, 42, 48)
    save_answers(treatment, week_6, today, [("walk  THE dog ", 6), ("Garden", 4)])
    assert kept(treatment.id).psfs_gain_6 == 20  # (6 + 4 - 2 - 4) / 2 = 2.0 points, in tenths
    save_answers(treatment, week_6, today, [("Walk the dog", 9), ("Cycle", 5)])
    assert kept(treatment.id).psfs_gain_6 == 70  # only the dog walk is shared now: 9 - 2
    save_answers(
        treatment, Round("peg", 6, 36, 40, 42), today, [("pain", 4), ("enjoyment", 4), ("activity", 4)]
    )
    assert kept(treatment.id).peg_reduction_6 == 500
    save_answers(treatment, Round("pgic", 6, 36, 42, 48), today, [("change", 2)])
    save_answers(treatment, Round("pgic", 6, 36, 42, 48), today, [("change", 5)])
    assert kept(treatment.id).pgic_6 == 5
    assert summaries.verify(db.session()) == []


def test_renaming_an_activity_rematches_it(app, today):
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=100), baseline=8)
    make_answer(treatment, "psfs", 0, [("Walk", 2), ("Sit", 4)], treatment.evaluation_date)
    later = make_answer(
        treatment, "psfs", 6, [("Run", 8), ("Sit", 5)], treatment.injection_date + timedelta(days=42)
    )
    assert kept(treatment.id).psfs_gain_6 == 10
    item = db.session.scalar(
        sa.select(QuestionnaireItem).where(
            QuestionnaireItem.response_id == later.id, QuestionnaireItem.label == "Run"
        )
    )
    item.label = " WALK "
    db.session.commit()
    assert (
        db.session.scalar(sa.select(QuestionnaireItem.activity_key).where(QuestionnaireItem.id == item.id))
        == "walk"
    )
    assert kept(treatment.id).psfs_gain_6 == 35  # (8 + 5 - 2 - 4) / 2 = 3.5
    assert summaries.verify(db.session()) == []


def test_a_bulk_insert_keys_its_activities(app, today):
    """A plain INSERT (a load, an import) gets the key from the label too."""
    patient = make_user(Role.PATIENT)
    treatment = make_treatment(patient, today - timedelta(days=100))
    response = make_answer(treatment, "psfs", 0, [("Walk", 2)], treatment.evaluation_date)
    db.session.execute(
        sa.insert(QuestionnaireItem),
        [{"response_id": response.id, "position": 1, "label": "Sit  Down", "value": 3}],
    )
    db.session.commit()
    keys = db.session.scalars(
        sa.select(QuestionnaireItem.activity_key).order_by(QuestionnaireItem.position)
    ).all()
    assert keys == ["walk", "sit down"]
