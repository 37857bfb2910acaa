"""Forms for the rating scale, the outcome bands and the filter of a cycle's reviews.

Plain forms (core.i18n.BilingualForm): the services set the fields and
validate, so a refused save leaves no half-changed row behind. Each level and
each band is its own form with a prefix (``level-3-``, ``band-1-``), so the whole
scale or all bands save in one POST and an error shows at its own field.
Thresholds are typed as people write numbers in their language (2,50 or 2.50).
"""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.i18n import BilingualForm

from .models import OutcomeBand, RatingLevel, ReviewState

SCORE_ERROR = _("Enter a score such as 2.50, with at most two decimals.")


def score_field(**kwargs):
    field = forms.DecimalField(
        label=_("From a weighted score of"),
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("10"),
        localize=True,
        error_messages={
            "invalid": SCORE_ERROR,
            "max_digits": SCORE_ERROR,
            "max_decimal_places": SCORE_ERROR,
            "max_whole_digits": SCORE_ERROR,
            "min_value": SCORE_ERROR,
            "max_value": SCORE_ERROR,
            "required": _("Enter the score from which this band applies."),
        },
        **kwargs,
    )
    field.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off", "size": 6})
    return field


class LevelForm(BilingualForm, forms.Form):
    """One level of the scale: its label (required in the organisation's language) and description."""

    bilingual_model = RatingLevel
    bilingual_texts = ("label", "description")
    bilingual_required = ("label",)
    bilingual_textareas = {"description": 2}


class BandForm(BilingualForm, forms.Form):
    """One outcome band: name, description and (except for the lowest, which starts at 0) its threshold."""

    bilingual_model = OutcomeBand
    bilingual_texts = ("name", "description")
    bilingual_required = ("name",)
    bilingual_textareas = {"description": 2}

    def __init__(self, *args, lowest=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not lowest:
            self.fields["min_score"] = score_field()

    @classmethod
    def initial_for(cls, band) -> dict:
        return {**cls.bilingual_initial(band), "min_score": band.min_score}


class ReviewFilterForm(forms.Form):
    """Which reviews of the cycle to list: all, or those in one state."""

    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All states")), *ReviewState.choices],
        error_messages={"invalid_choice": _("Choose one of the states in the list.")},
    )
