"""The installable app: manifest, icons, service worker, offline page, sign-out clearing."""

import json
import re
import struct
from pathlib import Path

import pytest
from markupsafe import escape

from app.care import content, poses
from app.models.logs import NOTE_MAX_LENGTH
from app.web.assets import SHELL_FILES
from tests.conftest import text_of
from tests.factories import make_treatment, make_user, patient_on_day
from tests.test_languages import catalogues, lang_of, signed_off_by_physician  # noqa: F401 (a fixture)

ICONS = Path(__file__).resolve().parent.parent / "app" / "static" / "icons"


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_the_manifest_describes_an_installable_app(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    for key in (
        "name",
        "short_name",
        "description",
        "id",
        "start_url",
        "scope",
        "theme_color",
        "background_color",
    ):
        assert manifest[key], key
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/"
    purposes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
    for icon in manifest["icons"]:
        with client.get(icon["src"]) as served:
            assert served.status_code == 200
            assert served.mimetype == "image/png"


@pytest.mark.parametrize(
    ("name", "size"), [("icon-192.png", 192), ("icon-512.png", 512), ("icon-maskable-512.png", 512)]
)
def test_icons_have_their_sizes(name, size):
    assert png_size(ICONS / name) == (size, size)


def test_every_page_links_the_manifest(client):
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get("/sign-in").get_data(
        as_text=True
    )


def test_the_service_worker_is_served_from_the_root_and_revalidated(client):
    response = client.get("/sw.js")
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    body = response.get_data(as_text=True)
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", body).group(1))
    assert "/offline?lang=en" in shell  # one offline page per ready language
    assert {path.split("?")[0] for path in shell} == {
        "/offline",
        *(f"/static/{name}" for name in SHELL_FILES),
        "/warning-phrases/en.json",  # the phrase lists the phone reads a note with
        "/warning-phrases/es.json",
        *(f"/exercise-drawings/{slug}.svg" for slug in poses.DRAWINGS),  # the same for everyone
    }
    assert all("?v=" in path for path in shell if path.startswith(("/static/", "/exercise-drawings/")))
    assert re.search(r'var CACHE = "backtrack-shell-[0-9a-f]{16}";', body)
    assert "caches.delete" in body  # old versions are cleaned on activation


def test_the_service_worker_never_keeps_patient_pages(client):
    body = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(re.search(r"var SHELL = (\[.*?\]);", body).group(1))
    for private in ("/today", "/history", "/log", "/therapist", "/admin", "/account"):
        assert not any(path.startswith(private) for path in shell)
    assert 'request.method !== "GET"' in body


def test_the_offline_page_holds_nobodys_data(client, auth):
    patient = make_user(name="Maria Alvarez", email="maria@example.com")
    auth.login(patient.email)
    response = client.get("/offline")
    page = text_of(response)
    assert response.status_code == 200
    assert "You are offline" in page
    assert "Maria" not in page
    assert "maria@example.com" not in page
    assert 'name="csrf_token"' not in response.get_data(as_text=True)
    assert "Sign out" not in page


def test_a_fresh_csrf_token_for_kept_logs(client, auth):
    assert client.get("/session/csrf").status_code == 401
    auth.login(make_user().email)
    response = client.get("/session/csrf")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.get_json()["csrf_token"]) > 20


def test_signing_out_clears_the_apps_caches_and_storage(client, auth):
    auth.login(make_user().email)
    response = auth.logout()
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_asset_urls_change_with_their_content(client):
    html = client.get("/sign-in").get_data(as_text=True)
    assert re.search(r'href="/static/css/app.css\?v=[0-9a-f]{12}"', html)
    assert re.search(r'src="/static/js/offline-log.js\?v=[0-9a-f]{12}"', html)


def test_the_urgent_messages_for_offline_use_come_from_the_content_module(client, auth, today):
    from app.care.content import EMERGENCY_AFTER_INJECTION, EMERGENCY_ANY_TIME, SAME_DAY_ANY_TIME

    patient, _ = patient_on_day(3, today)
    auth.login(patient.email)
    html = client.get("/today").get_data(as_text=True)
    template = html[html.index('<template id="offline-urgent-template">') :]
    assert EMERGENCY_AFTER_INJECTION in template  # Today knows this patient had the injection
    assert 'href="tel:911"' in template
    assert 'data-flag="leg_weakness"' in template
    offline = client.get("/offline").get_data(as_text=True)  # kept for anyone: true at any time
    template = offline[offline.index('<template id="offline-urgent-template">') :]
    assert EMERGENCY_ANY_TIME in template
    assert SAME_DAY_ANY_TIME in template


