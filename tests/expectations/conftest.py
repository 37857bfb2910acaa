"""What the expectations page tests share beyond tests/kit.py: a language coach whose findings they control."""

import pytest

from expectations import views_authoring
from expectations.coach import Finding, Kind


class FakeCoach:
    """Flags "proactive" / "proactief" as a container word wherever it appears, and remembers what it was asked."""

    def __init__(self):
        self.calls = []
        self.hint = "Say what you would see."

    def __call__(self, text, language, *, purpose="expectation"):
        self.calls.append((text, language, purpose))
        word = "proactief" if language == "nl" else "proactive"
        start = text.lower().find(word)
        if start < 0:
            return []
        return [Finding(Kind.CONTAINER, (word,), start, start + len(word), f"“{word}” is a container word.", self.hint)]


@pytest.fixture
def fake_coach(monkeypatch):
    """The pages coach with a FakeCoach (``fake_coach.calls`` says what they asked)."""
    coach = FakeCoach()
    monkeypatch.setattr(views_authoring, "run_coach", coach)
    return coach
