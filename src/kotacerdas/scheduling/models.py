"""Scheduling of an accepted registration (step 4, SPEC §5.3).

Per stage: the data-entry window, the assessment events and the assessor team.
Assessors declare the regions they have a conflict of interest with; reminders
remember what they have sent so that they are sent once.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """The two stages of an assessment.

    The stage models themselves come with the assessment features; until then
    scheduling names the stage with this value.
    """

    READINESS = "readiness", _("readiness (stage 1)")
    MATURITY = "maturity", _("maturity (stage 2)")


class EventKind(models.TextChoices):
    DESK_REVIEW = "desk_review", _("desk review")
    INTERVIEW = "interview", _("interview")
    SITE_VISIT = "site_visit", _("site visit")


class DataEntryWindow(models.Model):
    """When the region may fill in a stage's data: opens, closes, extensions."""

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="windows",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("data-entry window")
        verbose_name_plural = _("data-entry windows")
        ordering = ["closes_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "stage"], name="one_window_per_stage"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="window_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return f"{self.registration} — {self.get_stage_display()}"

    def has_opened(self, now=None):
        return self.opens_at <= (now or timezone.now())

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at


class WindowExtension(models.Model):
    """One extension of a window's closing time, with the reason given."""

    window = models.ForeignKey(
        DataEntryWindow,
        verbose_name=_("data-entry window"),
        on_delete=models.CASCADE,
        related_name="extensions",
    )
    old_closes_at = models.DateTimeField(_("closed at"))
    new_closes_at = models.DateTimeField(_("now closes at"))
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extended by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("extended at"), default=timezone.now)

    class Meta:
        verbose_name = _("extension of a window")
        verbose_name_plural = _("extensions of windows")
        ordering = ["window", "at", "id"]

    def __str__(self):
        return f"{self.window}: {self.old_closes_at:%Y-%m-%d} → {self.new_closes_at:%Y-%m-%d}"


class AssessmentEventQuerySet(models.QuerySet):
    def active(self):
        return self.filter(cancelled_at__isnull=True)

    def overlapping(self, starts_at, ends_at):
        """Events that share some time with ``[starts_at, ends_at)``."""
        return self.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


class AssessmentEvent(models.Model):
    """A desk review, interview or site visit of one stage of a registration.

    ``uid`` names the event in calendars for good; ``sequence`` rises on every
    change so that calendar programs replace their copy.
    """

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="assessment_events",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(
        _("place"),
        max_length=255,
        blank=True,
        help_text=_("Address or room, for a site visit or a meeting in person."),
    )
    online_url = models.URLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_("For an online interview or review meeting."),
    )
    notes = models.TextField(_("notes"), blank=True)
    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True)
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = AssessmentEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment event")
        verbose_name_plural = _("assessment events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
            )
        ]
        indexes = [models.Index(fields=["registration", "stage", "starts_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.registration}"

    @property
    def is_cancelled(self):
        return self.cancelled_at is not None

    def clean(self):
        problems = event_problems(
            self.kind, self.starts_at, self.ends_at, self.place, self.online_url
        )
        if problems:
            raise ValidationError(problems)


def event_problems(kind, starts_at, ends_at, place, online_url):
    """What is wrong with an event's times and whereabouts, as field errors."""
    problems = {}
    if starts_at and ends_at and ends_at <= starts_at:
        problems["ends_at"] = _("The event must end after it starts.")
    if kind == EventKind.SITE_VISIT and not place:
        problems["place"] = _("Give the place of the site visit.")
    if kind == EventKind.INTERVIEW and not (place or online_url):
        problems["online_url"] = _("Give the meeting link or the place.")
    return problems


class TeamAssignment(models.Model):
    """An assessor on the team of one stage of a registration.

    Each team has exactly one lead; the database refuses a second one, the
    services make the first assessor the lead and refuse to remove the lead while
    members remain.
    """

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="team_assignments",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="assessor_assignments",
        limit_choices_to={"roles__role": "assessor"},
    )
    is_lead = models.BooleanField(_("lead assessor"), default=False)
    acknowledged_warnings = models.JSONField(
        _("warnings confirmed by the admin"), default=list, blank=True
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("assessor on a team")
        verbose_name_plural = _("assessor teams")
        ordering = ["registration", "stage", "-is_lead", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "stage", "assessor"],
                name="assessor_once_per_team",
            ),
            models.UniqueConstraint(
                fields=["registration", "stage"],
                condition=models.Q(is_lead=True),
                name="one_lead_per_team",
            ),
        ]

    def __str__(self):
        return f"{self.assessor} — {self.registration} ({self.get_stage_display()})"


class ConflictDeclaration(models.Model):
    """An assessor's statement that they must not assess a region."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        limit_choices_to={"roles__role": "assessor"},
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["assessor", "region__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessor", "region"], name="one_declaration_per_region"
            )
        ]

    def __str__(self):
        return f"{self.assessor} — {self.region}"


def validate_day_list(value):
    try:
        days = parse_day_list(value)
    except ValueError:
        days = []
    if not days:
        raise ValidationError(
            _("Give whole numbers of days separated by commas, for example 7, 1.")
        )


def parse_day_list(value):
    """``"7, 1"`` → ``[7, 1]``, largest first; raises ValueError on bad input."""
    days = {int(part) for part in str(value).split(",") if part.strip()}
    if any(day < 1 for day in days):
        raise ValueError(value)
    return sorted(days, reverse=True)


class SchedulingSettings(models.Model):
    """The institute's scheduling limits: one row, edited in the Django admin."""

    open_load_limit = models.PositiveSmallIntegerField(
        _("open assignments per assessor"),
        default=5,
        validators=[MinValueValidator(1)],
        help_text=_("Assigning an assessor above this many open teams warns."),
    )
    reminder_days = models.CharField(
        _("remind before a window closes (days)"),
        max_length=50,
        default="7, 1",
        validators=[validate_day_list],
        help_text=_("Days before the closing, separated by commas."),
    )
    admin_waiting_days = models.PositiveSmallIntegerField(
        _("remind admins after (days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_("A submitted registration waiting longer than this is reminded."),
    )

    class Meta:
        verbose_name = _("scheduling settings")
        verbose_name_plural = _("scheduling settings")

    def __str__(self):
        return str(_("Scheduling settings"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        settings_row, _created = cls.objects.get_or_create(pk=1)
        return settings_row

    @property
    def reminder_day_list(self):
        return parse_day_list(self.reminder_days)


def new_feed_token():
    return secrets.token_urlsafe(32)


class CalendarFeedToken(models.Model):
    """The secret in a user's personal calendar feed URL.

    The token is stored as it is, so that its owner can reveal the URL again;
    it carries 256 random bits and reveals only calendar entries. A revoked
    token stays as a record and answers 404.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, default=new_feed_token
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_active_feed_token_per_user",
            )
        ]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


class SentReminder(models.Model):
    """A reminder that went out, by a key that names what it was about.

    The key (e.g. ``window-close:12:7:2026-05-31``) is unique, so a second run
    of the reminder command, or two at once, cannot send it again.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        ordering = ["-sent_at"]

    def __str__(self):
        return self.key
