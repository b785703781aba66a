"""Manifest, service worker and offline page, and the exercise pictures: the drawings and the
clinic's photos."""

from __future__ import annotations

from flask import abort, current_app, jsonify, render_template, request, url_for
from flask_babel import force_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from werkzeug.wrappers import Response

from app.care import content, poses
from app.care.warning_words import DEFAULT_LANGUAGE, LANGUAGES
from app.forms.daily_log import DailyLogForm
from app.pwa import bp
from app.services.clinic import languages
from app.services.treatment import photos
from app.web.assets import (
    BACKGROUND_COLOR,
    SHELL_FILES,
    THEME_COLOR,
    asset_url,
    drawing_urls,
    shell_version,
    warning_phrases_json,
    warning_phrases_url,
)
from app.web.i18n import page_language
from app.web.page_context import say


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    icons = [
        {"src": asset_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": asset_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {
            "src": asset_url("icons/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    response = jsonify(
        {
            "id": "/",
            "name": say(content.APP_NAME),
            "short_name": "Backtrack",
            "description": say(content.APP_DESCRIPTION),
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "orientation": "any",
            "theme_color": THEME_COLOR,
            "background_color": BACKGROUND_COLOR,
            "categories": ["health", "medical"],
            "icons": icons,
        }
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Cookie", "Accept-Language"))  # its name is in the reader's language
    return response


@bp.get("/sw.js")
def service_worker() -> Response:
    """Served from the root so its scope is the whole app; revalidated on every check."""
    offline_pages = {code: url_for("pwa.offline", lang=code) for code in languages.ready_languages()}
    shell = [
        *offline_pages.values(),
        *(asset_url(name) for name in SHELL_FILES),
        *(warning_phrases_url(language) for language in LANGUAGES),
        *drawing_urls(),
    ]
    body = render_template(
        "pwa/sw.js",
        version=shell_version(),
        shell=shell,
        htmx_url=current_app.config["HTMX_URL"],
        offline_url=offline_pages.get(page_language(), url_for("pwa.offline")),
        offline_pages=offline_pages,
        photo_path=url_for("pwa.exercise_photo", file_name="x").removesuffix("x"),
        guide_path=around_number(url_for("patient.exercise_guide", item_id=0)),
        queue_script=asset_url("js/log-queue.js"),
        icon_url=asset_url("icons/icon-192.png"),
    )
    response = Response(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Cookie", "Accept-Language"))  # its one line is in the reader's language
    return response


def around_number(path: str) -> list[str]:
    """An address with an item's number 0 in it, as what comes before and after the number (the
    service worker recognises the addresses of every item by them)."""
    at = path.rindex("/0/") + 1
    return [path[:at], path[at + 1 :]]


@bp.get("/offline")
def offline() -> Response:
    """The page shown with no connection. It holds nobody's data (it is cached for everyone): a
    blank daily log that is kept on the phone and sent later. `?lang=` names its language (the
    service worker keeps one per ready language and shows the one of the page last read)."""
    wanted = request.args.get("lang", "")
    language = wanted if wanted in languages.ready_languages() else page_language()
    with force_locale(language):
        page = render_template(
            "pwa/offline.html",
            form=DailyLogForm(formdata=None),
            phrases=warning_phrases_json(language if language in LANGUAGES else DEFAULT_LANGUAGE),
            public_shell=True,
        )
    return Response(page, mimetype="text/html", headers={"Content-Language": language})


@bp.get("/warning-phrases/<language>.json")
def warning_phrases(language: str) -> Response:
    """The phrase lists the phone reads a note with (the same data as the server's reader). The
    address carries their version, so the file may be kept for good."""
    if language not in LANGUAGES:
        abort(404)
    response = Response(warning_phrases_json(language), mimetype="application/json")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/exercise-drawings/<slug>.svg")
def exercise_drawing(slug: str) -> Response:
    """An exercise's line drawing (app/care/figures.py), the same for everyone. The address carries
    its version, so the file may be kept for good."""
    if slug not in poses.DRAWINGS:
        abort(404)
    response = Response(poses.svg_for(slug), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/exercise-photos/<file_name>")
def exercise_photo(file_name: str) -> Response:
    """A clinic's photo of an exercise (app/services/treatment/photos.py), at the SHA-256 of its
    bytes: the address names one picture for good, so it may be kept for good. Staff see every
    photo; a patient only one on a signed version their plan uses; anyone else is told there is
    none (404, as for a record that is not theirs). A photo on a signed version is the clinic's
    teaching material, the same for each patient who has the exercise, so any cache may keep it;
    a draft's only the staff member's own browser."""
    photo = photos.by_file_name(file_name)
    person = current_user if current_user.is_authenticated else None
    if photo is None or not photos.may_see(person, photo):
        abort(404)
    released = photos.is_released(photo)
    response = Response(photo.data, mimetype=photo.media_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if released else "private, max-age=31536000, immutable"
    )
    response.set_etag(photo.sha256)
    return response.make_conditional(request)


@bp.get("/session/csrf")
def csrf_token() -> tuple[Response, int]:
    """A fresh CSRF token for sending logs kept on the phone; 401 when signed out."""
    if not current_user.is_authenticated:
        return jsonify({"error": "signed out"}), 401
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response, 200
