from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExpectationsConfig(AppConfig):
    name = "expectations"
    verbose_name = _("Expectations")
