"""HR's pay settings: holiday allowance, thirteenth month, the day consequences take effect, managers' view.

Percentages are typed the Dutch or the English way; a bad value is refused at its field, translated, and nothing
is saved.
"""

import datetime
import html
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from organizations.audit_models import AuditEntry
from pay.models import PaySettings
from pay.standing import settings_for
from tests.factories import CycleFactory
from tests.kit import (
    assert_method_not_allowed,
    assert_nothing_changes,
    assert_other_organisation_gets_404,
    assert_role_forbidden,
    client_for,
    field_error,
    shown_messages,
    url,
)

pytestmark = pytest.mark.django_db


def page(organization):
    return url("pay:settings", organization)


def settings_data(**changes):
    data = {
        "holiday_allowance": "8",
        "thirteenth_month": "",
        "effective_day": "1",
        "effective_month": "1",
        "managers_see_reports": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def stored(organization):
    row = PaySettings.objects.get(organization=organization)
    return (
        row.holiday_allowance,
        row.thirteenth_month,
        row.effective_day,
        row.effective_month,
        row.managers_see_reports,
    )


# Who may use the page


def test_another_organisations_member_gets_404(client, tenant_a, stranger):
    for method in ("get", "post"):
        assert_other_organisation_gets_404(client, stranger, page(tenant_a.organization), method, settings_data())


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_only_hr_may_use_the_page(client, tenant_a, role):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    for method in ("get", "post"):
        data = settings_data(holiday_allowance="50")
        assert_role_forbidden(client, tenant_a.member(role), page(tenant_a.organization), method, data)


def test_wrong_methods_get_405(hr, tenant_a):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    assert_method_not_allowed(hr, page(tenant_a.organization), ["put", "patch", "delete"])


# The page


def test_the_page_shows_the_defaults_and_says_where_each_setting_is_used(hr, tenant_a):
    response = hr.get(page(tenant_a.organization))

    assert response.status_code == 200
    text = html.unescape(response.content.decode())
    assert 'value="8"' in text
    assert "Counted in every annual salary" in text
    assert "the first time it comes after the cycle ends" in text
    assert "HR sees everyone's figures and each person their own, either way." in text


def test_hr_saves_every_setting_and_the_change_is_in_the_audit_trail(hr, tenant_a):
    organization = tenant_a.organization
    PaySettings.objects.get_or_create(organization_id=organization.pk)

    response = hr.post(
        page(organization),
        settings_data(
            holiday_allowance="8,33",
            thirteenth_month="on",
            effective_day="1",
            effective_month="7",
            managers_see_reports="on",
        ),
        follow=True,
    )

    assert shown_messages(response) == ["The pay settings have been saved."]
    assert stored(organization) == (Decimal("8.33"), True, 1, 7, True)
    entry = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PaySettings), action=AuditEntry.Action.UPDATE
    ).get()
    assert entry.actor_employee == tenant_a.hr
    assert set(entry.changes) == {"holiday_allowance", "thirteenth_month", "effective_month", "managers_see_reports"}


@pytest.mark.parametrize("typed", ["2.5", "2,5", "2,50", " 2.5 % "])
def test_a_percentage_reads_the_same_typed_the_dutch_or_the_english_way(tenant_a, typed):
    dutch = client_for(tenant_a.hr, language="nl")

    dutch.post(page(tenant_a.organization), settings_data(holiday_allowance=typed))

    assert stored(tenant_a.organization)[0] == Decimal("2.50")


def test_the_effective_date_follows_the_setting(tenant_a, hr):
    organization = tenant_a.organization
    hr.post(page(organization), settings_data(effective_day="1", effective_month="4"))
    cycle = CycleFactory(
        organization=organization, starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31)
    )

    assert settings_for(organization_id=organization.pk).effective_date(cycle) == datetime.date(2028, 4, 1)


# Bad input: translated, at its field, nothing saved

BAD = [
    ("holiday_allowance", "abc", "Enter a percentage such as 8 or 2,5."),
    ("holiday_allowance", "100,5", "Enter a percentage from 0 to 100."),
    ("holiday_allowance", "-1", "Enter a percentage from 0 to 100."),
    ("holiday_allowance", "8,125", "A percentage has at most two decimals."),
    ("holiday_allowance", "", "Enter a percentage; 0 if there is none."),
    ("effective_day", "32", "Enter a day from 1 to 31."),
    ("effective_day", "0", "Enter a day from 1 to 31."),
    ("effective_day", "een", "Enter a day from 1 to 31."),
    ("effective_month", "13", "Choose a month from the list."),
]


@pytest.mark.parametrize(("field", "typed", "message"), BAD)
def test_bad_input_is_refused_at_its_field_and_nothing_is_saved(hr, tenant_a, field, typed, message):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    with assert_nothing_changes():
        response = hr.post(page(tenant_a.organization), {**settings_data(), field: typed})

    assert response.status_code == 200
    assert field_error(response, field) == message


def test_29_february_is_refused_because_most_years_do_not_have_it(hr, tenant_a):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    with assert_nothing_changes():
        response = hr.post(page(tenant_a.organization), settings_data(effective_day="29", effective_month="2"))

    assert field_error(response, "effective_day") == "Choose a day that exists in that month every year."


def test_31_april_is_refused_too(hr, tenant_a):
    PaySettings.objects.get_or_create(organization_id=tenant_a.organization.pk)
    with assert_nothing_changes():
        response = hr.post(page(tenant_a.organization), settings_data(effective_day="31", effective_month="4"))

    assert field_error(response, "effective_day") == "Choose a day that exists in that month every year."
