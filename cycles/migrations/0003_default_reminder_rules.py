"""Cycles made before reminders existed get the default reminder rules (as cycles.reminder_rules.DEFAULT_RULES)."""

import datetime

from django.db import migrations

DEFAULT_RULES = (
    ("window_opens", 0, "both"),
    ("conversation", -14, "both"),
    ("conversation", -2, "both"),
    ("window_closes", -7, "manager"),
    ("overdue_weekly", 0, "hr"),
)


def add_default_rules(apps, schema_editor):
    Cycle = apps.get_model("cycles", "Cycle")
    ReminderRule = apps.get_model("cycles", "ReminderRule")
    rules = [
        ReminderRule(
            organization_id=cycle.organization_id,
            cycle_id=cycle.pk,
            anchor=anchor,
            offset_days=offset,
            time_of_day=datetime.time(9, 0),
            audience=audience,
        )
        for cycle in Cycle._base_manager.filter(reminder_rules__isnull=True)
        for anchor, offset, audience in DEFAULT_RULES
    ]
    ReminderRule._base_manager.bulk_create(rules)


class Migration(migrations.Migration):
    dependencies = [("cycles", "0002_reminders")]

    operations = [migrations.RunPython(add_default_rules, migrations.RunPython.noop)]
