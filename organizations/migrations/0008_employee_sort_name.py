"""People sort Dutch style: Employee.sort_name ("jong, sanne, de" for Sanne de Jong), filled for everyone here."""

from django.conf import settings
from django.db import migrations, models

BATCH = 1000


def fill_sort_names(apps, schema_editor):
    """Every existing person gets the key that Employee.save() gives from now on (organizations.names)."""
    from organizations.names import sort_name

    Employee = apps.get_model("organizations", "Employee")
    people = Employee._base_manager.only("pk", "first_name", "last_name").order_by("pk")
    batch = []
    for person in people.iterator(chunk_size=BATCH):
        person.sort_name = sort_name(person.first_name, person.last_name)
        batch.append(person)
        if len(batch) == BATCH:
            Employee._base_manager.bulk_update(batch, ["sort_name"])
            batch = []
    Employee._base_manager.bulk_update(batch, ["sort_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0007_employee_number"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="employee",
            options={"ordering": ["sort_name", "pk"], "verbose_name": "employee", "verbose_name_plural": "employees"},
        ),
        migrations.RemoveIndex(
            model_name="employee",
            name="employee_list_idx",
        ),
        migrations.AddField(
            model_name="employee",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=300),
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="employee",
            index=models.Index(fields=["organization", "is_active", "sort_name", "id"], name="employee_sort_idx"),
        ),
    ]
