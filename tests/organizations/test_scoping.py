"""django-scopes makes a query that forgets the organisation fail instead of leaking rows."""

import pytest
from django_scopes import ScopeError, scope, scopes_disabled

from organizations.models import Employee, Invitation, PeopleImport, Team
from tests.factories import EmployeeFactory, OrganizationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.scoped]


@pytest.mark.parametrize("model", [Employee, Team, Invitation, PeopleImport])
def test_an_unscoped_query_raises(model):
    with pytest.raises(ScopeError):
        list(model.objects.all())


def test_inside_a_scope_queries_see_only_that_organisations_rows():
    with scopes_disabled():
        alfa, bravo = OrganizationFactory(slug="alfa"), OrganizationFactory(slug="bravo")
        mine = EmployeeFactory(organization=alfa)
        EmployeeFactory(organization=bravo)
    with scope(organization=alfa):
        assert list(Employee.objects.all()) == [mine]
