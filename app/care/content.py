"""Every patient-facing clinical text Backtrack shows, in one place for the physician to review.

Write at a US grade 8 reading level or below (a test measures every block with textstat): say what to
do, then why. Numbers that are clinic settings appear as `{placeholders}` filled by `render()`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.care.words import Plural

# --- Pain scale, medication, conditions -------------------------------------------------------

PAIN_SCALE_LOW = "0 = no pain"
PAIN_SCALE_HIGH = "10 = worst pain you can imagine"

# The daily log's medicine question takes several answers (Tylenol and Advil is common); "None"
# stands alone. Anti-inflammatories are named as patients buy them.
MEDICATIONS: dict[str, str] = {
    "none": "None",
    "acetaminophen": "Acetaminophen (Tylenol)",
    "anti_inflammatory": "Anti-inflammatory",
    "other_prescribed": "Other medicine from my doctor",
}
# Shown with the anti-inflammatory choice: the names on the boxes patients buy.
NSAID_NAMES = (
    "Ibuprofen (Advil, Motrin). Naproxen (Aleve). Aspirin, also in Excedrin and in BC and Goody's "
    "powders. Meloxicam (Mobic). Celecoxib (Celebrex). Diclofenac (Voltaren), the gel too. Ketorolac "
    "(Toradol)."
)
MEDICATION_DETAILS: dict[str, str] = {"anti_inflammatory": NSAID_NAMES}
MEDICATION_KEYS: tuple[str, ...] = tuple(MEDICATIONS)
# For summaries and tables: the name without the list of examples ("Anti-inflammatory").
MEDICATION_NAMES: dict[str, str] = {
    "none": "None",
    "acetaminophen": "Acetaminophen",
    "anti_inflammatory": "Anti-inflammatory",
    "other_prescribed": "Other medicine from the doctor",
}
MEDICATION_HINT = "Tick each one you took today."
OTHER_MEDICINE_LABEL = "Which one did your doctor give you? (optional)"
OTHER_MEDICINE_HINT = "Write the name on the box, like Norco or Mobic."
MEDICATION_NONE_AND_SOME = "You ticked “None” and a medicine. Please check your answer."
MEDICATION_MISSING = "Tick the pain medicine you took today, or “None”."

CONDITIONS: dict[str, str] = {
    "lumbar_facet": "Lumbar facet joint pain",
    "si_joint": "Sacroiliac (SI) joint dysfunction",
    "degenerative_disc": "Degenerative disc disease",
    "low_back_spasm": "Chronic low back pain with muscle spasm",
    "thoracic_strain": "Thoracic spine pain from repetitive strain",
    "lumbar_sprain": "Lumbar sprain or ligament injury",
    "failed_back_surgery": "Failed back surgery syndrome",
    "lumbar_radiculopathy": "Lumbar radiculopathy",
}
# Conditions where pain down the leg is tracked too.
LEG_PAIN_CONDITIONS = frozenset({"lumbar_radiculopathy", "failed_back_surgery"})

INJECTION_SITES: dict[str, str] = {
    "facet_joints": "Facet joints",
    "si_joint": "SI joint",
    "ligaments": "Ligaments",
    "paraspinal_muscles": "Paraspinal muscles",
    "disc": "Disc",
    "thoracic_spine": "Mid back (thoracic spine)",
}
# An injection in the mid back sits near the lungs: these patients are asked about chest symptoms.
THORACIC_SITES = frozenset({"thoracic_spine"})
THORACIC_CONDITIONS = frozenset({"thoracic_strain"})

# --- Phases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseGuidance:
    summary: str
    do: tuple[str, ...]
    avoid: tuple[str, ...]


PHASE_GUIDANCE: dict[str, PhaseGuidance] = {
    "evaluation": PhaseGuidance(
        summary=(
            "At your first visit we check your back, look at your scans and take a small amount "
            "of blood. We spin the blood to make your PRP. PRP is platelet-rich plasma: the part "
            "of your own blood that is meant to help tissue heal. At your second visit, the doctor "
            "uses ultrasound (a picture made with sound waves) to place the PRP. That visit takes "
            "30 to 45 minutes. Plan to rest the rest of that day."
        ),
        do=(
            (
                "Take no anti-inflammatory pills from {nsaid_start} to {nsaid_end}. They may weaken how "
                "PRP works."
            ),
            "Take acetaminophen (Tylenol) for pain if you need it.",
        ),
        avoid=(
            (
                "Pills or gels like Advil, Aleve, aspirin, Celebrex or Voltaren from {nsaid_start} to "
                "{nsaid_end}."
            ),
            (
                "If a doctor told you to take low-dose aspirin for your heart, do not stop it on your "
                "own. Ask that doctor first."
            ),
        ),
    ),
    "injection": PhaseGuidance(
        summary=(
            "Today is your injection. The doctor uses ultrasound (a picture made with sound "
            "waves) to place the PRP. The visit takes 30 to 45 minutes."
        ),
        do=(
            "Rest today. Short, easy walks are fine.",
            (
                "Use heat if your back is sore: a low setting, for 20 minutes at a time. Not on skin "
                "that is still numb, and not while you sleep."
            ),
            "Take acetaminophen (Tylenol) for pain if you need it.",
        ),
        avoid=(
            (
                "Ice on the injection site for the first {no_ice_hours} hours. Cold may slow the "
                "healing that PRP is meant to start."
            ),
            "Baths, hot tubs and swimming for 24 hours.",
            "Anti-inflammatory pills, like Advil or Aleve, until {nsaid_end}. They may weaken how PRP works.",
        ),
    ),
    "protect": PhaseGuidance(
        summary=(
            "Your body is starting to heal. Some soreness for a few days is normal. It is part of "
            "healing. Move gently and walk a little every day."
        ),
        do=(
            "Walk for short times, two or three times a day.",
            "Do your gentle home exercises. Stop if pain spreads further down a leg.",
            "Sit up tall and get up to move every 30 minutes.",
        ),
        avoid=(
            "Lifting more than 10 pounds (4.5 kg) for the first two weeks.",
            "Hard activity, like running or jumping, for two weeks.",
            "Anti-inflammatory pills, like Advil or Aleve, until {nsaid_end}.",
        ),
    ),
    "restore": PhaseGuidance(
        summary=(
            "Now you start to get function back. You go back to physical therapy. We work on your "
            "core, how well you move, and how you sit and stand."
        ),
        do=(
            "Do your core home exercises each day.",
            "Walk 20 to 30 minutes a day.",
            "Sit and stand tall. Good posture takes load off your back.",
        ),
        avoid=(
            "Holding your breath while you exercise. Breathe out as you push.",
            (
                "Pushing through pain. Stop an exercise if your pain goes more than 2 points above your "
                "usual pain, or spreads further down a leg."
            ),
        ),
    ),
    "strengthen": PhaseGuidance(
        summary=(
            "Now you build strength, a little more each week. Most of the benefit from PRP builds "
            "over 4 to 12 weeks, so keep going."
        ),
        do=(
            "Do your strength home exercises each day.",
            "Walk 30 to 45 minutes a day.",
            "Lift with your hips and legs, not your back.",
        ),
        avoid=(
            "Big jumps in how much you do. Add a little at a time.",
            "Exercises that send pain further down a leg.",
        ),
    ),
    "maintain": PhaseGuidance(
        summary=(
            "Keep what you have gained. Do your exercises two or three times a week and keep "
            "walking. This helps stop the pain from coming back."
        ),
        do=(
            "Do your exercise plan two or three times a week.",
            "Keep your daily walk.",
            "Take a short break to move after every 30 minutes of sitting.",
        ),
        avoid=("Stopping all exercise when you feel better. That is when the pain can come back.",),
    ),
}

NOT_SCHEDULED = (
    "Your clinic has not scheduled your treatment yet. When they do, your plan will show here. "
    "You can still log your pain each day."
)

AFTERCARE_TITLE = "After your injection"
AFTERCARE_RULES: tuple[str, ...] = (
    "Do not put ice on the injection site for {no_ice_hours} hours. Heat is fine.",
    (
        "Use heat on a low setting, for 20 minutes at a time. Do not put it on skin that is still "
        "numb, and do not use it while you sleep."
    ),
    "Do not take a bath, use a hot tub or swim for 24 hours.",
    "Do not do hard or high-impact activity for two weeks.",
    "Do not lift more than 10 pounds (4.5 kg) for two weeks.",
    (
        "A flare of soreness for up to three days is normal. Call the clinic if it is not getting "
        "better by day three."
    ),
    "Most of the benefit from PRP builds over 4 to 12 weeks, so give it time.",
)

# --- Medication window --------------------------------------------------------------------------

NSAID_COUNTDOWN = "NSAID-free: {days} more days"
NSAID_COUNTDOWN_LAST_DAY = "NSAID-free: today is the last day"
NSAID_UPCOMING = "Stop anti-inflammatory pills on {start}. Keep off them until {end}."
NSAID_EXPLAINED = (
    "Do not take anti-inflammatory pills, like Advil or Aleve, until {end}. These are called "
    "NSAIDs. PRP is meant to work through your body's own healing response, and these pills may "
    "block it. Acetaminophen (Tylenol) is fine: up to 3,000 mg a day. That is 6 Extra Strength "
    "tablets (500 mg each) a day. Or it is 9 Regular Strength tablets (325 mg each). Do not take "
    "more unless your doctor says so."
)
ACETAMINOPHEN_HIDDEN = (
    "Acetaminophen is also in Norco, Percocet, Tylenol PM and many cold and flu pills. Count those "
    "in the 3,000 mg too. If you have liver disease or drink alcohol most "
    "days, ask your doctor how much is safe for you. It may be less."
)
NSAID_ASPIRIN_NOTE = (
    "Take low-dose aspirin for your heart? Do not stop it on your own. Ask the doctor who gave it to you."
)
NSAID_REMINDER = (
    "You took an anti-inflammatory on this day. That is okay, it happens. Try to use acetaminophen "
    "(Tylenol) instead until {end}. These pills may weaken how PRP works. Your therapist will "
    "see this and may check in."
)

# At evaluation the patient lists the medicines they take most days: some change how blood clots,
# so the injection is planned around them (app/care/medicines.py finds them in the list).
MEDICINES_TITLE = "What you take most days"
MEDICINES_INTRO = (
    "List every medicine you take most days, one on each line. Add vitamins and supplements too, "
    "like fish oil. Some of them change how you bleed, so the doctor plans your injection with them "
    "in mind."
)
MEDICINES_LABEL = "Medicines you take most days"
MEDICINES_HINT = "For example: Eliquis 5 mg twice a day. Write “none” if you take none."
MEDICINES_SAVED = "Thank you. The clinic will check this list before your injection."
MEDICINES_ASK = "Please tell us the medicines you take most days before your injection."
MEDICINES_PLAN_NEEDED = (
    "You take a medicine that thins the blood. Do not stop it on your own. The clinic will plan your "
    "injection with the doctor who prescribes it."
)
MEDICINES_EMPTY = "Write your medicines, or “none”."

# --- Warning symptoms ---------------------------------------------------------------------------

URGENCY_KEYS: tuple[str, ...] = ("emergency", "same_day")
# The urgent messages. Which one a patient sees depends on the moment: before or after the
# injection, and whether the clinic is open (app/care/warnings.py chooses). When an emergency is
# present, the card gives that one action; same-day signs are listed under EMERGENCY_ALSO.
EMERGENCY_AFTER_INJECTION = (
    "Go to the emergency department now or call 911. Tell them you had a spine injection. Do not "
    "drive yourself."
)
EMERGENCY_BEFORE_INJECTION = (
    "Go to the emergency department now or call 911. Tell them you are being treated for {condition}. "
    "Do not drive yourself."
)
EMERGENCY_ANY_TIME = (  # on the offline page, which knows nobody's treatment
    "Go to the emergency department now or call 911. Tell them about your spine treatment. Do not "
    "drive yourself."
)
EMERGENCY_ALSO = "Tell the emergency team about these too:"
CONDITION_FOR_EMERGENCY = "back pain ({condition})"
CONDITION_UNKNOWN = "back pain"
SAME_DAY_OPEN = "Call the clinic today. It is open until {closes}."
SAME_DAY_CLOSED = "Call the clinic's after-hours line now. The clinic is closed and opens again {reopens}."
SAME_DAY_ANY_TIME = "Call the clinic today. When it is closed, call its after-hours line."


@dataclass(frozen=True)
class RedFlag:
    key: str
    question: str
    urgency: str
    why: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "saddle_numbness",
        "Numb skin in the groin, buttocks or inner thighs (the parts you sit on)",
        "emergency",
        "This can mean pressure on the nerves at the base of the spine.",
    ),
    RedFlag(
        "bladder_bowel",
        "New trouble holding or passing urine or stool",
        "emergency",
        "This can mean pressure on the nerves at the base of the spine.",
    ),
    RedFlag(
        "leg_weakness",
        "New or worse weakness in a leg or foot, or new numbness in one or both legs",
        "emergency",
        "This can mean pressure on a nerve.",
    ),
    RedFlag(
        "chest_symptoms",
        "New chest pain or trouble breathing",
        "emergency",
        "After a shot in the mid back, this can mean air has leaked around a lung.",
    ),
    RedFlag(
        "allergic_reaction",
        "Hives, swelling of the lips or tongue, or trouble breathing",
        "emergency",
        "This can be an allergic reaction to a medicine used for the shot.",
    ),
    RedFlag(
        "headache_fever",
        "A severe headache with a fever, a stiff neck or confusion",
        "emergency",
        "This can be a sign of a serious infection.",
    ),
    RedFlag(
        "fever",
        "Fever of 100.4 °F (38.0 °C) or more, or chills",
        "same_day",
        "This can be a sign of infection.",
    ),
    RedFlag(
        "fever_back_pain",
        "Fever with back pain that is getting worse",
        "same_day",
        "This can be a sign of an infection deep in the back.",
    ),
    RedFlag(
        "injection_site",
        "The injection site is red, hot, swollen, or leaking fluid",
        "same_day",
        "This can be a sign of infection.",
    ),
    RedFlag(
        "bleeding",
        "Bleeding from the injection site, or a lump there that keeps growing",
        "same_day",
        "This can mean bleeding under the skin. It is more likely if you take a blood thinner.",
    ),
    RedFlag(
        "positional_headache",
        "A headache that gets better when you lie flat",
        "same_day",
        "This can happen after a spine injection and needs a check.",
    ),
)
RED_FLAG_KEYS: tuple[str, ...] = tuple(flag.key for flag in RED_FLAGS)
# Asked only of patients whose injection is in the mid back (thoracic spine).
THORACIC_ONLY_FLAGS = frozenset({"chest_symptoms"})
# Asked of everyone in the first days after the injection (an allergic reaction to what was given).
FIRST_DAYS_ONLY_FLAGS = frozenset({"allergic_reaction"})
SEVERE_PAIN_STREAK = RedFlag(
    "severe_pain_3_days",
    "Back pain much worse than your usual pain for three days in a row",
    "same_day",
    "Pain this high for this long needs a check.",
)
ALL_ALERT_FLAGS: dict[str, RedFlag] = {f.key: f for f in (*RED_FLAGS, SEVERE_PAIN_STREAK)}
WARNING_PROMPT = "Do you have any of these warning signs today?"
WARNING_NONE = "No, none of these"
WARNING_SOME = "Yes, I have at least one"
# Under the bleeding question, for a patient whose medicine list names a blood thinner.
BLEEDING_ON_BLOOD_THINNER = "You take a blood thinner, so watch for this one."
YOU_WROTE = "You wrote: “{quote}”. This may mean: {question}."
WARNING_SIGNS_IN_NOTE = "Your note may tell of a warning sign. See the message at the top of this page."
NOTE_HINT = (
    "Up to {max} characters. Your therapist reads notes in clinic hours. Notes are not read in an "
    "emergency: tick a warning sign above if you have one."
)

# An open alert stays at the top of Today until the care team has seen it, and asks this.
HELP_QUESTION = "Did you get help?"
HELP_ANSWERS: dict[str, str] = {"went": "I went", "called": "I called", "not_yet": "Not yet"}
HELP_THANKS = {
    "went": "Thank you. You told us you went for help. Your care team will check on you.",
    "called": "Thank you. You told us you called. Your care team will check on you.",
    "not_yet": "Please get help now. The buttons above make the call for you.",
}
HELP_STAYS = "This message stays here until your care team has seen it."

# --- Exercises ------------------------------------------------------------------------------------

EXERCISE_SAFETY = (
    "Never hold your breath. Breathe out as you push. Some pain is fine, but no more than 2 points "
    "above your usual pain, during or after. It should settle by the next morning. Stop and tell us "
    "if leg pain spreads further down your leg, or if you have new numbness or weakness."
)
EXERCISE_SAFETY_UPPER_BACK = (  # for the mid back: nothing about legs
    "Never hold your breath. Breathe out as you push. Some pain is fine, but no more than 2 points "
    "above your usual pain, during or after. It should settle by the next morning. Stop and tell us "
    "if pain spreads around your ribs or into an arm, or if you have new numbness or weakness."
)
# After an injection into the disc, in weeks 1-6 (shown with the phase's "Avoid" list).
DISC_LIMITS: tuple[str, ...] = (
    "Sitting for more than 30 minutes at a time. Stand up and walk a little, then sit again.",
    (
        "Bending forward from your waist, or bending and twisting at the same time. Bend at your "
        "hips and knees instead."
    ),
    "Lifting more than 10 pounds (4.5 kg) until week 6. Hold things close to your body.",
)
PRECAUTIONS_PENDING = (
    "Your therapist is checking your surgeon's advice first. More exercises will show here after that."
)


@dataclass(frozen=True)
class Dose:
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    times_per_day: int | None = None
    days_per_week: int | None = None  # None: every day
    cue: str = ""


@dataclass(frozen=True)
class ExerciseText:
    slug: str
    name: str
    purpose: str
    steps: tuple[str, ...]
    stop_if: str
    doses: dict[str, Dose] = field(default_factory=dict)  # phase key -> default dose


STOP_SPREADS = "Stop if pain goes more than 2 points above your usual pain, or spreads further down a leg."
HOLD_10_TWICE = Dose(reps=10, hold_seconds=10, times_per_day=2)

EXERCISES: tuple[ExerciseText, ...] = (
    ExerciseText(
        "walking",
        "Walking",
        "Walking moves blood to the healing area and builds your comfort with daily life.",
        (
            "Walk on flat ground at an easy pace.",
            "Stand tall and let your arms swing.",
            "Add a few minutes each week if it feels good.",
        ),
        "Stop and rest if pain spreads further down a leg or goes more than 2 points above your usual pain.",
        {
            "protect": Dose(minutes=10, times_per_day=2, cue="Up to 3 times a day if it feels fine."),
            "restore": Dose(minutes=20, times_per_day=1, cue="Build up to 30 minutes."),
            "strengthen": Dose(minutes=30, times_per_day=1, cue="Build up to 45 minutes."),
            "maintain": Dose(minutes=30, times_per_day=1, cue="Build up to 45 minutes."),
        },
    ),
    ExerciseText(
        "breathing",
        "Belly breathing",
        "Slow breathing calms pain and helps your deep core muscles work.",
        (
            "Lie on your back with knees bent.",
            "Put one hand on your belly.",
            "Breathe in through your nose so your belly rises.",
            "Breathe out slowly through your mouth.",
        ),
        "Stop if you feel dizzy.",
        {"protect": Dose(minutes=5, times_per_day=2)},
    ),
    ExerciseText(
        "drawing_in",
        "Belly draw-in (lying down)",
        "This wakes up the deep belly muscle that wraps around your spine like a belt.",
        (
            "Lie on your back with knees bent.",
            "Gently pull your belly button in toward your spine.",
            "Keep breathing. Do not press your back flat.",
            "Hold, then relax.",
        ),
        STOP_SPREADS,
        {"protect": HOLD_10_TWICE, "restore": HOLD_10_TWICE},
    ),
    ExerciseText(
        "multifidus",
        "Back muscle wake-up (lying face down)",
        "This wakes up the small muscles next to your spine that keep it steady.",
        (
            "Lie on your stomach with a pillow under your hips.",
            "Gently tighten the muscles beside your spine, as if they swell under your fingers.",
            "Keep breathing and hold, then relax.",
        ),
        STOP_SPREADS,
        {"protect": HOLD_10_TWICE, "restore": HOLD_10_TWICE},
    ),
    ExerciseText(
        "pelvic_tilt",
        "Pelvic tilt",
        "This moves your low back gently so it does not get stiff.",
        (
            "Lie on your back with knees bent.",
            "Gently flatten your low back into the floor.",
            "Hold, then let your back arch a little.",
            "Move slowly in a range that does not hurt.",
        ),
        STOP_SPREADS,
        {
            "protect": Dose(reps=10, hold_seconds=5, times_per_day=2),
            "restore": Dose(reps=10, hold_seconds=10, times_per_day=2),
        },
    ),
    ExerciseText(
        "posture_reset",
        "Sitting posture reset",
        "Short breaks from sitting ease the load on your back.",
        (
            "Sit tall with your feet flat.",
            "Gently draw your belly in.",
            "Every 30 minutes, stand up, walk a few steps and sit back down.",
        ),
        "This should not hurt. Tell your therapist if it does.",
        {
            phase: Dose(cue="Every 30 minutes of sitting.")
            for phase in ("protect", "restore", "strengthen", "maintain")
        },
    ),
    ExerciseText(
        "heel_slides",
        "Heel slides",
        "This trains your core to keep your back still while your legs move.",
        (
            "Lie on your back with knees bent.",
            "Draw your belly in.",
            "Slide one heel out until the leg is almost straight, then back.",
            "Keep your back still. Switch sides.",
        ),
        STOP_SPREADS,
        {"restore": Dose(sets=2, reps=10, cue="Each side.")},
    ),
    ExerciseText(
        "curl_up",
        "Curl-up",
        "This builds the front of your core while your spine stays in a safe position.",
        (
            "Lie on your back with one knee bent and one leg straight.",
            "Put your hands under your low back.",
            "Lift your head and shoulders a little. Keep your neck still.",
            "Hold, then lower.",
        ),
        STOP_SPREADS,
        {
            "restore": Dose(reps=6, hold_seconds=10),
            "strengthen": Dose(reps=6, hold_seconds=10, cue="Later: do 6, rest, then 4, rest, then 2."),
        },
    ),
    ExerciseText(
        "side_plank_knees",
        "Side plank on knees",
        "This builds the muscles on the side of your core.",
        (
            "Lie on your side with knees bent and your elbow under your shoulder.",
            "Lift your hips so your body is straight from knees to head.",
            "Hold, then lower.",
        ),
        STOP_SPREADS,
        {"restore": Dose(reps=6, hold_seconds=10, cue="Each side.")},
    ),
    ExerciseText(
        "bird_dog",
        "Bird-dog",
        "This builds the back muscles that hold your spine steady.",
        (
            "Start on your hands and knees.",
            "Reach one arm forward and the other leg back.",
            "Keep your back flat, like a table. Hold, then switch sides.",
        ),
        STOP_SPREADS,
        {
            "restore": Dose(reps=6, hold_seconds=10, cue="Each side."),
            "strengthen": Dose(reps=6, hold_seconds=10, cue="Each side."),
        },
    ),
    ExerciseText(
        "dead_bug",
        "Dead bug",
        "This trains your core to keep your back still while your arms and legs move.",
        (
            "Lie on your back with arms up and knees bent over your hips.",
            "Slowly lower one arm and the other leg.",
            "Keep your low back still. Switch sides.",
        ),
        STOP_SPREADS,
        {
            "restore": Dose(sets=2, reps=8, cue="Each side."),
            "strengthen": Dose(sets=2, reps=8, cue="Each side."),
        },
    ),
    ExerciseText(
        "glute_bridge",
        "Bridge",
        "This builds your hip and back muscles.",
        (
            "Lie on your back with knees bent and feet flat.",
            "Squeeze your buttocks and lift your hips.",
            "Hold, then lower slowly.",
        ),
        STOP_SPREADS,
        {
            "restore": Dose(sets=2, reps=10, hold_seconds=5),
            "strengthen": Dose(sets=2, reps=10, hold_seconds=5),
        },
    ),
    ExerciseText(
        "cat_camel",
        "Cat and camel",
        "This keeps your spine moving gently.",
        (
            "Start on your hands and knees.",
            "Slowly round your back up, then let it sag a little.",
            "Move only as far as feels easy.",
        ),
        "Stop if it hurts. Move in a smaller range.",
        {
            "restore": Dose(reps=8, cue="Slow moves."),
            "strengthen": Dose(reps=8, cue="Slow moves."),
            "maintain": Dose(reps=8, days_per_week=3, cue="Slow moves."),
        },
    ),
    ExerciseText(
        "side_plank",
        "Side plank",
        "This builds strength in the side of your core.",
        (
            "Lie on your side with your elbow under your shoulder and legs straight.",
            "Lift your hips so your body is straight.",
            "Hold, then lower.",
        ),
        STOP_SPREADS,
        {
            "strengthen": Dose(sets=3, hold_seconds=10, cue="Each side. Build up to 20 seconds."),
            "maintain": Dose(sets=3, hold_seconds=15, days_per_week=3, cue="Each side."),
        },
    ),
    ExerciseText(
        "hip_hinge",
        "Hip hinge with a stick",
        "This teaches you to bend and lift with your hips, not your back.",
        (
            "Hold a stick along your back. It should touch your head, upper back and tailbone.",
            "Push your hips back and bend forward.",
            "Keep all three points on the stick.",
        ),
        STOP_SPREADS,
        {"strengthen": Dose(sets=3, reps=10), "maintain": Dose(sets=3, reps=10, days_per_week=3)},
    ),
    ExerciseText(
        "pallof_press",
        "Band press",
        "This trains your core to stop your body from twisting.",
        (
            "Tie a band at chest height and stand side-on to it.",
            "Hold the band at your chest with both hands.",
            "Push it straight out, hold, and bring it back. Do not let it pull you round.",
        ),
        STOP_SPREADS,
        {
            "strengthen": Dose(sets=3, reps=10, cue="Each side."),
            "maintain": Dose(sets=3, reps=10, days_per_week=3, cue="Each side."),
        },
    ),
    ExerciseText(
        "single_leg_bridge",
        "One-leg bridge",
        "This builds the hip and back muscles on each side.",
        (
            "Lie on your back with knees bent.",
            "Lift one foot off the floor.",
            "Push through the other heel to lift your hips, then lower them slowly.",
        ),
        STOP_SPREADS,
        {
            "strengthen": Dose(sets=3, reps=8, cue="Each side."),
            "maintain": Dose(sets=3, reps=8, days_per_week=3, cue="Each side."),
        },
    ),
)
# Added for particular conditions (app/care/programmes.py picks them per condition and phase; the
# therapist still tailors). Stop lines for the mid back never speak of legs.
STOP_UPPER_BACK = (
    "Stop if pain goes more than 2 points above your usual pain, or spreads around your ribs or into an arm."
)
STOP_NERVE = (
    "Stop if tingling or leg pain lasts after you stop, or spreads further down your leg. A mild "
    "stretch that goes away at once is fine."
)
THREE_DAYS_A_WEEK = 3
CONDITION_EXERCISES: tuple[ExerciseText, ...] = (
    ExerciseText(
        "shoulder_blade_squeeze",
        "Shoulder blade squeeze",
        "This wakes up the muscles between your shoulder blades that hold your upper back tall.",
        (
            "Sit or stand tall with your arms by your sides.",
            "Gently draw your shoulder blades back and down, as if into your back pockets.",
            "Hold, then relax. Keep your neck loose.",
        ),
        STOP_UPPER_BACK,
        {"protect": HOLD_10_TWICE, "restore": HOLD_10_TWICE},
    ),
    ExerciseText(
        "upper_back_arch",
        "Upper back arch over a chair",
        "This eases stiffness in your mid back and helps you stand tall.",
        (
            "Sit on a firm chair with a low back rest.",
            "Put your hands behind your head with elbows forward.",
            "Gently lean your upper back over the top of the chair. Look up a little.",
            "Come back to sitting tall.",
        ),
        STOP_UPPER_BACK,
        {
            "restore": Dose(reps=10, times_per_day=2),
            "strengthen": Dose(reps=10, times_per_day=1),
            "maintain": Dose(reps=10, days_per_week=THREE_DAYS_A_WEEK),
        },
    ),
    ExerciseText(
        "open_book",
        "Open book",
        "This helps your mid back turn freely again.",
        (
            "Lie on your side with knees bent and a pillow under your head.",
            "Put both arms out in front of you, palms together.",
            "Lift the top arm and open it to the other side, like a book. Let your eyes follow your hand.",
            "Go only as far as feels easy, then close the book.",
        ),
        STOP_UPPER_BACK,
        {
            "restore": Dose(reps=8, times_per_day=2, cue="Each side."),
            "strengthen": Dose(reps=8, cue="Each side."),
            "maintain": Dose(reps=8, days_per_week=THREE_DAYS_A_WEEK, cue="Each side."),
        },
    ),
    ExerciseText(
        "band_row",
        "Band row",
        "This builds the muscles between your shoulder blades so your upper back can take daily loads.",
        (
            "Tie a band at chest height and face it.",
            "Hold one end in each hand with arms straight.",
            "Pull your elbows back and squeeze your shoulder blades together.",
            "Let the band back out slowly.",
        ),
        STOP_UPPER_BACK,
        {
            "restore": Dose(sets=2, reps=10, cue="Use a light band."),
            "strengthen": Dose(sets=3, reps=10),
            "maintain": Dose(sets=3, reps=10, days_per_week=THREE_DAYS_A_WEEK),
        },
    ),
    ExerciseText(
        "wall_slide",
        "Wall slide",
        "This trains your shoulder blades to move well when you reach up.",
        (
            "Stand with your forearms on a wall, elbows at shoulder height.",
            "Slide your arms up the wall as far as feels easy.",
            "Keep your shoulders down, away from your ears. Slide back down.",
        ),
        STOP_UPPER_BACK,
        {
            "restore": Dose(sets=2, reps=10),
            "strengthen": Dose(sets=3, reps=10),
            "maintain": Dose(sets=3, reps=10, days_per_week=THREE_DAYS_A_WEEK),
        },
    ),
    ExerciseText(
        "nerve_glide",
        "Nerve glide",
        "This helps the nerve to your leg slide freely, which can ease leg pain.",
        (
            "Sit tall on the edge of a chair.",
            "Slowly straighten one knee while you look up.",
            "Then bend the knee while you look down.",
            "Keep it smooth. Do not hold at the end.",
        ),
        STOP_NERVE,
        {
            "protect": Dose(reps=10, times_per_day=2, cue="The leg your pain is in."),
            "restore": Dose(sets=2, reps=10, times_per_day=2, cue="The leg your pain is in."),
            "strengthen": Dose(sets=2, reps=10, cue="The leg your pain is in."),
        },
    ),
    ExerciseText(
        "press_up",
        "Press-up lying face down",
        "For some people, bending the back gently backward eases leg pain. Your therapist checks if "
        "this is you.",
        (
            "Lie on your stomach with your hands under your shoulders.",
            "Keep your hips down and slowly push your upper body up.",
            "Go only as far as feels easy, then lower.",
        ),
        "Stop if leg pain spreads further down your leg. Leg pain that moves up toward your back is "
        "a good sign.",
        {
            "restore": Dose(reps=10, times_per_day=3),
            "strengthen": Dose(reps=10, times_per_day=2),
            "maintain": Dose(reps=10, times_per_day=1),
        },
    ),
    ExerciseText(
        "knees_to_chest",
        "Knees to chest",
        "This bends your low back gently forward, which eases pain for many people.",
        (
            "Lie on your back with knees bent.",
            "Hold behind your knees and gently pull them toward your chest.",
            "Hold, then lower your feet one at a time.",
        ),
        STOP_SPREADS,
        {
            "protect": Dose(reps=5, hold_seconds=10, times_per_day=2),
            "restore": Dose(reps=5, hold_seconds=10, times_per_day=2),
            "strengthen": Dose(reps=5, hold_seconds=10),
            "maintain": Dose(reps=5, hold_seconds=10, days_per_week=THREE_DAYS_A_WEEK),
        },
    ),
    ExerciseText(
        "clamshell",
        "Clamshell",
        "This builds the muscles on the side of your hip that keep your pelvis steady.",
        (
            "Lie on your side with knees bent and feet together.",
            "Keep your feet touching and lift the top knee.",
            "Do not let your hips roll back. Then lower it slowly.",
        ),
        STOP_SPREADS,
        {
            "protect": Dose(reps=10, times_per_day=1, cue="Each side. Small and slow."),
            "restore": Dose(sets=2, reps=10, cue="Each side."),
            "strengthen": Dose(sets=3, reps=12, cue="Each side. Add a band above the knees."),
            "maintain": Dose(sets=3, reps=12, days_per_week=THREE_DAYS_A_WEEK, cue="Each side."),
        },
    ),
    ExerciseText(
        "side_leg_raise",
        "Side-lying leg lift",
        "This builds the muscles on the outside of your hip.",
        (
            "Lie on your side with the bottom knee bent.",
            "Keep the top leg straight and in line with your body.",
            "Lift it a little way, hold, then lower slowly.",
        ),
        STOP_SPREADS,
        {
            "restore": Dose(sets=2, reps=10, cue="Each side."),
            "strengthen": Dose(sets=3, reps=10, cue="Each side."),
        },
    ),
    ExerciseText(
        "knee_squeeze",
        "Knee squeeze with a pillow",
        "This builds the muscles on the inside of your thighs, which help steady your pelvis.",
        (
            "Lie on your back with knees bent and a pillow between them.",
            "Squeeze the pillow gently with your knees.",
            "Hold, then relax.",
        ),
        STOP_SPREADS,
        {
            "protect": Dose(reps=10, hold_seconds=5, times_per_day=2),
            "restore": Dose(reps=10, hold_seconds=10, times_per_day=2),
            "strengthen": Dose(sets=2, reps=10, hold_seconds=10),
        },
    ),
)
ALL_EXERCISES: tuple[ExerciseText, ...] = (*EXERCISES, *CONDITION_EXERCISES)
EXERCISES_BY_SLUG: dict[str, ExerciseText] = {e.slug: e for e in ALL_EXERCISES}

NO_EXERCISES_YET = (
    "No home exercises yet. Rest and take short, easy walks. Your exercises start the day after "
    "your injection."
)


# --- Words on the patient's pages ---------------------------------------------------------------

YOU_TOLD_US = "You told us: {question}."
LOG_CHECK_ANSWERS = "Please check the answers marked below. Nothing was saved yet."
LOG_INCOMPLETE_OFFLINE = (
    "Choose your back pain from 0 to 10 and answer the warning signs question, then save."
)
LOG_SAVED = "Saved. Thank you."
WARNING_SIGNS_REPORTED = "You told us of {count}. See the message at the top of this page."
KEPT_OFFLINE = "Saved on this phone. It will be sent when you are back online."
OFFLINE_INTRO = (
    "This phone has no connection right now. You can still log today's pain below. It is kept on "
    "this phone and sent when you are back online."
)
TICK_HELP = "Tap each time you do an exercise. Tap again to undo."
NOT_DUE_TODAY = "Next time: {day}."
PROGRESS_MEANINGFUL = "That is a real improvement. Keep going."
PROGRESS_TOO_FEW_LOGS = (
    "This average uses only {count} of the last 7 days. Log on at least {needed} days a week to "
    "see a fair picture of your progress."
)
CHART_EMPTY = "Your pain chart appears here once you log your pain."
CHART_DESCRIPTION = "Each dot is one day's back pain from 0 to 10."
CHART_BASELINE_LINE = "The dashed line is your pain before treatment."
CHART_TABLE_NOTE = "The same numbers are in the table below."
CHART_LOWER_IS_BETTER = "Lower is better."
HISTORY_EMPTY = "No entries yet. Your daily logs will appear here."
LOG_FUTURE_DAY = "You cannot log a day that has not happened yet."
LOG_NEWER_ENTRY = (
    "This day's log was changed on another phone or tab after you opened this form. Your answers "
    "are below: save again to use them instead."
)
LOG_KEY_REUSED = (
    "This form was already saved once with other answers. Nothing was changed now. Your answers "
    "are below: check them and save again."
)
LOG_DAY_CLOSED = (
    "That day can no longer be changed. You can change only today's and yesterday's entries. Your "
    "answers are kept below: save them for today if they are about today."
)
# --- After week 12: the review and what comes next (app/care/follow_up.py) ---------------------

REVIEW_TITLE = "Your 12-week review"
REVIEW_INTRO = "Your 12-week plan is done. Here is how it went, and what comes next."
REVIEW_IMPROVED = (
    "Your back pain went down by a real amount. It was {before} before your injection and {now} in week 12."
)
REVIEW_NOT_IMPROVED = (
    "Your back pain has not gone down by a real amount yet. It was {before} before your injection "
    "and {now} in week 12. This happens to some people. It is not your fault."
)
REVIEW_TOO_FEW_LOGS = "We do not have enough pain logs from week 12 to tell how much your pain changed."
# The clinic's words for what comes next: for those who improved, and for those who did not.
REVIEW_NEXT_IMPROVED = (
    "Keep doing your exercises 2 to 3 times a week, and keep walking. This helps stop the pain from "
    "coming back. If your pain comes back, talk with your clinic. A repeat injection may help some "
    "people."
)
REVIEW_NEXT_NOT_IMPROVED = (
    "Please book a visit with your clinic to talk about what to try next. Not everyone gets better "
    "after a PRP injection. Your doctor will talk with you about other choices."
)
REVIEW_CADENCE = (
    "From now on, we ask for your pain once a week and the check-in questions once a month. You "
    "can choose to log your pain every day."
)
LOG_EVERY_LABEL = "How often do you want to log your pain?"
LOG_EVERY_NAMES: dict[int, str] = {7: "Once a week", 1: "Each day"}
LOG_EVERY_SAVED = "Saved. You can change this at any time."
LOG_NOT_DUE = "Your next pain log is on {day}. You can log today too if you want."

# --- Between visits: reminders, messages, passkeys ----------------------------------------------
# A notification is read on a lock screen, so it never names a symptom, a medicine or a treatment.

# The reminders themselves (subjects and e-mail) are in app/care/words/outside.py.
# What staff get when a warning sign is raised or escalated: a lock screen shows it, so it names
# nobody and no symptom.
ALERT_NOTICE_SUBJECT = "Backtrack: a patient needs attention"
ALERT_NOTICE_EMAIL_BODY = (
    "{subject}.\n\nOpen Backtrack to see who and why: {link}\n\n"
    "For privacy, this e-mail has no health details.\n"
)
REMINDERS_INTRO = (
    "Get a short note when your daily log is not done, the day before a step in your plan, and "
    "when your care team writes. The note never says anything about your health."
)
REMINDERS_QUIET = "You get no notes in your quiet hours."

MESSAGES_INTRO = "Write to your care team about your plan, your exercises or how you feel."
MESSAGES_READ_WHEN = "Your therapist reads them when the clinic is open: {hours}."
MESSAGES_NOT_FOR_EMERGENCIES = (
    "Messages are not read in an emergency. If you have a warning sign, call 911 or go to the "
    "emergency room now."
)
MESSAGE_SENT_WITH_WARNING = (
    "Your message is sent. It may tell of a warning sign, so act on the message at the top now. Do "
    "not wait for a reply."
)
MESSAGES_CLOSED = "The clinic is closed now. Expect a reply {when}."
MESSAGES_EMPTY = "No messages yet. Your care team will answer here."

PASSKEY_OFFER_TITLE = "Sign in with your face or fingerprint next time"
PASSKEY_OFFER = (
    "Add a passkey to this phone. Then you sign in with your face, your fingerprint or your screen "
    "lock. You do not need to type your password."
)
PASSKEYS_INTRO = (
    "A passkey lets you sign in with your face, your fingerprint or your screen lock. It stays on "
    "your device. Your password still works."
)


def render(text: str, **settings: object) -> str:
    """Fill a text's setting placeholders (for example `{no_ice_hours}`)."""
    return text.format(**settings) if settings else text


