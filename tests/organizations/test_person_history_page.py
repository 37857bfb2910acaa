"""The history on a person's page: HR reads who changed what and when, in their language; nobody else sees it."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils.html import escape

from organizations import audit
from organizations.audit_models import AuditEntry
from organizations.models import Role
from tests.factories import EmployeeFactory, TeamFactory
from tests.kit import (
    assert_flat_queries,
    assert_other_organisation_gets_404,
    client_for,
    person_form,
    url,
)

pytestmark = pytest.mark.django_db


def page(person, query=""):
    return url("organizations:person_detail", person.organization, employee_id=person.pk) + query


def shown(response):
    """The entries the page shows, newest first, as (who, what, [(label, old, new), ...])."""
    return [
        (entry.actor, entry.action_label, [(change.label, change.old, change.new) for change in entry.changes])
        for entry in response.context["history"].object_list
    ]


def hr_moves(tenant, hr_client):
    """HR makes Eva a manager in a new team, reporting to HR: the change every test here reads back."""
    team = TeamFactory(organization=tenant.organization, name="Ontwikkeling")
    response = hr_client.post(
        url("organizations:person_edit", tenant.organization, employee_id=tenant.employee.pk),
        person_form(tenant.employee, role=Role.MANAGER, team=team.pk, manager=tenant.hr.pk),
    )
    assert response.status_code == 302
    return team


def test_hr_reads_who_changed_a_persons_role_team_and_manager_in_english(tenant_a, hr):
    hr_moves(tenant_a, hr)
    response = hr.get(page(tenant_a.employee))
    assert response.status_code == 200
    who, what, changes = shown(response)[0]
    assert (who, what) == (tenant_a.hr.full_name, "Changed")
    assert changes == [  # in the order of the person's form
        ("Role", "Employee", "Manager"),
        ("Team", "Klantenservice", "Ontwikkeling"),
        ("Manager", tenant_a.manager.full_name, tenant_a.hr.full_name),
    ]
    html = response.content.decode()
    assert '<h2 id="history-heading">History</h2>' in html
    assert 'Employee <span aria-hidden="true">→</span><span class="visually-hidden">becomes</span> Manager' in html
    assert f"{escape(tenant_a.manager.full_name)} <span" in html


def test_hr_reads_the_same_history_in_dutch(tenant_a, hr):
    hr_moves(tenant_a, hr)
    dutch_hr = client_for(tenant_a.hr, language="nl")
    response = dutch_hr.get(page(tenant_a.employee))
    _who, _what, changes = shown(response)[0]
    assert changes == [
        ("Rol", "Medewerker", "Leidinggevende"),
        ("Team", "Klantenservice", "Ontwikkeling"),
        ("Leidinggevende", tenant_a.manager.full_name, tenant_a.hr.full_name),
    ]
    assert "Medewerker <span" in response.content.decode()


def test_yes_and_no_read_in_the_readers_language_and_a_person_being_added_shows_their_first_values(tenant_a, hr):
    with audit.acting_as(tenant_a.hr):
        audit.record_update(tenant_a.employee, is_active=False)
    english = shown(hr.get(page(tenant_a.employee)))
    assert english[0][2] == [("Active", "yes", "no")]
    added_by, added, first_values = english[-1]
    assert (added_by, added) == ("Helder (automatic)", "Added")  # the fixtures' factory saved Eva outside a request
    assert ("First name", "—", "Eva") in first_values
    dutch = shown(client_for(tenant_a.hr, language="nl").get(page(tenant_a.employee)))
    assert dutch[0][2] == [("Actief", "ja", "nee")]


def test_a_team_deleted_since_reads_as_deleted_rather_than_as_a_number(tenant_a, hr):
    team = hr_moves(tenant_a, hr)
    tenant_a.employee.refresh_from_db()
    with audit.acting_as(tenant_a.hr):
        audit.record_update(tenant_a.employee, team=None)
    team.delete()
    changes = dict((label, (old, new)) for label, old, new in shown(hr.get(page(tenant_a.employee)))[1][2])
    assert changes["Team"] == ("Klantenservice", "(deleted)")


def test_a_login_without_a_membership_here_is_not_named(tenant_a, tenant_b, hr):
    with audit.acting_as(tenant_b.hr):  # Bravo's HR login, acting on Alfa's row (a task gone wrong, say)
        audit.record_update(tenant_a.employee, job_title="Teamleider")
    assert shown(hr.get(page(tenant_a.employee)))[0][0] == "someone outside this organisation"


@pytest.mark.parametrize("who", ["manager", "employee"])
def test_a_manager_or_the_person_sees_the_page_without_any_history(tenant_a, who, request):
    with audit.acting_as(tenant_a.hr):
        audit.record_update(tenant_a.employee, job_title="Ontwikkelaar")
    response = request.getfixturevalue(who).get(page(tenant_a.employee, "?history=1"))
    assert response.status_code == 200
    assert "history" not in response.context
    html = response.content.decode()
    assert 'id="history"' not in html
    assert "Ontwikkelaar" not in html


def test_another_organisations_hr_gets_404_and_changes_nothing(tenant_a, client, stranger):
    assert_other_organisation_gets_404(client, stranger, page(tenant_a.employee, "?history=1"))


def test_another_organisations_entries_never_show_on_this_organisations_page(tenant_a, tenant_b, hr):
    person = tenant_a.employee
    AuditEntry.objects.create(
        organization=tenant_b.organization,
        content_type=ContentType.objects.get_for_model(person),
        object_pk=str(person.pk),
        object_id=person.pk,
        object_repr=person.full_name,
        action=AuditEntry.Action.UPDATE,
        changes={"job_title": ["Adviseur", "Bravo geheim"]},
    )
    response = hr.get(page(person))
    assert "Bravo geheim" not in response.content.decode()
    assert [new for _who, _what, changes in shown(response) for _label, _old, new in changes if "Bravo" in new] == []


def test_the_history_costs_the_same_queries_with_2_and_with_40_entries(tenant_a, hr):
    person = tenant_a.employee
    teams = [tenant_a.team, TeamFactory(organization=tenant_a.organization)]
    managers = [tenant_a.manager, EmployeeFactory(organization=tenant_a.organization, role=Role.MANAGER)]

    def build(numbers):
        with audit.acting_as(tenant_a.hr):
            for number in numbers:
                audit.record_update(person, team=teams[(number + 1) % 2], manager=managers[(number + 1) % 2])
                person.team, person.manager = teams[(number + 1) % 2], managers[(number + 1) % 2]

    response = assert_flat_queries(lambda: hr.get(page(person)), build)
    assert len([entry for entry in shown(response) if entry[1] == "Changed"]) == 40


def test_a_long_history_shows_the_latest_fifty_and_links_to_older_ones(tenant_a, hr):
    person = tenant_a.employee
    with audit.acting_as(tenant_a.hr):
        for number in range(55):
            audit.record_update(person, job_title=f"Functie {number}")
            person.job_title = f"Functie {number}"
    first = hr.get(page(person))
    assert len(first.context["history"].object_list) == 50
    assert shown(first)[0][2] == [("Job title", "Functie 53", "Functie 54")]
    assert 'href="?history=2#history"' in first.content.decode()
    older = hr.get(page(person, "?history=2"))
    assert len(older.context["history"].object_list) == 6  # the rest, and Eva's being added
    assert 'href="?history=1#history"' in older.content.decode()


@pytest.mark.parametrize("junk", ["abc", "-1", "99999999999999999999", ""])
def test_a_page_number_that_is_not_one_shows_a_page_rather_than_an_error(tenant_a, hr, junk):
    response = hr.get(page(tenant_a.employee, f"?history={junk}"))
    assert response.status_code == 200
    assert response.context["history"].object_list


def test_times_read_in_the_organisations_zone(tenant_a, hr):
    joined = datetime.datetime(2027, 7, 1, 7, 30, tzinfo=datetime.UTC)  # 09:30 in Amsterdam (summer time)
    person = tenant_a.employee
    person.joined_at = None
    with audit.acting_as(tenant_a.hr):
        audit.record_update(person, joined_at=joined)
    label, old, new = shown(hr.get(page(person)))[0][2][0]
    assert (label, old) == ("Joined at", "—")
    assert "9:30" in new and "1 July 2027" in new
