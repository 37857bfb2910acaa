"""The form of the calibration flags' thresholds: each field says which flag it sets, and refuses in plain words.

The service (calibration.services_window.thresholds_save) checks the same limits again, so a crafted POST meets
them too.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import RECENCY_WEEKS, Calibration


def _whole_number(message) -> dict:
    """A whole number whose every refusal (empty, not a number, too low, too high) says the same sentence."""
    return {
        "required": message,
        "invalid": message,
        "min_value": message,
        "max_value": message,
        "step_size": message,
    }


class ThresholdsForm(forms.Form):
    share_points = forms.IntegerField(
        label=_("Difference from the organisation, in percentage points"),
        min_value=0,
        max_value=100,
        error_messages=_whole_number(_("Enter a whole number of percentage points from 0 to 100.")),
        help_text=_(
            "Sets the flag on a manager's spread: a manager is flagged (lenient or severe) when their share of "
            "the top or the bottom outcome differs from the organisation's by more than this many percentage points."
        ),
    )
    min_reviews = forms.IntegerField(
        label=_("Fewest reviews for a manager to be compared"),
        min_value=1,
        max_value=1000,
        error_messages=_whole_number(_("Enter a whole number of reviews from 1 to 1000.")),
        help_text=_(
            "Also for the flag on a manager's spread: a manager with fewer reviews with an outcome than this is "
            "not compared, as a handful of reviews says little about a spread."
        ),
    )
    recency_percent = forms.IntegerField(
        label=_("Share of recent evidence, in percent"),
        min_value=0,
        max_value=100,
        error_messages=_whole_number(_("Enter a whole percentage from 0 to 100.")),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: the sentence is read in the language of the request that shows the form.
        self.fields["recency_percent"].help_text = gettext(
            "Sets the flag on recent evidence: a review is flagged when more than this share of the observations "
            "it cites were made in the %(weeks)d weeks before its assessment conversation."
        ) % {"weeks": RECENCY_WEEKS}

    @staticmethod
    def initial_for(calibration: Calibration) -> dict:
        return {name: getattr(calibration, name) for name in ThresholdsForm.base_fields}
