from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "kotacerdas.scheduling"
    verbose_name = _("Scheduling")

    def ready(self):
        # The action sentences of the audit trail live beside the functions that
        # record them; importing services registers them.
        from kotacerdas.scheduling import services  # noqa: F401
