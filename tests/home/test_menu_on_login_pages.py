"""The profile and the password pages keep the site's main menu: that of the organisation the person came from.

Before login (log in, forgotten password) the header stays calm: the name and the language switch, no menu.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from organizations import services
from organizations.models import Employee
from tests.kit import client_for

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["profile", "account_change_password"]


def main_menu(response) -> str:
    """The main navigation's HTML, or "" when the page has none."""
    page = response.content.decode()
    start = page.find('<nav class="main-nav"')
    return page[start : page.index("</nav>", start)] if start >= 0 else ""


def home_of(organization):
    return reverse("organizations:home", kwargs={"org_slug": organization.slug})


def people_of(organization):
    return reverse("organizations:people_list", kwargs={"org_slug": organization.slug})


def member_of_both(tenant_a, tenant_b):
    """Alfa's employee Eva, who also joined Bravo (as HR there), logged in."""
    membership = services.person_create(
        organization=tenant_b.organization, email=tenant_a.employee.email, first_name="Eva", role="hr_admin"
    )
    Employee.objects.filter(pk=membership.pk).update(joined_at=timezone.now())  # she accepted the invitation
    return client_for(tenant_a.employee)


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_a_member_of_one_organisation_keeps_its_menu_on_the_pages_of_their_login(tenant_a, hr, page):
    response = hr.get(reverse(page))
    assert response.status_code == 200
    menu = main_menu(response)
    assert f'href="{home_of(tenant_a.organization)}"' in menu
    assert f'href="{people_of(tenant_a.organization)}"' in menu, "HR's own menu, with People"
    assert response.context["current_organization"] == tenant_a.organization


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_an_employee_sees_the_menu_of_their_role_only(tenant_a, employee, page):
    menu = main_menu(employee.get(reverse(page)))
    assert f'href="{home_of(tenant_a.organization)}"' in menu
    assert people_of(tenant_a.organization) not in menu


@pytest.mark.parametrize("page", LOGIN_PAGES)
def test_a_member_of_two_organisations_keeps_the_menu_of_the_one_last_opened(tenant_a, tenant_b, page):
    eva = member_of_both(tenant_a, tenant_b)
    assert main_menu(eva.get(reverse(page))) == "", "neither opened yet: no guess between the two"

    assert eva.get(home_of(tenant_b.organization)).status_code == 200
    menu = main_menu(eva.get(reverse(page)))
    assert f'href="{people_of(tenant_b.organization)}"' in menu, "HR in Bravo"
    assert home_of(tenant_a.organization) not in menu

    assert eva.get(home_of(tenant_a.organization)).status_code == 200
    menu = main_menu(eva.get(reverse(page)))
    assert f'href="{home_of(tenant_a.organization)}"' in menu
    assert people_of(tenant_a.organization) not in menu and home_of(tenant_b.organization) not in menu


def test_an_organisation_left_since_is_not_offered_on_the_profile(tenant_a, tenant_b):
    eva = member_of_both(tenant_a, tenant_b)
    eva.get(home_of(tenant_b.organization))
    Employee.objects.filter(organization=tenant_b.organization, user=tenant_a.employee.user).update(is_active=False)
    menu = main_menu(eva.get(reverse("profile")))
    assert home_of(tenant_b.organization) not in menu
    assert f'href="{home_of(tenant_a.organization)}"' in menu, "the one left is the only one"


def test_a_login_without_an_organisation_gets_the_profile_without_a_menu(tenant_a):
    Employee.objects.filter(pk=tenant_a.employee.pk).update(is_active=False)
    response = client_for(tenant_a.employee).get(reverse("profile"))
    assert response.status_code == 200
    assert main_menu(response) == ""


@pytest.mark.parametrize("page", ["account_login", "account_reset_password"])
def test_the_pages_before_login_have_a_calm_header_without_a_menu(tenant_a, page):
    response = Client(headers={"accept-language": "en"}).get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert main_menu(response) == ""
    assert 'class="user-menu"' not in html
    assert 'class="language-switch"' in html and 'class="brand"' in html


def test_the_password_page_of_a_member_is_on_the_sites_layout_not_allauths_bare_one(tenant_a, employee):
    html = employee.get(reverse("account_change_password")).content.decode()
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "Menu:" not in html, "allauth's own bare menu"
