"""Before and after the procedure: the PRP consent page and the preparation texts (see
app/care/words/__init__.py).

The page says what PRP is meant to do, what it cannot promise and its real risks, in that order,
before the patient ticks "I have read this". The clinic's brochure says PRP "has no significant
adverse effects": that claim is never shown to a patient (tests/test_before_injection.py). Which
texts a patient reads is decided in app/care/before_injection.py (the collapsed-lung risk only for
a mid-back injection; the blood draw, the ride home and the ultrasound list by clinic setting)."""

from __future__ import annotations

BEFORE_TITLE = "Before your injection"
BEFORE_BACK = "Back to Today"
BEFORE_INTRO = (
    "Please read this page before your injection. It says what PRP can and cannot do, and its "
    "risks. It also says how to get ready. At the end, tick the box to say you have read it."
)

# --- What PRP is meant to do, and what it cannot promise ----------------------------------------
BEFORE_MEANT_TITLE = "What PRP is meant to do"
BEFORE_MEANT = (
    "PRP is made from your own blood. A machine spins the blood to collect the platelets, the "
    "part of blood that helps a wound heal. The doctor puts the PRP into the sore part of your "
    "back. It is meant to help that part heal and hurt less. Any change comes slowly, over 4 to "
    "12 weeks."
)
BEFORE_CANNOT_TITLE = "What PRP cannot promise"
BEFORE_CANNOT = (
    "PRP does not help everyone. Some people get much better, some a little, and some not at "
    "all. No one can promise how much your pain will go down, or for how long. You will still "
    "need your exercises. Some people need other treatment later."
)

# --- The risks ------------------------------------------------------------------------------------
BEFORE_RISKS_TITLE = "The risks"
BEFORE_RISKS_INTRO = "Most people have no serious problem. But any needle in the back has risks:"
BEFORE_RISK_FLARE = (
    "More pain for a few days. This is common. It is most often worst in the first 2 to 3 days."
)
BEFORE_RISK_INFECTION = (
    "An infection where the needle went in, which is rare. Signs are a fever, chills, or a site "
    "that is red, hot, swollen or leaking."
)
BEFORE_RISK_BLEEDING = (
    "Bleeding or a bruise where the needle went in. This is more likely if you take a blood thinner."
)
BEFORE_RISK_NERVE = (
    "A sore nerve. The needle can bother a nerve. You may feel tingling, numbness or pain down a "
    "leg. This most often goes away."
)
BEFORE_RISK_HEADACHE = (
    "A spinal headache. This is rare. It can happen if the needle lets out some of the fluid "
    "around the spine. The headache is worse when you sit or stand, and better when you lie flat."
)
BEFORE_RISK_ALLERGY = "A bad reaction to a medicine we use, like the numbing medicine. This is rare."
# Only for a mid-back (thoracic) injection: the lungs lie close under it.
BEFORE_RISK_LUNG = (
    "A collapsed lung. This is rare. It can happen only with a shot in the mid back, because the "
    "lungs are close by. Signs are sudden chest pain or trouble breathing. Call 911 if this happens."
)
BEFORE_RISKS_WATCH = (
    "After the injection, your daily check-in asks about these warning signs. Please answer it every day."
)

