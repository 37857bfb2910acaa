import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


class OrganizationStartForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=200)
    slug = forms.CharField(
        label=_("Address name"),
        max_length=60,
        help_text=_("Part of every address: /o/<address name>/. Lower-case letters, digits and hyphens."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.DUTCH)
    time_zone = forms.CharField(label=_("Time zone"), max_length=64, initial="Europe/Amsterdam")
    hr_email = forms.EmailField(label=_("Email address of the first HR admin"))
    hr_first_name = forms.CharField(label=_("Their first name"), max_length=100, required=False)
    hr_last_name = forms.CharField(label=_("Their last name"), max_length=150, required=False)

    def clean_time_zone(self):
        value = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(_("“%(value)s” is not a known time zone.") % {"value": value})
        return value
