from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "cycles"
    verbose_name = _("Cycles")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the receivers to organizations' signals
