"""Measurements: `make bench` (run.py), and the gunicorn helper the scripts and tests share (server.py)."""
