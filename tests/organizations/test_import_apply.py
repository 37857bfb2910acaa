"""Applying a people import: all rows or none, each file once, and the same file twice changes nothing."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django_scopes import scopes_disabled

from accounts.models import User
from organizations import importing
from organizations.importing import people_import_apply, people_import_preview
from organizations.models import Employee, PeopleImport, Role, Team
from tests.kit import stored_import

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def state():
    """Everything an import may touch, in a comparable form."""
    people = sorted(
        Employee.objects.values_list(
            "organization__slug",
            "user__email",
            "first_name",
            "last_name",
            "job_title",
            "role",
            "team__name",
            "manager__user__email",
            "is_active",
        )
    )
    teams = sorted(Team.objects.values_list("organization__slug", "name"))
    users = sorted(User.objects.values_list("email", "password", "is_active"))
    return people, teams, users


def person(tenant, email):
    return Employee.objects.select_related("user", "team", "manager__user").get(
        organization=tenant.organization, user__email=email
    )


def test_applying_creates_teams_logins_people_and_managers(tenant_a):
    people_import = stored_import(
        tenant_a,
        "piet@example.org;Piet;Pieters;Adviseur;Verkoop;BAAS@example.org;",
        "Baas@Example.org;Bea;Baas;Teamleider;Verkoop;;leidinggevende",
        f"{tenant_a.employee.user.email};Eva;Evers;Senior adviseur;Klantenservice;{tenant_a.manager.user.email};",
    )

    summary = people_import_apply(people_import=people_import, actor=tenant_a.hr)

    assert summary == {
        "rows": 3,
        "new": 2,
        "updated": 1,
        "unchanged": 0,
        "problems": 0,
        "new_teams": 1,
        "applied_by": tenant_a.hr.pk,
    }
    piet, bea, eva = (
        person(tenant_a, email) for email in ("piet@example.org", "baas@example.org", tenant_a.employee.user.email)
    )
    assert (piet.first_name, piet.last_name, piet.job_title, piet.role) == (
        "Piet",
        "Pieters",
        "Adviseur",
        Role.EMPLOYEE,
    )
    assert piet.team.name == "Verkoop" and piet.team.organization == tenant_a.organization
    assert piet.manager == bea
    assert bea.role == Role.MANAGER and bea.manager is None
    assert bea.user.email == "baas@example.org"  # stored lower-case
    assert not bea.user.has_usable_password() and not piet.user.has_usable_password()
    assert (eva.last_name, eva.job_title) == ("Evers", "Senior adviseur")
    people_import.refresh_from_db()
    assert people_import.applied_at is not None
    assert people_import.summary == summary


def test_someone_with_a_login_elsewhere_gets_a_membership_with_their_own_names_here(tenant_a, tenant_b):
    hanna_b = tenant_b.hr
    logins_before = User.objects.count()
    people_import = stored_import(tenant_a, f"{hanna_b.user.email.upper()};Johanna;Consultant;Adviseur;;;")

    people_import_apply(people_import=people_import, actor=tenant_a.hr)

    membership = person(tenant_a, hanna_b.user.email)
    assert membership.user_id == hanna_b.user_id
    assert (membership.first_name, membership.last_name) == ("Johanna", "Consultant")
    assert User.objects.count() == logins_before
    hanna_b.refresh_from_db()
    assert hanna_b.first_name == "Hanna"  # their membership of the other organisation is untouched
    assert hanna_b.user.check_password("correct horse battery staple")


def test_importing_the_same_file_twice_changes_nothing_the_second_time(tenant_a, tenant_b):
    lines = [
        "piet@example.org;Piet;Pieters;Adviseur;Verkoop;baas@example.org;",
        "baas@example.org;Bea;Baas;Teamleider;Verkoop;;manager",
        f"{tenant_a.employee.user.email};Eva;Evers;Adviseur;klantenservice;{tenant_a.manager.user.email};",
        f"{tenant_b.hr.user.email};Hanna;B;;;;",
    ]
    people_import_apply(people_import=stored_import(tenant_a, *lines), actor=tenant_a.hr)
    after_first = state()

    second = stored_import(tenant_a, *lines)
    again = people_import_preview(organization=tenant_a.organization, content=second.content)
    assert again.counts == {"rows": 4, "new": 0, "updated": 0, "unchanged": 4, "problems": 0, "new_teams": 0}

    summary = people_import_apply(people_import=second, actor=tenant_a.hr)
    assert summary["unchanged"] == 4
    assert state() == after_first


def test_a_problem_that_appears_between_preview_and_apply_saves_nothing(tenant_a):
    people_import = stored_import(
        tenant_a,
        "piet@example.org;Piet;;;Verkoop;;",
        f"nieuw@example.org;Nina;;;;{tenant_a.manager.user.email};",
        f"{tenant_a.employee.user.email};Eva;;Teamleider;;;",
    )
    assert not people_import_preview(organization=tenant_a.organization, content=people_import.content).has_problems
    Employee.objects.filter(pk=tenant_a.manager.pk).update(is_active=False)  # someone deactivates the manager
    before = state()

    with pytest.raises(ValidationError) as error:
        people_import_apply(people_import=people_import, actor=tenant_a.hr)

    assert error.value.code == "problems"
    assert state() == before
    people_import.refresh_from_db()
    assert people_import.applied_at is None and people_import.summary == {}


def test_a_clash_while_writing_rolls_everything_back(tenant_a, monkeypatch):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;Verkoop;;")
    before = state()
    write = importing.apply._write

    def write_then_clash(organization, preview):
        write(organization, preview)  # everything is written...
        raise IntegrityError("duplicate key")  # ...then someone else's insert collides

    monkeypatch.setattr(importing.apply, "_write", write_then_clash)
    with pytest.raises(ValidationError) as error:
        people_import_apply(people_import=people_import, actor=tenant_a.hr)

    assert error.value.code == "conflict"
    assert state() == before
    assert PeopleImport.objects.get(pk=people_import.pk).applied_at is None


def test_applying_twice_applies_once(tenant_a):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;Verkoop;;")
    stale_copy = PeopleImport.objects.get(pk=people_import.pk)  # a second tab, or a double click
    people_import_apply(people_import=people_import, actor=tenant_a.hr)
    after_first = state()

    with pytest.raises(ValidationError) as error:
        people_import_apply(people_import=stale_copy, actor=tenant_a.hr)

    assert error.value.code == "already_applied"
    assert error.value.messages == ["This file has already been imported."]
    assert state() == after_first
    assert Employee.objects.filter(user__email="piet@example.org").count() == 1


def test_a_file_with_problems_cannot_be_applied(tenant_a):
    people_import = stored_import(tenant_a, "piet@example.org;Piet;;;;;", "kapot;Kapot;;;;;")
    before = state()
    with pytest.raises(ValidationError):
        people_import_apply(people_import=people_import, actor=tenant_a.hr)
    assert state() == before


def test_blank_cells_clear_values_but_a_blank_role_keeps_the_role(tenant_a):
    eva = tenant_a.employee
    people_import = stored_import(tenant_a, f"{eva.user.email};Eva;;;;;")
    people_import_apply(people_import=people_import, actor=tenant_a.hr)
    eva = person(tenant_a, eva.user.email)
    assert (eva.last_name, eva.job_title, eva.team, eva.manager) == ("", "", None, None)
    assert eva.role == Role.EMPLOYEE
    mark = person(tenant_a, tenant_a.manager.user.email)
    assert mark.role == Role.MANAGER  # not in the file: untouched


def test_reporting_lines_can_be_turned_around_in_one_file(tenant_a):
    mark, eva = tenant_a.manager, tenant_a.employee
    people_import = stored_import(
        tenant_a, f"{mark.user.email};Mark;;;;{eva.user.email};", f"{eva.user.email};Eva;;;;;manager"
    )
    people_import_apply(people_import=people_import, actor=tenant_a.hr)
    assert person(tenant_a, mark.user.email).manager_id == eva.pk
    assert person(tenant_a, eva.user.email).manager_id is None


def test_the_other_organisation_is_untouched(tenant_a, tenant_b):
    def b_state():
        people, teams, _users = state()
        return [row for row in people if row[0] == "bravo"], [row for row in teams if row[0] == "bravo"]

    before = b_state()
    people_import = stored_import(
        tenant_a,
        f"{tenant_b.employee.user.email};Eva;Anders;Directeur;Klantenservice;;hr_admin",
        "nieuw@example.org;Nina;;;Klantenservice;;",
    )
    people_import_apply(people_import=people_import, actor=tenant_a.hr)
    assert b_state() == before
    assert Team.objects.filter(organization=tenant_a.organization, name="Klantenservice").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_confirms_apply_once(tenant_a):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time anyway; the row lock race needs PostgreSQL")
    people_import = stored_import(tenant_a, *[f"new{n}@example.org;P;;;Verkoop;;" for n in range(300)])
    start = threading.Barrier(2)
    outcomes = []

    def confirm():
        try:
            with scopes_disabled():
                copy = PeopleImport.objects.get(pk=people_import.pk)
                start.wait()
                people_import_apply(people_import=copy, actor=tenant_a.hr)
            outcomes.append("applied")
        except ValidationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["already_applied", "applied"]
    assert Employee.objects.filter(organization=tenant_a.organization, user__email__startswith="new").count() == 300
    assert Team.objects.filter(organization=tenant_a.organization, name="Verkoop").count() == 1
