"""Forms for HR's reminder page: one reminder rule, and which part of the log to show.

A plain form rather than a ModelForm, like the cycle forms: the service
(cycles.reminder_rules.reminder_rule_save) sets the fields and validates the rules
that span fields (an offset within −90…90 days or a weekday for the weekly
digest, the digest and only the digest to HR), and its ValidationError comes
back at the field it names (``add_service_error``).

The rule keeps one signed number, ``offset_days``: days from its anchor (negative is before it) or, for the
weekly digest, the weekday (0 is Monday). Nobody should have to type "-7", or know that 0 means Monday, so the
form asks for what the number means: a number of days (0 or more) with "before" or "after" the anchor, or a
weekday for the digest, and works the stored number out in ``clean`` (``initial`` the other way round, so a
stored rule shows as it was saved). Which of these the page shows depends on the kind of rule: the anchor
posted, else the rule's when editing; a new rule, whose kind is not known yet, shows both, each saying when it
applies. Changing an existing rule to another kind re-shows the form with the fields of the new kind, at an
error, and saves nothing, so no JavaScript is needed.
"""

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from core.forms import errors_onto_form

from .models import ReminderAnchor, ReminderAudience, ReminderRule, ReminderStatus
from .selectors_reminders import HIDDEN_ANCHORS, REMINDER_LOG_STATUSES

MAX_DAYS = 90  # cycles.reminder_rules.MAX_OFFSET: the form says so at the field before the service would
BEFORE, AFTER = "before", "after"

# The anchors HR chooses from (not the hidden ones: the overdue list's own rule).
ANCHORS = [(value, label) for value, label in ReminderAnchor.choices if value not in HIDDEN_ANCHORS]

# The kinds of rule, by what their offset means: days before or after the anchor (those of DIRECTIONS), the
# digest's weekday, or nothing (it goes out when the thing happens: a request is made).
DAYS, WEEKDAY, NONE = "days", "weekday", "none"
UNUSED = {DAYS: ("weekday",), WEEKDAY: ("days", "direction"), NONE: ("days", "direction", "weekday")}

# "Before" and "after" in the words of the anchor the rule is about; a new rule's anchor is not known yet.
DIRECTIONS = {
    ReminderAnchor.WINDOW_OPENS: (_("Before the window opens"), _("After the window opens")),
    ReminderAnchor.WINDOW_CLOSES: (_("Before the window closes"), _("After the window closes")),
    ReminderAnchor.CONVERSATION: (_("Before the conversation"), _("After the conversation")),
    ReminderAnchor.REQUEST_DUE: (_("Before the request is due"), _("After the request is due")),
}
ANY_DIRECTION = (_("Before it"), _("After it"))


def kind_of(anchor: str | None) -> str | None:
    """What a rule with ``anchor`` counts: days, a weekday or nothing; None when the anchor is not known."""
    if anchor not in ReminderAnchor.values or anchor in HIDDEN_ANCHORS:
        return None
    if anchor == ReminderAnchor.OVERDUE_WEEKLY:
        return WEEKDAY
    return DAYS if anchor in DIRECTIONS else NONE


