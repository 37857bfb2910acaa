import os

import pytest
import redis
from django.utils import translation
from django_scopes import scopes_disabled
from template_partials.templatetags.partials import TemplateProxy

from organizations.models import Role
from tests.factories import PASSWORD, EmployeeFactory, OrganizationFactory, TeamFactory
from tests.kit import JANUARY_4_2027, client_for, render_partial_and_record

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def need(reason: str):
    """Skip on a newcomer's machine without a service; under CI=true a missing service is a failure."""
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


@pytest.fixture
def redis_url():
    """The broker for real Celery workers: REDIS_URL, once it answers (else need(), so CI=true fails)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        need("REDIS_URL is not set: there is no broker for real Celery workers")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        need(f"Redis at REDIS_URL does not answer: {error}")
    return url


@pytest.fixture(autouse=True)
def _unscoped(request):
    """Tests build their data outside any scope, like fixtures in a shell.

    Views still run inside the scope the door opens, so an unscoped query in
    application code still raises. Tests that check the scope itself mark
    themselves with @pytest.mark.scoped.
    """
    if request.node.get_closest_marker("scoped"):
        yield
        return
    with scopes_disabled():
        yield


@pytest.fixture
def password():
    return PASSWORD


class Tenant:
    """One organisation with a person in every role, a team and a report, for look-alike fixtures."""

    def __init__(self, slug, name):
        self.organization = OrganizationFactory(slug=slug, name=name)
        self.team = TeamFactory(organization=self.organization, name="Klantenservice")
        self.hr = EmployeeFactory(organization=self.organization, role=Role.HR_ADMIN, first_name="Hanna")
        self.manager = EmployeeFactory(
            organization=self.organization, role=Role.MANAGER, team=self.team, first_name="Mark"
        )
        self.employee = EmployeeFactory(
            organization=self.organization, team=self.team, manager=self.manager, first_name="Eva"
        )
        self.outsider = EmployeeFactory(organization=self.organization, first_name="Olaf")

    def member(self, role):
        return {"hr": self.hr, "manager": self.manager, "employee": self.employee}[role]


@pytest.fixture
def tenant_a(db):
    return Tenant("alfa", "Alfa BV")


@pytest.fixture
def tenant_b(db):
    return Tenant("bravo", "Bravo BV")


@pytest.fixture
def login(client):
    """Log ``employee`` in with the test client and return the client."""

    def _login(employee):
        client.force_login(employee.user)
        return client

    return _login


@pytest.fixture
def english():
    """Run a test that reads service messages directly (outside a request) in English.

    Outside a request the active language is LANGUAGE_CODE (Dutch), so once the Dutch
    catalogue is compiled such messages come back in Dutch.
    """
    with translation.override("en"):
        yield


# --- the test kit's people: a logged-in client of its own per role (see tests/kit.py) ----------------------------
# Each is a separate client reading in English, so ``def test_x(client, hr)`` has HR on ``hr`` and a clean
# ``client`` for the refusal checks; the person is on ``hr.employee``.


@pytest.fixture
def hr(tenant_a):
    """Alfa's HR admin (Hanna), logged in."""
    return client_for(tenant_a.hr)


@pytest.fixture
def manager(tenant_a):
    """Alfa's manager (Mark) of the team Klantenservice, logged in."""
    return client_for(tenant_a.manager)


@pytest.fixture
def employee(tenant_a):
    """Alfa's employee (Eva) in Klantenservice, reporting to Mark, logged in."""
    return client_for(tenant_a.employee)


@pytest.fixture
def outsider(tenant_a):
    """Alfa's employee (Olaf) without a team or a manager, logged in."""
    return client_for(tenant_a.outsider)


@pytest.fixture
def stranger(tenant_b):
    """Bravo's HR admin: the person (not a client) that the refusal checks log in to try Alfa's pages."""
    return tenant_b.hr


@pytest.fixture
def january_2027(time_machine):
    """The clock stopped at Monday 4 January 2027, 10:00 UTC (kit.JANUARY_4_2027): before every 2027 window.

    So that a 2027 cycle plans its reminders without any of them in the past by accident. It is pytest's
    ``time_machine``: move on with ``january_2027.move_to(when, tick=False)``.
    """
    time_machine.move_to(JANUARY_4_2027, tick=False)
    return time_machine


@pytest.fixture(autouse=True, scope="session")
def _partials_report_their_context():
    """An htmx response rendered from "page.html#fragment" gets a ``response.context`` too (see tests/kit.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TemplateProxy, "_render", render_partial_and_record)
        yield
