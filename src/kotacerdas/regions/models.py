from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionKind(models.TextChoices):
    PROVINCE = "province", _("province")
    REGENCY = "regency", _("regency")
    CITY = "city", _("city")


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class RegionQuerySet(models.QuerySet):
    def assessable(self):
        """Kota and kabupaten: the regions that take part in the programme."""
        return self.exclude(kind=RegionKind.PROVINCE)


class Region(models.Model):
    """A province, kabupaten or kota with its Kemendagri code.

    Codes are strings: ``11.10`` and ``11.1`` are different regions.
    """

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=120)
    official_name = models.CharField(_("official name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regions",
        limit_choices_to={"kind": RegionKind.PROVINCE},
    )
    time_zone = models.CharField(
        _("time zone"), max_length=20, choices=TimeZone.choices
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "province"])]

    def __str__(self):
        return self.official_name

    @property
    def zone(self):
        return ZoneInfo(self.time_zone)

    @property
    def zone_abbreviation(self):
        return TimeZone(self.time_zone).label
