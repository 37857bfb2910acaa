"""“What is expected of me”: my applicable published expectations per core value, what weighs, what does not count."""

import pytest
from django.utils import timezone
from django.utils.html import escape

from expectations.models import ExpectationVersion, Status
from tests.factories import (
    CoreValueFactory,
    EmployeeFactory,
    ExpectationFactory,
    NotCountedFactory,
    StrategicGoalFactory,
    TeamFactory,
)
from tests.kit import assert_flat_queries, assert_method_not_allowed, assert_other_organisation_gets_404, url

pytestmark = pytest.mark.django_db


def mine(organization):
    return url("expectations:mine", organization)


def published(tenant, **kwargs):
    return ExpectationFactory(organization=tenant.organization, **kwargs)


def shown(response):
    return [row.pk for _value, rows in response.context["groups"] for row in rows]


def test_a_member_of_another_organisation_gets_404(client, tenant_a, tenant_b):
    published(tenant_a)
    assert_other_organisation_gets_404(client, tenant_b.employee, mine(tenant_a.organization))


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_every_role_reaches_the_page_no_role_is_refused(tenant_a, login, role):
    assert login(tenant_a.member(role)).get(mine(tenant_a.organization)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_the_login(tenant_a, client):
    response = client.get(mine(tenant_a.organization))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_other_methods_get_405(tenant_a, employee, method):
    assert_method_not_allowed(employee, mine(tenant_a.organization), method)


def test_only_the_published_expectations_that_apply_to_me_are_shown(tenant_a, tenant_b, employee, outsider):
    everyone = published(tenant_a)
    my_team = published(tenant_a, teams=[tenant_a.team])
    other_team = published(tenant_a, teams=[TeamFactory(organization=tenant_a.organization)])
    for status in (Status.DRAFT, Status.SHARPENING, Status.RETIRED):
        published(tenant_a, status=status)
    published(tenant_b)  # another organisation's

    in_team = employee.get(mine(tenant_a.organization))
    assert sorted(shown(in_team)) == sorted([everyone.pk, my_team.pk])
    assert other_team.pk not in shown(in_team)

    without_team = outsider.get(mine(tenant_a.organization))
    assert shown(without_team) == [everyone.pk]


def test_expectations_are_grouped_by_core_value_in_its_order_with_everything_an_employee_needs(tenant_a, employee):
    organization = tenant_a.organization
    second = CoreValueFactory(organization=organization, order=2, name_en="Ownership", description_en="You finish it.")
    first = CoreValueFactory(organization=organization, order=1, name_en="Together", description_en="We help.")
    goal = StrategicGoalFactory(
        organization=organization, title_en="Happy customers", meaning_en="Fewer complaints this year."
    )
    a = published(tenant_a, core_value=second, title="Afmaken", weight=50)
    b = published(tenant_a, core_value=first, title="Helpen", weight=30)
    c = published(tenant_a, core_value=first, title="Vragen", weight=20)
    ExpectationVersion.objects.filter(pk=b.current_version_id).update(
        strategic_goal=goal, examples_yes_en="- Helping a colleague\n- Sharing a tip", number=3
    )

    response = employee.get(mine(organization))
    assert response.status_code == 200
    assert [(value.pk, [row.pk for row in rows]) for value, rows in response.context["groups"]] == [
        (first.pk, [b.pk, c.pk]),
        (second.pk, [a.pk]),
    ]
    page = response.content.decode()
    assert page.count("<h1>") == 1 and "What is expected of me</h1>" in page
    assert page.index("Together") < page.index("Helpen (en)") < page.index("Ownership") < page.index("Afmaken (en)")
    assert "We help." in page and "You finish it." in page
    assert "You ask the customer for feedback within a week of delivery." in page
    assert "<li>Helping a colleague</li><li>Sharing a tip</li>" in page
    assert "<li>You wait until the customer complains.</li>" in page
    assert "“This is it”" in page and "“Not yet”" in page
    assert "50 %" in page and "30 %" in page
    assert "How you contribute" in page and "Happy customers" in page and "Fewer complaints this year." in page
    assert "Version 3" in page
    # The rule: what weighs, and the cap.
    assert "Per person the weights of the expectations that apply add up to 100 %." in page
    assert "3 expectations apply to you; together these weigh 100 %." in page
    assert "HR is still aligning the weights" not in page
    assert "at most 5 expectations apply to you" in page


def test_weights_that_do_not_add_up_to_100_say_hr_is_still_aligning_them(tenant_a, employee):
    published(tenant_a, weight=40)
    published(tenant_a, weight=20)
    page = employee.get(mine(tenant_a.organization)).content.decode()
    assert "2 expectations apply to you; together these weigh 60 %." in page
    assert "HR is still aligning the weights, so for now they do not add up to 100 %." in page


def test_the_cap_is_the_organisations(tenant_a, employee):
    tenant_a.organization.expectation_cap = 3
    tenant_a.organization.save(update_fields=["expectation_cap"])
    page = employee.get(mine(tenant_a.organization)).content.decode()
    assert "at most 3 expectations apply to you" in page


def test_what_does_not_count_is_listed_in_order(tenant_a, employee):
    published(tenant_a)
    NotCountedFactory(organization=tenant_a.organization, text_en="Hours beyond your contract", order=2)
    NotCountedFactory(organization=tenant_a.organization, text_en="Your email style", order=1)
    page = employee.get(mine(tenant_a.organization)).content.decode()
    assert "What does not count" in page
    assert page.index("Your email style") < page.index("Hours beyond your contract")


def test_an_empty_state_when_nothing_is_published_yet(tenant_a, employee):
    published(tenant_a, status=Status.DRAFT, published_at=None)
    response = employee.get(mine(tenant_a.organization))
    page = response.content.decode()
    assert response.context["groups"] == []
    assert "No expectations have been published for you yet." in page
    assert "What weighs" not in page
    assert "Your organisation has not listed anything here yet." in page


def test_dutch_is_the_default_for_a_dutch_organisation(tenant_a, login):
    core_value = CoreValueFactory(organization=tenant_a.organization, name_nl="Samen", name_en="Together")
    published(tenant_a, core_value=core_value, title="Feedback vragen")
    page = login(tenant_a.employee).get(mine(tenant_a.organization)).content.decode()
    assert '<html lang="nl">' in page
    assert "Samen" in page and "Together" not in page
    assert "Feedback vragen" in page and "Feedback vragen (en)" not in page
    assert "Je vraagt binnen een week na oplevering feedback aan de klant." in page


def test_a_missing_english_text_falls_back_to_dutch(tenant_a, employee):
    expectation = published(tenant_a, title="Alleen Nederlands")
    ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(title_en="", behaviour_en="")
    page = employee.get(mine(tenant_a.organization)).content.decode()
    assert "Alleen Nederlands" in page
    assert "Je vraagt binnen een week na oplevering feedback aan de klant." in page


def test_links_to_sharpening_when_a_draft_is_open_to_me(tenant_a, employee):
    link = url("expectations:sharpening_list", tenant_a.organization)
    client = employee
    assert link not in client.get(mine(tenant_a.organization)).content.decode()

    # Closed, or for another team: no invitation to sharpen.
    ExpectationFactory(
        organization=tenant_a.organization,
        status=Status.SHARPENING,
        published_at=None,
        sharpening_closes_on=timezone.localdate() - timezone.timedelta(days=1),
    )
    ExpectationFactory(
        organization=tenant_a.organization,
        status=Status.SHARPENING,
        published_at=None,
        teams=[TeamFactory(organization=tenant_a.organization)],
    )
    assert link not in client.get(mine(tenant_a.organization)).content.decode()

    ExpectationFactory(organization=tenant_a.organization, status=Status.SHARPENING, published_at=None)
    page = client.get(mine(tenant_a.organization)).content.decode()
    assert f'href="{link}"' in page
    assert "One draft expectation is open for your suggestions" in page


def test_names_are_escaped(tenant_a, employee):
    core_value = CoreValueFactory(organization=tenant_a.organization, name_en="<b>Samen</b>")
    published(tenant_a, core_value=core_value)
    page = employee.get(mine(tenant_a.organization)).content.decode()
    assert escape("<b>Samen</b>") in page and "<b>Samen</b>" not in page


def add_expectations(tenant, numbers):
    """Published expectations for my team, each under its own core value, serving a goal, with examples."""
    for n in numbers:
        core_value = CoreValueFactory(organization=tenant.organization)
        expectation = published(tenant, core_value=core_value, teams=[tenant.team] if n % 2 else None)
        goal = StrategicGoalFactory(organization=tenant.organization)
        ExpectationVersion.objects.filter(pk=expectation.current_version_id).update(strategic_goal=goal)
        NotCountedFactory(organization=tenant.organization)
    # An open draft, so the sharpening link is part of the page.
    ExpectationFactory(organization=tenant.organization, status=Status.SHARPENING, published_at=None)


@pytest.mark.parametrize("many", [7, 40])
def test_the_page_makes_as_many_queries_for_many_expectations_as_for_2(tenant_a, tenant_b, employee, many):
    EmployeeFactory(organization=tenant_b.organization)  # other tenants' rows change nothing
    add_expectations(tenant_b, range(3))
    response = assert_flat_queries(
        lambda: employee.get(mine(tenant_a.organization)),
        lambda numbers: add_expectations(tenant_a, numbers),
        many=many,
    )
    assert len(shown(response)) == many
