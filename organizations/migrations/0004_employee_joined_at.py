from django.db import migrations, models
from django.db.models import F


def everyone_already_here_has_joined(apps, schema_editor):
    """Today's people keep their access: every existing membership counts as accepted when it was made."""
    Employee = apps.get_model("organizations", "Employee")
    Employee._base_manager.filter(joined_at__isnull=True).update(joined_at=F("created_at"))


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0003_team_name_case_insensitive"),
    ]

    operations = [
        migrations.AddField(
            model_name="employee",
            name="joined_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="joined at"),
        ),
        migrations.RunPython(everyone_already_here_has_joined, migrations.RunPython.noop, elidable=True),
    ]
