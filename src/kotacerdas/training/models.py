"""The two trainings every team member needs (SPEC §4).

Step 1a, the ministry's Smart City Readiness training, happens outside the
product: a member records it with the ministry's certificate and the admin
verifies it, or the institute is asked to enrol the member (a referral).
Step 1b, the institute's indicator training, runs here: programmes, sessions,
enrolment with a waiting list, attendance per day and completion, which earns a
training certificate.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

# Readiness training (step 1a) ---------------------------------------------------


class RecordState(models.TextChoices):
    PENDING = "pending", _("awaiting verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class ReadinessTrainingRecord(FSMModelMixin, models.Model):
    """A team member's completion of the ministry's readiness training."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team member"),
        on_delete=models.PROTECT,
        related_name="readiness_records",
    )
    provider = models.CharField(
        _("provider"), max_length=200, default="Litbang Kemkominfo"
    )
    completed_on = models.DateField(_("date of the training"))
    certificate_number = models.CharField(_("certificate number"), max_length=100)
    certificate = models.ForeignKey(
        "common.StoredFile",
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = FSMField(
        _("status"),
        max_length=20,
        choices=RecordState.choices,
        default=RecordState.PENDING,
        protected=True,
        db_index=True,
    )
    reason = models.TextField(_("reason for rejection"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("readiness training record")
        verbose_name_plural = _("readiness training records")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user} — {self.certificate_number}"

    @property
    def region_id(self):
        """The member's region, for the region-scoped rules."""
        return self.user.region_id

    @transition(field=state, source=RecordState.PENDING, target=RecordState.VERIFIED)
    def verify(self):
        self.decided_at = timezone.now()

    @transition(field=state, source=RecordState.PENDING, target=RecordState.REJECTED)
    def reject(self, reason):
        self.reason = reason
        self.decided_at = timezone.now()


class ReferralState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    SENT = "sent", _("sent to the ministry")
    ENROLLED = "enrolled", _("enrolled")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")

    @classmethod
    def open(cls):
        return [cls.REQUESTED, cls.SENT, cls.ENROLLED]


R = ReferralState


class Referral(FSMModelMixin, models.Model):
    """The institute enrols a member in the ministry's training on request."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team member"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    note = models.TextField(_("note from the region"), blank=True)
    state = FSMField(
        _("status"),
        max_length=20,
        choices=ReferralState.choices,
        default=ReferralState.REQUESTED,
        protected=True,
        db_index=True,
    )
    reason = models.TextField(_("reason for cancelling"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last change"), auto_now=True)

    class Meta:
        verbose_name = _("referral to the ministry")
        verbose_name_plural = _("referrals to the ministry")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(state__in=["requested", "sent", "enrolled"]),
                name="one_open_referral_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_state_display()}"

    @property
    def region_id(self):
        return self.user.region_id

    @property
    def is_open(self):
        return self.state in ReferralState.open()

    @transition(field=state, source=R.REQUESTED, target=R.SENT)
    def send(self):
        pass

    @transition(field=state, source=R.SENT, target=R.ENROLLED)
    def enrol(self):
        pass

    @transition(field=state, source=R.ENROLLED, target=R.COMPLETED)
    def complete(self):
        pass

    @transition(
        field=state, source=[R.REQUESTED, R.SENT, R.ENROLLED], target=R.CANCELLED
    )
    def cancel(self, reason):
        self.reason = reason


# Indicator training (step 1b) ---------------------------------------------------


class CompletionRule(models.TextChoices):
    ALL_DAYS = "all_days", _("present on every day")
    MIN_SHARE = "min_share", _("present on at least a share of the days")


class Programme(models.Model):
    """A training the institute offers, such as the SNI ISO 37122 indicator course."""

    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_id = models.TextField(_("description (Indonesian)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=20,
        choices=CompletionRule.choices,
        default=CompletionRule.ALL_DAYS,
    )
    min_share_percent = models.PositiveSmallIntegerField(
        _("minimum share of days (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Used by the rule “at least a share of the days”."),
    )
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Empty: the training certificate does not expire."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programmes")
        ordering = ["name_id"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        if (translation.get_language() or "id").startswith("en"):
            return self.name_en or self.name_id
        return self.name_id or self.name_en

    def days_needed(self, total_days):
        """How many days a participant must attend out of ``total_days``."""
        if self.completion_rule == CompletionRule.ALL_DAYS:
            return total_days
        share = Decimal(self.min_share_percent) / 100
        needed = (share * total_days).to_integral_value(rounding="ROUND_CEILING")
        return max(1, int(needed))


class Session(models.Model):
    """One run (batch) of a programme: its days, place, capacity and instructors.

    The training days are every calendar day from the first to the last.
    """

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(
        _("batch"), max_length=150, help_text=_("For example “Angkatan 3 — Surakarta”.")
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), validators=[MinValueValidator(1)]
    )
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("instructors"),
        related_name="taught_sessions",
        limit_choices_to={"roles__role": "instructor"},
    )
    enrolment_open = models.BooleanField(_("enrolment open"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="session_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.programme} — {self.title}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError(
                {"ends_on": _("The last day cannot be before the first day.")}
            )
        if not (self.venue or self.online_url):
            raise ValidationError(_("Give a venue, an online meeting link or both."))

    @property
    def days(self):
        """The training days, first to last."""
        count = (self.ends_on - self.starts_on).days + 1
        return [self.starts_on + timedelta(days=offset) for offset in range(count)]


class EnrolmentState(models.TextChoices):
    ENROLLED = "enrolled", _("enrolled")
    WAITLISTED = "waitlisted", _("on the waiting list")
    WITHDRAWN = "withdrawn", _("withdrawn")
    COMPLETED = "completed", _("completed")

    @classmethod
    def holding_a_place(cls):
        """States that take one of the session's places."""
        return [cls.ENROLLED, cls.COMPLETED]

    @classmethod
    def active(cls):
        return [cls.ENROLLED, cls.WAITLISTED, cls.COMPLETED]


E = EnrolmentState


class Enrolment(FSMModelMixin, models.Model):
    """A person's place in a session, or on its waiting list."""

    session = models.ForeignKey(
        Session,
        verbose_name=_("session"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    state = FSMField(
        _("status"),
        max_length=20,
        choices=EnrolmentState.choices,
        default=EnrolmentState.ENROLLED,
        protected=True,
        db_index=True,
    )
    waitlist_position = models.PositiveIntegerField(
        _("position on the waiting list"), null=True, blank=True
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    certificate = models.OneToOneField(
        "certificates.Certificate",
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enrolment",
    )

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "state", "waitlist_position", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~models.Q(state="withdrawn"),
                name="one_active_enrolment_per_session_user",
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.session}"

    @property
    def region_id(self):
        return self.user.region_id

    @transition(field=state, source=E.WAITLISTED, target=E.ENROLLED)
    def promote(self):
        self.waitlist_position = None

    @transition(field=state, source=[E.ENROLLED, E.WAITLISTED], target=E.WITHDRAWN)
    def withdraw(self):
        self.waitlist_position = None

    @transition(field=state, source=E.ENROLLED, target=E.COMPLETED)
    def complete(self):
        self.completed_at = timezone.now()


class Attendance(models.Model):
    """Whether a participant was there on one training day."""

    enrolment = models.ForeignKey(
        Enrolment,
        verbose_name=_("enrolment"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    day = models.DateField(_("day"))
    present = models.BooleanField(_("present"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "day"], name="one_attendance_per_day"
            )
        ]

    def __str__(self):
        return f"{self.enrolment} {self.day}: {self.present}"
