"""An appeal of a stage decision: filed, assigned to a handler, decided."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class AppealState(models.TextChoices):
    FILED = "filed", _("filed")
    ASSIGNED = "assigned", _("assigned")
    DECIDED = "decided", _("decided")


class Outcome(models.TextChoices):
    UPHELD = "upheld", _("upheld")
    CHANGED = "changed", _("changed")


OPEN_STATES = [AppealState.FILED, AppealState.ASSIGNED]


class Appeal(FSMModelMixin, models.Model):
    """The coordinator's appeal against the decision of one stage."""

    S = AppealState

    stage = models.ForeignKey(
        "assessments.StageRecord",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("stage"),
    )
    grounds = models.TextField(_("grounds"))
    documents = models.ManyToManyField(
        "common.StoredFile", blank=True, verbose_name=_("documents")
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
    )
    filed_at = models.DateTimeField(_("filed at"), default=timezone.now)
    state = FSMField(
        _("state"), default=S.FILED, choices=AppealState.choices, protected=True
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handler"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-filed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage"],
                condition=Q(state__in=["filed", "assigned"]),
                name="appeals_one_open_per_stage",
            )
        ]

    def __str__(self):
        return f"{self.stage} ({self.get_state_display()})"

    @property
    def region_id(self):
        return self.stage.registration.region_id

    @transition(field=state, source=S.FILED, target=S.ASSIGNED)
    def assign(self, *, handler, by):
        self.handler = handler
        self.assigned_by = by

    @transition(field=state, source=S.ASSIGNED, target=S.DECIDED)
    def decide(self, *, outcome, outcome_note):
        self.outcome = outcome
        self.outcome_note = outcome_note
        self.decided_at = timezone.now()
