"""The maturity stage (steps 8–11, SPEC §6.2, §6.3, §7, §10).

The stage itself is an ``assessments.StageRecord`` with ``stage="maturity"``:
it shares the states, the responses, the evidence, the clarification rounds and
the assessors' submissions with the readiness stage. What is particular to
maturity lives here: the region's data per indicator, the assessors' and the
lead's verification and level, the Maturity Index report with its frozen
figures, and the publication policy of the results.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

LEVELS = [(level, str(level)) for level in range(1, 6)]
LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


def _number(verbose_name, **kwargs):
    """A figure as typed: up to 16 digits before the point and 4 after."""
    return models.DecimalField(
        verbose_name, max_digits=20, decimal_places=4, null=True, blank=True, **kwargs
    )


class MaturityData(models.Model):
    """The region's data for one agreed indicator of a maturity stage.

    Every field may stay empty while the region works: the pre-submission check
    asks for what is missing. The value is never typed when the indicator has a
    denominator: it is computed from numerator and denominator with the
    indicator's scale (``maturity.values``), so it can always be explained.
    """

    response = models.OneToOneField(
        "assessments.Response",
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="maturity_data",
    )
    data_year = models.PositiveSmallIntegerField(_("data year"), null=True, blank=True)
    numerator = _number(_("numerator"))
    denominator = _number(_("denominator"))
    direct_value = _number(
        _("value"), help_text=_("For indicators without a denominator.")
    )
    source = models.CharField(_("data source"), max_length=300, blank=True)
    method = models.TextField(_("method notes"), blank=True)
    solution = models.TextField(_("smart solution"), blank=True)
    self_level = models.PositiveSmallIntegerField(
        _("self-assessed level"),
        choices=LEVELS,
        validators=LEVEL_VALIDATORS,
        null=True,
        blank=True,
    )
    justification = models.TextField(_("justification of the level"), blank=True)
    # Set when the figures were copied from the region's previous period.
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("maturity data")
        verbose_name_plural = _("maturity data")

    def __str__(self):
        return str(self.response)

    @property
    def value(self):
        """The indicator's value from what is stored, or None (see values.py)."""
        from kotacerdas.maturity.values import compute_value

        return compute_value(self.response.indicator, self).value


class Verification(models.TextChoices):
    VERIFIED = "verified", _("verified")
    ADJUSTED = "adjusted", _("adjusted")
    REJECTED = "rejected", _("rejected")

    @classmethod
    def counted(cls):
        """Verifications whose indicator counts in the Maturity Index."""
        return [cls.VERIFIED, cls.ADJUSTED]


class Assessment(models.Model):
    """The fields an assessor and the lead both give per indicator.

    An adjusted figure needs the corrected value and why; a rejected indicator
    has no level and is left out of the index; the others need a level 1–5.
    """

    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices
    )
    adjusted_value = _number(_("corrected value"))
    adjustment_reason = models.TextField(_("reason for the correction"), blank=True)
    level = models.PositiveSmallIntegerField(
        _("maturity level"),
        choices=LEVELS,
        validators=LEVEL_VALIDATORS,
        null=True,
        blank=True,
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True
        constraints = []

    def clean(self):
        errors = {}
        if self.verification == Verification.ADJUSTED:
            if self.adjusted_value is None:
                errors["adjusted_value"] = _("Give the corrected value.")
            if not (self.adjustment_reason or "").strip():
                errors["adjustment_reason"] = _("Say why the value is corrected.")
        if self.verification == Verification.REJECTED:
            if self.level is not None:
                errors["level"] = _("Rejected data gets no maturity level.")
        elif self.level is None:
            errors["level"] = _("Give a maturity level from 1 to 5.")
        if errors:
            raise ValidationError(errors)

    @property
    def counts(self):
        return self.verification in Verification.counted() and self.level is not None


class LevelScore(Assessment):
    """One assessor's verification and level for one indicator of a stage."""

    stage = models.ForeignKey(
        "assessments.StageRecord",
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="level_scores",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("assessor's level")
        verbose_name_plural = _("assessors' levels")
        ordering = ["stage", "indicator__sort_key", "assessor"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "indicator", "assessor"],
                name="one_level_per_assessor_indicator",
            )
        ]

    def __str__(self):
        return f"{self.indicator.clause}: {self.verification} {self.level or '—'}"


class ReconciledLevel(Assessment):
    """The lead's final verification and level for one indicator."""

    stage = models.ForeignKey(
        "assessments.StageRecord",
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="reconciled_levels",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reconciled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("reconciled at"), default=timezone.now)

    class Meta:
        verbose_name = _("reconciled level")
        verbose_name_plural = _("reconciled levels")
        ordering = ["stage", "indicator__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "indicator"], name="one_reconciled_level"
            )
        ]

    def __str__(self):
        return f"{self.indicator.clause}: {self.verification} {self.level or '—'}"


# The report (step 11) ----------------------------------------------------------


