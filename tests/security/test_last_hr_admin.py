"""Every organisation keeps an active HR admin who can log in, whichever path tries to take the last one away."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scopes_disabled

from accounts.models import User
from organizations import hr_admins, services
from organizations.models import Employee, PeopleImport, Role
from tests.conftest import need
from tests.factories import EmployeeFactory, UserFactory
from tests.kit import (
    assert_role_forbidden,
    client_for,
    field_error,
    import_page,
    person_form,
    shown_messages,
    uploaded_through_the_page,
    url,
)

pytestmark = pytest.mark.django_db

RULE = "An organisation always keeps at least one active HR admin who can log in. Make someone else HR admin first."


@pytest.fixture
def invited_hr(tenant_a):
    """A second HR admin who was invited but never chose a password: nobody can act as them yet."""
    user = UserFactory(email="nieuw.hr@alfa.example")
    user.set_unusable_password()
    user.save()
    return EmployeeFactory(organization=tenant_a.organization, user=user, role=Role.HR_ADMIN, joined_at=None)


def edit(client, person, **changes):
    page = url("organizations:person_edit", person.organization, employee_id=person.pk)
    return client.post(page, person_form(person, **changes))


def role_of(person):
    return Employee.objects.get(pk=person.pk).role


def test_hr_cannot_demote_themselves_when_the_other_hr_admin_cannot_log_in(tenant_a, hr, invited_hr):
    response = edit(hr, tenant_a.hr, role=Role.EMPLOYEE)
    assert response.status_code == 200
    assert field_error(response, "role") == RULE
    assert role_of(tenant_a.hr) == Role.HR_ADMIN


def test_hr_may_demote_themselves_when_another_hr_admin_can_log_in(tenant_a, hr):
    colleague = EmployeeFactory(organization=tenant_a.organization, role=Role.HR_ADMIN)
    response = edit(hr, tenant_a.hr, role=Role.MANAGER)
    assert response.status_code == 302
    assert role_of(tenant_a.hr) == Role.MANAGER
    assert_role_forbidden(hr, tenant_a.hr, url("organizations:people_list", tenant_a.organization))
    assert role_of(colleague) == Role.HR_ADMIN


def test_hr_cannot_move_their_own_place_to_another_address_when_they_are_the_last(tenant_a, hr, invited_hr):
    response = edit(hr, tenant_a.hr, email="hanna.nieuw@alfa.example")
    assert response.status_code == 200
    assert RULE in response.content.decode()
    hanna = Employee.objects.select_related("user").get(pk=tenant_a.hr.pk)
    assert hanna.user_id == tenant_a.hr.user_id and hanna.joined_at is not None
    assert not User.objects.filter(email="hanna.nieuw@alfa.example").exists()


def test_deactivating_the_last_hr_admin_who_can_log_in_is_refused(tenant_a, invited_hr):
    # An HR admin whose place predates invitations (joined) but who never chose a password, with a session
    # from a link: they may use the pages, yet nobody could log in as HR after this.
    Employee.objects.filter(pk=invited_hr.pk).update(joined_at=tenant_a.hr.joined_at)
    response = client_for(invited_hr).post(
        url("organizations:person_deactivate", tenant_a.organization, employee_id=tenant_a.hr.pk),
        {"confirm": "yes"},
        follow=True,
    )
    assert shown_messages(response) == [RULE]
    assert Employee.objects.get(pk=tenant_a.hr.pk).is_active


def test_the_service_refuses_it_too_and_changes_nothing(tenant_a, invited_hr, english):
    with pytest.raises(ValidationError) as error:
        services.person_deactivate(employee=tenant_a.hr, actor=invited_hr)
    assert error.value.messages == [RULE]
    assert Employee.objects.get(pk=tenant_a.hr.pk).is_active
    assert User.objects.get(pk=tenant_a.hr.user_id).is_active


def test_an_import_cannot_demote_the_last_hr_admin_who_can_log_in(tenant_a, hr, invited_hr):
    """The bug of issue 9: the import counted an HR admin without a usable password as remaining."""
    header = "email;first_name;role"
    people_import = uploaded_through_the_page(
        hr, tenant_a.organization, f"{tenant_a.hr.email};Hanna;employee", header=header
    )
    preview = hr.get(import_page("preview", people_import))
    assert RULE in preview.content.decode()

    response = hr.post(import_page("apply", people_import), follow=True)
    assert shown_messages(response)[0].startswith("Nothing was imported")
    assert role_of(tenant_a.hr) == Role.HR_ADMIN
    assert PeopleImport.objects.get().applied_at is None


def test_an_import_may_demote_an_hr_admin_while_another_can_log_in(tenant_a, hr):
    colleague = EmployeeFactory(organization=tenant_a.organization, role=Role.HR_ADMIN)
    people_import = uploaded_through_the_page(
        hr, tenant_a.organization, f"{colleague.email};C;employee", header="email;first_name;role"
    )
    hr.post(import_page("apply", people_import))
    assert role_of(colleague) == Role.EMPLOYEE


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_demotions_of_the_last_two_hr_admins_cannot_both_pass(tenant_a, monkeypatch):
    if connection.vendor != "postgresql":
        need("the row lock race needs PostgreSQL (set DATABASE_URL); SQLite runs one writer at a time anyway")
    second = EmployeeFactory(organization=tenant_a.organization, role=Role.HR_ADMIN)
    start = threading.Barrier(2)
    counting = threading.Barrier(2, timeout=2)
    count = hr_admins.hr_admins_remain
    outcomes = []

    def count_together(**kwargs):
        # Without the lock both demotions meet here, each written and each still seeing the other HR admin.
        # With it, the second waits for the first to commit, the meeting times out and it counts afterwards.
        try:
            counting.wait()
        except threading.BrokenBarrierError:
            pass
        return count(**kwargs)

    monkeypatch.setattr(hr_admins, "hr_admins_remain", count_together)

    def demote(person_id):
        try:
            with scopes_disabled():
                person = Employee.objects.select_related("user").get(pk=person_id)
                start.wait()
                services.person_update(employee=person, role=Role.EMPLOYEE)
            outcomes.append("demoted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=demote, args=(pk,)) for pk in (tenant_a.hr.pk, second.pk)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["demoted", "refused"]
    assert Employee.objects.filter(organization=tenant_a.organization, role=Role.HR_ADMIN).count() == 1
