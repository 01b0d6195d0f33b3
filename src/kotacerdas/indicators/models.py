from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kotacerdas.common.i18n import BilingualMixin, pick


class Dimension(BilingualMixin, models.Model):
    """One of the six smart city dimensions that group the themes."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=80)
    name_en = models.CharField(_("name (English)"), max_length=80)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["order"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        return self.localized("name")


class Theme(BilingualMixin, models.Model):
    """A theme of ISO 37122, numbered by its clause (5 Economy … 23 Water)."""

    number = models.PositiveSmallIntegerField(_("clause"), unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    dimension = models.ForeignKey(
        Dimension,
        verbose_name=_("default dimension"),
        on_delete=models.PROTECT,
        related_name="themes",
    )

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def name(self):
        return self.localized("name")


class ValueType(models.TextChoices):
    PERCENTAGE = "percentage", _("percentage")
    RATE = "rate", _("rate per N")
    RATIO = "ratio", _("ratio")
    COUNT = "count", _("count")
    DURATION = "duration", _("duration")
    BOOLEAN = "boolean", _("yes/no")

    @classmethod
    def with_denominator(cls):
        return {cls.PERCENTAGE, cls.RATE, cls.RATIO}


class Better(models.TextChoices):
    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)


class Indicator(BilingualMixin, models.Model):
    """An indicator of ISO 37122:2019, adopted unchanged as SNI ISO 37122:2019."""

    clause = models.CharField(_("clause"), max_length=10, unique=True)
    # Kept as a sortable pair so that 5.10 comes after 5.9.
    sort_key = models.PositiveIntegerField(editable=False, db_index=True)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    title_id = models.TextField(_("title (Indonesian)"))
    title_en = models.TextField(_("title (English)"))
    unit_id = models.CharField(_("unit (Indonesian)"), max_length=80)
    unit_en = models.CharField(_("unit (English)"), max_length=80)
    value_type = models.CharField(
        _("value type"), max_length=12, choices=ValueType.choices
    )
    scale = models.PositiveIntegerField(
        _("scale"),
        default=1,
        help_text=_("Multiplier of numerator over denominator: 100 for a percentage."),
    )
    numerator_id = models.CharField(_("numerator (Indonesian)"), max_length=200)
    numerator_en = models.CharField(_("numerator (English)"), max_length=200)
    denominator_id = models.CharField(
        _("denominator (Indonesian)"), max_length=200, blank=True
    )
    denominator_en = models.CharField(
        _("denominator (English)"), max_length=200, blank=True
    )
    better = models.CharField(_("better when"), max_length=6, choices=Better.choices)
    clause_confidence = models.CharField(
        _("clause confidence"),
        max_length=10,
        choices=[("high", _("high")), ("medium", _("medium"))],
        default="high",
    )
    active = models.BooleanField(_("active"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["sort_key"]

    def __str__(self):
        return f"{self.clause} {self.title}"

    def save(self, *args, **kwargs):
        self.sort_key = clause_sort_key(self.clause)
        super().save(*args, **kwargs)

    @property
    def title(self):
        return self.localized("title")

    @property
    def unit(self):
        return self.localized("unit")

    @property
    def numerator(self):
        return self.localized("numerator")

    @property
    def denominator(self):
        return self.localized("denominator")


def clause_sort_key(clause):
    major, _dot, minor = clause.partition(".")
    return int(major) * 1000 + int(minor or 0)


class Methodology(models.Model):
    """A version of the scoring rules, stored as a validated document.

    A version is immutable once a stage uses it, so every old result can be
    recomputed with the rules it was made under. New rules are a new version.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    document = models.JSONField(_("document"))
    is_current = models.BooleanField(
        _("current"),
        default=False,
        help_text=_("New stages are opened with the current version."),
    )
    in_use = models.BooleanField(
        _("in use"),
        default=False,
        editable=False,
        help_text=_("Set once a stage uses this version; it can then never change."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("methodology version")
        verbose_name_plural = _("methodology versions")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_methodology",
            )
        ]

    def __str__(self):
        return f"v{self.version} {pick({'id': self.name_id, 'en': self.name_en})}"
