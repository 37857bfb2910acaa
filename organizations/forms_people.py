"""The people list's filters: a name search, a team found by typing part of its name, role and status.

The team is typed, not picked from a select: at 10,000 people an organisation has some 300 teams, and a select of
them all was most of the page's time. Part of a name lists the teams that contain it (links that choose one, also
without JavaScript); a whole name chooses that team. ``team`` (an id) still works in addresses made before.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import Role, Team

TEAM_NAME_LENGTH = Team._meta.get_field("name").max_length


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    team_name = forms.CharField(
        label=_("Team"),
        required=False,
        max_length=TEAM_NAME_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Type part of a team's name."),
    )
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("active", _("Active")), ("inactive", _("Deactivated")), ("all", _("Everyone"))],
        required=False,
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        # Only an id in the address is checked against it: one query for that team, never a list of them all.
        self.fields["team"].queryset = Team.objects.filter(organization=organization)
        self.teams = []  # the teams whose name contains what was typed, when it names none exactly (filters())
        self.team_unknown = False  # what was typed is in no team's name

    def filters(self):
        """The selector arguments (organizations.selectors.people); bad input just shows everyone active.

        A whole team name (any case) chooses that team; part of one shows the people of every team containing it
        and lists those teams (``self.teams``, at most selectors.TEAMS_SHOWN + 1) to choose from. A team chosen by
        id shows its name in the team box; a name typed there wins over an id it no longer matches.
        """
        if not self.is_valid():
            return {"query": "", "team_id": None, "team_name": "", "role": "", "active": True}
        data = self.cleaned_data
        team, team_name = data.get("team"), data.get("team_name", "").strip()
        if team is not None and team_name and team_name.casefold() != team.name.casefold():
            team = None
        if team is not None and not team_name:
            self.data = self.data.copy()
            self.data["team_name"] = team.name
        if team is None and team_name:
            matches = selectors.teams_named(organization=self.organization, name=team_name)
            if matches and matches[0].exact == 0:
                team = matches[0]
            else:
                self.teams, self.team_unknown = matches, not matches
        status = data.get("status") or "active"
        return {
            "query": data.get("q", ""),
            "team_id": team.pk if team else None,
            "team_name": "" if team else team_name,
            "role": data.get("role", ""),
            "active": {"active": True, "inactive": False, "all": None}[status],
        }
