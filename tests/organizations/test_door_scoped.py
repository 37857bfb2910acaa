"""The door (organizations.tenancy) and the layout run before the organisation's scope opens: outside the test
suite's unscoped block (tests/conftest.py), a query there that forgets to lift the scope breaks every page."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import EmployeeFactory, OrganizationFactory
from tests.kit import browser_logged_in, url

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


def test_a_member_of_two_organisations_opens_home_and_profile_with_the_scope_enforced(client):
    with scopes_disabled():
        alfa, bravo = OrganizationFactory(slug="alfa"), OrganizationFactory(slug="bravo")
        mine = EmployeeFactory(organization=alfa)
        EmployeeFactory(organization=bravo, user=mine.user)
    browser_logged_in(mine.email, client=client)
    home = client.get(url("organizations:home", alfa))
    assert home.status_code == 200
    assert f'href="{reverse("organization_choose")}"' in home.content.decode()
    assert client.get(reverse("profile")).status_code == 200


def test_a_member_of_one_organisation_opens_home_with_the_scope_enforced(client):
    with scopes_disabled():
        mine = EmployeeFactory(organization=OrganizationFactory(slug="alfa"))
    browser_logged_in(mine.email, client=client)
    home = client.get(url("organizations:home", mine.organization))
    assert home.status_code == 200
    assert f'href="{reverse("organization_choose")}"' not in home.content.decode()
