"""One save of the daily log as plain data: what the form hands the service that stores it. Here, in
the pure layer, so the form and the service both depend on it rather than on each other."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class LogAnswers:
    """One save of the daily log, as the patient gave it."""

    back_pain: int
    leg_pain: int | None
    medication: str
    note: str
    warning_signs: frozenset[str]
    key: str | None = None  # idempotency key of this save
    expected_version: int | None = None  # the entry's version the form started from (0: new)

    def fingerprint(self) -> str:
        """What was answered, so a key sent again can be told from a key sent with other answers."""
        answered = [self.back_pain, self.leg_pain, self.medication, self.note, sorted(self.warning_signs)]
        return hashlib.sha256(json.dumps(answered).encode()).hexdigest()
