"""Each exercise drawing's size against its budget: the bytes a phone fetches for a drawing and
keeps for offline use (every drawing, service worker, app/web/assets.py), raw and gzipped, and the
largest against app/care/figures.BYTE_BUDGET. Size is not wall-clock: it is the same on every
machine, so tests/test_drawing_sizes.py holds every drawing to the budget. bench/run.py adds this
table to each result; on its own:

    PYTHONPATH=. .venv/bin/python -m bench.drawings
"""

from __future__ import annotations

import gzip
import sys
from dataclasses import dataclass

from app.care import figures, poses


@dataclass(frozen=True)
class DrawingSize:
    slug: str
    size: int  # bytes of the SVG file as served
    gzip_size: int  # the same, gzipped (as a proxy that compresses sends it)


def drawing_sizes() -> list[DrawingSize]:
    """Every drawing, the largest first."""
    sizes = []
    for slug in poses.DRAWINGS:
        body = poses.svg_for(slug).encode()
        sizes.append(DrawingSize(slug, len(body), len(gzip.compress(body, mtime=0))))
    return sorted(sizes, key=lambda drawing: (-drawing.size, drawing.slug))


def over_budget(budget: int = figures.BYTE_BUDGET) -> list[DrawingSize]:
    return [drawing for drawing in drawing_sizes() if drawing.size > budget]


def report(budget: int = figures.BYTE_BUDGET) -> str:
    """A Markdown table of every drawing's bytes, the largest first, and the verdict."""
    sizes = drawing_sizes()
    largest = sizes[0]
    verdict = "met" if largest.size <= budget else f"MISSED by {largest.size - budget:,} bytes"
    lines = [
        f"Exercise drawings ({len(sizes)}), bytes each against the budget of {budget:,} bytes a drawing:",
        "",
        "| drawing | bytes | gzip bytes | share of budget |",
        "|---|--:|--:|--:|",
        *(f"| {d.slug} | {d.size:,} | {d.gzip_size:,} | {100 * d.size / budget:.0f}% |" for d in sizes),
        "",
        (
            f"Largest: {largest.slug}, {largest.size:,} of {budget:,} bytes: {verdict}; "
            f"all {len(sizes)} together {sum(d.size for d in sizes):,} bytes."
        ),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    print(report(), end="")
    return 1 if over_budget() else 0


if __name__ == "__main__":
    sys.exit(main())
