from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "kotacerdas.assessments"
    verbose_name = _("Assessments")

    def ready(self):
        # The action sentences of the audit trail live beside the functions that
        # record them; importing services registers them.
        from kotacerdas.assessments import services  # noqa: F401
