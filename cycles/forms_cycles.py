"""Forms for HR's cycle pages: the cycle itself, a moment (both languages side by side), moving a window.

Plain forms rather than ModelForms: the services set the fields and validate
(window inside the cycle, rating only on an assessment, …), so a refused save
never leaves a half-changed instance behind in the view. Team choices come
from this organisation only, so another organisation's team is "not one of
the choices" instead of a 500. Every date is checked against cycles.bounds
here already (five years either side of today), so year 1 or 9999 is a field
error before any service runs; the services check the same rules again.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.i18n import BilingualForm
from organizations.models import Team

from . import bounds
from .models import Moment, MomentKind

EVERYONE, CHOSEN_TEAMS = "everyone", "teams"
PURPOSE_HELP = _("Required in at least one language: everyone sees it wherever the moment appears.")
REFLECTION_HELP = _(
    "One question per line. The employee answers them before the conversation; "
    "the manager reads the answers once they are submitted."
)


def date_field(label, **kwargs):
    """A date within reach of today (cycles.bounds): anything further is a field error."""
    return forms.DateField(
        label=label,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[bounds.within_reach],
        **kwargs,
    )


class BoundedDates:
    """Tells the browser the reach of every date field (``min``/``max``), computed when the form is built."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        earliest, latest = bounds.reach()
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget.attrs.update(min=earliest.isoformat(), max=latest.isoformat())


class CycleForm(BoundedDates, forms.Form):
    """Create (``with_template=True``) or change a cycle: name, dates, scope."""

    name = forms.CharField(label=_("Name"), max_length=80, help_text=_("For example “2027”."))
    starts_on = date_field(_("Starts on"))
    ends_on = date_field(_("Ends on"))
    audience = forms.ChoiceField(
        label=_("Who it is for"),
        choices=[(EVERYONE, _("The whole organisation")), (CHOSEN_TEAMS, _("Only the teams chosen below"))],
        widget=forms.RadioSelect,
        initial=EVERYONE,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    from_template = forms.BooleanField(
        label=_("Start from the template"),
        required=False,
        initial=True,
        help_text=_("Adds a planning, a progress and an assessment conversation with their purpose written out."),
    )

    def __init__(self, *args, organization, with_template: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = Team.objects.filter(organization=organization).order_by("name")
        if not with_template:
            del self.fields["from_template"]

    @staticmethod
    def initial_for(cycle) -> dict:
        return {
            "name": cycle.name,
            "starts_on": cycle.starts_on,
            "ends_on": cycle.ends_on,
            "audience": EVERYONE if cycle.for_everyone else CHOSEN_TEAMS,
            "teams": [team.pk for team in cycle.teams.all()],
        }

    def clean(self):
        data = super().clean()
        if data.get("audience") == CHOSEN_TEAMS and not data.get("teams") and "teams" not in self.errors:
            self.add_error("teams", _("Choose at least one team, or the whole organisation."))
        if "starts_on" in data and "ends_on" in data:
            for name, message in bounds.cycle_errors(starts_on=data["starts_on"], ends_on=data["ends_on"]).items():
                self.add_error(name, message)
        return data

    def service_arguments(self) -> dict:
        """Keyword arguments for services.cycle_create / cycle_update."""
        data = self.cleaned_data
        for_everyone = data["audience"] == EVERYONE
        arguments = {
            "name": data["name"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "for_everyone": for_everyone,
            "teams": [] if for_everyone else list(data["teams"]),
        }
        if "from_template" in self.fields:
            arguments["from_template"] = data["from_template"]
        return arguments


class MomentForm(BilingualForm, BoundedDates, forms.Form):
    """All of a moment's fields; the texts in pairs, Dutch beside English (core.i18n.BilingualForm)."""

    bilingual_model = Moment
    bilingual_texts = ("name", "purpose", "preparation_employee", "preparation_manager", "reflection_questions")
    bilingual_required = ("name",)
    bilingual_textareas = {"purpose": 3, "preparation_employee": 3, "preparation_manager": 3, "reflection_questions": 4}
    bilingual_help = {"purpose": PURPOSE_HELP, "reflection_questions": REFLECTION_HELP}

    kind = forms.ChoiceField(label=_("Kind"), choices=MomentKind.choices, initial=MomentKind.CUSTOM)
    opens_on = date_field(_("Window opens on"))
    closes_on = date_field(_("Window closes on"))
    produces_rating = forms.BooleanField(
        label=_("Produces a rating"), required=False, help_text=_("Only an assessment conversation produces a rating.")
    )
    asks_reflection = forms.BooleanField(
        label=_("Asks for a self-reflection"),
        required=False,
        help_text=_("Before the conversation the employee answers the questions below."),
    )

    def other_fields(self):
        return [self[name] for name in ("kind", "opens_on", "closes_on", "produces_rating", "asks_reflection")]

    @classmethod
    def initial_for(cls, moment: Moment) -> dict:
        names = ["kind", "opens_on", "closes_on", "produces_rating", "asks_reflection"]
        return {**{name: getattr(moment, name) for name in names}, **cls.bilingual_initial(moment)}


class MomentMoveForm(BoundedDates, forms.Form):
    """Move an active cycle's window, saying why."""

    opens_on = date_field(_("Window opens on"))
    closes_on = date_field(_("Window closes on"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The people concerned are emailed the new dates and this reason."),
        error_messages={"required": _("Say why the window moves; the people affected will see it.")},
    )
