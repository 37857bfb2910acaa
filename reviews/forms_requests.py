"""Forms of observation requests: asking (with the colleague chosen from a name search) and answering.

The colleague is a number the name search's results carry (radio buttons,
at most 20): never a select of the whole organisation. The form checks only
its shape; whether it is an open member of this organisation is the service's
to say (reviews.services_requests), so a tampered id gets a field error, not a 500.
The answer is the observation form (reviews.forms_observations) without the
expectation, which the request fixes, and with the same language coach.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.urls import BIGINT_MAX

from .forms_observations import ObservationForm
from .models import ObservationRequest
from .services_observations import TEXT_FIELDS
from .services_requests import MESSAGE_LIMIT


class RequestForm(forms.Form):
    """Ask a colleague: which expectation, whom (from the search), by when, and an optional message."""

    q = forms.CharField(
        label=_("Find a colleague by name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Type part of a first or last name; at most 20 names are shown."),
    )
    colleague = forms.IntegerField(
        label=_("Colleague"),
        min_value=1,
        max_value=BIGINT_MAX,
        error_messages={"required": _("Search for a colleague and choose one.")},
    )
    expectation = forms.ModelChoiceField(label=_("Expectation"), queryset=None, empty_label=None)
    due_on = forms.DateField(
        label=_("Answer wanted by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("From today to the end of the cycle."),
    )
    message = forms.CharField(
        label=_("Message to the colleague (optional)"),
        max_length=MESSAGE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you would like them to look at. They see this, the expectation and nothing else."),
    )

    def __init__(self, *args, expectations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expectation"].queryset = expectations
        self.fields["expectation"].label_from_instance = lambda expectation: expectation.current_version.local_title

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "colleague_id": data["colleague"],
            "expectation": data["expectation"],
            "due_on": data["due_on"],
            "message": data["message"],
        }


class AnswerForm(ObservationForm):
    """The answer: when, situation, behaviour, effect and what it shows, coached as the observation form is."""

    def __init__(self, *args, coach_url=None, **kwargs):
        super().__init__(*args, expectations=ObservationRequest.objects.none(), coach_url=coach_url, **kwargs)
        del self.fields["expectation"]

    def service_arguments(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("observed_on", "shows", *TEXT_FIELDS)}
