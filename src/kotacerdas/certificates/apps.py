from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "kotacerdas.certificates"
    verbose_name = _("Certificates")

    def ready(self):
        # Imported for their audit sentences.
        from kotacerdas.certificates import readiness, services  # noqa: F401
