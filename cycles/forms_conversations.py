"""Forms for a conversation: scheduling it (date and time in the organisation's zone, location), holding it, agreements.

Plain forms: the services validate and write (a time the clocks skip, a held
conversation), and their ValidationError comes back at the field it names.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

AGREEMENTS_HELP = _("Both you and the employee see these agreements.")


class ScheduleForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In the organisation's time zone."),
    )
    location = forms.CharField(
        label=_("Location or video link"),
        max_length=300,
        required=False,
        help_text=_("For example a meeting room, or the address of the video call."),
    )

    @staticmethod
    def initial_for(conversation) -> dict:
        if conversation.scheduled_at is None:
            return {"location": conversation.location}
        local = timezone.localtime(conversation.scheduled_at)
        return {"date": local.date(), "time": local.time(), "location": conversation.location}

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {"day": data["date"], "at": data["time"], "location": data["location"]}


class AgreementsForm(forms.Form):
    agreements = forms.CharField(
        label=_("Agreements"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=AGREEMENTS_HELP,
    )
