"""The observation form (record and correct), the reaction form, the name search, and the coach as it reads them."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from expectations.coach import Purpose, coach, ui_language

from .models import TEXT_LIMIT, Shows
from .services_observations import TEXT_FIELDS, date_errors

# The coach reads at most this much of one field; the form refuses longer text anyway.
COACH_MAX_CHARS = TEXT_LIMIT + 100
COACH_DELAY = "input changed delay:600ms"

# Small words that tell Dutch from English: an observation has no language field, so the coach guesses the
# language of each text from these and, when they do not tell, reads it in the interface language.
MARKERS = {
    "nl": frozenset(
        "je jij jou jouw u hij zij ze het de een en van niet bent was heeft hebt had met op voor dat die bij naar"
        " altijd nooit omdat maar ook wel geen deed zei klant tijdens werd zijn".split()
    ),
    "en": frozenset(
        "you your he she they the a an and of not are was has have had with on for that at to always never"
        " because but also no did said customer during were".split()
    ),
}
WORD = re.compile(r"[^\W\d_]+")


def text_language(text: str) -> str:
    """ "nl" or "en": the language more of the text's small words belong to; the interface language on a tie."""
    words = [word.casefold() for word in WORD.findall(text[:COACH_MAX_CHARS])]
    scores = {language: sum(word in markers for word in words) for language, markers in MARKERS.items()}
    if scores["nl"] == scores["en"]:
        return ui_language()
    return "nl" if scores["nl"] > scores["en"] else "en"


def coach_findings(text: str) -> list:
    """What the language coach says about one text of an observation (judging words, absolutes, no action)."""
    text = (text or "")[:COACH_MAX_CHARS]
    if not text.strip():
        return []
    return list(coach(text, text_language(text), purpose=Purpose.OBSERVATION))


class ObservationForm(forms.Form):
    """What someone saw: the expectation it relates to, when, situation, behaviour, effect, and what it shows.

    ``expectations`` are those the person may link (the published ones that apply to them); ``hold_label``
    (managers and HR recording) adds the "hold until the next conversation" box; ``coach_url`` makes the coach
    read each text as it is typed (htmx); ``editing`` adds the version the author is correcting.
    """

    expectation = forms.ModelChoiceField(
        label=_("Expectation it relates to"),
        queryset=None,
        required=False,
        empty_label=_("Not linked to an expectation"),
    )
    observed_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("When you saw it: today or earlier, at most five years ago."),
    )
    situation = forms.CharField(
        label=_("Situation"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Where and when: what was going on?"),
    )
    behaviour = forms.CharField(
        label=_("What the person did"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you saw or heard them do or say, not what you think of them."),
    )
    effect = forms.CharField(
        label=_("Its effect"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What happened as a result, and for whom."),
    )
    shows = forms.ChoiceField(
        label=_("This shows"), choices=Shows.choices, initial=Shows.SHOWN, widget=forms.RadioSelect
    )
    hold = forms.BooleanField(required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, expectations, hold_label=None, can_hold=True, coach_url=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expectation"].queryset = expectations
        self.coach_results = {}  # field name -> the coach's findings on the text as posted, filled in by the view
        if hold_label:
            self.fields["hold"].label = hold_label
            if not can_hold:
                # Nothing to hold it for: the box cannot be ticked (a crafted POST is refused by the service).
                self.fields["hold"].widget.attrs["disabled"] = True
        else:
            del self.fields["hold"]
        if not editing:
            del self.fields["version"]
        if coach_url:
            for name in TEXT_FIELDS:
                self.fields[name].widget.attrs.update(
                    {
                        "hx-post": coach_url,
                        "hx-trigger": COACH_DELAY,
                        "hx-target": f"#coach-{name}",
                        "hx-swap": "innerHTML",
                        "hx-params": name,
                    }
                )

    def clean_observed_on(self):
        day = self.cleaned_data["observed_on"]
        errors = date_errors(day)
        if errors:
            raise forms.ValidationError(errors["observed_on"])
        return day

    def text_fields(self):
        """Each text field with what the coach said about it as posted: [(bound field, results)]."""
        rows = []
        for name in TEXT_FIELDS:
            found = self.coach_results.get(name)
            rows.append((self[name], [(self[name].label, found)] if found else []))
        return rows

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        arguments = {name: data[name] for name in ("expectation", "observed_on", "shows", *TEXT_FIELDS)}
        if "hold" in self.fields:
            arguments["hold"] = data["hold"]
        return arguments

    @staticmethod
    def initial_for(observation) -> dict:
        return {
            "expectation": observation.expectation_id,
            "observed_on": observation.observed_on,
            "situation": observation.situation,
            "behaviour": observation.behaviour,
            "effect": observation.effect,
            "shows": observation.shows,
            "version": observation.version,
        }


class ReactionForm(forms.Form):
    reaction = forms.CharField(
        label=_("Your reaction"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("How you see it. Leave it empty to remove your reaction."),
    )


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=_("Type part of a first or last name."),
    )
