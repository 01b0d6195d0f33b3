from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    name = "kotacerdas.maturity"
    verbose_name = _("Maturity stage")

    def ready(self):
        # The action sentences of the audit trail live beside the functions that
        # record them; importing the modules registers them.
        from kotacerdas.maturity import (  # noqa: F401
            certificate,
            excel,
            policy,
            report,
            services_filling,
            services_review,
        )
