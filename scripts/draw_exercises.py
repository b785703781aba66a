"""Write the gallery of exercise drawings for review with the rest of the clinical content:
docs/exercise-drawings.md and one SVG per exercise in docs/drawings/, the very files the app serves
(app/care/poses.py). Run after changing a pose or an exercise; tests/test_figures.py checks the
gallery is current.

    PYTHONPATH=. .venv/bin/python scripts/draw_exercises.py
"""

from __future__ import annotations

from pathlib import Path

from app.care import content, figures, poses

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGE = DOCS / "exercise-drawings.md"
FOLDER = DOCS / "drawings"

INTRO = """# Exercise drawings

Every library exercise's start and end positions, as patients see them on Today, therapists in
the plan editor and both on the printable summary. They are drawn by a small pose model
(`app/care/figures.py`) from a few angles per position (`app/care/poses.py`): original line
drawings, one style, no outside images. On the app's pages the lines take the text's colour (dark
mode too) and, where the phone allows motion, one panel moves gently between the two positions.

The words under each drawing are what a screen reader says. The clinical-content sheet lists
them with each drawing's version (the hash below), so the physician's sign-off covers the
drawings: a changed pose makes a new version to sign. Each file stays under
{budget:,} bytes (tests/test_figures.py).

This page is written by `scripts/draw_exercises.py`; do not edit it by hand.
"""


def gallery() -> dict[Path, str]:
    """Every file of the gallery and its text."""
    files = {FOLDER / f"{slug}.svg": poses.svg_for(slug) for slug in poses.DRAWINGS}
    parts = [INTRO.format(budget=figures.BYTE_BUDGET)]
    for exercise in content.EXERCISES:
        if exercise.slug not in poses.DRAWINGS:
            parts.append(f"## {exercise.name}\n\nNo drawing yet.\n")
            continue
        svg = poses.svg_for(exercise.slug)
        alt = poses.DRAWINGS[exercise.slug].alt
        parts.append(
            f"## {exercise.name}\n\n"
            f'<img src="drawings/{exercise.slug}.svg" alt="{alt}" width="424">\n\n'
            f"{alt}\n\n"
            f"`{exercise.slug}` · version {poses.digest(exercise.slug)} · {len(svg.encode())} bytes\n"
        )
    files[PAGE] = "\n".join(parts)
    return files


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    expected = gallery()
    for stale in set(FOLDER.glob("*.svg")) - set(expected):
        stale.unlink()
    for path, text in expected.items():
        path.write_text(text)
    print(f"wrote {len(expected)} files under {DOCS.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
