"""One save of the daily log as plain data: what the form hands the service that stores it. Here, in
the pure layer, so the form and the service both depend on it rather than on each other."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from app.care.medication import stored_answers


@dataclass(frozen=True)
class LogAnswers:
    """One save of the daily log, as the patient gave it."""

    back_pain: int
    leg_pain: int | None
    medicines: frozenset[str]  # the medicine answers ticked ("none" alone when none)
    note: str
    warning_signs: frozenset[str]
    key: str | None = None  # idempotency key of this save
    expected_version: int | None = None  # the entry's version the form started from (0: new)
    other_medicine: str = ""  # which "other medicine from my doctor", as the patient wrote it

    def fingerprint(self) -> str:
        """What was answered, so a key sent again can be told from a key sent with other answers."""
        # The shape of the first release (one medicine answer) when nothing new was given, so a
        # log kept on a phone across an upgrade is still recognised when it is sent again.
        answered: list[object] = [
            self.back_pain,
            self.leg_pain,
            stored_answers(self.medicines),
            self.note,
            sorted(self.warning_signs),
        ]
        if self.other_medicine:
            answered.append(self.other_medicine)
        return hashlib.sha256(json.dumps(answered).encode()).hexdigest()
