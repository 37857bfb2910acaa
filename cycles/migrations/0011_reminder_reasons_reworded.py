"""The reasons stored with missed and interrupted reminders say "Helder's sending" instead of "the dispatcher"
(cycles.dispatch.TOO_LATE and INTERRUPTED): a reason is stored untranslated and translated when shown, so the stored rows take the new
wording, or they would show in English to Dutch readers."""

from django.db import migrations

EARLIER = {
    "More than two days late: the dispatcher was not running.": "More than two days late: Helder's sending had stopped.",
    "The dispatcher stopped while sending; it may have gone out. Resend if it did not.": (
        "Helder's sending stopped while this one went out; it may have arrived. Resend it if not."
    ),
}


def reword(apps, schema_editor, *, forward=True):
    Reminder = apps.get_model("cycles", "Reminder")
    for old, new in EARLIER.items():
        before, after = (old, new) if forward else (new, old)
        Reminder.objects.filter(last_error=before).update(last_error=after)


def reword_back(apps, schema_editor):
    reword(apps, schema_editor, forward=False)


class Migration(migrations.Migration):
    dependencies = [("cycles", "0010_reminder_missed_label")]

    operations = [migrations.RunPython(reword, reword_back, elidable=True)]
