"""`wsgi:app` on the tests' controlled clock, for the live server's gunicorn (tests/clock.py).

gunicorn imports its app in each worker after forking (no --preload), so only the workers, which
serve the requests, change clocks; the master keeps the real one for its worker timeouts.
"""

from tests.clock import follow_environment

follow_environment()

from wsgi import app  # noqa: E402

__all__ = ["app"]
