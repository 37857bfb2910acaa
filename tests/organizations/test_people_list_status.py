"""The people list's status column: who has access, who is invited, whose invitation ran out, who is not invited.

Access is the membership's own state (joined_at): whoever accepted has access, whatever else is true of their
login, and never "Not invited". The column says the same for an address new to Helder and one known elsewhere.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from tests.factories import EmployeeFactory, InvitationFactory
from tests.kit import client_for, not_joined, url

pytestmark = pytest.mark.django_db


def statuses(client, tenant):
    """{person's email: the badge beside them} on the people list."""
    html = client.get(url("organizations:people_list", tenant.organization), {"status": "all"}).content.decode()
    found = {}
    for row in re.findall(r"<tr>.*?</tr>", html, re.S):
        email = re.search(r'<span class="muted">([^<]+@[^<]+)</span>', row)
        badge = re.search(r'<span class="badge[^"]*">([^<]+)</span>', row)
        if email and badge:
            found[email.group(1)] = badge.group(1)
    return found


def test_a_joined_person_without_a_usable_password_still_has_access_not_not_invited(tenant_a, hr):
    user = tenant_a.employee.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    assert statuses(hr, tenant_a)[user.email] == "Has access"


def test_every_state_has_its_own_words(tenant_a, hr):
    not_joined(tenant_a.employee, tenant_a.outsider, tenant_a.manager)
    InvitationFactory(employee=tenant_a.employee)
    InvitationFactory(employee=tenant_a.manager, expires_at=timezone.now() - timedelta(days=1))
    gone = EmployeeFactory(organization=tenant_a.organization, is_active=False)
    shown = statuses(hr, tenant_a)
    assert shown[tenant_a.hr.email] == "Has access"
    assert shown[tenant_a.employee.email] == "Invited"
    assert shown[tenant_a.manager.email] == "Invitation expired"
    assert shown[tenant_a.outsider.email] == "Not invited"
    assert shown[gone.email] == "Deactivated"


def test_the_states_in_dutch(tenant_a):
    not_joined(tenant_a.employee, tenant_a.manager)
    InvitationFactory(employee=tenant_a.employee)
    InvitationFactory(employee=tenant_a.manager, revoked_at=timezone.now())
    shown = statuses(client_for(tenant_a.hr, language="nl"), tenant_a)
    assert shown[tenant_a.hr.email] == "Heeft toegang"
    assert shown[tenant_a.employee.email] == "Uitgenodigd"
    assert shown[tenant_a.manager.email] == "Uitnodiging verlopen"
    assert shown[tenant_a.outsider.email] == "Heeft toegang"


def test_a_login_known_elsewhere_that_has_not_joined_here_reads_like_a_new_one(tenant_a, tenant_b, hr):
    """Issue 9: the column never tells HR that an address has a login (and a password) in another organisation."""
    known = EmployeeFactory(organization=tenant_a.organization, user=tenant_b.employee.user)
    new = EmployeeFactory(organization=tenant_a.organization, user=User.objects.create_user("nieuw@example.org"))
    not_joined(known, new)
    assert known.user.has_usable_password() and not new.user.has_usable_password()
    shown = statuses(hr, tenant_a)
    assert shown[known.email] == shown[new.email] == "Not invited"
    InvitationFactory(employee=known)
    InvitationFactory(employee=new)
    shown = statuses(hr, tenant_a)
    assert shown[known.email] == shown[new.email] == "Invited"
