"""The team grid's cells, worked out before the template (cycles.selectors_year): each reads as before — the state
(overdue when the window closed without it being held), the day and time in the organisation's zone, a link to
schedule or open it — in the reader's language."""

import datetime
import html
import re

import pytest
import time_machine

from cycles import services
from cycles.models import Conversation, ConversationState, CycleStatus
from tests.factories import ConversationFactory, CycleFactory, EmployeeFactory, MomentFactory
from tests.kit import client_for, url, utc

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def grid(tenant_a):
    """March (closed by mid-May) and June windows; Eva's and a second report's conversations in every state."""
    cycle = CycleFactory(organization=tenant_a.organization, name="2027", status=CycleStatus.ACTIVE)
    march = MomentFactory(cycle=cycle, name_en="March talk", opens_on=D(2027, 3, 1), closes_on=D(2027, 3, 31))
    june = MomentFactory(cycle=cycle, name_en="June talk", opens_on=D(2027, 6, 1), closes_on=D(2027, 6, 30))
    eva = tenant_a.employee
    piet = EmployeeFactory(organization=tenant_a.organization, manager=tenant_a.manager, last_name="Zwart")
    rows = {
        "eva march": ConversationFactory(moment=march, employee=eva),  # to schedule: overdue by May
        "eva june": ConversationFactory(
            moment=june, employee=eva, state=ConversationState.SCHEDULED, scheduled_at=utc(2027, 6, 14, 8)
        ),
        "piet march": ConversationFactory(
            moment=march, employee=piet, state=ConversationState.HELD, scheduled_at=utc(2027, 3, 29, 8)
        ),
        "piet june": ConversationFactory(
            moment=june, employee=piet, state=ConversationState.CANCELLED, scheduled_at=utc(2027, 6, 2, 8)
        ),
    }
    return {"rows": rows, "piet": piet, "march": march, "june": june}


def cells(response):
    """The table's body cells, per row (the person's name first), as text read aloud (hidden text included)."""
    body = response.content.decode()
    table = body[body.index("<tbody>") : body.index("</tbody>")]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        texts = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)
        rows.append([" ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()) for text in texts])
    return rows


@time_machine.travel(datetime.datetime(2027, 5, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_each_cell_says_its_state_time_and_link(tenant_a, grid):
    response = client_for(tenant_a.manager).get(url("cycles:team_grid", tenant_a.organization))
    eva, piet = tenant_a.employee.full_name, grid["piet"].full_name
    assert {row[0]: row[1:] for row in cells(response)} == {
        eva: [
            f"Overdue Schedule March talk, {eva}",
            f"Scheduled 14 June, 10:00 Open June talk, {eva}",  # 08:00 UTC is 10:00 in Amsterdam in summer
        ],
        piet: [
            f"Held 29 March, 10:00 Open March talk, {piet}",  # the day after the clocks went forward
            f"Cancelled was: 2 June, 10:00 Open June talk, {piet}",  # a cancelled one shows the time it had
        ],
    }
    body = response.content.decode()
    assert '<span class="badge badge-bad">Overdue</span>' in body
    assert '<span class="badge badge-ok">Scheduled</span>' in body
    assert '<span class="badge">Cancelled</span>' in body
    for conversation in grid["rows"].values():
        address = url("cycles:conversation_detail", tenant_a.organization, conversation_id=conversation.pk)
        assert body.count(f'href="{address}"') == 1
    assert "1 March – 31 March 2027" in body and "1 June – 30 June 2027" in body


@time_machine.travel(datetime.datetime(2027, 5, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_a_report_without_a_conversation_in_a_moment_says_so(tenant_a, grid):
    Conversation.objects.filter(pk=grid["rows"]["piet june"].pk).delete()
    response = client_for(tenant_a.manager).get(url("cycles:team_grid", tenant_a.organization))
    piet = {row[0]: row[1:] for row in cells(response)}[grid["piet"].full_name]
    assert piet[1] == "Not in this moment"


@time_machine.travel(datetime.datetime(2027, 5, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_the_grid_speaks_dutch_to_a_dutch_manager(tenant_a, grid):
    grid["march"].name_nl = "Maartgesprek"
    grid["march"].save()
    response = client_for(tenant_a.manager, language="nl").get(url("cycles:team_grid", tenant_a.organization))
    rows = {row[0]: row for row in cells(response)}
    eva_row, piet_row = rows[tenant_a.employee.full_name], rows[grid["piet"].full_name]
    assert eva_row[1] == f"Over tijd Inplannen Maartgesprek, {tenant_a.employee.full_name}"
    assert piet_row[1].startswith("Gehouden 29 maart, 10:00 Open Maartgesprek")


@time_machine.travel(datetime.datetime(2027, 3, 10, 10, tzinfo=datetime.UTC), tick=False)
def test_the_cells_follow_what_the_manager_does(tenant_a, grid):
    """Scheduling through the service shows on the next visit: the cells are read fresh, not kept."""
    manager = client_for(tenant_a.manager)
    address = url("cycles:team_grid", tenant_a.organization)
    eva = tenant_a.employee.full_name
    assert {row[0]: row for row in cells(manager.get(address))}[eva][1].startswith("To be scheduled Schedule")
    services.conversation_schedule(
        conversation=grid["rows"]["eva march"], day=D(2027, 3, 22), at=datetime.time(14, 30), location="Room 2"
    )
    assert {row[0]: row for row in cells(manager.get(address))}[eva][1].startswith("Scheduled 22 March, 14:30 Open")


@time_machine.travel(datetime.datetime(2027, 5, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_names_in_the_cells_are_escaped(tenant_a, grid):
    # The cells are written as HTML before the template: a name or moment with markup in it stays text.
    grid["march"].name_en = 'March <b>talk</b> & "more"'
    grid["march"].save(update_fields=["name_en"])
    grid["piet"].first_name = "<script>alert(1)</script>"
    grid["piet"].save(update_fields=["first_name"])
    response = client_for(tenant_a.manager).get(url("cycles:team_grid", tenant_a.organization))
    body = response.content.decode()
    assert "<script>alert(1)" not in body and "<b>talk</b>" not in body
    assert "March &lt;b&gt;talk&lt;/b&gt; &amp; &quot;more&quot;, &lt;script&gt;alert(1)&lt;/script&gt;" in body
    piet = {row[0]: row[1:] for row in cells(response)}[grid["piet"].full_name]
    assert piet[0] == f'Held 29 March, 10:00 Open March <b>talk</b> & "more", {grid["piet"].full_name}'
