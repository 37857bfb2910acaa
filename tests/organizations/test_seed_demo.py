"""manage.py seed_demo: the demo organisations and logins, safe to run twice, refused in production."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from accounts.models import User
from organizations.models import Employee, Organization, Role, Team

pytestmark = pytest.mark.django_db


def rows():
    return Organization.objects.count(), Team.objects.count(), Employee.objects.count(), User.objects.count()


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_seed_demo_creates_two_organisations_of_about_thirty_and_ten_people(seeded):
    demo = Organization.objects.get(slug="demo")
    second = Organization.objects.get(slug="tweede")
    assert 25 <= demo.employees.count() <= 35
    assert 8 <= second.employees.count() <= 12
    assert demo.teams.count() >= 2 and second.teams.count() >= 2


@pytest.mark.parametrize(
    ("email", "slug", "role"),
    [
        ("hr@example.com", "demo", Role.HR_ADMIN),
        ("manager@example.com", "demo", Role.MANAGER),
        ("employee@example.com", "demo", Role.EMPLOYEE),
        ("consultant@example.com", "demo", Role.HR_ADMIN),
        ("consultant@example.com", "tweede", Role.HR_ADMIN),
    ],
)
def test_the_four_demo_logins_have_password_demo_and_their_roles(seeded, email, slug, role):
    assert authenticate(username=email, password="demo") is not None
    assert Employee.objects.get(user__email=email, organization__slug=slug).role == role


def test_the_consultant_is_hr_in_both_organisations_with_one_login(seeded):
    memberships = Employee.objects.filter(user__email="consultant@example.com")
    assert sorted(memberships.values_list("organization__slug", flat=True)) == ["demo", "tweede"]


def test_the_demo_manager_has_the_demo_employee_as_a_report(seeded):
    employee = Employee.objects.get(user__email="employee@example.com")
    assert employee.manager.user.email == "manager@example.com"


def test_the_demo_reporting_lines_stay_inside_each_organisation(seeded):
    for person in Employee.objects.exclude(manager=None).select_related("manager"):
        assert person.manager.organization_id == person.organization_id
        assert person.team is None or person.team.organization_id == person.organization_id


def test_running_seed_demo_twice_creates_nothing_new(seeded):
    before = rows()
    call_command("seed_demo", stdout=io.StringIO())
    assert rows() == before


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    assert rows() == (0, 0, 0, 0)


def test_seed_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=io.StringIO())
    assert Organization.objects.filter(slug__in=["demo", "tweede"]).count() == 2
