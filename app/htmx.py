"""The one place that decides between a full page and an htmx fragment.

A page `{% include %}`s its fragment, and an htmx request gets that same fragment, so the two cannot
drift apart. Responses that depend on HX-Request say so with `Vary`, so no cache mixes them up.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, make_response, render_template, request


def is_htmx_request() -> bool:
    """True for requests htmx sends; boosted navigations still want whole pages."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def render_page_or_fragment(
    page: str, fragment: str, status: int = 200, focus: str | None = None, **context: Any
) -> Response:
    """`focus` names a CSS selector the browser moves focus to once htmx has swapped."""
    htmx = is_htmx_request()
    response = make_response(render_template(fragment if htmx else page, **context), status)
    response.vary.add("HX-Request")
    if htmx and focus:
        response.headers["HX-Trigger-After-Settle"] = json.dumps({"focusregion": {"selector": focus}})
    return response