class ReportState(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class ImmutableReportError(Exception):
    """A published or superseded report was about to change."""


# Fields that may still change on a published report: it may only be marked
# superseded, pointing to the version that replaces it.
_MUTABLE_AFTER_PUBLICATION = {"state", "superseded_by_id"}


class MaturityReport(models.Model):
    """One version of the Maturity Index report of a decided maturity stage.

    The lead drafts the narrative; the admin publishes. Publication freezes the
    computed figures in ``result`` (index, predicate, tier, dimensions, themes,
    every indicator, the gap to the next tier, the comparisons) and in one
    ``ReportLine`` per indicator, so that a published report never changes even
    if the methodology or other regions' results do. A correction is a new
    version that supersedes this one; both stay readable.
    """

    stage = models.ForeignKey(
        "assessments.StageRecord",
        verbose_name=_("stage"),
        on_delete=models.PROTECT,
        related_name="reports",
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    state = models.CharField(
        _("state"),
        max_length=12,
        choices=ReportState.choices,
        default=ReportState.DRAFT,
        db_index=True,
    )
    summary = models.TextField(_("summary"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    # {dimension code: text}
    recommendations = models.JSONField(_("recommendations"), default=dict)
    correction_note = models.TextField(_("what this version corrects"), blank=True)
    result = models.JSONField(_("figures at publication"), default=dict)
    # Denormalised from ``result`` for the national lists and the open data.
    index = models.DecimalField(
        _("Maturity Index"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    predicate = models.CharField(_("predicate"), max_length=40, blank=True)
    tier = models.CharField(_("tier"), max_length=10, blank=True)
    verified_count = models.PositiveSmallIntegerField(
        _("verified indicators"), default=0
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last saved"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    superseded_by = models.OneToOneField(
        "self",
        verbose_name=_("superseded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
    )
    pdf = models.ForeignKey(
        "common.StoredFile",
        verbose_name=_("PDF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        verbose_name = _("Maturity Index report")
        verbose_name_plural = _("Maturity Index reports")
        ordering = ["stage", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "version"], name="one_report_per_version"
            ),
            models.UniqueConstraint(
                fields=["stage"],
                condition=models.Q(state="draft"),
                name="one_draft_report_per_stage",
            ),
            models.UniqueConstraint(
                fields=["stage"],
                condition=models.Q(state="published"),
                name="one_published_report_per_stage",
            ),
        ]
        indexes = [models.Index(fields=["state", "tier"])]

    def __str__(self):
        return f"{self.stage} v{self.version}"

    def save(self, *args, **kwargs):
        """Refuse any change to a published report but its superseding.

        The check reads the stored row, so it holds whoever calls save(); the
        PDF and its hash are written once, right after publication.
        """
        if self.pk is not None:
            stored = (
                MaturityReport.objects.filter(pk=self.pk)
                .values(*(f.attname for f in self._meta.concrete_fields))
                .first()
            )
            if stored and stored["state"] != ReportState.DRAFT:
                changed = {
                    name
                    for name, value in stored.items()
                    if getattr(self, name) != value
                }
                first_pdf = stored["pdf_id"] is None and not stored["sha256"]
                allowed = _MUTABLE_AFTER_PUBLICATION | (
                    {"pdf_id", "sha256"} if first_pdf else set()
                )
                if changed - allowed:
                    raise ImmutableReportError(
                        f"report {self.pk} is {stored['state']}: "
                        f"{', '.join(sorted(changed - allowed))} cannot change"
                    )
        super().save(*args, **kwargs)

    @property
    def is_draft(self):
        return self.state == ReportState.DRAFT


class ReportLine(models.Model):
    """One indicator of a published report, as it was at publication.

    Kept as rows (not only inside ``MaturityReport.result``) so that the
    national overview and the open-data export can query and stream them.
    """

    report = models.ForeignKey(
        MaturityReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.DecimalField(
        _("value"), max_digits=24, decimal_places=4, null=True, blank=True
    )
    data_year = models.PositiveSmallIntegerField(_("data year"), null=True, blank=True)
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification.choices, blank=True
    )
    level = models.PositiveSmallIntegerField(_("maturity level"), null=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        ordering = ["report", "indicator__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "indicator"], name="one_line_per_indicator"
            )
        ]

    def __str__(self):
        return f"{self.report} {self.indicator.clause}"


# Publication of results (SPEC §10) --------------------------------------------


class PublicationMode(models.TextChoices):
    ALL = "all", _("every published result")
    CERTIFIED = "certified", _("only regions with a valid maturity certificate")


class PublicationPolicy(models.Model):
    """Which published results the public pages and downloads show.

    One row (pk 1), edited by the admin. With ``require_consent`` a region's
    results are public only after its coordinator consented.
    """

    mode = models.CharField(
        _("publish"),
        max_length=10,
        choices=PublicationMode.choices,
        default=PublicationMode.CERTIFIED,
    )
    require_consent = models.BooleanField(
        _("only with the region's consent"), default=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication policy")
        verbose_name_plural = _("publication policy")

    def __str__(self):
        return str(self.get_mode_display())

    @classmethod
    def current(cls):
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


class PublicationConsent(models.Model):
    """A region's consent (or its withdrawal) to publish its results."""

    region = models.OneToOneField(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.CASCADE,
        related_name="publication_consent",
    )
    consented = models.BooleanField(_("results may be published"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("decided at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication consent")
        verbose_name_plural = _("publication consents")

    def __str__(self):
        return f"{self.region}: {self.consented}"
