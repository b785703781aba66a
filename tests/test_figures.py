"""Exercise drawings: one for every library exercise, valid and small SVG drawn in the page's colour,
with words that describe the movement, served for good, kept offline and shown where the exercise
is (the patient's Today row, the therapist's plan editor, the printable summary)."""

from __future__ import annotations

import importlib.util
import re
import xml.etree.ElementTree as ET

import pytest
import sqlalchemy as sa

from app.care import content, content_sheet, figures, poses
from app.care.figures import BYTE_BUDGET, Pose, Prop
from app.extensions import db
from app.models import PlanItem
from tests.conftest import ROOT
from tests.factories import my_patient, patient_on_day

SVG = "{http://www.w3.org/2000/svg}"
SLUGS = [exercise.slug for exercise in content.ALL_EXERCISES]


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own drawing, not outside input)


def test_every_library_exercise_has_a_drawing_and_no_drawing_is_left_over():
    """An exercise added to the catalogue without a drawing fails here, naming it."""
    assert [slug for slug in SLUGS if slug not in poses.DRAWINGS] == []
    assert sorted(set(poses.DRAWINGS) - set(SLUGS)) == []


@pytest.mark.parametrize("slug", SLUGS)
def test_each_drawing_is_valid_svg_with_a_start_and_an_end_in_the_pages_colour(slug):
    root = parsed(poses.svg_for(slug))
    assert root.tag == f"{SVG}svg"
    assert root.get("stroke") == "currentColor"
    assert root.get("fill") == "none"
    groups = {g.get("id"): g for g in root.iter(f"{SVG}g")}
    assert set(groups) == {"start", "end"}
    assert root.find(f"{SVG}path[@id='arrow']") is not None
    for group in groups.values():
        assert len(group.findall(f"{SVG}circle")) == 1  # one head
        assert len(group.findall(f"{SVG}path")) >= 3  # floor, far limbs, near limbs
    # Nothing but our own shapes: no script, no style, no link, no colour of its own.
    kinds = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert kinds <= {"svg", "g", "path", "circle"}
    assert not re.search(r"#[0-9a-f]{3,6}\b|rgb\(|style=|href", poses.svg_for(slug), re.I)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_drawing_fits_its_byte_budget(slug):
    assert len(poses.svg_for(slug).encode()) <= BYTE_BUDGET


@pytest.mark.parametrize("slug", SLUGS)
def test_the_start_and_end_differ(slug):
    drawing = poses.DRAWINGS[slug]
    start, end = (figures._pose_group("x", pose, 0, 60) for pose in (drawing.start, drawing.end))
    assert start != end


@pytest.mark.parametrize("slug", SLUGS)
def test_each_drawing_has_words_that_describe_both_positions(slug):
    alt = poses.DRAWINGS[slug].alt
    assert alt.startswith("Two pictures")
    assert alt.endswith(".")
    assert "; then " in alt  # the start, then the end
    assert 12 <= len(alt.split()) <= 45
    assert not re.search(r"\b(image|picture of a stick)\b", alt, re.I)


def test_the_figure_stands_on_the_floor_in_every_drawing():
    """The frame puts the lowest point of each pose on its panel's floor line, inside the panel."""
    for slug in SLUGS:
        root = parsed(poses.svg_for(slug))
        width, height = (float(v) for v in root.get("viewBox", "").split()[2:])
        for group in root.iter(f"{SVG}g"):
            numbers = [
                float(n) for p in group.iter(f"{SVG}path") for n in re.findall(r"-?\d+\.?\d*", p.get("d", ""))
            ]
            assert min(numbers) >= -0.5, slug
            assert max(numbers) <= max(width, height) + 0.5, slug


def test_a_new_pose_is_a_few_lines_of_data():
    """The model is general: a made-up exercise from a base position, one limb changed, draws."""
    wall = poses.replace(poses.STANDING, arm=(120, 60), props=(Prop("wall", dx=-6),))
    assert parsed(figures.drawing_svg(wall, poses.replace(wall, arm=(100, 95)))).tag == f"{SVG}svg"
    clamshell = figures.drawing_svg(
        poses.SIDE_LYING_BENT, poses.replace(poses.SIDE_LYING_BENT, leg=(20, 60, 150))
    )
    assert parsed(clamshell).tag == f"{SVG}svg"
    with pytest.raises(ValueError, match="unknown prop"):
        figures.drawing_svg(
            Pose((90, 90), (-90, -90), (-90, -90), props=(Prop("trampoline"),)), poses.STANDING
        )


def test_the_sign_off_sheet_covers_each_drawing():
    sheet = content_sheet.content_sheet({})
    lines = {line.label: line.text for section in sheet for line in section.lines}
    for exercise in content.ALL_EXERCISES:
        text = lines[f"{exercise.name}: drawing"]
        assert poses.DRAWINGS[exercise.slug].alt in text
        assert poses.digest(exercise.slug) in text


