"""Forms for writing expectations: the wording in both languages, weight and audience; the sharpening date.

Choices (core values, strategic goals, teams) come from the organisation only,
so a tampered id from another organisation is an ordinary "not one of the
available choices" field error and never reaches a service.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from core import i18n
from core.i18n import BilingualForm, bilingual_names
from organizations.models import Team

from .models import CoreValue, Expectation, ExpectationVersion, StrategicGoal

WORDING = ("title", "behaviour", "examples_yes", "examples_not_yet")
WORDING_FIELDS = bilingual_names(WORDING)
# The language coach reads every wording field as it is typed.
COACHED_FIELDS = WORDING_FIELDS

EVERYONE, CHOSEN_TEAMS = "everyone", "teams"
EXAMPLES_HELP = _("One example per line.")


def field_label(name: str):
    """The model's verbose name of a wording field, e.g. "Observable behaviour (Dutch)"."""
    return i18n.field_label(ExpectationVersion, name)


class ExpectationForm(BilingualForm, forms.Form):
    """Write or change an expectation. Only HR chooses the audience; a manager's proposal is for their own team.

    The wording comes in both languages (core.i18n.BilingualForm); the title is required in the organisation's.
    """

    bilingual_model = ExpectationVersion
    bilingual_texts = WORDING
    bilingual_required = ("title",)
    bilingual_textareas = {"behaviour": 4, "examples_yes": 4, "examples_not_yet": 4}
    bilingual_help = {
        "behaviour": _("What you would see or hear someone do."),
        "examples_yes": EXAMPLES_HELP,
        "examples_not_yet": EXAMPLES_HELP,
    }

    core_value = forms.ModelChoiceField(
        label=_("Core value"), queryset=CoreValue.objects.none(), empty_label=_("Choose a core value")
    )
    strategic_goal = forms.ModelChoiceField(
        label=_("Strategic goal it serves (how you contribute)"),
        queryset=StrategicGoal.objects.none(),
        required=False,
        empty_label=_("No strategic goal"),
    )
    weight = forms.IntegerField(
        label=_("Weight (%)"),
        min_value=0,
        max_value=100,
        initial=20,
        help_text=_("Per person the weights of the expectations that apply add up to 100 %."),
    )
    audience = forms.ChoiceField(
        label=_("Who it applies to"),
        choices=[(EVERYONE, _("The whole organisation")), (CHOSEN_TEAMS, _("Only the teams chosen below"))],
        widget=forms.RadioSelect,
        initial=EVERYONE,
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"), queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, organization, choose_audience: bool, coach_url: str | None = None, **kwargs):
        super().__init__(*args, organization=organization, **kwargs)
        self.choose_audience = choose_audience
        self.coach_results = {}  # field name -> the language coach's findings, filled in by the view on a save
        self.fields["core_value"].queryset = CoreValue.objects.filter(organization=organization)
        self.fields["strategic_goal"].queryset = StrategicGoal.objects.filter(organization=organization)
        if choose_audience:
            self.fields["teams"].queryset = Team.objects.filter(organization=organization).order_by("name")
        else:
            del self.fields["audience"]
            del self.fields["teams"]
        if coach_url:
            for name in COACHED_FIELDS:
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": coach_url,
                        "hx-trigger": "input changed delay:600ms",
                        "hx-target": f"#coach-{name}",
                        "hx-swap": "innerHTML",
                        "hx-params": name,
                    }
                )

    @staticmethod
    def initial_for(expectation: Expectation) -> dict:
        version = expectation.current_version
        initial = ExpectationForm.bilingual_initial(version)
        initial.update(
            core_value=expectation.core_value_id,
            strategic_goal=version.strategic_goal_id,
            weight=version.weight,
            audience=EVERYONE if expectation.for_everyone else CHOSEN_TEAMS,
            teams=[team.pk for team in expectation.teams.all()],
        )
        return initial

    def clean(self):
        data = super().clean()
        if (
            self.choose_audience
            and data.get("audience") == CHOSEN_TEAMS
            and not data.get("teams")
            and "teams" not in self.errors
        ):
            self.add_error("teams", _("Choose at least one team, or the whole organisation."))
        return data

    def bilingual_rows(self):
        """The wording fields in pairs, Dutch beside English, each with what the coach said (after a save)."""
        rows = []
        for pair in super().bilingual_rows():
            row = []
            for bound in pair:
                found = self.coach_results.get(bound.name)
                row.append((bound, [(field_label(bound.name), found)] if found else []))
            rows.append(row)
        return rows

    def service_arguments(self) -> dict:
        """Keyword arguments for services.expectation_create / expectation_update."""
        data = self.cleaned_data
        arguments = {name: data[name] for name in WORDING_FIELDS}
        arguments.update(core_value=data["core_value"], strategic_goal=data["strategic_goal"], weight=data["weight"])
        if self.choose_audience:
            for_everyone = data["audience"] == EVERYONE
            arguments.update(for_everyone=for_everyone, teams=[] if for_everyone else list(data["teams"]))
        return arguments


class SharpenForm(forms.Form):
    """Open a draft for suggestions until a closing date (the service refuses a date in the past)."""

    closes_on = forms.DateField(
        label=_("Suggestions close on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Today or later. Until then everyone it applies to can suggest wording and endorse it."),
    )
