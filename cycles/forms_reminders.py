"""Forms for HR's reminder page: one reminder rule, and which part of the log to show.

A plain form rather than a ModelForm, like the cycle forms: the service
(cycles.planning.reminder_rule_save) sets the fields and validates the rules
that span fields (an offset within −90…90 days or a weekday for the weekly
digest, the digest and only the digest to HR), and its ValidationError comes
back at the field it names. The form only checks what a field can check alone,
so a malformed time gets Django's own translated error.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReminderAnchor, ReminderAudience, ReminderRule, ReminderStatus
from .selectors import REMINDER_LOG_STATUSES

RULE_FIELDS = ("anchor", "offset_days", "time_of_day", "audience", "enabled")


class ReminderRuleForm(forms.Form):
    """When a reminder goes out (anchor, offset in days, local time of day), to whom, and whether it is on."""

    anchor = forms.ChoiceField(label=_("Sent relative to"), choices=ReminderAnchor.choices)
    offset_days = forms.IntegerField(
        label=_("Offset in days"),
        initial=0,
        help_text=_(
            "Days from what is chosen above; negative is before it (-7 is a week before). "
            "For the weekly digest: the weekday, 0 is Monday and 6 is Sunday."
        ),
    )
    time_of_day = forms.TimeField(
        label=_("Time of day"),
        initial="09:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("HH:MM, in the organisation's time zone."),
    )
    audience = forms.ChoiceField(label=_("Sent to"), choices=ReminderAudience.choices)
    enabled = forms.BooleanField(
        label=_("Switched on"),
        required=False,
        initial=True,
        help_text=_("A rule that is off plans nothing; what it already sent stays in the log."),
    )

    @staticmethod
    def initial_for(rule: ReminderRule) -> dict:
        return {name: getattr(rule, name) for name in RULE_FIELDS}


class ReminderLogForm(forms.Form):
    """Which status tab of the log to show; anything unknown shows the planned reminders."""

    status = forms.ChoiceField(
        choices=[(status.value, status.label) for status in REMINDER_LOG_STATUSES], required=False
    )

    def status_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data["status"]:
            return self.cleaned_data["status"]
        return ReminderStatus.PLANNED
