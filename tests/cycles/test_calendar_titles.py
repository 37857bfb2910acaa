"""A conversation's page is titled from the reader's side: the employee reads whom they meet (their manager), the
manager and HR read whose conversation it is."""

import datetime
import html
import re

import pytest

from tests.factories import ConversationFactory, CycleFactory, MomentFactory
from tests.kit import client_for, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def moment(tenant_a):
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status="active")
    return MomentFactory(
        cycle=cycle,
        name_en="Mid-year review",
        name_nl="Halfjaargesprek",
        opens_on=datetime.date(2027, 6, 1),
        closes_on=datetime.date(2027, 6, 30),
    )


def titles(client, conversation) -> tuple[str, str]:
    """The page's <title> (without " · Helder") and its <h1>, as read."""
    body = client.get(url("cycles:conversation_detail", conversation.organization, conversation_id=conversation.pk))
    assert body.status_code == 200
    page = body.content.decode()
    title = re.search(r"<title>(.*?) · Helder</title>", page, flags=re.S).group(1)
    heading = re.search(r"<h1>(.*?)</h1>", page, flags=re.S).group(1)
    return html.unescape(title.strip()), html.unescape(heading.strip())


def test_the_employee_reads_whom_they_meet(tenant_a, employee, moment):
    conversation = ConversationFactory(moment=moment, employee=tenant_a.employee)
    expected = f"Mid-year review with your manager {tenant_a.manager.full_name}"
    assert titles(employee, conversation) == (expected, expected)


def test_the_manager_and_hr_read_whose_conversation_it_is(tenant_a, manager, hr, moment):
    conversation = ConversationFactory(moment=moment, employee=tenant_a.employee)
    expected = f"Mid-year review with {tenant_a.employee.full_name}"
    assert titles(manager, conversation) == (expected, expected)
    assert titles(hr, conversation) == (expected, expected)


def test_someone_without_a_manager_reads_their_own_conversation(tenant_a, outsider, moment):
    conversation = ConversationFactory(moment=moment, employee=tenant_a.outsider)
    assert titles(outsider, conversation) == ("Mid-year review: your conversation",) * 2


def test_the_titles_read_well_in_dutch(tenant_a, moment):
    conversation = ConversationFactory(moment=moment, employee=tenant_a.employee)
    mine = titles(client_for(tenant_a.employee, language="nl"), conversation)
    assert mine == (f"Halfjaargesprek met je leidinggevende {tenant_a.manager.full_name}",) * 2
    theirs = titles(client_for(tenant_a.manager, language="nl"), conversation)
    assert theirs == (f"Halfjaargesprek met {tenant_a.employee.full_name}",) * 2
