"""docs/clinical-protocol.md cannot drift from the code: its tables of warning signs, phases,
exercises, condition programmes and remote-monitoring codes are checked against the data the app
runs on."""

import re
from pathlib import Path

import pytest

from app.care import content, programmes, rtm
from app.care.protocol import PHASES

DOC = (Path(__file__).resolve().parent.parent / "docs" / "clinical-protocol.md").read_text()


def table_rows(heading: str) -> list[list[str]]:
    """The cells of each row of the first table after `heading`."""
    section = DOC[DOC.index(heading) :]
    rows = []
    started = False
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            started = True
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if not set("".join(cells)) <= set("-: "):
                rows.append(cells)
        elif started:
            break
    return rows[1:]  # without the header


def test_every_warning_sign_is_in_the_docs_with_its_question_and_urgency():
    rows = {re.sub(r"`([^`]+)`.*", r"\1", row[0]): row for row in table_rows("### The symptoms")}
    assert set(rows) == set(content.ALL_ALERT_FLAGS)
    for key, flag in content.ALL_ALERT_FLAGS.items():
        assert rows[key][1] == flag.question, key
        assert rows[key][2] == flag.urgency.replace("_", " "), key
    thoracic = [key for key, row in rows.items() if "mid-back" in row[3]]
    assert thoracic == sorted(content.THORACIC_ONLY_FLAGS)


def test_every_phase_is_in_the_docs_with_its_title_and_days():
    rows = {row[0].strip("`"): row for row in table_rows("### Phases")}
    for phase in PHASES:
        assert rows[phase.key][1] == phase.title
        if phase.first_day is not None and phase.last_day is not None and phase.first_day != phase.last_day:
            assert rows[phase.key][2] == f"{phase.first_day}–{phase.last_day}", phase.key


@pytest.mark.parametrize("exercise", content.ALL_EXERCISES, ids=lambda e: e.slug)
def test_every_exercise_is_in_the_docs_by_the_name_patients_see(exercise):
    assert f"| {exercise.name} · `{exercise.slug}` |" in DOC


DOC_LABELS = {
    "thoracic_strain": "Thoracic strain",
    "lumbar_radiculopathy": "Lumbar radiculopathy",
    "failed_back_surgery": "Failed back surgery",
    "si_joint": "SI joint",
    "lumbar_facet": "Lumbar facet",
}


def test_every_condition_programme_addition_is_in_the_docs_table():
    rows = {row[0]: row for row in table_rows("### Programmes by condition")}
    assert set(programmes.PLANS) == set(DOC_LABELS)  # a new condition programme is documented
    names = {text.slug: text.name.lower() for text in content.ALL_EXERCISES}
    for key, plan in programmes.PLANS.items():
        row = rows[DOC_LABELS[key]]
        for slug in {slug for slugs in plan.add.values() for slug in slugs}:
            assert names[slug].split(" over ")[0] in row[1].lower(), (key, slug)
        assert ("directional preference" in row[3]) is plan.chooses_direction, key
        assert ("surgeon's precautions" in row[3]) is plan.needs_precautions, key


def test_every_remote_monitoring_code_is_in_the_docs_with_its_rule():
    rows = {row[0]: row for row in table_rows("## Remote therapeutic monitoring")}
    assert set(rows) == {code.code for code in rtm.RTM_CODES}
    for code in rtm.RTM_CODES:
        if code.needs_interactive:
            assert (
                "real-time interactive communication" in rows[code.code][1]
                or "same requirement" in rows[code.code][1]
            ), code.code
        if code.basis == "period":
            assert f"{code.min_days}–{code.max_days} days" in rows[code.code][1], code.code
    assert "at least 2 days" in rows[rtm.SETUP_CODE.code][1]


def test_the_attention_thresholds_in_the_docs_are_the_codes():
    from app.care import adherence

    assert f"`PAIN_RISE_POINTS = {adherence.PAIN_RISE_POINTS}`" in DOC
    assert f"`SILENCE_DAYS = {adherence.SILENCE_DAYS}`" in DOC
    assert f"`LOW_EXERCISE_ADHERENCE = {adherence.LOW_EXERCISE_ADHERENCE}`" in DOC
