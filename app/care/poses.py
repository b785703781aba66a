"""The start and end positions of every library exercise, and the words that describe them.

A drawing is two poses (app/care/figures.py) and an alt text. Most exercises start from one of the
base positions below and change a limb or two, so a new exercise is a few lines:

    "wall_slides": Drawing(
        replace(STANDING, arm=(120, 60), props=(Prop("wall", dx=-6),)),
        replace(STANDING, arm=(100, 95), props=(Prop("wall", dx=-6),)),
        "Two pictures of a person standing with the back against a wall, elbows bent; then the "
        "arms slid up the wall.",
    ),

Angles are degrees counter-clockwise from "pointing right" (90 = up). Lying on the back the head
is to the left; standing, sitting and on hands and knees the figure faces right.

The alt texts are patient-facing words (signed off with the rest of the content: the sheet lists
them); they belong in the content catalogue, app/care/content.py, and move there when it is free.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from functools import cache

from app.care.figures import END_OFFSET, WIDTH, Drawing, Pose, Prop, drawing_svg, panel_height

# --- Base positions -------------------------------------------------------------------------------

ARMS_BY_SIDES_LYING = (-25.0, 0.0)
KNEES_BENT_LYING = (40.0, -69.0, 0.0)
LEG_STRAIGHT_LYING = (-6.0, -6.0)

BACK_LYING_BENT = Pose(trunk=(180, 180), arm=ARMS_BY_SIDES_LYING, leg=KNEES_BENT_LYING)
BACK_LYING_HAND_ON_BELLY = replace(BACK_LYING_BENT, arm=(35, -40), far_arm=ARMS_BY_SIDES_LYING)
FACE_DOWN = Pose(trunk=(-4, -4), head=-10, arm=(-160, 180), leg=(188, 180), props=(Prop("pillow"),))
HANDS_AND_KNEES = Pose(trunk=(15, 15), head=0, arm=(-90, -90), leg=(-90, 180, 270))
STANDING = Pose(trunk=(90, 90), arm=(-85, -70), far_arm=(-95, -80), leg=(-90, -90))
SITTING = Pose(trunk=(90, 90), arm=(-80, -10), leg=(0, -90), props=(Prop("chair"),))
# On the near side, propped on the forearm, head to the left.
SIDE_LYING = Pose(trunk=(154, 154), arm=(-90, 180), far_arm=(-18, -30), leg=(0, 0, 60))
SIDE_LYING_BENT = replace(SIDE_LYING, leg=(0, 75, 165))


def _bridge(near_leg: tuple[float, ...], far_leg: tuple[float, ...] | None = None) -> Pose:
    """Hips lifted, shoulders and feet on the floor."""
    return Pose(trunk=(208, 208), head=180, arm=(0, 0), leg=near_leg, far_leg=far_leg)


DRAWINGS: dict[str, Drawing] = {
    "walking": Drawing(
        replace(STANDING, arm=(-110, -95), far_arm=(-70, -45), leg=(-70, -100), far_leg=(-110, -120)),
        replace(STANDING, arm=(-70, -45), far_arm=(-110, -95), leg=(-110, -120), far_leg=(-70, -100)),
        "Two pictures of a person walking tall: one step with one leg and the other arm forward; "
        "then the next step with the other leg and arm.",
    ),
    "breathing": Drawing(
        replace(BACK_LYING_HAND_ON_BELLY, props=(Prop("belly", -0.5),)),
        replace(BACK_LYING_HAND_ON_BELLY, props=(Prop("belly", 2.5),)),
        "Two pictures of a person lying on their back with knees bent and a hand on the belly: "
        "breathing out, belly low; then breathing in, belly rising under the hand.",
    ),
    "drawing_in": Drawing(
        replace(BACK_LYING_HAND_ON_BELLY, props=(Prop("belly", 1),)),
        replace(BACK_LYING_HAND_ON_BELLY, props=(Prop("belly", -1),)),
        "Two pictures of a person lying on their back with knees bent: the belly relaxed; then the "
        "belly button gently drawn in toward the spine, the back not pressed flat.",
    ),
    "multifidus": Drawing(
        FACE_DOWN,
        replace(FACE_DOWN, props=(Prop("pillow"), Prop("tense"))),
        "Two pictures of a person lying face down with a pillow under the hips: relaxed; then the "
        "small muscles beside the low back gently tightened, the body not moving.",
    ),
    "pelvic_tilt": Drawing(
        replace(BACK_LYING_BENT, trunk=(168, 192)),
        BACK_LYING_BENT,
        "Two pictures of a person lying on their back with knees bent: the low back slightly "
        "arched; then the low back gently flattened into the floor.",
    ),
    "posture_reset": Drawing(
        SITTING,
        replace(STANDING, props=(Prop("chair", dx=-20),)),
        "Two pictures: sitting tall on a chair with feet flat; then standing up beside the chair "
        "for a short walk.",
    ),
    "heel_slides": Drawing(
        BACK_LYING_BENT,
        replace(BACK_LYING_BENT, leg=(-4, -4, 80), far_leg=KNEES_BENT_LYING),
        "Two pictures of a person lying on their back with knees bent; then one heel slid along "
        "the floor until that leg is almost straight, the back still.",
    ),
    "curl_up": Drawing(
        replace(BACK_LYING_BENT, arm=(-60, 0), far_leg=LEG_STRAIGHT_LYING),
        replace(BACK_LYING_BENT, trunk=(180, 160), arm=(-45, 0), far_leg=LEG_STRAIGHT_LYING),
        "Two pictures of a person lying on their back, one knee bent, one leg straight, hands under "
        "the low back; then the head and shoulders lifted a little, the neck still.",
    ),
    "side_plank_knees": Drawing(
        SIDE_LYING_BENT,
        replace(SIDE_LYING_BENT, trunk=(165, 165), leg=(-15, 60, 150)),
        "Two pictures of a person lying on their side, knees bent, elbow under the shoulder; then "
        "the hips lifted so the body is straight from knees to head.",
    ),
    "bird_dog": Drawing(
        HANDS_AND_KNEES,
        replace(HANDS_AND_KNEES, arm=(5, 5), far_leg=(185, 185)),
        "Two pictures of a person on hands and knees with a flat back; then one arm reached forward "
        "and the other leg straight back, the back still flat like a table.",
    ),
    "dead_bug": Drawing(
        replace(BACK_LYING_BENT, arm=(90, 90), leg=(90, 0)),
        replace(BACK_LYING_BENT, arm=(165, 170), far_arm=(90, 90), leg=(90, 0), far_leg=(15, 10)),
        "Two pictures of a person lying on their back, arms pointing up, knees bent over the hips; "
        "then one arm lowered back past the head and the other leg stretched out low, the low "
        "back still.",
    ),
    "glute_bridge": Drawing(
        BACK_LYING_BENT,
        _bridge((10, -100, 0)),
        "Two pictures of a person lying on their back with knees bent and feet flat; then the hips "
        "lifted so the body is straight from shoulders to knees.",
    ),
    "cat_camel": Drawing(
        replace(HANDS_AND_KNEES, trunk=(40, -5), head=-50),
        replace(HANDS_AND_KNEES, trunk=(0, 30), head=20),
        "Two pictures of a person on hands and knees: the back gently rounded up, head down; then "
        "the back let sag a little, head up.",
    ),
    "side_plank": Drawing(
        SIDE_LYING,
        replace(SIDE_LYING, trunk=(168, 168), leg=(-12, -12, 60)),
        "Two pictures of a person lying on their side, legs straight, elbow under the shoulder; "
        "then the hips lifted so the body is straight from feet to head.",
    ),
    "hip_hinge": Drawing(
        replace(STANDING, arm=(-120, -95), far_arm=(160, 0), props=(Prop("stick"),)),
        replace(
            STANDING,
            trunk=(45, 45),
            arm=(-165, -140),
            far_arm=(115, -45),
            leg=(-75, -100),
            props=(Prop("stick"),),
        ),
        "Two pictures of a person standing tall, holding a stick along the back that touches the "
        "head, upper back and tailbone; then the hips pushed back and the body bent forward, the "
        "stick still touching all three.",
    ),
    "pallof_press": Drawing(
        replace(STANDING, arm=(-70, 60), props=(Prop("band", dx=-28),)),
        replace(STANDING, arm=(-12, -12), props=(Prop("band", dx=-28),)),
        "Two pictures of a person standing side-on to a band tied at chest height: hands holding "
        "it at the chest; then both arms pushed straight out, the body not turning.",
    ),
    "single_leg_bridge": Drawing(
        replace(BACK_LYING_BENT, leg=(40, 40), far_leg=KNEES_BENT_LYING),
        _bridge((20, 20), far_leg=(10, -100, 0)),
        "Two pictures of a person lying on their back, one knee bent with the foot flat, the other "
        "leg stretched out; then the hips lifted, pushing through the heel on the floor.",
    ),
    # --- The conditions' own exercises (app/care/programmes.py) ----------------------------------
    "shoulder_blade_squeeze": Drawing(
        STANDING,
        replace(STANDING, arm=(-110, -100), far_arm=(-115, -105)),
        "Two pictures of a person standing tall, arms by the sides; then the shoulder blades drawn "
        "back and down, the arms moving a little behind the body.",
    ),
    "upper_back_arch": Drawing(
        replace(SITTING, arm=(60, 170)),
        replace(SITTING, trunk=(90, 118), head=135, arm=(95, 200)),
        "Two pictures of a person sitting on a chair with hands behind the head, elbows forward; "
        "then the upper back leaned gently back over the top of the chair, eyes looking up.",
    ),
    "open_book": Drawing(
        replace(SIDE_LYING_BENT, arm=(-10, -10), far_arm=(-10, -10)),
        replace(SIDE_LYING_BENT, arm=(-10, -10), far_arm=(100, 110)),
        "Two pictures of a person lying on their side, knees bent, both arms out in front; then "
        "the top arm opened up and over to the other side like a book, the knees still together.",
    ),
    "band_row": Drawing(
        replace(STANDING, arm=(-10, -10), props=(Prop("band", dx=40),)),
        replace(STANDING, arm=(-120, 20), props=(Prop("band", dx=40),)),
        "Two pictures of a person standing facing a band tied at chest height, arms straight out "
        "holding it; then the elbows pulled back, the shoulder blades squeezed together.",
    ),
    "wall_slide": Drawing(
        replace(STANDING, arm=(120, 60), props=(Prop("wall", dx=-6),)),
        replace(STANDING, arm=(100, 95), props=(Prop("wall", dx=-6),)),
        "Two pictures of a person standing at a wall, forearms on it at shoulder height; then the "
        "arms slid up the wall, the shoulders kept down.",
    ),
    "nerve_glide": Drawing(
        replace(SITTING, head=60),
        replace(SITTING, head=110, leg=(0, -10)),
        "Two pictures of a person sitting tall on the edge of a chair, knee bent, looking down; "
        "then the knee straightened while looking up.",
    ),
    "press_up": Drawing(
        replace(FACE_DOWN, arm=(-150, 0), props=()),
        replace(FACE_DOWN, trunk=(-4, 35), head=40, arm=(-95, -95), props=()),
        "Two pictures of a person lying face down, hands under the shoulders; then the upper body "
        "pushed up on straight arms, the hips staying on the floor.",
    ),
    "knees_to_chest": Drawing(
        BACK_LYING_BENT,
        replace(BACK_LYING_BENT, arm=(45, 10), leg=(135, 0)),
        "Two pictures of a person lying on their back with knees bent; then both knees held and "
        "drawn gently toward the chest.",
    ),
    "clamshell": Drawing(
        SIDE_LYING_BENT,
        replace(SIDE_LYING_BENT, far_leg=(35, 60, 165)),
        "Two pictures of a person lying on their side, knees bent and feet together; then the top "
        "knee lifted, the feet still touching and the hips not rolling back.",
    ),
    "side_leg_raise": Drawing(
        replace(SIDE_LYING, leg=(0, 75, 165), far_leg=(0, 0, 60)),
        replace(SIDE_LYING, leg=(0, 75, 165), far_leg=(22, 22, 100)),
        "Two pictures of a person lying on their side, the bottom knee bent, the top leg straight; "
        "then the top leg lifted a little way, in line with the body.",
    ),
    "knee_squeeze": Drawing(
        BACK_LYING_BENT,
        replace(BACK_LYING_BENT, props=(Prop("tense"),)),
        "Two pictures of a person lying on their back with knees bent and a pillow between the "
        "knees; then the knees squeezing the pillow gently.",
    ),
}


@cache
def svg_for(slug: str) -> str:
    """The drawing of one exercise (KeyError for an exercise without one)."""
    drawing = DRAWINGS[slug]
    return drawing_svg(drawing.start, drawing.end)


@cache
def digest(slug: str) -> str:
    """A short hash of a drawing: its address's version, and its line on the sign-off sheet."""
    return hashlib.sha256(svg_for(slug).encode()).hexdigest()[:12]


@cache
def frame_of(slug: str) -> tuple[int, int, int]:
    """The drawing's width and height in its own units (its viewBox) and where its end panel
    starts, for a page that uses its parts."""
    drawing = DRAWINGS[slug]
    return WIDTH, panel_height(drawing.start, drawing.end), END_OFFSET
