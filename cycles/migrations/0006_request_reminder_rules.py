"""Cycles being prepared or running get the two observation-request rules (as cycles.reminder_rules.DEFAULT_RULES).

The request itself, to the colleague asked, when it is made; and one reminder two days before it is due, at 09:00,
while it is unanswered. A cycle that already has a rule of either anchor keeps what HR chose. Closed cycles are left
as they ended. Running it again adds nothing.
"""

import datetime

from django.db import migrations

REQUEST_RULES = (
    ("request_made", 0),
    ("request_due", -2),
)


def add_request_rules(apps, schema_editor):
    Cycle = apps.get_model("cycles", "Cycle")
    ReminderRule = apps.get_model("cycles", "ReminderRule")
    have = set(
        ReminderRule._base_manager.filter(anchor__in=[anchor for anchor, _offset in REQUEST_RULES]).values_list(
            "cycle_id", "anchor"
        )
    )
    rules = [
        ReminderRule(
            organization_id=cycle.organization_id,
            cycle_id=cycle.pk,
            anchor=anchor,
            offset_days=offset,
            time_of_day=datetime.time(9, 0),
            audience="colleague",
        )
        for cycle in Cycle._base_manager.filter(status__in=("draft", "active")).order_by("pk")
        for anchor, offset in REQUEST_RULES
        if (cycle.pk, anchor) not in have
    ]
    ReminderRule._base_manager.bulk_create(rules)


def remove_request_rules(apps, schema_editor):
    """Back: the two rules go where they have no reminders yet; the others stay (their log needs them)."""
    ReminderRule = apps.get_model("cycles", "ReminderRule")
    anchors = [anchor for anchor, _offset in REQUEST_RULES]
    ReminderRule._base_manager.filter(anchor__in=anchors, reminders__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("cycles", "0005_reflection_and_request_reminders")]

    operations = [migrations.RunPython(add_request_rules, remove_request_rules)]
