"""The benchmark's size budget for the exercise drawings (bench/drawings.py): every drawing a phone
fetches and keeps offline is listed with its bytes, each is under the budget of
app/care/figures.BYTE_BUDGET, and the report says so (or says by how much the largest misses).
Bytes are not wall-clock: the same on every machine, so a test may hold them to the budget."""

from __future__ import annotations

import pytest

from app.care import figures, poses
from bench import drawings


def test_the_benchmark_lists_every_drawing_with_the_bytes_a_phone_fetches(client):
    sizes = drawings.drawing_sizes()
    assert sorted(d.slug for d in sizes) == sorted(poses.DRAWINGS)
    assert [d.size for d in sizes] == sorted((d.size for d in sizes), reverse=True)
    for drawing in sizes:
        served = client.get(f"/exercise-drawings/{drawing.slug}.svg?v={poses.digest(drawing.slug)}")
        assert served.status_code == 200
        assert len(served.data) == drawing.size
        assert 0 < drawing.gzip_size < drawing.size


@pytest.mark.parametrize("slug", sorted(poses.DRAWINGS))
def test_every_drawing_is_under_its_budget(slug):
    size = next(d.size for d in drawings.drawing_sizes() if d.slug == slug)
    assert size <= figures.BYTE_BUDGET, f"{slug}: {size} bytes, budget {figures.BYTE_BUDGET}"


def test_the_report_gives_each_drawing_and_the_largest_against_the_budget():
    text = drawings.report()
    largest = drawings.drawing_sizes()[0]
    for drawing in drawings.drawing_sizes():
        assert f"| {drawing.slug} | {drawing.size:,} |" in text
    assert f"Largest: {largest.slug}, {largest.size:,} of {figures.BYTE_BUDGET:,} bytes: met" in text
    assert drawings.over_budget() == []
    assert drawings.main() == 0


def test_a_drawing_over_the_budget_is_reported_as_missed():
    sizes = drawings.drawing_sizes()
    tight = sizes[0].size - 10
    assert "MISSED by 10 bytes" in drawings.report(budget=tight)
    assert [d.slug for d in drawings.over_budget(tight)] == [d.slug for d in sizes if d.size > tight]
    assert drawings.over_budget(tight)
