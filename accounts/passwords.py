"""Django's password rules in Helder's own words (AUTH_PASSWORD_VALIDATORS names these).

The rules are Django's; only what they say changes. Django's Dutch says "Uw wachtwoord …" where Helder says "je",
and its English mixes styles; every page that asks for a new password (accepting an invitation, changing or
resetting a password) shows these help texts and errors.
"""

from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        # Django fills in min_length from the error's params.
        return ngettext(
            "This password is too short: it needs at least %(min_length)d character.",
            "This password is too short: it needs at least %(min_length)d characters.",
            self.min_length,
        )

    def get_help_text(self):
        return ngettext(
            "Your password needs at least %(min_length)d character.",
            "Your password needs at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("This password is too much like your %(verbose_name)s.")

    def get_help_text(self):
        return _("Your password may not look like your email address.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is too common.")

    def get_help_text(self):
        return _("Your password may not be one that many people use.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is only digits.")

    def get_help_text(self):
        return _("Your password may not be only digits.")
