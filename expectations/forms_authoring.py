"""Forms for writing expectations: the wording in both languages, weight and audience; the sharpening date.

Choices (core values, strategic goals, teams) come from the organisation only,
so a tampered id from another organisation is an ordinary "not one of the
available choices" field error and never reaches a service.
"""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from organizations.models import Team

from .models import CoreValue, Expectation, ExpectationVersion, StrategicGoal

LANGUAGES = ("nl", "en")  # Dutch first, everywhere both languages are shown side by side
WORDING = ("title", "behaviour", "examples_yes", "examples_not_yet")
WORDING_FIELDS = tuple(f"{name}_{language}" for name in WORDING for language in LANGUAGES)
# The language coach reads every wording field as it is typed.
COACHED_FIELDS = WORDING_FIELDS

EVERYONE, CHOSEN_TEAMS = "everyone", "teams"


def field_label(name: str):
    """The model's verbose name of a wording field, e.g. "Observable behaviour (Dutch)"."""
    return capfirst(ExpectationVersion._meta.get_field(name).verbose_name)


def _wording_field(name: str, **kwargs):
    field = ExpectationVersion._meta.get_field(name).formfield(required=False, **kwargs)
    field.label = field_label(name)
    return field


def _textarea(rows: int):
    return forms.Textarea(attrs={"rows": rows})


EXAMPLES_HELP = _("One example per line.")


class ExpectationForm(forms.Form):
    """Write or change an expectation. Only HR chooses the audience; a manager's proposal is for their own team."""

    core_value = forms.ModelChoiceField(
        label=_("Core value"), queryset=CoreValue.objects.none(), empty_label=_("Choose a core value")
    )
    strategic_goal = forms.ModelChoiceField(
        label=_("Strategic goal it serves (how you contribute)"),
        queryset=StrategicGoal.objects.none(),
        required=False,
        empty_label=_("No strategic goal"),
    )
    title_nl = _wording_field("title_nl")
    title_en = _wording_field("title_en")
    behaviour_nl = _wording_field(
        "behaviour_nl",
        widget=_textarea(4),
        help_text=_("What you would see or hear someone do."),
    )
    behaviour_en = _wording_field(
        "behaviour_en",
        widget=_textarea(4),
        help_text=_("What you would see or hear someone do."),
    )
    examples_yes_nl = _wording_field("examples_yes_nl", widget=_textarea(4), help_text=EXAMPLES_HELP)
    examples_yes_en = _wording_field("examples_yes_en", widget=_textarea(4), help_text=EXAMPLES_HELP)
    examples_not_yet_nl = _wording_field("examples_not_yet_nl", widget=_textarea(4), help_text=EXAMPLES_HELP)
    examples_not_yet_en = _wording_field("examples_not_yet_en", widget=_textarea(4), help_text=EXAMPLES_HELP)
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
        super().__init__(*args, **kwargs)
        self.choose_audience = choose_audience
        self.coach_results = {}  # field name -> the language coach's findings, filled in by the view on a save
        self.fields["core_value"].queryset = CoreValue.objects.filter(organization=organization)
        self.fields["strategic_goal"].queryset = StrategicGoal.objects.filter(organization=organization)
        if choose_audience:
            self.fields["teams"].queryset = Team.objects.filter(organization=organization).order_by("name")
        else:
            del self.fields["audience"]
            del self.fields["teams"]
        # The organisation's own language is the one the title may not be empty in (the other falls back to it).
        title = self.fields[f"title_{organization.language}"]
        title.required = True
        title.error_messages["required"] = _("Fill this in, in the organisation's language.")
        for name in WORDING_FIELDS:
            self.fields[name].widget.attrs["lang"] = name.rsplit("_", 1)[1]
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
        initial = {name: getattr(version, name) for name in WORDING_FIELDS}
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
        for name in WORDING:
            row = []
            for field in (f"{name}_{language}" for language in LANGUAGES):
                found = self.coach_results.get(field)
                row.append((self[field], [(field_label(field), found)] if found else []))
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
