"""Every home page stays within 15 queries (the budget of every page), with every app's cards on it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.kit import url
from tests.reviews.conftest import make_assessment

pytestmark = pytest.mark.django_db

BUDGET = 15


@pytest.mark.parametrize("role", ["hr", "manager", "employee"])
def test_a_home_page_costs_at_most_15_queries(request, tenant_a, role):
    make_assessment(tenant_a)  # an active cycle with conversations, expectations, a rating scale and bands
    client = request.getfixturevalue(role)
    address = url("organizations:home", tenant_a.organization)
    client.get(address)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200

    assert len(queries) <= BUDGET, "\n".join(query["sql"][:120] for query in queries)
