"""Versioned URLs for our own static files, so a new release is never hidden behind a cache."""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

from flask import current_app, has_request_context, request, url_for

from app.care import poses
from app.care.warning_words import DEFAULT_LANGUAGE, page_data

# The brand colour of the browser's toolbar, for the page and the installed app alike.
THEME_COLOR = "#0d5960"  # = --primary in css/app.css and the icon
BACKGROUND_COLOR = "#f3f6f6"

# The app shell the service worker keeps for offline use: our own files only (and htmx).
SHELL_FILES = (
    "css/app.css",
    "js/app.js",
    "js/log-queue.js",
    "js/offline-log.js",
    "js/exercise-timer.js",
    "js/warning-words.js",
    "js/passkeys.js",
    "js/push.js",
    "icons/icon.svg",
    "icons/icon-192.png",
    "icons/icon-512.png",
    "icons/icon-maskable-512.png",
)


@cache
def file_digest(folder: str, filename: str) -> str:
    """A short hash of a static file's content, read once per process."""
    return hashlib.sha256((Path(folder) / filename).read_bytes()).hexdigest()[:12]


def kept_url(endpoint: str, **values: Any) -> str:
    """url_for, worked out once per app, address root and arguments: the versions in these
    addresses are digests of content fixed for the process (a page asks for dozens of them)."""
    root = request.script_root if has_request_context() else None  # outside a request: absolute
    key = (endpoint, root, tuple(sorted(values.items())))
    urls: dict[tuple[object, ...], str] = current_app.extensions.setdefault("backtrack.kept_urls", {})
    found = urls.get(key)
    if found is None:
        found = urls[key] = url_for(endpoint, **values)
    return found


def asset_url(filename: str) -> str:
    return kept_url("static", filename=filename, v=file_digest(current_app.static_folder or "", filename))


def shell_version() -> str:
    """Changes whenever any shell file, the phrase lists or the htmx address changes: names the cache."""
    digest = hashlib.sha256(current_app.config["HTMX_URL"].encode())
    for filename in SHELL_FILES:
        digest.update(asset_url(filename).encode())
    digest.update(warning_phrases_url().encode())
    for url in drawing_urls():
        digest.update(url.encode())
    return digest.hexdigest()[:16]


def drawing_url(slug: str) -> str | None:
    """Where an exercise's drawing is served, versioned by its content (None: it has none)."""
    if slug not in poses.DRAWINGS:
        return None
    return kept_url("pwa.exercise_drawing", slug=slug, v=poses.digest(slug))


def photo_url(file_name: str) -> str:
    """Where a clinic's exercise photo is served: its address is the SHA-256 of its bytes."""
    return url_for("pwa.exercise_photo", file_name=file_name)


def drawing_urls() -> list[str]:
    """Every exercise drawing, for the service worker to keep: they are the same for everyone."""
    return [kept_url("pwa.exercise_drawing", slug=slug, v=poses.digest(slug)) for slug in poses.DRAWINGS]


@cache
def warning_phrases_json(language: str) -> str:
    """The matcher's phrase lists for the phone (app/care/warning_words.page_data), serialised once
    per process: no second copy to keep, the server's own lists."""
    return json.dumps(page_data(language), separators=(",", ":"))  # ASCII: no raw control characters


@cache
def warning_phrases_version(language: str) -> str:
    return hashlib.sha256(warning_phrases_json(language).encode()).hexdigest()[:12]


def warning_phrases_url(language: str = DEFAULT_LANGUAGE) -> str:
    """Where the phone gets the phrase lists: versioned, so a new list is never hidden by a cache."""
    return url_for("pwa.warning_phrases", language=language, v=warning_phrases_version(language))
