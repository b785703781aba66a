"""Line drawings of the home exercises: a small pose model that places a stick figure's joints from
a few angles and draws its start and end positions side by side as SVG, one style for all.

Why a model rather than drawn files: every drawing shares the figure's proportions, stroke and
frame, a new exercise is a few lines of angles (app/care/poses.py), and the drawing is code the
physician's sign-off can fingerprint. Pure code: no Flask, no database.

Angles are in degrees, counter-clockwise from "pointing right" (0 = right, 90 = up); each limb is
given as the absolute direction of its segments. The figure is drawn as seen from its near side:
the far arm and leg are fainter. The frame puts the figure's lowest point on the floor line.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

# Segment lengths in drawing units (a panel is PANEL_WIDTH wide, as tall as its tallest pose).
LOWER_BACK, UPPER_BACK, NECK, HEAD = 14.0, 16.0, 4.0, 5.5
UPPER_ARM, FOREARM, THIGH, SHIN, FOOT = 13.0, 12.0, 17.0, 16.0, 5.0

PANEL_WIDTH, GAP, MARGIN, MIN_HEIGHT = 100, 12, 5.0, 44
END_OFFSET = PANEL_WIDTH + GAP  # the end panel starts here
WIDTH = 2 * PANEL_WIDTH + GAP
STROKE = 2.5  # the figure's line; the floor, arrow and props are thinner
BYTE_BUDGET = 2048  # per drawing file; tests/test_figures.py holds every drawing to it

Point = tuple[float, float]


@dataclass(frozen=True)
class Prop:
    """Something beside the figure: a pillow, a chair, a stick, a band, the belly's rise.
    `size` and `dx` tune it (what each means is in `_prop_paths`)."""

    kind: str
    size: float = 0.0
    dx: float = 0.0


@dataclass(frozen=True)
class Pose:
    """One position. `trunk` is (lower back, upper back); `head` defaults to the upper back's
    direction; each leg is (thigh, shin) or (thigh, shin, foot), the foot defaulting to the shin's
    direction turned 90 degrees; the far limbs default to the near ones."""

    trunk: tuple[float, float]
    arm: tuple[float, float]
    leg: tuple[float, ...]
    head: float | None = None
    far_arm: tuple[float, float] | None = None
    far_leg: tuple[float, ...] | None = None
    props: tuple[Prop, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Skeleton:
    hip: Point
    waist: Point
    shoulder: Point
    head: Point
    arm: tuple[Point, Point]
    far_arm: tuple[Point, Point]
    leg: tuple[Point, Point, Point]
    far_leg: tuple[Point, Point, Point]

    def points(self) -> list[Point]:
        return [self.hip, self.waist, self.shoulder, *self.arm, *self.far_arm, *self.leg, *self.far_leg]


def _step(start: Point, angle: float, length: float) -> Point:
    radians = math.radians(angle)
    return (start[0] + length * math.cos(radians), start[1] + length * math.sin(radians))


def _leg(hip: Point, angles: Sequence[float]) -> tuple[Point, Point, Point]:
    knee = _step(hip, angles[0], THIGH)
    ankle = _step(knee, angles[1], SHIN)
    foot = angles[2] if len(angles) > 2 else angles[1] + 90
    return knee, ankle, _step(ankle, foot, FOOT)


def _arm(shoulder: Point, angles: tuple[float, float]) -> tuple[Point, Point]:
    elbow = _step(shoulder, angles[0], UPPER_ARM)
    return elbow, _step(elbow, angles[1], FOREARM)


def skeleton(pose: Pose) -> Skeleton:
    """The joints of a pose with the hip at the origin, y pointing up."""
    hip = (0.0, 0.0)
    waist = _step(hip, pose.trunk[0], LOWER_BACK)
    shoulder = _step(waist, pose.trunk[1], UPPER_BACK)
    head = _step(shoulder, pose.trunk[1] if pose.head is None else pose.head, NECK + HEAD)
    return Skeleton(
        hip,
        waist,
        shoulder,
        head,
        _arm(shoulder, pose.arm),
        _arm(shoulder, pose.far_arm or pose.arm),
        _leg(hip, pose.leg),
        _leg(hip, pose.far_leg or pose.leg),
    )


def _prop_points(prop: Prop, body: Skeleton) -> list[Point]:
    """The outline points of a prop in the figure's frame (y up), so the frame can fit them."""
    hx, hy = body.hip
    if prop.kind == "pillow":  # under the hips, lying face down
        return [(hx - 11, hy - 4), (hx + 11, hy - 4), (hx + 11, hy - 10), (hx - 11, hy - 10)]
    if prop.kind == "chair":  # a seat at sitting height on the figure's floor, `dx` from the hip
        x, low = hx + prop.dx, min(y for _, y in body.points())
        seat = low + SHIN - 3
        return [(x - 9, seat), (x + 9, seat), (x - 9, low), (x + 9, low), (x - 9, seat + 25)]
    if prop.kind == "wall":  # upright, `dx` from the hip, floor to above the head
        low = min(y for _, y in body.leg + body.far_leg)
        return [(hx + prop.dx, low), (hx + prop.dx, body.head[1] + HEAD + 4)]
    if prop.kind == "band":  # a post `dx` from the shoulder, up to chest height, then to the hand
        x, low = body.shoulder[0] + prop.dx, min(y for _, y in body.leg + body.far_leg)
        return [(x, low), (x, body.shoulder[1] + 2), (x, body.shoulder[1] - 6)]
    return []


