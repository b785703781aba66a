"""The Nu Html Checker (vnu-jar, run with Java) finds no errors on any page or state."""

import io
import re
import shutil
import subprocess

import sqlalchemy as sa
from PIL import Image

from app.demo.clinic import build_demo_clinic
from app.extensions import db
from app.models import Exercise, ExerciseVersion, PlanItem, Treatment, User
from app.services.accounts.accounts import issue_setup_link
from tests.conftest import ROOT, Auth, csrf_token
from tests.factories import patient_on_day
from tests.helpers import today_opened

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def pgic_patient(today):
    """A patient in week 6's window, when the PGIC is open (no demo patient is)."""
    patient, _treatment = patient_on_day(40, today)
    return patient


def pages_to_check(app, client, today) -> dict[str, str]:
    """Every page and state as HTML, keyed by a file name."""
    build_demo_clinic(today)
    maria = db.session.scalar(sa.select(User).where(User.email == "patient@example.com"))
    treatment = db.session.scalar(sa.select(Treatment.id).where(Treatment.patient_id == maria.id))
    token = issue_setup_link(
        db.session.scalar(sa.select(User).where(User.email == "other1@example.com")), None
    )
    db.session.commit()
    html: dict[str, str] = {}

    def grab(name: str, response) -> None:
        html[name] = response.get_data(as_text=True)

    auth = Auth(client)
    grab("sign-in", client.get("/sign-in"))
    grab("sign-in-error", client.post("/sign-in", data={"csrf_token": csrf_token(client.get("/sign-in"))}))
    grab("not-found", client.get("/no-such-page"))
    grab("offline", client.get("/offline"))
    grab("setup", client.get(f"/setup/{token}"))
    grab("setup-used-link", client.get("/setup/not-a-real-token"))
    for who in ("evaluation", "injection", "week1", "patient", "week8", "maintenance", "redflag", "nsaid"):
        auth.login(f"{who}@example.com", "backtrack-demo")
        grab(f"today-{who}", client.get("/today"))
        auth.logout()
    auth.login("patient@example.com", "backtrack-demo")
    grab(
        "today-log-error", client.post(f"/log/{today}", data={"csrf_token": auth.token(), "note": "x" * 600})
    )
    grab("history", client.get("/history"))
    grab("progress", client.get("/progress"))
    grab("records", client.get("/records"))
    grab("learn", client.get("/learn"))
    grab("lesson", client.get("/learn/flare"))
    grab("summary", client.get("/summary"))
    grab("exercise-sheet", client.get("/exercise-sheet"))
    grab("questionnaire-peg", client.get("/check-in/peg"))
    grab(
        "questionnaire-peg-error",
        client.post("/check-in/peg", data={"csrf_token": auth.token(), "pain": "3"}),
    )
    grab("account", client.get("/account"))
    grab("messages", client.get("/messages"))
    grab(
        "messages-error",
        client.post("/messages", data={"csrf_token": auth.token(), "body": ""}),
    )
    grab("forbidden", client.get("/admin/"))
    auth.logout()
    auth.login("therapist@example.com", "backtrack-demo")
    grab("dashboard", client.get("/therapist/"))
    grab("record", client.get(f"/therapist/patients/{maria.id}"))
    grab(
        "record-time-log-error",
        client.post(
            f"/therapist/patients/{maria.id}/time-log", data={"csrf_token": auth.token(), "minutes": "0"}
        ),
    )
    grab("outcomes", client.get("/therapist/outcomes"))
    grab("rtm-month", client.get("/therapist/rtm"))
    grab("staff-summary", client.get(f"/therapist/patients/{maria.id}/summary"))
    grab("staff-exercise-sheet", client.get(f"/therapist/patients/{maria.id}/exercise-sheet"))
    auth.logout()
    grab("alert-queue", client.get("/therapist/alerts"))
    james = db.session.scalar(sa.select(User.id).where(User.email == "evaluation@example.com"))
    grab("record-medicines", client.get(f"/therapist/patients/{james}"))
    auth.logout()
    auth.login("redflag@example.com", "backtrack-demo")
    grab("messages-urgent", client.get("/messages"))
    grab(
        "messages-sent-warning",
        client.post(
            "/messages", data={"csrf_token": auth.token(), "body": "I wet myself"}, follow_redirects=True
        ),
    )
    auth.logout()
    auth.login("evaluation@example.com", "backtrack-demo")
    grab("medicines", client.get("/medicines"))
    grab("medicines-error", client.post("/medicines", data={"csrf_token": auth.token(), "medicines": ""}))
    grab("before-injection", client.get("/before-your-injection"))
    grab("before-injection-error", client.post("/before-your-injection", data={"csrf_token": auth.token()}))
    grab("questionnaire-psfs", client.get("/check-in/psfs"))
    grab(
        "questionnaire-psfs-error",
        client.post("/check-in/psfs", data={"csrf_token": auth.token(), "name_0": "Sit"}),
    )
    auth.logout()
    auth.login(pgic_patient(today).email)
    grab("questionnaire-pgic", client.get("/check-in/pgic"))
    grab("staff-messages", client.get(f"/patients/{maria.id}/messages"))
    auth.logout()
    auth.login("admin@example.com", "backtrack-demo")
    for name, path in [
        ("accounts", "/admin/"),
        ("admin-account", f"/admin/accounts/{maria.id}"),
        ("new-account", "/admin/accounts/new"),
        ("treatment", f"/admin/treatments/{treatment}"),
        ("settings", "/admin/settings"),
        ("audit", "/admin/audit"),
        ("clinical-content", "/admin/clinical-content"),
        ("deactivate", f"/admin/accounts/{maria.id}/deactivate"),
        ("on-call", "/admin/on-call"),
        ("admin-alert-queue", "/therapist/alerts"),
    ]:
        grab(name, client.get(path))
    grab("on-call-error", client.post("/admin/on-call", data={"csrf_token": auth.token()}))
    grab(
        "setup-link", client.post(f"/admin/accounts/{maria.id}/setup-link", data={"csrf_token": auth.token()})
    )
    photo_pages(client, auth, maria, grab)
    return html


