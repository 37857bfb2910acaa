from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import languages

        # The language is decided the moment someone logs in, before allauth adds "You are logged in as …".
        user_logged_in.connect(languages.on_login, dispatch_uid="accounts.languages.on_login")
