from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "kotacerdas.indicators"
    verbose_name = _("Indicator catalogue and methodology")