def test_a_changed_drawing_changes_the_version_to_sign(monkeypatch):
    before = content_sheet.fingerprint(content_sheet.content_sheet({}))
    changed = poses.replace(poses.DRAWINGS["bird_dog"], end=poses.HANDS_AND_KNEES)
    monkeypatch.setitem(poses.DRAWINGS, "bird_dog", changed)
    kept = (poses.svg_for, poses.digest, poses.frame_of)  # a drawing is fixed for a process
    for function in kept:
        function.cache_clear()
    try:
        assert content_sheet.fingerprint(content_sheet.content_sheet({})) != before
    finally:
        monkeypatch.undo()
        for function in kept:
            function.cache_clear()


# --- Served, kept offline, shown --------------------------------------------------------------------


def html_of(response) -> str:
    assert response.status_code == 200, response.location
    return response.get_data(as_text=True)


def drawing_urls(html: str) -> set[str]:
    return set(re.findall(r'href="(/exercise-drawings/[a-z_]+\.svg\?v=[0-9a-f]+)#start"', html))


def test_a_drawing_is_served_as_svg_for_good_and_an_unknown_one_is_not_found(client):
    response = client.get(f"/exercise-drawings/bird_dog.svg?v={poses.digest('bird_dog')}")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data(as_text=True) == poses.svg_for("bird_dog")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert client.get("/exercise-drawings/trampoline.svg").status_code == 404


def test_the_service_worker_keeps_every_drawing(client):
    worker = client.get("/sw.js").get_data(as_text=True)
    for slug in SLUGS:
        assert f'"/exercise-drawings/{slug}.svg?v={poses.digest(slug)}"' in worker, slug


def test_todays_exercise_rows_show_each_drawing_with_its_words(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    page = html_of(client.get("/today"))
    items = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).all()
    assert items
    for item in items:
        slug = item.exercise.slug
        row = page[page.index(f'id="exercise-{item.id}"') :]
        row = row[: row.index("</li>")]
        assert f"/exercise-drawings/{slug}.svg?v={poses.digest(slug)}#start" in row  # the thumbnail
        assert f'<a href="/exercises/{item.id}/how" data-guide>' in row  # the rest when opened
        guide = html_of(client.get(f"/exercises/{item.id}/how", headers={"HX-Request": "true"}))
        assert f'aria-label="{poses.DRAWINGS[slug].alt}"' in guide.replace("&#39;", "'")
        assert f"/exercise-drawings/{slug}.svg?v={poses.digest(slug)}#end" in guide
        assert 'class="figure__motion"' in guide  # the gentle animation's panel
        page += guide
    assert len(drawing_urls(page)) == len({item.exercise.slug for item in items})
    for url in drawing_urls(page):
        assert client.get(url).status_code == 200


def test_the_ticked_row_keeps_its_drawing(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    item = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).first()
    assert item is not None
    response = client.post(
        f"/exercises/{item.id}/done",
        data={"csrf_token": auth.token(), "done": "1"},
        headers={"HX-Request": "true"},
    )
    assert f"/exercise-drawings/{item.exercise.slug}.svg" in html_of(response)


def test_the_plan_editor_shows_each_exercises_start_position(client, therapist, today):
    """A still beside each name (decorative: the name says what it is), not the whole drawing with
    its words: those are a tap away on the patient's steps and on the exercise sheet."""
    patient, treatment = my_patient(therapist, today)
    items = db.session.scalars(sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id)).all()
    for item in items:  # each phase as the record shows it open
        page = html_of(client.get(f"/therapist/patients/{patient.id}?phase={item.phase}"))
        block = page[page.index(f'id="plan-item-{item.id}"') :]
        block = block[: block.index("</li>")]
        head = block[: block.index("</strong>")]
        assert re.search(
            rf'<svg class="thumb"[^>]*aria-hidden="true"[^>]*><use href="/exercise-drawings/{item.exercise.slug}\.svg\?v=\w+#start"/></svg>',
            head,
        )
        assert "figure__pair" not in block
        assert 'role="img"' not in block


def test_the_gallery_in_docs_is_current():
    """docs/exercise-drawings.md and docs/drawings/ are what scripts/draw_exercises.py writes now:
    the drawings the physician and therapists review are the ones patients see."""
    spec = importlib.util.spec_from_file_location("draw_exercises", ROOT / "scripts" / "draw_exercises.py")
    assert spec is not None
    assert spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    expected = script.gallery()
    stale = [str(path) for path, text in expected.items() if not path.exists() or path.read_text() != text]
    assert stale == [], "run scripts/draw_exercises.py"
    assert set((ROOT / "docs" / "drawings").glob("*.svg")) == {p for p in expected if p.suffix == ".svg"}


def test_the_printable_summary_shows_the_current_exercises_with_their_drawings(client, auth, today):
    patient, treatment = patient_on_day(20, today)
    auth.login(patient.email)
    page = html_of(client.get("/summary"))
    assert "Home exercises now" in page
    items = db.session.scalars(
        sa.select(PlanItem).where(PlanItem.treatment_id == treatment.id, PlanItem.phase == "restore")
    ).all()
    assert items
    for item in items:
        assert (
            f"/exercise-drawings/{item.exercise.slug}.svg?v={poses.digest(item.exercise.slug)}#start" in page
        )
