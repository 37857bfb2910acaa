"""The language coach beside the form: htmx posts one field as it is typed and gets the findings back."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from expectations import views_authoring

pytestmark = pytest.mark.django_db


def url(name, organization, **kwargs):
    return reverse(f"expectations:{name}", kwargs={"org_slug": organization.slug, **kwargs})


def in_english(*employees):
    for employee in employees:
        employee.user.language = "en"
        employee.user.save(update_fields=["language"])


@dataclass(frozen=True)
class Finding:
    kind: str
    words: tuple
    start: int
    end: int
    reason: str
    hint: str


class FakeCoach:
    """Flags "proactive" / "proactief" and remembers what it was asked."""

    def __init__(self):
        self.calls = []

    def __call__(self, text, language, *, purpose="expectation"):
        self.calls.append((text, language, purpose))
        word = "proactief" if language == "nl" else "proactive"
        start = text.lower().find(word)
        if start < 0:
            return []
        return [
            Finding("container", (word,), start, start + len(word), f"“{word}” is a container word.", "Name the act.")
        ]


@pytest.fixture
def fake(monkeypatch):
    coach = FakeCoach()
    monkeypatch.setattr(views_authoring, "run_coach", coach)
    return coach


def coach(tenant):
    return url("coach", tenant.organization)


def typed(client, tenant, field, text):
    """What htmx sends when someone types in ``field`` (hx-params limits the post to that field)."""
    return client.post(coach(tenant), {field: text}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)


@pytest.fixture
def hr(tenant_a, login):
    in_english(tenant_a.hr)
    return login(tenant_a.hr)


def test_a_member_of_another_organisation_gets_404(tenant_a, tenant_b, login, fake):
    assert typed(login(tenant_b.hr), tenant_a, "behaviour_nl", "Je bent proactief.").status_code == 404
    assert fake.calls == []


def test_an_employee_gets_403(tenant_a, login, fake):
    assert typed(login(tenant_a.employee), tenant_a, "behaviour_nl", "Je bent proactief.").status_code == 403
    assert fake.calls == []


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert getattr(hr, method)(coach(tenant_a)).status_code == 405


def test_the_coach_shows_the_words_why_and_a_hint_for_the_field_being_typed(tenant_a, hr, fake):
    response = typed(hr, tenant_a, "behaviour_nl", "Je bent proactief naar klanten.")
    assert response.status_code == 200
    page = response.content.decode()
    assert fake.calls == [("Je bent proactief naar klanten.", "nl", "expectation")]
    assert "“proactief”" in page
    assert "“proactief” is a container word." in page
    assert "Name the act." in page
    assert "Language coach" in page
    # Only the findings: htmx swaps them into the aria-live box that stays in the page.
    assert "<html" not in page and "aria-live" not in page


def test_an_english_field_is_coached_in_english(tenant_a, hr, fake):
    page = typed(hr, tenant_a, "examples_not_yet_en", "You are proactive.").content.decode()
    assert fake.calls == [("You are proactive.", "en", "expectation")]
    assert "“proactive” is a container word." in page


def test_a_managers_proposal_is_coached_too(tenant_a, login, fake):
    response = typed(login(tenant_a.manager), tenant_a, "title_en", "Be proactive")
    assert response.status_code == 200
    assert "“proactive”" in response.content.decode()


def test_clean_text_shows_nothing(tenant_a, hr, fake):
    response = typed(hr, tenant_a, "behaviour_en", "You call the customer within five working days.")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_empty_text_is_not_sent_to_the_coach(tenant_a, hr, fake):
    assert typed(hr, tenant_a, "behaviour_en", "   ").content.decode().strip() == ""
    assert fake.calls == []


@pytest.mark.parametrize("field", ["weight", "core_value", "title_de", "__class__", ""])
def test_a_field_the_coach_does_not_read_gets_an_empty_answer(tenant_a, hr, fake, field):
    response = hr.post(coach(tenant_a), {field: "proactief"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert fake.calls == []


def test_over_long_text_is_coached_in_part_and_never_fails(tenant_a, hr, fake):
    response = typed(hr, tenant_a, "behaviour_nl", "proactief " + "x" * 100_000)
    assert response.status_code == 200
    assert len(fake.calls[0][0]) == views_authoring.COACH_MAX_CHARS


def test_without_htmx_every_posted_field_is_coached_and_labelled(tenant_a, hr, fake):
    response = hr.post(coach(tenant_a), {"title_nl": "Proactief zijn", "behaviour_en": "Be proactive", "weight": "x"})
    page = response.content.decode()
    assert [call[:2] for call in fake.calls] == [("Proactief zijn", "nl"), ("Be proactive", "en")]
    assert "Short title (Dutch)" in page and "Observable behaviour (English)" in page


def test_the_real_coach_answers_without_failing(tenant_a, hr):
    pytest.importorskip("expectations.coach")
    response = typed(hr, tenant_a, "behaviour_nl", "Je bent proactief, flexibel en klantgericht.")
    assert response.status_code == 200
