"""Forms for a conversation: scheduling it (date and time in the organisation's zone, location), holding it (with
when it took place, if it was never scheduled), agreements.

Plain forms: the services validate and write (a time the clocks skip, a held
conversation, a date outside the cycle and its 30 days of slack), and their
ValidationError comes back at the field it names. The date is checked against
the reach of cycles.bounds here already, so year 1 or 9999 never gets as far
as a time-zone conversion.
"""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from . import bounds
from .forms_cycles import BoundedDates

AGREEMENTS_HELP = _("Both you and the employee see these agreements.")


class ScheduleForm(BoundedDates, forms.Form):
    """The browser is offered exactly the days the service accepts (bounds.conversation_range of the cycle) when the
    form is given its ``conversation``."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[bounds.within_reach],
        help_text=_("During the cycle, or at most 30 days before or after it."),
    )
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

    def __init__(self, *args, conversation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if conversation is not None:
            earliest, latest = bounds.conversation_range(conversation.moment.cycle)
            self.fields["date"].widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())

    @staticmethod
    def initial_for(conversation) -> dict:
        initial = {"location": conversation.location}
        if conversation.scheduled_at is None:
            return initial
        try:
            local = timezone.localtime(conversation.scheduled_at)
        except OverflowError:  # a time stored before the bounds, at the edge of year 9999: offer an empty form
            return initial
        return {**initial, "date": local.date(), "time": local.time()}

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


class HoldForm(BoundedDates, AgreementsForm):
    """Marking held: the agreements and, for an unscheduled conversation (``asks_time``), the date and time it took
    place, entered as the schedule form enters them. The browser is told the days that may be chosen (the cycle's
    start until today); the service (services.conversations.took_place_at) decides."""

    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[bounds.within_reach],
    )
    time = forms.TimeField(
        label=_("Time"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("In the organisation's time zone."),
    )
    field_order = ["date", "time", "agreements"]

    def __init__(self, *args, conversation, asks_time: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_time:
            del self.fields["date"], self.fields["time"]
            return
        cycle = conversation.moment.cycle
        today = timezone.localdate()
        earliest = max(cycle.starts_on, bounds.reach()[0])
        self.fields["date"].widget.attrs.update(min=earliest.isoformat(), max=today.isoformat())
        self.fields["date"].help_text = _(
            "The day it took place: from %(date)s, when cycle %(cycle)s started, until today."
        ) % {
            "date": date_format(cycle.starts_on, "DATE_FORMAT"),
            "cycle": cycle.name,
        }

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        if "date" not in self.fields:
            return {"agreements": data["agreements"]}
        return {"agreements": data["agreements"], "day": data["date"], "at": data["time"]}
