import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_the_employee_their_manager(tenant_a, login):
    client = login(tenant_a.employee)
    response = client.get(reverse("organizations:home", kwargs={"org_slug": "alfa"}))
    assert response.status_code == 200
    assert tenant_a.manager.full_name in response.content.decode()


def test_member_of_another_organisation_gets_404(tenant_a, tenant_b, login):
    client = login(tenant_b.hr)
    assert client.get(reverse("organizations:home", kwargs={"org_slug": "alfa"})).status_code == 404
