"""The language coach as someone types an observation (htmx), in Dutch and English."""

import pytest

from tests.kit import assert_method_not_allowed, url

pytestmark = pytest.mark.django_db


def coach(client, organization, **fields):
    response = client.post(url("reviews:observation_coach", organization), fields, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("text", "words"),
    [("Je bent altijd lui", ["altijd", "lui"]), ("You are lazy", ["lazy"]), ("Zijn houding is slecht", ["houding"])],
)
def test_the_coach_flags_judging_words_and_absolutes(employee, tenant_a, text, words):
    response = coach(employee, tenant_a.organization, behaviour=text)

    page = response.content.decode()
    flagged = [
        word for _label, findings in response.context["results"] for finding in findings for word in finding.words
    ]
    assert all(word in flagged for word in words), flagged
    assert "Language coach" in page and "what the person did" in page.lower()


def test_the_coach_says_nothing_about_a_description_of_what_was_seen(employee, tenant_a):
    response = coach(employee, tenant_a.organization, behaviour="Je belde de klant op vrijdag en vroeg wat beter kon.")

    assert response.context["results"] == []


def test_the_coach_reads_only_the_field_being_typed_in(employee, tenant_a):
    response = employee.post(
        url("reviews:observation_coach", tenant_a.organization),
        {"situation": "You never listen", "behaviour": "Je bent altijd lui"},
        headers={"HX-Request": "true", "HX-Trigger-Name": "situation"},
    )

    flagged = [
        word for _label, findings in response.context["results"] for finding in findings for word in finding.words
    ]
    assert flagged == ["never"]


def test_the_form_asks_the_coach_as_one_types(manager, tenant_a):
    form = manager.get(url("reviews:observation_create", tenant_a.organization, employee_id=tenant_a.employee.pk))

    assert url("reviews:observation_coach", tenant_a.organization) in form.content.decode()
    assert 'id="coach-behaviour"' in form.content.decode()


def test_the_coach_takes_only_post(employee, tenant_a):
    assert_method_not_allowed(employee, url("reviews:observation_coach", tenant_a.organization), ["get", "put"])