class ReminderRuleForm(forms.Form):
    """When a reminder goes out (anchor, days before or after it or the digest's weekday, local time of day), to
    whom, and whether it is on. ``rule``: the rule being changed (its values are the form's initial ones)."""

    anchor = forms.ChoiceField(label=_("Sent relative to"), choices=ANCHORS)
    days = forms.IntegerField(
        label=_("Number of days"),
        required=False,
        min_value=0,
        max_value=MAX_DAYS,
        initial=0,
        error_messages={
            "min_value": _("Enter the number of days without a minus sign, and choose before or after below."),
            "max_value": _("Choose at most 90 days."),
        },
    )
    direction = forms.ChoiceField(
        label=_("Before or after"), required=False, widget=forms.RadioSelect, initial=BEFORE, choices=()
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday"),
        required=False,
        coerce=int,
        empty_value=None,
        initial=0,
        choices=[(number, name) for number, name in WEEKDAYS.items()],
    )
    time_of_day = forms.TimeField(
        label=_("Time of day"),
        initial="09:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("HH:MM, in the organisation's time zone."),
    )
    audience = forms.ChoiceField(label=_("Sent to"), choices=ReminderAudience.choices)
    enabled = forms.BooleanField(
        label=_("Switched on"),
        required=False,
        initial=True,
        help_text=_("A rule that is off plans nothing; what it already sent stays in the log."),
    )

    def __init__(self, data=None, *, rule: ReminderRule | None = None, **kwargs):
        if rule is not None:
            kwargs.setdefault("initial", self.initial_for(rule))
        super().__init__(data, **kwargs)
        posted = self.data.get("anchor") if self.is_bound else None
        # The kind the page shows: what was posted (so a changed kind shows its own fields), else the rule's.
        self.kind = kind_of(posted) or kind_of(rule.anchor if rule is not None else None)
        anchor = posted if kind_of(posted) else (rule.anchor if rule is not None else None)
        before, after = DIRECTIONS.get(anchor, ANY_DIRECTION)
        self.fields["direction"].choices = [(BEFORE, before), (AFTER, after)]
        if self.kind is None:  # a new rule: both are shown, each says when it applies
            self.fields["days"].help_text = _("Not for the weekly digest. 0 is on the day itself.")
            self.fields["weekday"].help_text = _("Only for the weekly digest: the day of the week it goes out.")
        else:
            self.fields["days"].help_text = _("0 is on the day itself.")
            self.fields["weekday"].help_text = _("The day of the week the digest goes out.")

    @property
    def shows_days(self) -> bool:
        return self.kind in (None, DAYS)

    @property
    def shows_weekday(self) -> bool:
        return self.kind in (None, WEEKDAY)

    @staticmethod
    def initial_for(rule: ReminderRule) -> dict:
        """The form's values for a stored rule: its signed offset as days and a direction, or as the weekday."""
        initial = {name: getattr(rule, name) for name in ("anchor", "time_of_day", "audience", "enabled")}
        if kind_of(rule.anchor) == WEEKDAY:
            initial["weekday"] = rule.offset_days
        else:
            initial["days"] = abs(rule.offset_days)
            initial["direction"] = AFTER if rule.offset_days > 0 else BEFORE
        return initial

    def clean(self):
        cleaned = super().clean()
        kind = kind_of(cleaned.get("anchor"))
        # A field this kind of rule does not use is not shown with its form (a new rule's page shows them all):
        # what was typed there is ignored, not refused where nobody would see why.
        for name in UNUSED.get(kind, ()):
            self._errors.pop(name, None)
            cleaned.pop(name, None)
        if kind == WEEKDAY:
            if cleaned.get("weekday") is None and "weekday" not in self.errors:
                self.add_error("weekday", _("Choose the day of the week the digest goes out."))
            cleaned["offset_days"] = cleaned.get("weekday")
        elif kind == DAYS:
            days = cleaned.get("days")
            if days is None and "days" not in self.errors:
                self.add_error("days", _("Enter the number of days: 0 is on the day itself."))
            elif days and not cleaned.get("direction"):
                if "direction" not in self.errors:
                    self.add_error("direction", _("Choose before or after."))
            elif days is not None:
                cleaned["offset_days"] = -days if cleaned.get("direction") == BEFORE else days
        elif kind == NONE:
            cleaned["offset_days"] = 0  # it goes out when the request is made: there is no offset to choose
        return cleaned

    def rule_fields(self) -> dict:
        """The rule's fields as cycles.reminder_rules.reminder_rule_save takes them (after ``is_valid``)."""
        fields = ("anchor", "offset_days", "time_of_day", "audience", "enabled")
        return {name: self.cleaned_data[name] for name in fields}

    def add_service_error(self, error) -> None:
        """Put the service's ValidationError on the form; its ``offset_days`` at the field that sets the offset."""
        if hasattr(error, "error_dict") and "offset_days" in error.error_dict:
            shown = "weekday" if kind_of(self.cleaned_data.get("anchor")) == WEEKDAY else "days"
            error.error_dict[shown] = error.error_dict.pop("offset_days")
        errors_onto_form(self, error)


class ReminderLogForm(forms.Form):
    """Which status tab of the log to show; anything unknown shows the planned reminders."""

    status = forms.ChoiceField(
        choices=[(status.value, status.label) for status in REMINDER_LOG_STATUSES], required=False
    )

    def status_or_default(self) -> str:
        if self.is_valid() and self.cleaned_data["status"]:
            return self.cleaned_data["status"]
        return ReminderStatus.PLANNED
