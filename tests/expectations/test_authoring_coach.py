"""The language coach beside the form: htmx posts one field as it is typed and gets the findings back."""

import pytest

from expectations import views_authoring
from tests.kit import assert_method_not_allowed, assert_other_organisation_gets_404, assert_role_forbidden, url

pytestmark = pytest.mark.django_db


def coach(tenant):
    return url("expectations:coach", tenant.organization)


TYPED = {"behaviour_nl": "Je bent proactief."}
HTMX_TYPING = {"HX-Request": "true", "HX-Trigger-Name": "behaviour_nl"}


def typed(client, tenant, field, text):
    """What htmx sends when someone types in ``field`` (hx-params limits the post to that field)."""
    return client.post(coach(tenant), {field: text}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)


def test_a_member_of_another_organisation_gets_404(client, stranger, tenant_a, fake_coach):
    assert_other_organisation_gets_404(client, stranger, coach(tenant_a), "post", TYPED, headers=HTMX_TYPING)
    assert fake_coach.calls == []


def test_an_employee_gets_403(client, tenant_a, fake_coach):
    assert_role_forbidden(client, tenant_a.employee, coach(tenant_a), "post", TYPED, headers=HTMX_TYPING)
    assert fake_coach.calls == []


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405(tenant_a, hr, method):
    assert_method_not_allowed(hr, coach(tenant_a), method)


def test_the_coach_shows_the_words_why_and_a_hint_for_the_field_being_typed(tenant_a, hr, fake_coach):
    response = typed(hr, tenant_a, "behaviour_nl", "Je bent proactief naar klanten.")
    assert response.status_code == 200
    page = response.content.decode()
    assert fake_coach.calls == [("Je bent proactief naar klanten.", "nl", "expectation")]
    assert "“proactief”" in page
    assert "“proactief” is a container word." in page
    assert "Say what you would see." in page
    assert "Language coach" in page
    # Only the findings: htmx swaps them into the aria-live box that stays in the page.
    assert "<html" not in page and "aria-live" not in page


def test_an_english_field_is_coached_in_english(tenant_a, hr, fake_coach):
    page = typed(hr, tenant_a, "examples_not_yet_en", "You are proactive.").content.decode()
    assert fake_coach.calls == [("You are proactive.", "en", "expectation")]
    assert "“proactive” is a container word." in page


def test_a_managers_proposal_is_coached_too(tenant_a, manager, fake_coach):
    response = typed(manager, tenant_a, "title_en", "Be proactive")
    assert response.status_code == 200
    assert "“proactive”" in response.content.decode()


def test_clean_text_shows_nothing(tenant_a, hr, fake_coach):
    response = typed(hr, tenant_a, "behaviour_en", "You call the customer within five working days.")
    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_empty_text_is_not_sent_to_the_coach(tenant_a, hr, fake_coach):
    assert typed(hr, tenant_a, "behaviour_en", "   ").content.decode().strip() == ""
    assert fake_coach.calls == []


@pytest.mark.parametrize("field", ["weight", "core_value", "title_de", "__class__", ""])
def test_a_field_the_coach_does_not_read_gets_an_empty_answer(tenant_a, hr, fake_coach, field):
    response = hr.post(coach(tenant_a), {field: "proactief"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME=field)
    assert response.status_code == 200
    assert response.content.decode().strip() == ""
    assert fake_coach.calls == []


def test_over_long_text_is_coached_in_part_and_never_fails(tenant_a, hr, fake_coach):
    response = typed(hr, tenant_a, "behaviour_nl", "proactief " + "x" * 100_000)
    assert response.status_code == 200
    assert len(fake_coach.calls[0][0]) == views_authoring.COACH_MAX_CHARS


def test_without_htmx_every_posted_field_is_coached_and_labelled(tenant_a, hr, fake_coach):
    response = hr.post(coach(tenant_a), {"title_nl": "Proactief zijn", "behaviour_en": "Be proactive", "weight": "x"})
    page = response.content.decode()
    assert [call[:2] for call in fake_coach.calls] == [("Proactief zijn", "nl"), ("Be proactive", "en")]
    assert "Short title (Dutch)" in page and "Observable behaviour (English)" in page


def test_the_real_coach_answers_without_failing(tenant_a, hr):
    pytest.importorskip("expectations.coach")
    response = typed(hr, tenant_a, "behaviour_nl", "Je bent proactief, flexibel en klantgericht.")
    assert response.status_code == 200
