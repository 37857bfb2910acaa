"""Attack (a) of issue 9: an employee of one organisation claims the address another organisation's HR is about to add.

Before the fix allauth's email page let any logged-in person add an unverified address and make it the one
they log in with; adding a person then attached whatever login held the address, so the attacker became HR
admin of the other organisation the day its HR added ``new.hr.lead@other.example``.
"""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from organizations.models import Employee, Role
from tests.kit import assert_refused, client_for, invitation_path, url

pytestmark = pytest.mark.django_db

CLAIMED = "new.hr.lead@other.example"


def hr_adds_the_new_hr_lead(hr_b, capture):
    """Bravo's HR adds the address as HR admin through the page, as they would on the new lead's first day."""
    with capture(execute=True):
        response = hr_b.post(
            url("organizations:person_create", hr_b.employee.organization),
            {"email": CLAIMED, "first_name": "Nieuwe", "last_name": "Leiding", "role": Role.HR_ADMIN},
        )
    assert response.status_code == 302
    return Employee.objects.select_related("user").get(organization=hr_b.employee.organization, user__email=CLAIMED)


def test_the_email_page_answers_404_and_claims_nothing(tenant_a, employee):
    """The first half of the attack: claiming the address. The page is gone, and so is every way to use it."""
    eva, page = tenant_a.employee, reverse("account_email")
    assert_refused(employee, eva, page, 404)
    assert_refused(employee, eva, page, 404, "post", {"action_add": "", "email": CLAIMED})
    assert_refused(employee, eva, page, 404, "post", {"action_primary": "", "email": CLAIMED})
    assert_refused(employee, eva, "/accounts/confirm-email/", 404)
    assert_refused(employee, eva, "/accounts/confirm-email/some-key/", 404)
    assert not EmailAddress.objects.filter(email__iexact=CLAIMED).exists()
    assert User.objects.get(pk=tenant_a.employee.user_id).email == tenant_a.employee.email
    assert not User.objects.filter(email__iexact=CLAIMED).exists()


def test_no_page_links_to_the_email_page(tenant_a, employee):
    pages = [reverse("profile"), url("organizations:home", tenant_a.organization), reverse("account_change_password")]
    for page in pages:
        response = employee.get(page)
        assert response.status_code == 200
        assert "/accounts/email/" not in response.content.decode()


def test_a_login_that_claimed_the_address_before_the_fix_does_not_get_the_place(
    tenant_a, tenant_b, employee, client, django_capture_on_commit_callbacks
):
    """The second half: the address was claimed through the old hole (set here directly), then HR adds it."""
    attacker = tenant_a.employee
    User.objects.filter(pk=attacker.user_id).update(email=CLAIMED)
    place = hr_adds_the_new_hr_lead(client_for(tenant_b.hr), django_capture_on_commit_callbacks)

    # The place exists, for the login that holds the address, but it stays shut until the owner of the address
    # accepts it through the link mailed there: the attacker, logged in as that very login, gets nothing.
    for page in ("organizations:home", "organizations:people_list"):
        assert_refused(employee, attacker, url(page, tenant_b.organization), 404)
    start = employee.get(reverse("home"))
    assert start["Location"] == url("organizations:home", tenant_a.organization), "Bravo is not on offer"
    assert place.role == Role.HR_ADMIN and place.joined_at is None

    # Without the mailed link there is nothing to accept; the link went to the mailbox, not to the attacker.
    assert_refused(employee, attacker, reverse("invitation_accept", kwargs={"token": "guessed"}), 404)
    assert [message.to for message in mail.outbox] == [[CLAIMED]]
    # Accepting needs both the link and the login, in one browser: the mailbox's owner has the link but not the
    # attacker's password, so the link alone only asks to log in.
    link = invitation_path(mail.outbox[0])
    anonymous = client.get(link)
    assert anonymous.status_code == 200 and b'name="password1"' not in anonymous.content
    assert client.post(link).status_code == 200
    assert Employee.objects.get(pk=place.pk).joined_at is None
    assert_refused(employee, attacker, url("organizations:home", tenant_b.organization), 404)


def test_adding_an_unknown_address_as_hr_admin_creates_a_login_nobody_can_use_yet(
    tenant_b, django_capture_on_commit_callbacks
):
    place = hr_adds_the_new_hr_lead(client_for(tenant_b.hr), django_capture_on_commit_callbacks)
    assert not place.user.has_usable_password()
    assert place.joined_at is None
