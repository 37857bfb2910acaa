"""Forms of the review workflow: the manager's draft (a level, evidence and a reason per rating), the employee's
comment, HR's reason to reopen.

The draft form only parses: whether a level is on the scale, whether an observation is the person's and whether
a rated expectation has evidence or a reason, reviews.services_reviews.review_save decides, and its refusals
come back at the fields named here (``rating-<id>-level`` ...), so a crafted POST meets the same rule as the form.
"""

from django import forms
from django.utils import formats
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import Review, Source
from .services_reviews import RatingInput, evidence_field, level_field, reason_field

TEXTAREA = {"rows": 3}


def note_field(rating_pk) -> str:
    return f"rating-{rating_pk}-note"


class IdsField(forms.Field):
    """Checked ids as whole numbers; which ids may be cited the service decides (a tampered one is refused there)."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid": _("Choose from the observations shown.")}

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class LevelField(forms.IntegerField):
    """A level as a whole number, offered as radio buttons; whether it is on the cycle's scale the service decides."""

    widget = forms.RadioSelect


def level_label(level):
    return format_html(
        '<strong>{} · {}</strong> <span class="help">{}</span>', level.value, level.local_label, level.local_description
    )


def written_by(observation) -> str:
    """Who wrote it, as the observation card says it: "Mark Jansen (Manager)", or "Self-observation"."""
    if observation.source == Source.SELF:
        return observation.get_source_display()
    return gettext("%(name)s (%(source)s)") % {
        "name": observation.author.full_name,
        "source": observation.get_source_display(),
    }


def observation_label(observation):
    """Its date, who wrote it and as whom (manager, colleague, self), what the person did, its expectation."""
    title = observation.expectation.current_version.local_title if observation.expectation_id else ""
    return format_html(
        '<time datetime="{}">{}</time> · <span class="muted">{}</span> · {}{}',
        observation.observed_on.isoformat(),
        formats.date_format(observation.observed_on, "DATE_FORMAT"),
        written_by(observation),
        Truncator(observation.behaviour).chars(160),
        format_html(' <span class="muted">({})</span>', title) if title else "",
    )


class ReviewForm(forms.Form):
    """The draft: per rating a level, evidence and a reason without evidence, a note; the summary and the outcome."""

    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    band = forms.ChoiceField(label=_("Outcome"), required=False, widget=forms.RadioSelect)
    justification = forms.CharField(
        label=_("Why another outcome than the rule gives"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("Needed only when you choose another outcome than the rule gives; HR sees it."),
    )

    def __init__(self, *args, review: Review, ratings, levels, bands, evidence, **kwargs):
        super().__init__(*args, **kwargs)
        self.review, self.ratings, self.bands = review, list(ratings), list(bands)
        self.fields["band"].choices = [("", _("Follow the rule"))] + [(band.pk, band.local_name) for band in bands]
        level_choices = [(level.value, level_label(level)) for level in levels]
        for rating in self.ratings:
            # The observations about this rating's expectation first, then the others, newest first within each.
            mine = [row for row in evidence if row.expectation_id == rating.expectation_id]
            others = [row for row in evidence if row.expectation_id != rating.expectation_id]
            self.fields[level_field(rating.pk)] = LevelField(
                label=_("Level"), required=False, widget=forms.RadioSelect(choices=level_choices)
            )
            self.fields[evidence_field(rating.pk)] = IdsField(
                label=_("Evidence"),
                help_text=_("Observations of this person in this cycle: those about this expectation first."),
                required=False,
                widget=forms.CheckboxSelectMultiple(
                    choices=[(row.pk, observation_label(row)) for row in mine + others]
                ),
            )
            self.fields[reason_field(rating.pk)] = forms.CharField(
                label=_("Why there is no observation"),
                help_text=_("Only when you cite no observation."),
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs=TEXTAREA),
            )
            self.fields[note_field(rating.pk)] = forms.CharField(
                label=_("Explanation"), required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
            )
            if not self.is_bound:
                self.initial.update(
                    {
                        level_field(rating.pk): rating.level,
                        evidence_field(rating.pk): [row.pk for row in rating.evidence.all()],
                        reason_field(rating.pk): rating.reason_without_evidence,
                        note_field(rating.pk): rating.note,
                    }
                )
        if not self.is_bound:
            self.initial.update(
                summary=review.summary,
                band=review.band_id if review.deviates else "",
                justification=review.justification,
            )

    def rating_rows(self):
        """Per rating: the rating and its four fields, in the order of the page."""
        return [
            {
                "rating": rating,
                "level": self[level_field(rating.pk)],
                "evidence": self[evidence_field(rating.pk)],
                "reason": self[reason_field(rating.pk)],
                "note": self[note_field(rating.pk)],
            }
            for rating in self.ratings
        ]

    def levels_given(self) -> dict:
        """Per rating id, the level posted (None when none, or not a number): for the live outcome."""
        given = {}
        for rating in self.ratings:
            raw = self.data.get(level_field(rating.pk), "")
            given[rating.pk] = int(raw) if str(raw).isdigit() and len(str(raw)) < 3 else None
        return given

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        chosen = next((band for band in self.bands if str(band.pk) == data["band"]), None)
        return {
            "summary": data["summary"],
            "band": chosen,
            "justification": data["justification"],
            "ratings": {
                rating.pk: RatingInput(
                    level=data[level_field(rating.pk)],
                    evidence=data[evidence_field(rating.pk)],
                    reason=data[reason_field(rating.pk)],
                    note=data[note_field(rating.pk)],
                )
                for rating in self.ratings
            },
        }


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Your comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    disagrees = forms.BooleanField(label=_("I disagree with this review"), required=False)


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the review reopened?"),
        max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text=_("The employee and the manager read this reason in the review's history."),
        error_messages={"required": _("Write why the review is reopened.")},
    )