def photo_pages(client, auth, maria, grab) -> None:
    """The exercise library's photo: the edit page, a refused upload, the version with its photo
    (as the physician signs it), and the photo on Maria's Today, exercise sheet and record."""
    walking = db.session.scalar(sa.select(Exercise).where(Exercise.slug == "walking"))
    edit = f"/admin/library/{walking.id}/edit"
    grab("library-edit", client.get(edit))

    def send(data: bytes):
        fields: dict[str, object] = {
            "csrf_token": csrf_token(client.get(edit)),
            "photo_alt": "A man walking on a path.",
        }
        fields["photo"] = (io.BytesIO(data), "walking.png", "image/png")
        return client.post(
            f"/admin/library/{walking.id}/photo", data=fields, content_type="multipart/form-data"
        )

    grab("library-photo-error", send(b"<svg xmlns='http://www.w3.org/2000/svg'/>"))
    picture = io.BytesIO()
    Image.new("RGB", (640, 480), (90, 140, 200)).save(picture, "PNG")
    version_page = send(picture.getvalue()).headers["Location"]
    grab("library-version-photo", client.get(version_page))
    page = client.get(version_page).get_data(as_text=True)
    read = re.search(r'name="fingerprint" value="([0-9a-f]{12})"', page).group(1)
    client.post(version_page, data={"csrf_token": auth.token(), "reviewed": "y", "fingerprint": read})
    signed = db.session.scalar(
        sa.select(ExerciseVersion.id).where(
            ExerciseVersion.exercise_id == walking.id, ExerciseVersion.status == "signed"
        )
    )
    db.session.execute(
        sa.update(PlanItem).where(PlanItem.exercise_id == walking.id).values(exercise_version_id=signed)
    )
    db.session.commit()
    auth.logout()
    auth.login("therapist@example.com", "backtrack-demo")
    grab("record-photo", client.get(f"/therapist/patients/{maria.id}"))
    auth.logout()
    auth.login("patient@example.com", "backtrack-demo")
    today = today_opened(client)  # each "How to do it" opened, the photo in one of them
    assert 'class="photo__img"' in today.get_data(as_text=True)  # the state this checks is there
    grab("today-photo", today)
    guide = re.search(r'href="(/exercises/[0-9]+/how)"', client.get("/today").get_data(as_text=True))[1]
    grab("exercise-guide", client.get(guide))  # the page without JavaScript
    grab("exercise-sheet-photo", client.get("/exercise-sheet"))


def test_every_page_is_valid_html(app, client, today, tmp_path):
    assert shutil.which("java"), "Java is missing: run `make test` (it installs default-jre-headless)"
    assert VNU.exists(), "run `make test` (it installs vnu-jar from npm)"
    pages = pages_to_check(app, client, today)
    assert len(pages) == 66
    for name, html in pages.items():
        assert html.startswith("<!doctype html>"), name
        (tmp_path / f"{name}.html").write_text(html)
    result = subprocess.run(
        [
            "java",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "text",
            *sorted(str(path) for path in tmp_path.glob("*.html")),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, (result.stdout + result.stderr).replace(str(tmp_path) + "/", "")