def _fmt(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _extent(body: Skeleton, pose: Pose) -> tuple[float, float, float, float]:
    """The pose's bounding box in the model's frame: left, right, bottom, top."""
    points = body.points() + [p for prop in pose.props for p in _prop_points(prop, body)]
    xs = [x for x, _ in points] + [body.head[0] - HEAD, body.head[0] + HEAD]
    ys = [y for _, y in points] + [body.head[1] - HEAD, body.head[1] + HEAD]
    return min(xs), max(xs), min(ys), max(ys)


def panel_height(*poses: Pose) -> int:
    """One height for both panels: the taller pose with a margin (the scale never changes)."""
    tallest = max(top - bottom for _, _, bottom, top in (_extent(skeleton(p), p) for p in poses))
    return max(MIN_HEIGHT, math.ceil(tallest + 2 * MARGIN))


class _Frame:
    """Moves a pose from the model's frame (hip at origin, y up) into its panel (y down), its
    lowest point on the floor line."""

    def __init__(self, body: Skeleton, pose: Pose, left: float, floor: float) -> None:
        x_low, x_high, low, _ = _extent(body, pose)
        self.dx = left + PANEL_WIDTH / 2 - (x_low + x_high) / 2
        self.dy = floor - 1.5 + low  # panel y = dy - model y

    def at(self, point: Point) -> str:
        return f"{_fmt(point[0] + self.dx)} {_fmt(self.dy - point[1])}"

    def line(self, points: Iterable[Point]) -> str:
        return "M" + "L".join(self.at(p) for p in points)


def _prop_paths(prop: Prop, body: Skeleton, frame: _Frame) -> list[str]:
    """SVG path data for a prop: `belly` is the belly's curve (`size` its height: 0 drawn in, more
    risen); `tense` marks muscles working beside the low back; `stick` lies along the back;
    `band` runs from a post `dx` from the shoulder to the near hand; `wall` stands `dx` from the
    hip; `pillow` and `chair` are drawn where `_prop_points` puts them."""
    if prop.kind == "pillow":
        a, b, c, d = _prop_points(prop, body)
        return [frame.line([a, b, c, d, a])]
    if prop.kind == "chair":
        seat_back, seat_front, floor_back, floor_front, back_top = _prop_points(prop, body)
        return [frame.line([back_top, floor_back]), frame.line([seat_back, seat_front, floor_front])]
    if prop.kind == "belly":
        (x1, y1), (x2, y2) = body.hip, body.waist
        mid = ((x1 + x2) / 2, max(y1, y2) + 3 + prop.size * 4)
        return [f"M{frame.at(body.hip)}Q{frame.at(mid)} {frame.at(body.waist)}"]
    if prop.kind == "tense":
        (x1, y1), (x2, y2) = body.hip, body.waist
        marks = []
        for share in (0.3, 0.6):
            x, y = x1 + (x2 - x1) * share, y1 + (y2 - y1) * share + 5
            marks.append(frame.line([(x - 1.5, y), (x + 1.5, y + 3)]))
        return marks
    if prop.kind == "stick":
        angle = math.degrees(math.atan2(body.shoulder[1], body.shoulder[0]))
        behind = _step((0.0, 0.0), angle + 90, HEAD + 1.5)
        low = _step(behind, angle, -6)
        high = _step(behind, angle, LOWER_BACK + UPPER_BACK + NECK + 2 * HEAD + 2)
        return [frame.line([low, high])]
    if prop.kind == "wall":
        return [frame.line(_prop_points(prop, body))]
    if prop.kind == "band":
        base, top, tied = _prop_points(prop, body)
        return [frame.line([base, top]), frame.line([tied, body.arm[1]])]
    raise ValueError(f"unknown prop {prop.kind!r}")


def _pose_group(name: str, pose: Pose, left: float, floor: float) -> str:
    body = skeleton(pose)
    frame = _Frame(body, pose, left, floor)
    far = frame.line((*body.far_leg[::-1], body.hip)) + frame.line((body.shoulder, *body.far_arm))
    near = frame.line((*body.leg[::-1], body.hip, body.waist, body.shoulder, *body.arm))
    head = body.head
    props = "".join(
        f'<path stroke-width="2" d="{d}"/>' for prop in pose.props for d in _prop_paths(prop, body, frame)
    )
    hx, hy = frame.at(head).split()
    line = f"M{_fmt(left + 2)} {_fmt(floor)}h{PANEL_WIDTH - 4}"
    return (
        f'<g id="{name}"><path stroke-width="1.5" d="{line}"/>'
        f'<path stroke-opacity=".45" d="{far}"/>{props}<path d="{near}"/>'
        f'<circle cx="{hx}" cy="{hy}" r="{_fmt(HEAD)}"/></g>'
    )


def drawing_svg(start: Pose, end: Pose) -> str:
    """Start and end side by side with a small arrow between. Strokes are `currentColor`, so the
    page's text colour (dark mode too) draws them; groups `start` and `end` can be used alone."""
    height = panel_height(start, end)
    floor = height - 4.0
    arrow_x, arrow_y = PANEL_WIDTH + GAP / 2 - 2, height / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'fill="none" stroke="currentColor" stroke-width="{STROKE}" stroke-linecap="round" '
        'stroke-linejoin="round">'
        + _pose_group("start", start, 0, floor)
        + f'<path id="arrow" stroke-width="1.5" d="M{_fmt(arrow_x)} {_fmt(arrow_y - 4)}l4 4-4 4"/>'
        + _pose_group("end", end, END_OFFSET, floor)
        + "</svg>\n"
    )


@dataclass(frozen=True)
class Drawing:
    start: Pose
    end: Pose
    alt: str  # patient-facing words: what the two pictures show
