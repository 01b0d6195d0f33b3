from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "kotacerdas.certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from kotacerdas.certificates import services  # noqa: F401 -- audit sentences
