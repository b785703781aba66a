"""The one place that decides between a full page and an htmx fragment.

A page `{% include %}`s its fragment, and an htmx request gets that same fragment, so the two cannot
drift apart. Every htmx header a view looks at is named in `Vary` (HX-Request always, HX-Target
when a view asks which region is being swapped), so no cache mixes the answers up.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, g, make_response, render_template, request


def _consulted(header: str) -> None:
    g.setdefault("htmx_vary", set()).add(header)


def is_htmx_request() -> bool:
    """True for requests htmx sends; boosted navigations still want whole pages."""
    _consulted("HX-Request")
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")


def targets(element_id: str) -> bool:
    """True when htmx is swapping the element with this id (one view, several regions)."""
    _consulted("HX-Target")
    return is_htmx_request() and request.headers.get("HX-Target") == element_id


def render_page_or_fragment(
    page: str, fragment: str, status: int = 200, focus: str | None = None, **context: Any
) -> Response:
    """The fragment for htmx, the page otherwise. `focus` names a CSS selector the browser moves
    focus to once htmx has swapped."""
    htmx = is_htmx_request()
    response = make_response(render_template(fragment if htmx else page, **context), status)
    if htmx and focus:
        response.headers["HX-Trigger-After-Settle"] = json.dumps({"focusregion": {"selector": focus}})
    return response


def render_fragment(template: str, status: int = 200, focus: str | None = None, **context: Any) -> Response:
    """A region that is the whole answer with or without htmx (a row, a list that swaps itself)."""
    return render_page_or_fragment(template, template, status=status, focus=focus, **context)


def form_status() -> int:
    """For a page that shows a form: 422 when it comes back after an invalid POST, else 200."""
    return 422 if request.method == "POST" else 200


def register(app: Flask) -> None:
    @app.after_request
    def add_vary(response: Response) -> Response:
        for header in sorted(g.get("htmx_vary", ())):
            response.vary.add(header)
        return response
