"""allauth's login and password forms with Helder's labels (ACCOUNT_FORMS names these).

allauth labels in title case ("Current Password", "Remember Me") and repeats each label as a placeholder; Helder
writes labels in sentence case, in its own words, and shows them above the field only. What the forms check and
do stays allauth's.
"""

from allauth.account import forms as allauth
from django.utils.translation import gettext_lazy as _

LABELS = {
    "login": _("Email address"),
    "email": _("Email address"),
    "password": _("Password"),
    "remember": _("Keep me logged in"),
    "oldpassword": _("Current password"),
    "password1": _("New password"),
    "password2": _("New password (again)"),
}


class HelderLabels:
    """Put before allauth's form: Helder's label on each field it knows, and no placeholder."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in LABELS:
                field.label = LABELS[name]
            field.widget.attrs.pop("placeholder", None)


class LoginForm(HelderLabels, allauth.LoginForm):
    pass


class ChangePasswordForm(HelderLabels, allauth.ChangePasswordForm):
    pass


class SetPasswordForm(HelderLabels, allauth.SetPasswordForm):
    pass


class ResetPasswordForm(HelderLabels, allauth.ResetPasswordForm):
    pass


class ResetPasswordKeyForm(HelderLabels, allauth.ResetPasswordKeyForm):
    pass


class ReauthenticateForm(HelderLabels, allauth.ReauthenticateForm):
    pass
