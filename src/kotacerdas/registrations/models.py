"""A region's registration for one assessment period (steps 2 and 3).

The coordinator fills a draft and submits it; the admin checks it item by item
and returns it with reasons or accepts it with the agreed indicator set. Each
submission is kept as a round, so that what changed between rounds can be shown.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class RegistrationState(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")
    WITHDRAWN = "withdrawn", _("withdrawn")
    REJECTED = "rejected", _("rejected")

    @classmethod
    def closed(cls):
        """States that end a registration and free the region's period."""
        return [cls.WITHDRAWN, cls.REJECTED]

    @classmethod
    def editable(cls):
        """States in which the coordinator may change the form."""
        return [cls.DRAFT, cls.RETURNED]

    @classmethod
    def waiting_for_admin(cls):
        return [cls.SUBMITTED]


S = RegistrationState


class Registration(FSMModelMixin, models.Model):
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    period = models.PositiveSmallIntegerField(_("assessment period (year)"))
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        related_name="coordinated_registrations",
    )
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    state = FSMField(
        _("state"),
        max_length=20,
        choices=RegistrationState.choices,
        default=RegistrationState.DRAFT,
        protected=True,
        db_index=True,
    )
    methodology = models.ForeignKey(
        "indicators.Methodology",
        verbose_name=_("methodology"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    proposed_indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("proposed indicators"),
        related_name="proposed_in",
        blank=True,
    )
    agreed_indicators = models.ManyToManyField(
        "indicators.Indicator",
        verbose_name=_("agreed indicators"),
        related_name="agreed_in",
        blank=True,
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team"),
        related_name="registration_teams",
        blank=True,
    )
    application_letter = models.ForeignKey(
        "common.StoredFile",
        verbose_name=_("application letter signed by the head of region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    team_decree = models.ForeignKey(
        "common.StoredFile",
        verbose_name=_("decree forming the smart city team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    implementation_plan = models.ForeignKey(
        "common.StoredFile",
        verbose_name=_("indicator implementation plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-period", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period"],
                condition=~models.Q(state__in=["withdrawn", "rejected"]),
                name="one_active_registration_per_region_period",
            )
        ]
        indexes = [models.Index(fields=["state", "submitted_at"])]

    def __str__(self):
        return f"{self.region} — {self.period}"

    DOCUMENT_FIELDS = ("application_letter", "team_decree", "implementation_plan")

    # Transitions. Only services.py calls them, through common.workflow.

    @transition(field=state, source=[S.DRAFT, S.RETURNED], target=S.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=S.SUBMITTED, target=S.RETURNED)
    def return_for_changes(self):
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.ACCEPTED)
    def accept(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=S.SUBMITTED, target=S.REJECTED)
    def reject(self):
        self.decided_at = timezone.now()

    @transition(
        field=state, source=[S.DRAFT, S.SUBMITTED, S.RETURNED], target=S.WITHDRAWN
    )
    def withdraw(self):
        self.decided_at = timezone.now()

    @property
    def is_editable(self):
        return self.state in RegistrationState.editable()


class RoundOutcome(models.TextChoices):
    PENDING = "pending", _("waiting for the check")
    RETURNED = "returned", _("returned")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class SubmissionRound(models.Model):
    """One submission and the completeness check that answered it.

    ``snapshot`` freezes what was submitted (indicators, documents with their
    hashes, team) so that rounds stay comparable after the form changes.
    """

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="rounds",
    )
    number = models.PositiveSmallIntegerField(_("round"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    snapshot = models.JSONField(_("what was submitted"), default=dict)
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=RoundOutcome.choices,
        default=RoundOutcome.PENDING,
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    note = models.TextField(_("note to the coordinator"), blank=True)

    class Meta:
        verbose_name = _("submission round")
        verbose_name_plural = _("submission rounds")
        ordering = ["registration", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "number"], name="unique_round_number"
            )
        ]

    def __str__(self):
        return f"{self.registration} #{self.number}"


class CheckItem(models.Model):
    """One line of the completeness checklist in one round."""

    round = models.ForeignKey(
        SubmissionRound,
        verbose_name=_("round"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    code = models.CharField(_("item"), max_length=40)
    passed = models.BooleanField(_("in order"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "code"], name="unique_check_item")
        ]

    def __str__(self):
        return self.code


class IndicatorChange(models.Model):
    """An indicator the admin added to or removed from the proposal, and why."""

    class Kind(models.TextChoices):
        ADDED = "added", _("added")
        REMOVED = "removed", _("removed")

    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="indicator_changes",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("reason"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("change to the indicator set")
        verbose_name_plural = _("changes to the indicator set")
        ordering = ["indicator__sort_key"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.indicator.clause}"
