from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "kotacerdas.common"
    verbose_name = _("Audit trail, notifications and files")