def test_the_offline_card_carries_each_sign_once_and_the_lead_ins_once(client, auth, today):
    """Each sign's words once, and once the lead-in for a tick and the one for the note around
    where the words go (the script keeps the one that fits and puts it around the sign's words):
    Today carries them every morning, so not once a sign."""
    from app.care.content import ALL_ALERT_FLAGS

    patient, _ = patient_on_day(3, today)
    auth.login(patient.email)
    html = client.get("/today").get_data(as_text=True)
    template = html[html.index('<template id="offline-urgent-template">') :]
    template = template[: template.index("</template>")]
    asked = [flag for flag in ALL_ALERT_FLAGS.values() if f'data-flag="{flag.key}"' in template]
    assert len(asked) >= 9
    assert template.count("data-lead-in") == 1
    assert (
        "<p hidden data-lead-in>"
        '<span data-source="ticked">You told us: </span>'
        '<span data-source="words">You wrote: “<span data-quote></span>”. This may mean: </span>'
        "<span data-question></span>"
        '<span data-source="ticked">.</span><span data-source="words">.</span></p>'
    ) in template
    for flag in asked:
        assert template.count(f'data-flag="{flag.key}"') == 1, flag.key
        assert template.count(f">{escape(flag.question)}<") == 1, flag.key  # not again for the team's list
        block = template[template.index(f'data-flag="{flag.key}"') :]
        block = block[: block.index("</div>")]
        assert (
            f"<p><span data-question>{escape(flag.question)}</span> {escape(content.render(flag.why))}</p>"
        ) in block, flag.key


def test_one_theme_colour_for_the_page_the_installed_app_and_the_stylesheet(client):
    manifest = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))
    page = client.get("/sign-in").get_data(as_text=True)
    stylesheet = (ICONS.parent / "css" / "app.css").read_text()
    primary = re.search(r"--primary:\s*(#[0-9a-f]{6})", stylesheet).group(1)
    assert f'<meta name="theme-color" content="{manifest["theme_color"]}">' in page
    assert manifest["theme_color"] == primary


def test_the_offline_log_asks_the_same_questions_with_the_same_limits(client, auth, today):
    """The offline page renders the daily log's own fields: same names, same note limit."""
    patient = make_user(email="maria@example.com")
    make_treatment(patient, today, condition="lumbar_radiculopathy")
    auth.login(patient.email)
    online = client.get("/today").get_data(as_text=True)
    offline = client.get("/offline").get_data(as_text=True)

    def field_names(html: str) -> set[str]:
        form = re.search(r"<form[^>]*log-form.*?</form>", html, re.S).group(0)
        return set(re.findall(r'name="([a-z_]+)"', form)) - {"csrf_token", "idempotency_key", "base_version"}

    # The offline page is kept for anyone, so it also asks what only mid-back patients are asked.
    assert field_names(offline) - field_names(online) == {"chest_symptoms"}
    assert field_names(online) <= field_names(offline)
    assert f'maxlength="{NOTE_MAX_LENGTH}"' in offline
    assert f"Up to {NOTE_MAX_LENGTH} characters" in text_of(client.get("/offline"))


def test_the_offline_page_speaks_the_language_it_is_asked_for_and_pages_say_theirs(app, client, catalogues):  # noqa: F811
    """The worker keeps an offline page per ready language and shows the one of the page last read
    (each page's Content-Language), so a patient who changed language offline still reads theirs."""
    signed_off_by_physician(app)
    spanish = client.get("/offline?lang=es")
    assert lang_of(spanish) == "es"
    assert spanish.headers["Content-Language"] == "es"
    assert lang_of(client.get("/offline?lang=en")) == "en"
    assert client.get("/offline?lang=xx").headers["Content-Language"] == "en"  # not a language: the reader's
    worker = client.get("/sw.js").get_data(as_text=True)
    pages = json.loads(re.search(r"var OFFLINE_PAGES = (\{.*?\});", worker).group(1))
    assert pages == {"en": "/offline?lang=en", "es": "/offline?lang=es"}
