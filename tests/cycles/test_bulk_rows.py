"""cycles.bulk.rows_insert: plain tuples into a table, read back by the ORM exactly as bulk_create would have written
them (on SQLite by default; with DATABASE_URL on PostgreSQL, through its one-array-per-column path)."""

import datetime
from datetime import UTC

import pytest

from cycles.bulk import rows_insert
from cycles.models import Reminder, ReminderStatus
from tests.cycles.test_reminder_dispatch import World
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

DUE = datetime.datetime(2027, 3, 1, 8, 0, tzinfo=UTC)
LATER = datetime.datetime(2027, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)
COLUMNS = ("rule", "recipient", "moment", "occasion", "key", "due_at", "next_try_at")


@pytest.fixture
def world(tenant_a):
    return World(tenant_a.organization)


def same(world, now):
    return {"organization": world.organization.pk, "cycle": world.cycle.pk, "created_at": now}


def test_rows_arrive_with_their_values_and_every_other_column_its_default(world, tenant_a):
    now = datetime.datetime(2027, 1, 4, 10, tzinfo=UTC)
    rows = [
        (world.rule.pk, tenant_a.employee.pk, world.moment.pk, None, "k:1", DUE, DUE),
        (world.rule.pk, tenant_a.manager.pk, None, datetime.date(2027, 3, 8), "k:2", LATER, LATER),
    ]

    rows_insert(Reminder, COLUMNS, rows, same=same(world, now))

    first, second = Reminder.objects.order_by("key")
    assert (first.recipient, first.moment_id, first.occasion, first.due_at) == (
        tenant_a.employee,
        world.moment.pk,
        None,
        DUE,
    )
    assert (second.moment_id, second.occasion, second.due_at, second.next_try_at) == (
        None,
        datetime.date(2027, 3, 8),
        LATER,
        LATER,
    )
    for row in (first, second):
        assert (row.organization_id, row.cycle_id, row.created_at) == (world.organization.pk, world.cycle.pk, now)
        assert (row.status, row.attempts, row.last_error, row.claim, row.claimed_at, row.sent_at) == (
            ReminderStatus.PLANNED,
            0,
            "",
            "",
            None,
            None,
        )


def test_the_orm_finds_the_rows_by_their_times_as_it_finds_its_own(world, tenant_a):
    # SQLite keeps datetimes as text: the rows must be written in the ORM's own form, or comparisons go wrong.
    rows_insert(
        Reminder,
        COLUMNS,
        [(world.rule.pk, tenant_a.employee.pk, None, None, "k:1", DUE, DUE)],
        same=same(world, DUE),
    )
    world.reminder(tenant_a.manager, DUE, key="k:2")

    assert Reminder.objects.filter(next_try_at__lte=DUE).count() == 2
    assert Reminder.objects.filter(next_try_at__lt=DUE).count() == 0
    assert Reminder.objects.filter(due_at=DUE).count() == 2


def test_a_row_whose_key_exists_is_skipped_and_the_others_arrive(world, tenant_a):
    world.reminder(tenant_a.employee, DUE, key="k:1", status=ReminderStatus.SENT)
    rows = [
        (world.rule.pk, tenant_a.employee.pk, None, None, "k:1", LATER, LATER),
        (world.rule.pk, tenant_a.manager.pk, None, None, "k:2", LATER, LATER),
    ]

    rows_insert(Reminder, COLUMNS, rows, same=same(world, DUE))
    rows_insert(Reminder, COLUMNS, rows, same=same(world, DUE))  # harmless twice

    assert dict(Reminder.objects.values_list("key", "status")) == {"k:1": ReminderStatus.SENT, "k:2": "planned"}
    assert Reminder.objects.get(key="k:1").due_at == DUE


def test_text_with_quotes_backslashes_commas_and_braces_arrives_as_it_was(world, tenant_a):
    awkward = ['a"b', "c\\d", "e,f", "{g}", "NULL", "", "h i", "é ü"]
    rows = [(world.rule.pk, tenant_a.employee.pk, None, None, key, DUE, DUE) for key in awkward]

    rows_insert(Reminder, COLUMNS, rows, same=same(world, DUE))

    assert sorted(Reminder.objects.values_list("key", flat=True)) == sorted(awkward)


def test_many_rows_arrive_all(world, tenant_a):
    people = [EmployeeFactory(organization=tenant_a.organization).pk for _ in range(3)]
    rows = [(world.rule.pk, people[n % 3], None, None, f"many:{n}", DUE, DUE) for n in range(12_345)]

    rows_insert(Reminder, COLUMNS, rows, same=same(world, DUE))

    assert Reminder.objects.count() == 12_345


def test_no_rows_insert_nothing(world):
    rows_insert(Reminder, COLUMNS, [], same=same(world, DUE))

    assert not Reminder.objects.exists()
