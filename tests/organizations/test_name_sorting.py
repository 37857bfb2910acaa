"""People sort Dutch style, by surname without its tussenvoegsel ("de Jong" under J), in the database.

The key (Employee.sort_name) is written with the name on every path that writes names: HR's form, the import
(bulk_create and bulk_update), the platform's first HR admin, both demos, and the migration for existing people.
"""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from home import large_demo
from organizations import platform
from organizations.models import Employee
from organizations.names import sort_name, split_surname
from tests.factories import EmployeeFactory, TeamFactory, UserFactory
from tests.kit import import_page, person_form, uploaded_through_the_page, url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("first", "last", "key"),
    [
        ("Sanne", "de Jong", "jong, sanne, de"),
        ("Lisa", "van Dijk", "dijk, lisa, van"),
        ("Jan", "van der Meer", "meer, jan, van der"),
        ("Eva", "De Vries", "vries, eva, de"),  # as at a sentence's start: still a prefix
        ("Kees", "van ’t Hof", "hof, kees, van 't"),
        ("Ömer", "Öztürk", "ozturk, omer"),
        ("Bram", "Willems", "willems, bram"),
        ("Kim", "Van", "van, kim"),  # a surname that is only a prefix keeps it
        ("Cher", "", "cher"),
    ],
)
def test_the_key_is_the_surname_then_the_first_name_then_the_prefix_folded(first, last, key):
    assert sort_name(first, last) == key


def test_the_prefix_comes_back_as_written():
    assert split_surname("Van den Berg") == ("Van den", "Berg")
    assert split_surname("Jongen") == ("", "Jongen")


def names_on_the_list(hr, tenant):
    response = hr.get(url("organizations:people_list", tenant.organization), {"status": "all"})
    return [person.full_name for person in response.context["page"].object_list]


def test_the_people_list_sorts_de_jong_and_van_dijk_by_surname_case_insensitively(tenant_a, hr):
    Employee.objects.filter(organization=tenant_a.organization).exclude(pk=tenant_a.hr.pk).delete()
    for first, last in [("Bram", "Willems"), ("Sanne", "de Jong"), ("Lisa", "van Dijk"), ("anna", "bakker")]:
        EmployeeFactory(organization=tenant_a.organization, first_name=first, last_name=last)
    EmployeeFactory(organization=tenant_a.organization, first_name="Anna", last_name="Jongen", is_active=False)
    tenant_a.hr.first_name, tenant_a.hr.last_name = "Hanna", "Zwart"
    tenant_a.hr.save()

    assert names_on_the_list(hr, tenant_a) == [
        "anna bakker",
        "Lisa van Dijk",
        "Sanne de Jong",
        "Anna Jongen",
        "Bram Willems",
        "Hanna Zwart",
    ]


def test_the_database_sorts_by_the_key_not_python(tenant_a):
    """The list's query orders by sort_name itself (an index reads it): no name is sorted after fetching."""
    from organizations import selectors

    query = str(selectors.people(organization=tenant_a.organization).query)
    assert query.rsplit("ORDER BY", 1)[1].strip().startswith('"organizations_employee"."sort_name" ASC')


def key_of(person):
    return Employee.objects.values_list("sort_name", flat=True).get(pk=person.pk)


def test_hr_adding_a_person_by_the_form_stores_the_key(tenant_a, hr):
    page = url("organizations:person_create", tenant_a.organization)
    data = {"email": "sanne@example.org", "first_name": "Sanne", "last_name": "de Jong", "role": "employee"}
    assert hr.post(page, data).status_code == 302
    assert key_of(Employee.objects.get(user__email="sanne@example.org")) == "jong, sanne, de"


def test_hr_renaming_a_person_by_the_form_changes_the_key(tenant_a, hr):
    person = tenant_a.employee
    page = url("organizations:person_edit", tenant_a.organization, employee_id=person.pk)
    assert hr.post(page, person_form(person, last_name="van den Berg")).status_code == 302
    assert key_of(person) == f"berg, {person.first_name.lower()}, van den"


def test_saving_only_the_name_fields_saves_the_key_too(tenant_a):
    person = tenant_a.employee
    person.first_name, person.last_name = "Jan", "van der Meer"
    person.save(update_fields=["last_name", "first_name"])
    assert key_of(person) == "meer, jan, van der"


def test_an_import_stores_the_key_for_new_people_and_for_renamed_ones(tenant_a, hr):
    people_import = uploaded_through_the_page(
        hr,
        tenant_a.organization,
        "nieuw@example.org;Lisa;van Dijk;;;;",
        f"{tenant_a.outsider.user.email};Olaf;ter Horst;;;;",
    )
    assert hr.post(import_page("apply", people_import), {}).status_code == 302
    assert key_of(Employee.objects.get(user__email="nieuw@example.org")) == "dijk, lisa, van"
    assert key_of(tenant_a.outsider) == "horst, olaf, ter"


def test_bulk_writes_keep_the_key_and_a_name_through_update_is_refused(tenant_a):
    team = TeamFactory(organization=tenant_a.organization)
    (made,) = Employee.objects.bulk_create(
        [
            Employee(
                organization=tenant_a.organization,
                user=UserFactory(),
                first_name="Sanne",
                last_name="de Jong",
                team=team,
            )
        ]
    )
    assert key_of(made) == "jong, sanne, de"
    made.last_name = "Jongen"
    Employee.objects.bulk_update([made], ["last_name"])
    assert key_of(made) == "jongen, sanne"
    # A bulk write of other fields leaves the key alone (the import's managers: rows with only an id and a manager).
    Employee.objects.bulk_update([Employee(pk=made.pk, manager_id=tenant_a.manager.pk)], ["manager"])
    assert key_of(made) == "jongen, sanne"
    with pytest.raises(TypeError):
        Employee.objects.filter(pk=made.pk).update(last_name="Visser")
    assert key_of(made) == "jongen, sanne"


def test_the_platform_stores_the_first_hr_admins_key(db):
    organization, _invitation, _created = platform.organization_start(
        slug="nieuw",
        name="Nieuw BV",
        language="nl",
        time_zone="Europe/Amsterdam",
        hr_email="hr@nieuw.example",
        hr_first_name="Hanna",
        hr_last_name="van Leeuwen",
    )
    assert Employee.objects.get(organization=organization).sort_name == "leeuwen, hanna, van"


def test_the_small_demo_has_every_key_right(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    people = Employee.objects.filter(organization__slug="demo")
    assert all(person.sort_name == sort_name(person.first_name, person.last_name) for person in people)
    names = [person.full_name for person in people.order_by("sort_name", "pk")]
    assert names.index("Lisa van Dijk") < names.index("Jesse de Jong") < names.index("Bram Willems")


def test_the_large_demo_writes_its_people_in_bulk_with_their_keys(db):
    large_demo.seed(large_demo.MIN_PEOPLE, slug="klein")
    people = Employee.objects.filter(organization__slug="klein")
    assert people.count() == large_demo.MIN_PEOPLE
    assert all(person.sort_name == sort_name(person.first_name, person.last_name) for person in people)


def test_the_migration_fills_the_key_of_people_already_there(tenant_a):
    Employee._base_manager.filter(pk=tenant_a.employee.pk).update(last_name="van Dijk", sort_name="")
    migration = importlib.import_module("organizations.migrations.0008_employee_sort_name")
    migration.fill_sort_names(apps, connection.schema_editor())
    assert key_of(tenant_a.employee) == f"dijk, {tenant_a.employee.first_name.lower()}, van"
