"""core.urls: the <id:…> converter lets only a positive bigint through, and get_or_404 answers 404 for the rest."""

import pytest
from django.http import Http404, HttpResponse
from django.urls import path, reverse

from config import urls as config_urls
from core.urls import BIGINT_MAX, get_or_404
from organizations.models import Team
from tests.factories import TeamFactory

reached = []


def thing(request, thing_id):
    reached.append(thing_id)
    return HttpResponse(f"{type(thing_id).__name__} {thing_id}")


# Helder's own addresses too: the 404 page links to them.
urlpatterns = [path("things/<id:thing_id>/", thing, name="thing"), *config_urls.urlpatterns]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _forget_reached():
    reached.clear()


@pytest.mark.parametrize("thing_id", [1, 42, BIGINT_MAX])
def test_a_positive_id_within_bigint_reaches_the_view_as_a_number(client, thing_id):
    response = client.get(f"/things/{thing_id}/")
    assert response.status_code == 200
    assert response.content.decode() == f"int {thing_id}"


@pytest.mark.parametrize(
    "thing_id",
    ["0", "-1", "abc", str(2**63), "9" * 30, "1e3", "1.0", " 1", "+1", "007", "١٢", "0x1f"],
)
def test_anything_else_is_404_before_the_view_runs(client, thing_id):
    assert client.get(f"/things/{thing_id}/").status_code == 404
    assert reached == []


def test_an_address_with_a_bad_id_can_still_be_built_and_answers_404(client):
    # Tests build such addresses on purpose; reversing must not raise, the request must 404.
    address = reverse("thing", kwargs={"thing_id": "abc"})
    assert address == "/things/abc/"
    assert client.get(address).status_code == 404


@pytest.mark.django_db
def test_get_or_404_returns_the_row_of_the_queryset(tenant_a):
    assert get_or_404(Team.objects.filter(organization=tenant_a.organization), tenant_a.team.pk) == tenant_a.team


@pytest.mark.django_db
def test_get_or_404_answers_404_for_a_row_outside_the_queryset_as_for_one_that_does_not_exist(tenant_a, tenant_b):
    theirs = TeamFactory(organization=tenant_b.organization)
    ours = Team.objects.filter(organization=tenant_a.organization)
    for pk in (theirs.pk, theirs.pk + 1000):
        with pytest.raises(Http404):
            get_or_404(ours, pk)


@pytest.mark.django_db
@pytest.mark.parametrize("pk", ["abc", None, 2**63, -1])
def test_get_or_404_answers_404_for_an_id_that_is_no_id(tenant_a, pk):
    with pytest.raises(Http404):
        get_or_404(Team.objects.filter(organization=tenant_a.organization), pk)
