"""Lighthouse (mobile) on sign-in and Today: accessibility and best practices score 1.0, and
nothing shifts while loading. Performance is reported by `make lighthouse`, not asserted.
Audits the browser tests' live server, so no second server (and no port of its own) is needed."""

import importlib.util

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.e2e


def load_script():
    spec = importlib.util.spec_from_file_location("lighthouse_script", ROOT / "scripts" / "lighthouse.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lighthouse_accessibility_and_best_practices_are_perfect(live_server):
    lighthouse = load_script()
    assert lighthouse.LIGHTHOUSE.exists(), "run `make test` (it installs lighthouse from npm)"
    for page, report in lighthouse.audit_pages(live_server).items():
        scores = lighthouse.scores(report)
        assert scores["accessibility"] == 1, (page, lighthouse.failing_audits(report, "accessibility"))
        assert scores["best-practices"] == 1, (page, lighthouse.failing_audits(report, "best-practices"))
        assert report["audits"]["cumulative-layout-shift"]["numericValue"] == 0, page
