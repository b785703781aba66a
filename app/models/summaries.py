"""The read model: per treatment and day, and per treatment, the figures the staff pages show,
kept by every write in the write's own transaction (app/services/summaries), so that reading them
never recomputes a patient's history. `flask summaries verify` recomputes them from the raw rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, false
from sqlalchemy.orm import Mapped, mapped_column

from app.care.measures import TIMEPOINT_WEEKS, nearest
from app.models.base import Model

# The weeks outcomes average pain for (app.care.outcomes.CHART_WEEKS): days 7W-3 to 7W+3.
SUMMARY_WEEKS: tuple[int, ...] = tuple(range(1, 13))


class DailySummary(Model):
    """One treatment's day: the log's pain (a log of the patient that belongs to the treatment:
    tagged with it, or with none), the exercise sessions done and due (the live plan's, as the
    adherence figures count them), a questionnaire answered, and a day with data for remote
    monitoring. A row whose day lost all its data (an untick) may stay with nothing in it."""

    __tablename__ = "daily_summaries"
    __table_args__ = (Index("ix_daily_summaries_day", "day"),)

    treatment_id: Mapped[int] = mapped_column(
        ForeignKey("treatments.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    logged: Mapped[bool] = mapped_column(default=False, server_default=false())
    back_pain: Mapped[int | None]
    leg_pain: Mapped[int | None]
    nsaid: Mapped[bool] = mapped_column(default=False, server_default=false())
    sessions_due: Mapped[int] = mapped_column(default=0, server_default="0")
    sessions_done: Mapped[int] = mapped_column(default=0, server_default="0")
    answered: Mapped[bool] = mapped_column(default=False, server_default=false())
    data_day: Mapped[bool] = mapped_column(default=False, server_default=false())


class TreatmentSummary(Model):
    """One treatment's running figures, from its daily summaries: the first and the last day with
    monitoring data (the periods count from the first; the month report finds its patients from
    both without reading their days), the last log and the last day with a log or a tick, the logs
    before the injection (the baseline when none was recorded), and the back pain around each
    week's time point as a sum and a count (exact on both databases; the mean is sum / count)."""

    __tablename__ = "treatment_summaries"

    treatment_id: Mapped[int] = mapped_column(
        ForeignKey("treatments.id", ondelete="CASCADE"), primary_key=True
    )
    first_data_day: Mapped[date | None]
    last_log_day: Mapped[date | None]
    last_data_day: Mapped[date | None]
    last_monitoring_day: Mapped[date | None]
    pre_pain_sum: Mapped[int] = mapped_column(default=0, server_default="0")
    pre_pain_count: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_1: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_1: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_2: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_2: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_3: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_3: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_4: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_4: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_5: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_5: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_6: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_6: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_7: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_7: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_8: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_8: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_9: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_9: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_10: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_10: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_11: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_11: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_sum_12: Mapped[int] = mapped_column(default=0, server_default="0")
    pain_count_12: Mapped[int] = mapped_column(default=0, server_default="0")
    # The outcome figures (app.care.outcomes), in tenths: the percent less back pain at each week
    # against the baseline, the percent lower PEG, the PSFS points gained and the PGIC answer at
    # weeks 6 and 12. None where the data for one is missing. The outcomes page counts and ranks
    # these in SQL instead of working out every treatment in Python on every view.
    reduction_1: Mapped[int | None]
    reduction_2: Mapped[int | None]
    reduction_3: Mapped[int | None]
    reduction_4: Mapped[int | None]
    reduction_5: Mapped[int | None]
    reduction_6: Mapped[int | None]
    reduction_7: Mapped[int | None]
    reduction_8: Mapped[int | None]
    reduction_9: Mapped[int | None]
    reduction_10: Mapped[int | None]
    reduction_11: Mapped[int | None]
    reduction_12: Mapped[int | None]
    peg_reduction_6: Mapped[int | None]
    peg_reduction_12: Mapped[int | None]
    psfs_gain_6: Mapped[int | None]
    psfs_gain_12: Mapped[int | None]
    pgic_6: Mapped[int | None]
    pgic_12: Mapped[int | None]
    # A new random number each time a write (or a rebuild) changes this treatment's summaries: a
    # page that keeps what it worked out from them compares it (app/services/pages/caseload_memo.py).
    # Not a figure: `summaries verify` leaves it out.
    revision: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    @property
    def logged_baseline(self) -> float | None:
        """The mean of the logs before the injection, to one decimal."""
        return logged_baseline(self.pre_pain_sum, self.pre_pain_count)

    def pain_by_week(self) -> dict[int, float]:
        """Week -> the mean back pain around its time point, for the weeks with a log."""
        return pain_by_week({name: getattr(self, name) for name in WEEK_COLUMNS})


WEEK_COLUMNS = tuple(f"pain_{what}_{week}" for week in SUMMARY_WEEKS for what in ("sum", "count"))
OUTCOME_COLUMNS = (
    *(f"reduction_{week}" for week in SUMMARY_WEEKS),
    *(f"{what}_{week}" for what in ("peg_reduction", "psfs_gain", "pgic") for week in TIMEPOINT_WEEKS),
)


def logged_baseline(total: int, count: int) -> float | None:
    return nearest(10 * total, count) / 10 if count else None


def pain_by_week(values: Mapping[Any, Any]) -> dict[int, float]:
    """From the weekly sums and counts (a row of the table, by column name), to one decimal."""
    return {
        week: nearest(10 * values[f"pain_sum_{week}"], count) / 10
        for week in SUMMARY_WEEKS
        if (count := values[f"pain_count_{week}"])
    }