# --- Getting ready ----------------------------------------------------------------------------------
BEFORE_READY_TITLE = "How to get ready"
# Where the clinic draws the blood for the PRP (clinic setting "blood_draw").
BEFORE_BLOOD_AT_VISIT_1 = (
    "The clinic takes a small tube of blood from your arm at your first visit. They use it to make your PRP."
)
BEFORE_BLOOD_ON_INJECTION_DAY = (
    "The clinic takes a small tube of blood from your arm on the day of your injection, just "
    "before it. They use it to make your PRP."
)
# The phase guidance of Visit 1 and of injection day when the clinic draws the blood on injection
# day (clinic setting "blood_draw"; the guidance in app/care/content.py says Visit 1, the brochure's
# way): app/care/before_injection.py `guidance_for` picks them.
EVALUATION_SUMMARY_BLOOD_ON_INJECTION_DAY = (
    "At your first visit we check your back and look at your scans. At your second visit, the "
    "clinic first takes a small amount of your blood. We spin the blood to make your PRP. PRP is "
    "platelet-rich plasma: the part of your own blood that is meant to help tissue heal. Then the "
    "doctor uses ultrasound (a picture made with sound waves) to place the PRP. Eat and drink as "
    "usual before that visit. It takes a little longer, because your PRP is made while you wait. "
    "Plan to rest the rest of that day."
)
INJECTION_SUMMARY_BLOOD_ON_INJECTION_DAY = (
    "Today is your injection. Eat and drink as usual before you come. First the clinic takes a "
    "small amount of blood from your arm to make your PRP. Then the doctor uses ultrasound (a "
    "picture made with sound waves) to place it. The visit takes a little longer, because your PRP "
    "is made while you wait."
)
BEFORE_EAT = (
    "Eat and drink as usual before the blood draw. Do not skip meals. Drink plenty of water. This "
    "makes the blood draw easier and helps you not feel faint."
)
BEFORE_CLOTHES = (
    "Wear loose, soft clothes. The doctor needs to reach your back, so wear a top that lifts up "
    "easily. You may be asked to put on a gown. Leave jewelry at home."
)
# The ride home (clinic setting "drive_home").
BEFORE_RIDE_NO_DRIVING = (
    "Bring someone to drive you home. Do not drive yourself after the injection. The numbing "
    "medicine can make a leg weak or numb for a few hours."
)
BEFORE_RIDE_MAY_DRIVE = (
    "You may drive yourself home if you feel well. If a leg feels weak or numb, do not drive. "
    "Wait until it passes, or ask someone to take you."
)
BEFORE_ILL = (
    "Call the clinic to move your injection if you are sick or have a fever. Call too if you take "
    "antibiotics for an infection. The doctor should not give PRP while you have an infection."
)
BEFORE_BLOOD_THINNER = (
    "Do you take a blood thinner, like Eliquis, Xarelto, warfarin or Plavix? Do not stop it on "
    "your own. Stopping it can cause a clot or a stroke. The clinic will tell you the plan. They "
    "make it with the doctor who gave you the blood thinner."
)

# --- How the needle is guided (clinic setting "ultrasound_sites") -------------------------------------
BEFORE_ULTRASOUND_TITLE = "How the doctor guides the needle"
BEFORE_ULTRASOUND_INTRO = (
    "The doctor uses ultrasound, a picture made with sound waves, to guide the needle to these places:"
)
BEFORE_ULTRASOUND_OTHER = "For any other place, the doctor will tell you how the needle is guided."

# --- Confirming -----------------------------------------------------------------------------------------
BEFORE_CONFIRM_TITLE = "Tell us you have read this"
BEFORE_QUESTIONS = (
    "Do you have questions? Ask the clinic before you tick the box. You can also ask on the day, "
    "before the doctor starts. You can change your mind at any time."
)
BEFORE_CONFIRM_LABEL = "I have read this page. I know what PRP can and cannot do, and its risks."
BEFORE_CONFIRM_BUTTON = "Yes, I have read it"
BEFORE_CONFIRM_MISSING = "Tick the box to say you have read this page."
BEFORE_CONFIRM_SAVED = "Thank you. The clinic can see that you have read this page."
# When the words of this page changed after the patient confirmed them.
BEFORE_ASKED_AGAIN = (
    "This page has changed since you last read it. Please read it again, then tick the box at the end."
)
BEFORE_CONFIRMED_ONLINE = "You told us on {day} that you have read this page."
BEFORE_CONFIRMED_IN_CLINIC = "The clinic noted on {day} that you read this with them."
BEFORE_TOO_LATE = "Your injection day has passed, so there is nothing to confirm here now."

# --- The card on Today, in the evaluation phase, until the patient confirms -------------------------
BEFORE_CARD_TEXT = (
    "Please read what PRP can and cannot do, its risks, and how to get ready. Then tick the box to "
    "say you have read it."
)
BEFORE_CARD_LINK = "Read before your injection"
