"""Certificates of every kind (SPEC §8), their public status history and numbers.

One model serves the training certificates (step 1b) and the stage certificates
(readiness, maturity) of later steps: each has a number that is never reused, a
holder (a person, a region or both), a bilingual title and scope, a PDF whose
SHA-256 is published, and a status whose every change is public.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class CertificateKind(models.TextChoices):
    TRAINING = "training", _("training certificate")
    READINESS = "readiness", _("Smart City Readiness certificate")
    MATURITY = "maturity", _("Smart City Maturity certificate")


# The letters that start a number: ``TRN-2026-0001``.
NUMBER_PREFIXES = {
    CertificateKind.TRAINING: "TRN",
    CertificateKind.READINESS: "SCR",
    CertificateKind.MATURITY: "SCM",
}


class CertificateState(models.TextChoices):
    """The stored status. "Expired" is not stored: it follows from the date."""

    VALID = "valid", _("valid")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")


class PublicStatus(models.TextChoices):
    """What the verification page says: the stored status, or expired."""

    VALID = "valid", _("valid")
    EXPIRED = "expired", _("expired")
    SUSPENDED = "suspended", _("suspended")
    REVOKED = "revoked", _("revoked")


S = CertificateState


def _bilingual(value):
    """Pick the current language from ``{"id": …, "en": …}``, Indonesian first."""
    if not isinstance(value, dict):
        return value or ""
    language = (translation.get_language() or "id")[:2]
    return value.get(language) or value.get("id") or value.get("en") or ""


class Certificate(FSMModelMixin, models.Model):
    """An issued certificate. Its content never changes; only its status does.

    ``scope`` is ``{"summary": {"id", "en"}, "items": [{"id", "en"}, …],
    "data": {…}}``: a bilingual sentence, bilingual lines (the indicators, or
    index, rating and tier; for training the programme and dates) and whatever
    structured values the issuing feature wants to keep.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    number = models.CharField(_("number"), max_length=20, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )
    # Printed as it was on the day of issue, whatever the account says later.
    holder_name = models.CharField(_("holder name"), max_length=255)
    title = models.JSONField(_("title"), default=dict)
    scope = models.JSONField(_("scope"), default=dict)
    methodology = models.ForeignKey(
        "indicators.Methodology",
        verbose_name=_("methodology version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    valid_until = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("Empty: the certificate does not expire."),
    )
    signatories = models.JSONField(_("signatories"), default=list)
    state = FSMField(
        _("status"),
        max_length=20,
        choices=CertificateState.choices,
        default=CertificateState.VALID,
        protected=True,
        db_index=True,
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
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The stage a readiness or maturity certificate attests; empty for training.
    stage = models.ForeignKey(
        "assessments.StageRecord",
        verbose_name=_("stage"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "sequence"], name="unique_certificate_sequence"
            ),
            # A stage has at most one certificate that is not revoked: a revoked
            # one (after an appeal, say) may be followed by a new number.
            models.UniqueConstraint(
                fields=["stage"],
                condition=~models.Q(state="revoked"),
                name="one_live_certificate_per_stage",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def title_text(self):
        return _bilingual(self.title)

    @property
    def scope_summary(self):
        return _bilingual(self.scope.get("summary"))

    @property
    def scope_items(self):
        return [_bilingual(item) for item in self.scope.get("items", [])]

    @property
    def is_expired(self):
        return self.valid_until is not None and self.valid_until < timezone.localdate()

    @property
    def public_status(self):
        """Valid, expired, suspended or revoked, as the public sees it today."""
        if self.state == S.VALID and self.is_expired:
            return PublicStatus.EXPIRED
        return PublicStatus(self.state)

    # Transitions. Only services.py calls them, through common.workflow.

    @transition(field=state, source=S.VALID, target=S.SUSPENDED)
    def suspend(self):
        pass

    @transition(field=state, source=S.SUSPENDED, target=S.VALID)
    def reinstate(self):
        pass

    @transition(field=state, source=[S.VALID, S.SUSPENDED], target=S.REVOKED)
    def revoke(self):
        pass


class CertificateStatusChange(models.Model):
    """One public line of a certificate's status history: from, to, why, who, when.

    Issuing writes the first line (from nothing to valid).
    """

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="status_changes",
    )
    from_state = models.CharField(
        _("from"), max_length=20, choices=CertificateState.choices, blank=True
    )
    to_state = models.CharField(
        _("to"), max_length=20, choices=CertificateState.choices
    )
    reason = models.TextField(_("reason"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Kept beside the key: the public history must still name a deleted account.
    changed_by_label = models.CharField(_("by"), max_length=200, blank=True)
    changed_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate status change")
        verbose_name_plural = _("certificate status changes")
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.certificate} {self.from_state or '—'} → {self.to_state}"


class Signatory(models.Model):
    """A person who signs certificates; the active ones, in order, are printed.

    An issued certificate keeps the signatories of its day, so editing this list
    never changes a certificate already given.
    """

    name = models.CharField(_("name"), max_length=150)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class NumberSequence(models.Model):
    """The last sequence number given per kind and year.

    Locked with ``select_for_update`` while a certificate is issued, so two
    issuings at once get different numbers; the row only ever counts up.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=CertificateKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year"], name="unique_number_sequence"
            )
        ]

    def __str__(self):
        return f"{NUMBER_PREFIXES[self.kind]}-{self.year}: {self.last}"
