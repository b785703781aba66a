"""A file download: named, never cached (it holds someone's data)."""

from __future__ import annotations

from flask import Response


def attachment(body: bytes | str, mimetype: str, filename: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )
