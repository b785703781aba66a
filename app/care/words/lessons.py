"""Lessons by phase and the Learn page (see app/care/words/__init__.py).

Each lesson fits one phone screen: at most 300 words, at a US grade 6 reading level or below (the
reading-level tests hold every lesson to both). The day each one shows on Today is a protocol rule
and lives in app/care/lessons.py. Lessons never promise a result: PRP is "meant to" help, and its
risks are named (the clinic's "no significant adverse effects" is not repeated here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Lesson:
    """One short lesson: a line for the Today card, then a paragraph, a list and a last word."""

    key: str  # in the address and the read records: never changes once shipped
    title: str
    teaser: str
    intro: str
    points: tuple[str, ...]
    closing: str


LESSON_PRP = Lesson(
    key="prp",
    title="What PRP can and cannot do",
    teaser="What PRP is meant to do, and what no one can promise you.",
    intro=(
        "PRP is made from your own blood. We spin a small amount of it to collect the platelets. "
        "Platelets carry signals that are meant to help tissue heal. The doctor uses ultrasound "
        "to place the PRP in the sore part of your back."
    ),
    points=(
        "PRP is meant to help your back heal over weeks, not days.",
        "If it helps, the change most often builds over 4 to 12 weeks.",
        "It works best with your home exercises and daily walks.",
        "No one can promise you a result. Some people get a lot better, some a little, and some not at all.",
        (
            "Like any shot, it has risks. Soreness for a few days is common. Less often, there can be "
            "an infection, bleeding or a bad headache. The warning questions in your daily check-in "
            "tell you what to watch for."
        ),
    ),
    closing=(
        "Ask your doctor what result is likely for you. Write your questions down and bring them to "
        "your visit."
    ),
)

LESSON_FIRST_TWO_WEEKS = Lesson(
    key="first_two_weeks",
    title="Your first two weeks, day by day",
    teaser="What each part of the first two weeks looks like.",
    intro="Healing starts slowly. Here is what most people can expect. Your own days may be a bit different.",
    points=(
        (
            "Injection day: Rest. Short, easy walks are fine. No ice on the spot for {no_ice_hours} "
            "hours. No bath, hot tub or swim for 24 hours."
        ),
        (
            "Days 1 to 3: Your back may be sore, even more than before. This is part of healing. Use "
            "heat and acetaminophen (Tylenol) if you need them. Do your gentle exercises if you can."
        ),
        "Days 4 to 7: The soreness should ease. Walk for a short time two or three times a day.",
        (
            "Days 8 to 14: Walk a bit longer each day. Lift nothing over 10 pounds (4.5 kg). No "
            "running, jumping or hard sports yet."
        ),
        (
            "Every day: Log your pain and answer the warning questions. Take no anti-inflammatory "
            "pills, like Advil or Aleve, until the date on your Today page."
        ),
    ),
    closing="On day 15 the next phase starts. You will do more exercise, and physical therapy starts again.",
)

LESSON_FLARE = Lesson(
    key="flare",
    title="Your flare plan",
    teaser="What to do when your pain flares up.",
    intro=(
        "A flare is a time when your pain goes up for a while. In the first three days after the "
        "injection, a flare of soreness is common. It is part of healing and should ease by day 3."
    ),
    points=(
        "Rest for a short time, then move gently. Short walks help more than a whole day in bed.",
        "Use heat on a low setting for 20 minutes at a time. Not on numb skin, and not while you sleep.",
        "Do not put ice on the spot for the first {no_ice_hours} hours.",
        (
            "Take acetaminophen (Tylenol) if you need it. Take no anti-inflammatory pills, like Advil "
            "or Aleve, until the date on your Today page."
        ),
        "Breathe slowly from your belly for a few minutes. It helps your body calm down.",
        "When the flare eases, go back to your exercises. Start with fewer and build up.",
    ),
    closing=(
        "Call the clinic if the flare is not getting better by day 3. A flare can come later too, "
        "after a busy day: use the same plan and tell your therapist. A warning sign is not a flare. "
        "Answer it in your daily check-in, and it tells you what to do right away."
    ),
)

LESSON_SIT_SLEEP_LIFT = Lesson(
    key="sit_sleep_lift",
    title="Sitting, sleeping and lifting",
    teaser="Easy ways to sit, sleep and lift while your back heals.",
    intro="How you sit, sleep and lift can take strain off your back while it heals.",
    points=(
        (
            "Sitting: Sit up tall with your back against the chair "
            "and your feet flat. Get up and move every 30 minutes."
        ),
        (
            "Sleeping: Lie on your side with a pillow between your knees. Or lie on your back with a "
            "pillow under your knees. Use the one that feels best."
        ),
        (
            "Getting out of bed: Roll onto your side, let your legs "
            "drop over the edge, and push up with your arms."
        ),
        (
            "Lifting: For the first two weeks, lift nothing over 10 pounds (4.5 kg). A full gallon of "
            "milk is about 8 pounds."
        ),
        (
            "How to lift: Hold the load close to your body. Bend at your hips and knees, not at your "
            "waist. Do not twist while you hold it."
        ),
    ),
    closing="After two weeks, your therapist will help you lift more, step by step.",
)

LESSON_WORK_DRIVING = Lesson(
    key="work_driving",
    title="Going back to work and driving",
    teaser="How to plan your return to work and to the wheel.",
    intro=(
        "What you can do depends on your job and on how you feel. Ask your doctor or therapist "
        "about your own work."
    ),
    points=(
        (
            "Desk work: You may be able to go back after a few days. "
            "Sit tall, and get up to move every 30 minutes."
        ),
        (
            "Work with lifting: Lift nothing over 10 pounds (4.5 kg) for the first two weeks. Ask the "
            "clinic for a note about light work if you need one."
        ),
        (
            "Hard or heavy work: Wait until your doctor or therapist "
            "says it is OK. You will build up to it over weeks."
        ),
        (
            "Driving: Drive only when you can sit, turn and brake with no sharp pain. Do not drive after "
            "a medicine that makes you sleepy. On long drives, stop often to walk."
        ),
        "Ask your doctor if you need a ride home on your injection day.",
    ),
    closing="If work makes your pain much worse, tell your therapist. Together you can plan a slower return.",
)

LESSON_PAIN_AND_NERVES = Lesson(
    key="pain_and_nerves",
    title="Pain and your nervous system",
    teaser="Why pain is not always a sign of harm.",
    intro=(
        "Pain is a warning made by your brain and nerves. After months of back pain, this warning "
        "system can get too alert. It may sound the alarm even when your back is safe."
    ),
    points=(
        "Hurt does not always mean harm. Some pain when you start to move more is normal.",
        "Stress, poor sleep and worry can turn the alarm up. Rest, slow breaths and walks can turn it down.",
        (
            "Moving a bit more each week helps your nerves calm down. "
            "Lying still for a long time can make pain worse."
        ),
        (
            "The pain rule for exercise: your pain may go up by 2 points or less. It should settle by "
            "the next morning."
        ),
        "Stop and tell us if pain spreads further down a leg, or if you have new numbness or weakness.",
    ),
    closing=(
        "Your brain and nerves can learn to calm down. This takes time, just like the healing in your back."
    ),
)

LESSON_AFTER_WEEK_12 = Lesson(
    key="after_week_12",
    title="After week 12",
    teaser="How to keep your back strong now that the main plan ends.",
    intro=(
        "Week 12 is the end of the main plan. Your back may still change over the next months. Now "
        "the goal is to keep what you have gained."
    ),
    points=(
        "Keep doing your exercises two or three times a week.",
        (
            "Keep walking most days. In a large study, people who "
            "walked often stayed free of back pain for longer."
        ),
        "Log your pain when Backtrack asks. It helps you and your clinic see how you are doing.",
        "If your pain is not better, that is worth knowing too. Talk with your doctor about what comes next.",
        "If the pain comes back, use your flare plan. Call the clinic if it does not settle.",
    ),
    closing="You can read every lesson again on the Learn page at any time.",
)

LESSONS: tuple[Lesson, ...] = (
    LESSON_PRP,
    LESSON_FIRST_TWO_WEEKS,
    LESSON_FLARE,
    LESSON_SIT_SLEEP_LIFT,
    LESSON_WORK_DRIVING,
    LESSON_PAIN_AND_NERVES,
    LESSON_AFTER_WEEK_12,
)

# The Learn page, a lesson's page and the card on Today.
LEARN_TITLE = "Learn"
LEARN_INTRO = "Short lessons about your treatment. Each one takes a minute or two to read."
LESSON_TODAY = "A lesson for today"
LESSON_READ_IT = "Read the lesson"
LESSON_READ_AGAIN = "Read it again"
LESSON_GOT_IT = "Got it"
LESSON_GOT_IT_HINT = "Tap when you have read it, so your therapist knows."
LESSON_READ_ON = "You read this on {day}."
LESSON_NOT_READ = "Not read yet"
LESSON_READ = "Read"
LESSON_WHEN_BEFORE = "Before your injection"
LESSON_WHEN_INJECTION = "On your injection day"
LESSON_WHEN_DAY = "Day {day} after your injection"
LESSON_ALL = "All lessons"
