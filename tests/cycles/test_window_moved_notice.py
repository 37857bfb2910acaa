"""HR moves a window of an active cycle: the people it concerns are told, once each, in their language, with why."""

import datetime

import pytest
from django.core import mail

from cycles import services
from cycles.models import ConversationState, CycleStatus
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import in_english

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def moved(tenant_a, django_capture_on_commit_callbacks):
    """A moment with Eva's open conversation (manager Mark), a held one and a deactivated person's, then moved."""
    organization = tenant_a.organization
    cycle = CycleFactory(organization=organization, status=CycleStatus.ACTIVE)
    moment = MomentFactory(cycle=cycle, name_en="Progress conversation", name_nl="Voortgangsgesprek")
    ConversationFactory(moment=moment, employee=tenant_a.employee)
    done = EmployeeFactory(organization=organization, manager=tenant_a.manager, first_name="Dirk")
    ConversationFactory(moment=moment, employee=done, state=ConversationState.HELD)
    gone = EmployeeFactory(organization=organization, first_name="Gijs", is_active=False)
    ConversationFactory(moment=moment, employee=gone)
    in_english(tenant_a.employee)
    tenant_a.manager.user.language = "nl"
    tenant_a.manager.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.moment_move(
            moment=moment, opens_on=D(2027, 7, 1), closes_on=D(2027, 7, 31), reason="Summer rush", actor=tenant_a.hr
        )
    return tenant_a


def test_the_employee_and_their_manager_are_told_once_each(moved):
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([moved.employee.user.email, moved.manager.user.email])


def test_the_notice_says_why_and_the_new_dates_in_the_recipients_language(moved):
    english = next(message for message in mail.outbox if message.to == [moved.employee.user.email])
    assert "Summer rush" in english.body
    assert "1 July 2027" in english.body and "1 June 2027" in english.body
    assert "“Progress conversation”" in english.subject
    html = english.alternatives[0][0]
    assert 'lang="en"' in html and "Summer rush" in html and "/o/alfa/cycles/my-year/" in english.body
    dutch = next(message for message in mail.outbox if message.to == [moved.manager.user.email])
    assert "1 juli 2027" in dutch.body and "“Voortgangsgesprek”" in dutch.subject
