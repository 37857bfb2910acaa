"""The form of a move: the band to move the outcome to, HR's reason, and the outcome the form was shown with.

Only parses: whether the move may happen (the window, the review's state, the band's cycle) the service decides
(calibration.services_moves.outcome_move), and its refusals come back at these fields.
"""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .services_moves import REASON_LIMIT

NOT_A_BAND = _("Choose one of the outcomes of this cycle.")


class MoveForm(forms.Form):
    to_band = forms.TypedChoiceField(
        label=_("New outcome"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the outcome to move to."),
            "invalid_choice": NOT_A_BAND,
        },
    )
    reason = forms.CharField(
        label=_("Why you move it"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The manager reads this reason on the review and on their own page; the employee reads only the outcome."
        ),
        error_messages={
            "required": _("Write why you move this outcome; the manager reads it."),
            "max_length": _("Keep the reason to %(limit_value)d characters at most."),
        },
    )
    # The outcome the review had when the form was shown: a move of an outcome that changed since is refused.
    shown_band = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, bands, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_band"].choices = [
            (
                band.pk,
                gettext("%(name)s (its outcome now)") % {"name": band.local_name}
                if band.pk == current
                else band.local_name,
            )
            for band in bands
        ]
        if not self.is_bound:
            self.initial["shown_band"] = current or ""

    def shown_band_id(self) -> int | None:
        """The outcome posted as shown, or None when it is missing or not an id (the service then refuses)."""
        raw = str(self.cleaned_data.get("shown_band") or "")
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 19 else None