# An exercise's dose, part by part ("2 sets of 10 · hold 5 seconds · 2 times a day") ------------------------
DOSE_MINUTES = Plural("{count} minute", "{count} minutes")
DOSE_SETS_OF = Plural("{count} set of {reps}", "{count} sets of {reps}")
DOSE_TIMES = Plural("{count} time", "{count} times")
DOSE_HOLD = Plural("hold {count} second", "hold {count} seconds")
DOSE_ONCE_A_DAY = "once a day"
DOSE_PER_DAY = Plural("{count} time a day", "{count} times a day")
DOSE_PER_WEEK = Plural("{count} day a week", "{count} days a week")


def english_count(text: Any, count: int, **values: object) -> str:
    """A text with a number (a `Plural`) in English: the "one" form for 1, else the other."""
    return render(text.one if count == 1 else text.other, count=count, **values)


def dose_text(
    dose: Dose, say_count: Callable[..., str] = english_count, say: Callable[..., str] = render
) -> str:
    """A dose in plain words: "2 sets of 10 · hold 5 seconds · 2 times a day". Each part is a
    catalogue text; a page passes its own `say_count` and `say` (the reader's language)."""
    parts = []
    if dose.minutes:
        parts.append(say_count(DOSE_MINUTES, dose.minutes))
    if dose.sets and dose.reps:
        parts.append(say_count(DOSE_SETS_OF, dose.sets, reps=dose.reps))
    elif dose.sets or dose.reps:
        parts.append(say_count(DOSE_TIMES, dose.sets or dose.reps))
    if dose.hold_seconds:
        parts.append(say_count(DOSE_HOLD, dose.hold_seconds))
    if dose.times_per_day == 1:
        parts.append(say(DOSE_ONCE_A_DAY))
    elif dose.times_per_day:
        parts.append(say_count(DOSE_PER_DAY, dose.times_per_day))
    if dose.days_per_week and dose.days_per_week < 7:
        parts.append(say_count(DOSE_PER_WEEK, dose.days_per_week))
    return " · ".join(parts)


