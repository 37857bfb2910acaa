"""The forms of HR's placements pages: the list's search and filter, and one person's placement.

The placement form only reads what was typed (a scale of this organisation, a whole number, a date, an amount in
the Dutch or the English way); whether it may be saved is the service's rule (services_placements), which the
help texts state.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .amounts import AmountField
from .selectors_placements import SCALE_PREFIX, SHOW_ALL, SHOW_NOT_PLACED, SHOW_OUTSIDE, SHOW_PLACED
from .services_placements import YEARS_AROUND

ON_SCALE = "scale"
OUTSIDE = "salary"
NOT_PLACED = "none"
STEP_LARGEST = 32767  # what Placement.step holds


class PlacementFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    show = forms.ChoiceField(label=_("Show"), required=False)

    def __init__(self, *args, scales, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show"].choices = [
            (SHOW_ALL, _("Everyone")),
            (SHOW_NOT_PLACED, _("Not placed")),
            (SHOW_PLACED, _("Placed")),
            (SHOW_OUTSIDE, _("Outside the scales")),
            *((f"{SCALE_PREFIX}{scale.pk}", scale.name) for scale in scales),
        ]

    def filters(self) -> dict:
        """The selector's arguments for valid input; bad input shows everyone."""
        if not self.is_valid():
            return {"query": "", "show": SHOW_ALL}
        return {"query": self.cleaned_data["q"], "show": self.cleaned_data["show"] or SHOW_ALL}


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Where does this person stand?"),
        choices=[
            (ON_SCALE, _("On a salary scale")),
            (OUTSIDE, _("A monthly salary outside the scales")),
            (NOT_PLACED, _("Not placed")),
        ],
        widget=forms.RadioSelect,
    )
    scale = forms.ModelChoiceField(
        label=_("Salary scale"),
        queryset=None,
        required=False,
        empty_label=_("Choose a scale"),
        error_messages={"invalid_choice": _("Choose one of the scales in the list.")},
    )
    step = forms.IntegerField(
        label=_("Step"),
        required=False,
        min_value=0,
        max_value=STEP_LARGEST,
        help_text=_("A step the scale has in the salary table in force today."),
    )
    step_date = forms.DateField(
        label=_("Date of the yearly step"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    monthly_salary = AmountField(
        label=_("Monthly salary"),
        required=False,
        help_text=_("In euros, more than 0, such as 3.250,50 or 3,250.50."),
    )

    def __init__(self, *args, scales_queryset, steps: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step_date"].help_text = _(
            "Optional: the day this person moves up a step each year; at most %(years)d years back or ahead."
        ) % {"years": YEARS_AROUND}
        scale = self.fields["scale"]
        scale.queryset = scales_queryset
        scale.label_from_instance = lambda found: _scale_label(found, steps.get(found.pk, {}))

    def clean(self):
        cleaned = super().clean()
        # "Not placed" with a scale, step or salary filled in: HR most likely forgot to choose where the person
        # stands, and saving would silently drop what they typed.
        typed = any(cleaned.get(name) not in (None, "") for name in ("scale", "step", "monthly_salary"))
        if cleaned.get("kind") == NOT_PLACED and typed:
            self.add_error(
                "kind",
                _(
                    "You filled in a scale, step or salary: choose “On a salary scale” or “A monthly salary outside "
                    "the scales” to save it."
                ),
            )
        return cleaned

    @staticmethod
    def initial_for(placement) -> dict:
        if placement is None:
            return {"kind": ON_SCALE}  # placing someone is why HR opens the page of a person not placed
        if placement.on_scale:
            return {
                "kind": ON_SCALE,
                "scale": placement.scale_id,
                "step": placement.step,
                "step_date": placement.step_date,
            }
        return {"kind": OUTSIDE, "monthly_salary": str(placement.monthly_salary)}


def _scale_label(scale, steps: dict) -> str:
    """ "Schaal 8 (steps 0 to 10)": which steps the scale has in the table in force, so HR picks one it has."""
    if not steps:
        return _("%(scale)s (no steps yet)") % {"scale": scale.name}
    return _("%(scale)s (steps %(first)d to %(last)d)") % {"scale": scale.name, "first": min(steps), "last": max(steps)}
