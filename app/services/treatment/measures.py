"""Questionnaire answers: which one is due, saving an answer, and each measure's trend. The
schedule and the scores are pure rules in `app.care.measures`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.care import measures
from app.care.measures import BASELINE_WEEK, Due, MeasureTrend, Round, label_key
from app.database import insert_unless_present
from app.extensions import db
from app.models import QuestionnaireItem, QuestionnaireResponse, Treatment
from app.services import summaries


@dataclass
class MeasureHistory:
    """Every answered round of one treatment, by kind and week (answers with their items)."""

    responses: list[QuestionnaireResponse] = field(default_factory=list)

    def by_kind(self, kind: str) -> dict[int, QuestionnaireResponse]:
        return {r.week: r for r in self.responses if r.kind == kind}

    @property
    def answered(self) -> set[tuple[str, int]]:
        return {(r.kind, r.week) for r in self.responses}

    def peg_scores(self) -> dict[int, float]:
        return {
            week: score
            for week, r in self.by_kind("peg").items()
            if (score := measures.mean_score(i.value for i in r.items)) is not None
        }

    def psfs_items(self) -> dict[int, dict[str, int]]:
        return {week: r.values() for week, r in self.by_kind("psfs").items()}

    def pgic_values(self) -> dict[int, int]:
        return {week: r.items[0].value for week, r in self.by_kind("pgic").items() if r.items}

    @property
    def peg(self) -> MeasureTrend:
        return measures.peg_trend(self.peg_scores())

    @property
    def psfs(self) -> MeasureTrend:
        return measures.psfs_trend(self.psfs_items())

    @property
    def pgic_latest(self) -> tuple[int, int] | None:
        """(week, value) of the latest PGIC answer."""
        values = self.pgic_values()
        return (max(values), values[max(values)]) if values else None

    def psfs_labels(self) -> list[str]:
        """Every activity named in any round, in the order first named."""
        return self.psfs_round(max(self.by_kind("psfs"), default=BASELINE_WEEK) + 1)[0]

    def psfs_round(self, week: int) -> tuple[list[str], int]:
        """The activities to re-rate in this round (named before it, or already in it) and the
        room for new ones: up to three at evaluation, one more in each later round."""
        rounds = self.by_kind("psfs")
        earlier: dict[str, str] = {}
        for number in sorted(w for w in rounds if w < week):
            for item in rounds[number].items:
                earlier.setdefault(label_key(item.label), item.label)
        known = dict(earlier)
        for item in rounds[week].items if week in rounds else []:
            known.setdefault(label_key(item.label), item.label)
        added = len(known) - len(earlier)
        allowed = (
            measures.PSFS_FIRST_ROUND_ACTIVITIES if week == BASELINE_WEEK else measures.PSFS_MAX_NEW_PER_ROUND
        )
        return list(known.values()), max(0, allowed - added)


def load_history(treatment_id: int | None) -> MeasureHistory:
    """One statement: the responses with their items."""
    if treatment_id is None:
        return MeasureHistory()
    responses = db.session.scalars(
        sa.select(QuestionnaireResponse)
        .where(QuestionnaireResponse.treatment_id == treatment_id)
        .options(joinedload(QuestionnaireResponse.items))
        .order_by(QuestionnaireResponse.kind, QuestionnaireResponse.week)
    )
    return MeasureHistory(list(responses.unique()))


def evaluation_offset(treatment: Treatment) -> int:
    """Visit 1 in days after the injection (zero or negative)."""
    return (treatment.evaluation_date - treatment.injection_date).days


def day_of(treatment: Treatment, today: date) -> int:
    return (today - treatment.injection_date).days


def due_questionnaire(treatment: Treatment | None, today: date, history: MeasureHistory) -> Due | None:
    if treatment is None or today < treatment.evaluation_date:
        return None
    return measures.due_on(day_of(treatment, today), evaluation_offset(treatment), history.answered)


def open_round(treatment: Treatment | None, kind: str, today: date) -> Round | None:
    if treatment is None or today < treatment.evaluation_date:
        return None
    return measures.round_for(kind, day_of(treatment, today), evaluation_offset(treatment))


def save_answers(
    treatment: Treatment, round_: Round, today: date, items: list[tuple[str, int]]
) -> QuestionnaireResponse:
    """Store a round's answers; answering the same round again replaces them (one row per round,
    a database constraint, so two taps at once still leave one)."""
    query = sa.select(QuestionnaireResponse).where(
        QuestionnaireResponse.treatment_id == treatment.id,
        QuestionnaireResponse.kind == round_.kind,
        QuestionnaireResponse.week == round_.week,
    )
    response = db.session.scalar(query)
    if response is None:
        fresh = QuestionnaireResponse(
            patient_id=treatment.patient_id,
            treatment_id=treatment.id,
            kind=round_.kind,
            week=round_.week,
            day=today,
        )
        response = insert_unless_present(fresh) or db.session.scalars(query).one()
        summaries.mark_day("treatment", treatment.id, today)  # inserted by a plain statement
    response.day = today
    response.items.clear()
    db.session.flush()
    response.items.extend(
        QuestionnaireItem(position=n, label=label, value=value) for n, (label, value) in enumerate(items)
    )
    db.session.commit()
    return response