# --- Questionnaires (PEG, PSFS, PGIC) -------------------------------------------------------------
# The PEG and the PGIC are shown word for word as published (a paraphrase is no longer the validated
# instrument), with their sources below; the words around them are ours and plain. All three are free
# to use. The Oswestry index is licensed: its text must not be added here.


@dataclass(frozen=True)
class QuestionnaireText:
    kind: str
    title: str  # what the patient sees on the card and the screen
    intro: str
    why: str  # one sentence: why we ask


PEG_SOURCE = (
    "Krebs EE, Lorenz KA, Bair MJ, Damush TM, Wu J, Sutherland JM, Asch SM, Kroenke K. Development "
    "and initial validation of the PEG, a three-item scale assessing pain intensity and interference. "
    "J Gen Intern Med. 2009;24(6):733-738. doi:10.1007/s11606-009-0981-1"
)
PEG_ITEMS: tuple[tuple[str, str, str, str], ...] = (  # key, question, 0 means, 10 means: Krebs 2009
    (
        "pain",
        "What number best describes your pain on average in the past week?",
        "No pain",
        "Pain as bad as you can imagine",
    ),
    (
        "enjoyment",
        (
            "What number best describes how, during the past week, pain has interfered with your "
            "enjoyment of life?"
        ),
        "Does not interfere",
        "Completely interferes",
    ),
    (
        "activity",
        (
            "What number best describes how, during the past week, pain has interfered with your "
            "general activity?"
        ),
        "Does not interfere",
        "Completely interferes",
    ),
)
PGIC_SOURCE = (
    "Patient Global Impression of Change as used by Farrar JT, Young JP Jr, LaMoreaux L, Werth JL, "
    "Poole RM. Clinical importance of changes in chronic pain intensity measured on an 11-point "
    "numerical pain rating scale. Pain. 2001;94(2):149-158. doi:10.1016/S0304-3959(01)00349-9 "
    "(wording as in the PhenX Toolkit protocol 860801); after Guy W, ECDEU Assessment Manual for "
    "Psychopharmacology, 1976."
)
PGIC_QUESTION = "Since the start of the study, my overall status is:"
PGIC_CHOICES: tuple[tuple[int, str], ...] = (  # Farrar 2001, word for word
    (1, "Very much improved"),
    (2, "Much improved"),
    (3, "Minimally improved"),
    (4, "No change"),
    (5, "Minimally worse"),
    (6, "Much worse"),
    (7, "Very much worse"),
)
PGIC_LABELS: dict[int, str] = dict(PGIC_CHOICES)
PUBLISHED_WORDING: frozenset[str] = frozenset(
    {
        *(text for item in PEG_ITEMS for text in item[1:]),
        PGIC_QUESTION,
        *(label for _value, label in PGIC_CHOICES),
    }
)
"""The instruments' own words: kept as published, so the reading-level test does not measure them;
the plain words next to them (the intros) explain the hard ones."""
PSFS_SCALE_LOW = "0 = I cannot do it at all"
PSFS_SCALE_HIGH = "10 = I can do it as well as before my back problem"
PSFS_NAME_HINT = "For example: sit through a movie, lift my grandchild, garden for an hour."
PSFS_ADD_HINT = "Is there a new activity you find hard now? You can add one (optional)."
QUESTIONNAIRES: dict[str, QuestionnaireText] = {
    "peg": QuestionnaireText(
        "peg",
        "Weekly check-in",
        "Three quick questions about your pain in the past week. Tap one number for each. "
        "“Interfered” means got in the way.",
        "Your answers show how pain affects your life, not just how much it hurts.",
    ),
    "psfs": QuestionnaireText(
        "psfs",
        "Activities that are hard for you",
        "Name up to three things you find hard to do because of your back. Then rate how well "
        "you can do each one today.",
        "We ask again at week 6 and week 12. This shows if you can do more.",
    ),
    "psfs_again": QuestionnaireText(
        "psfs",
        "Activities that are hard for you",
        "Rate how well you can do each of these activities today.",
        "You named these before. Your new answers show if you can do more now.",
    ),
    "pgic": QuestionnaireText(
        "pgic",
        "How has your back changed?",
        "One question about how your back has changed. “The study” means your treatment here. "
        "“Minimally” means a little. “Status” means how you are.",
        "Your answer helps your clinic see if the treatment works.",
    ),
}
QUESTIONNAIRE_CARD_DUE = "It takes about a minute."
QUESTIONNAIRE_CARD_OVERDUE = "This one is waiting for you. It takes about a minute."
QUESTIONNAIRE_THANKS = "Thank you. Your answers are saved. Your therapist can see them."

