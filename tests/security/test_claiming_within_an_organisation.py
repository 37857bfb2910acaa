"""Attack (b) of issue 9: an employee renames their login to the address their own HR will import as HR admin.

Before the fix the employee added ``new.hr@alfa.example`` on allauth's email page and made it primary; the
import matched the row to the employee by that address and made them HR admin.
"""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from organizations.models import Employee, Role
from tests.kit import (
    assert_refused,
    assert_role_forbidden,
    client_for,
    import_page,
    invitation_path,
    uploaded_through_the_page,
    url,
)

pytestmark = pytest.mark.django_db

TARGET = "new.hr@alfa.example"


def import_through_the_pages(hr, organization, *lines, invite=False):
    """Upload and confirm, with the box "Send invitations to the new people now" ticked when ``invite``."""
    people_import = uploaded_through_the_page(hr, organization, *lines)
    confirm = {"send_invitations": "on"} if invite else {}
    return hr.post(import_page("apply", people_import), confirm, follow=True)


def test_an_employee_cannot_take_the_address_hr_is_about_to_import_as_hr_admin(
    tenant_a, employee, hr, django_capture_on_commit_callbacks
):
    eva = tenant_a.employee
    # The attack: add the address, then make it the one to log in with.
    for action in ("action_add", "action_primary"):
        assert_refused(employee, eva, reverse("account_email"), 404, "post", {action: "", "email": TARGET})
    assert User.objects.get(pk=eva.user_id).email == eva.email

    with django_capture_on_commit_callbacks(execute=True):
        response = import_through_the_pages(hr, tenant_a.organization, f"{TARGET};Nieuwe;HR;HR-adviseur;;;hr_admin")

    assert "The people have been imported: 1 new, 0 updated, 0 unchanged." in response.content.decode()
    newcomer = Employee.objects.select_related("user").get(organization=tenant_a.organization, user__email=TARGET)
    assert newcomer.user_id != eva.user_id
    assert newcomer.role == Role.HR_ADMIN and newcomer.joined_at is None
    assert not newcomer.user.has_usable_password()
    assert Employee.objects.get(pk=eva.pk).role == Role.EMPLOYEE
    assert_role_forbidden(employee, eva, url("organizations:people_list", tenant_a.organization))
    # Only the mailbox of the address gets the way in.
    assert [message.to for message in mail.outbox] == []  # the box to invite was left unticked: HR invites later
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(url("organizations:person_invite", tenant_a.organization, employee_id=newcomer.pk))
    assert [message.to for message in mail.outbox] == [[TARGET]]


def test_an_import_row_for_a_login_of_another_organisation_creates_a_shut_membership_and_invites_it(
    tenant_a, tenant_b, hr, django_capture_on_commit_callbacks
):
    """The same rule as adding a person: an existing login is invited (as every new person is), never attached."""
    other = tenant_b.employee
    with django_capture_on_commit_callbacks(execute=True):
        import_through_the_pages(hr, tenant_a.organization, f"{other.email};Eva;Elders;;;;hr_admin", invite=True)

    # A place in Alfa, shut until accepted: refused like a stranger's, though the login has a row there.
    assert_refused(client_for(other), other, url("organizations:home", tenant_a.organization), 404)
    place = Employee.objects.get(organization=tenant_a.organization, user=other.user)
    assert place.role == Role.HR_ADMIN and place.joined_at is None
    assert [message.to for message in mail.outbox] == [[other.email]]
    assert invitation_path(mail.outbox[0]).startswith("/invite/")