# --- Your records ---------------------------------------------------------------------------------

RECORDS_INTRO = (
    "You can take a copy of everything this app keeps about you. You can also add your visits to "
    "your phone's calendar, or print a one-page summary for your next visit."
)
RECORDS_DOWNLOAD = "A zip file with one spreadsheet file (CSV) for each kind of record."
RECORDS_FHIR = "The same data as one FHIR file. FHIR is a standard format that other health apps can read."
RECORDS_CALENDAR = (
    "Your two visits, the start of each phase and the days to skip anti-inflammatory pills. "
    "Open the file again after a change and your calendar updates."
)
RECORDS_SUMMARY = "A one-page summary of your treatment to print or save as a PDF."
QUESTIONNAIRE_CLOSED = "There is nothing to answer right now. We will show it on Today when it is time."

# --- Apps that read your records (the FHIR API, docs/fhir.md) -----------------------------------

OAUTH_ERROR_TITLE = "That app's request did not work"
OAUTH_ERROR_MESSAGE = (
    "The app asked for your records in a way this clinic does not accept. Go back to the app and "
    "try again. If it keeps happening, tell the people who make the app."
)
OAUTH_ERROR_DETAIL = "For the app's makers:"
OAUTH_ERROR_HOME = "Go to your home page"
OAUTH_REQUEST_TOO_LONG = "That request is too long."
OAUTH_REQUEST_UNREADABLE = (
    "That request has signs in it that an app never sends. Go back to the app and try again."
)
CONSENT_TITLE = "Allow {app}?"
CONSENT_ALLOW = "Allow"
CONSENT_DENY = "Do not allow"
CONSENT_INTRO = "{app} wants to read your records at {clinic}. It will see only what is listed here."
CONSENT_OFFLINE = (
    "It can keep reading them while you are not using it, until you stop it on your account page."
)
CONSENT_STAFF = "It will see the same patients you see in this app, and nothing more."
CONSENT_DECIDE = "Say yes only if you trust this app. You can stop it at any time on your account page."
CONNECTED_APPS_INTRO = "These apps can read your records. Stop one and it loses access at once."
CONNECTED_APPS_NONE = "No apps can read your records."
SCOPE_WORDS: dict[str, str] = {
    "*": "Everything in your records here",
    "Patient": "Your name and email",
    "Observation": "Your pain scores, check-ins and exercise days",
    "CarePlan": "Your treatment plan and exercises",
    "QuestionnaireResponse": "Your answers to the check-in questions",
    "Flag": "Warning signs you told us about",
    "Communication": "Your messages with the clinic",
    "Practitioner": "The names of the clinic's staff",
}

# --- Times and days inside a sentence (app/care/hours.py) ---------------------------------------

CLOCK_NOON = "12 noon"
CLOCK_AM = "{hour} am"
CLOCK_AM_MINUTES = "{hour}:{minutes} am"
CLOCK_PM = "{hour} pm"
CLOCK_PM_MINUTES = "{hour}:{minutes} pm"
WEEKDAY_WORDS: tuple[str, ...] = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
# When something happens, seen from today: "tomorrow at 8 am", "Monday after 8 am".
WHEN_WORDS: dict[str, dict[str, str]] = {
    "at": {"today": "today at {time}", "tomorrow": "tomorrow at {time}", "later": "{weekday} at {time}"},
    "after": {
        "today": "today after {time}",
        "tomorrow": "tomorrow after {time}",
        "later": "{weekday} after {time}",
    },
}
NEXT_WORKING_DAY = "on the next working day"
HOURS_RUN = "{first} to {last}, {opens} to {closes}"
HOURS_DAYS = "{days}, {opens} to {closes}"
HOURS_NEVER = "Closed every day"
CALL_911 = "Call 911"
CALL_THE_CLINIC = "Call the clinic:"
CALL_AFTER_HOURS = "Call the after-hours line:"

# --- Words around the content: one module per part of the app (app/care/words/) ----------------
# Taken in here so that the sheet, the reading-level test and the translations see every one.
from app.care.words.account import *  # noqa: E402, F403
from app.care.words.before_procedure import *  # noqa: E402, F403
from app.care.words.lessons import *  # noqa: E402, F403
from app.care.words.outside import *  # noqa: E402, F403
from app.care.words.pages import *  # noqa: E402, F403
from app.care.words.sheet import *  # noqa: E402, F403
from app.care.words.timer import *  # noqa: E402, F403
from app.care.words.today import *  # noqa: E402, F403
