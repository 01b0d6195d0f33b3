"""The stages of an assessment (steps 5 and 6, SPEC §6, §7).

Both stages share one shape: the region fills one response per agreed
indicator, the coordinator submits, the assessors score independently, a
clarification may reopen some indicators, the lead reconciles and decides. The
readiness questionnaire (answers per criterion) and its scores live here too;
the maturity questionnaire joins with its own answer model.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from kotacerdas.scheduling.models import Stage


class StageState(models.TextChoices):
    NOT_OPEN = "not_open", _("not open")
    OPEN = "open", _("open for data entry")
    SUBMITTED = "submitted", _("submitted")
    UNDER_REVIEW = "under_review", _("under review")
    CLARIFICATION_REQUESTED = "clarification_requested", _("clarification requested")
    RESUBMITTED = "resubmitted", _("resubmitted")
    ASSESSED = "assessed", _("assessed")
    DECIDED = "decided", _("decided")

    @classmethod
    def fillable(cls):
        """States in which the region may change its responses."""
        return [cls.OPEN, cls.CLARIFICATION_REQUESTED]


class Decision(models.TextChoices):
    PASSED = "passed", _("passed")
    NOT_PASSED = "not_passed", _("not passed")


S = StageState


class StageRecord(FSMModelMixin, models.Model):
    """One stage of one registration, from its opening to its decision.

    ``methodology`` is copied from the registration when the stage opens and
    never changes afterwards, so a later version never changes this result.
    ``round`` counts the review rounds: it rises when the region answers a
    clarification.
    """

    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.PROTECT,
        related_name="stages",
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    methodology = models.ForeignKey(
        "indicators.Methodology",
        verbose_name=_("methodology"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = FSMField(
        _("state"),
        max_length=24,
        choices=StageState.choices,
        default=StageState.NOT_OPEN,
        protected=True,
        db_index=True,
    )
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    decision = models.CharField(
        _("decision"), max_length=12, choices=Decision.choices, blank=True
    )
    summary = models.TextField(_("summary of the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["registration", "stage"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "stage"], name="one_record_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.registration} — {self.get_stage_display()}"

    @property
    def region_id(self):
        """For the region predicates shared with other apps."""
        return self.registration.region_id

    # Transitions. Only services.py calls them, through common.workflow.

    @transition(field=state, source=S.NOT_OPEN, target=S.OPEN)
    def open(self):
        self.opened_at = timezone.now()

    @transition(field=state, source=S.OPEN, target=S.SUBMITTED)
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(field=state, source=[S.SUBMITTED, S.RESUBMITTED], target=S.UNDER_REVIEW)
    def start_review(self):
        pass

    @transition(field=state, source=S.UNDER_REVIEW, target=S.CLARIFICATION_REQUESTED)
    def request_clarification(self):
        pass

    @transition(field=state, source=S.CLARIFICATION_REQUESTED, target=S.RESUBMITTED)
    def resubmit(self):
        self.round += 1

    @transition(field=state, source=S.UNDER_REVIEW, target=S.ASSESSED)
    def complete_assessment(self):
        self.assessed_at = timezone.now()

    @transition(field=state, source=S.ASSESSED, target=S.DECIDED)
    def decide(self, *, decision, summary, by):
        self.decision = decision
        self.summary = summary
        self.decided_by = by
        self.decided_at = timezone.now()


class Response(models.Model):
    """The region's response for one agreed indicator of a stage."""

    stage = models.ForeignKey(
        StageRecord,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="responses",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_responses",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["stage", "indicator__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "indicator"], name="one_response_per_indicator"
            )
        ]

    def __str__(self):
        return f"{self.stage} — {self.indicator.clause}"


class Answer(models.TextChoices):
    YES = "yes", _("yes")
    PARTLY = "partly", _("partly")
    NO = "no", _("no")


class ReadinessAnswer(models.Model):
    """The region's answer to one readiness criterion of one indicator.

    ``answer`` may stay empty while an explanation is being typed: work is saved
    as it is typed, and the pre-submission check asks for the missing answers.
    """

    response = models.ForeignKey(
        Response,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="readiness_answers",
    )
    criterion = models.CharField(_("criterion"), max_length=10)
    answer = models.CharField(
        _("answer"), max_length=8, choices=Answer.choices, blank=True
    )
    explanation = models.TextField(_("explanation"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("readiness answer")
        verbose_name_plural = _("readiness answers")
        ordering = ["response", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "criterion"], name="one_answer_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.response} {self.criterion}: {self.answer}"


class Evidence(models.Model):
    """A file or a link the region offers as evidence for a response."""

    response = models.ForeignKey(
        Response,
        verbose_name=_("response"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.ForeignKey(
        "common.StoredFile",
        verbose_name=_("file"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    label = models.CharField(_("description"), max_length=200)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["response", "added_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(file__isnull=False, url="")
                    | models.Q(file__isnull=True) & ~models.Q(url="")
                ),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self):
        return self.label


class AssessorScore(models.Model):
    """One assessor's points for one criterion of one indicator."""

    stage = models.ForeignKey(
        StageRecord,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="assessor_scores",
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
    criterion = models.CharField(_("criterion"), max_length=10)
    points = models.PositiveSmallIntegerField(_("points"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("assessor's score")
        verbose_name_plural = _("assessors' scores")
        ordering = ["stage", "indicator__sort_key", "assessor", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "indicator", "assessor", "criterion"],
                name="one_score_per_assessor_criterion",
            )
        ]

    def __str__(self):
        return f"{self.indicator.clause} {self.criterion}: {self.points}"


class AssessorSubmission(models.Model):
    """An assessor has handed in their scores for one review round."""

    stage = models.ForeignKey(
        StageRecord,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="assessor_submissions",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField(_("review round"))
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    class Meta:
        verbose_name = _("submission of scores")
        verbose_name_plural = _("submissions of scores")
        ordering = ["stage", "round", "submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "assessor", "round"],
                name="one_score_submission_per_round",
            )
        ]

    def __str__(self):
        return f"{self.stage} — {self.assessor} #{self.round}"


class ReconciledScore(models.Model):
    """The lead's final points for one criterion of one indicator."""

    stage = models.ForeignKey(
        StageRecord,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="reconciled_scores",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("indicator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    criterion = models.CharField(_("criterion"), max_length=10)
    points = models.PositiveSmallIntegerField(_("points"))
    comment = models.TextField(_("comment"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reconciled by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("reconciled at"), default=timezone.now)

    class Meta:
        verbose_name = _("reconciled score")
        verbose_name_plural = _("reconciled scores")
        ordering = ["stage", "indicator__sort_key", "criterion"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "indicator", "criterion"],
                name="one_reconciled_score_per_criterion",
            )
        ]

    def __str__(self):
        return f"{self.indicator.clause} {self.criterion}: {self.points}"


class Clarification(models.Model):
    """An assessor's question that reopens some indicators for the region.

    ``snapshot`` freezes the reopened responses (answers and evidence) at the
    opening, so that the assessor can see exactly what the region changed.
    """

    stage = models.ForeignKey(
        StageRecord,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="clarifications",
    )
    round = models.PositiveSmallIntegerField(_("review round"))
    indicators = models.ManyToManyField(
        "indicators.Indicator", verbose_name=_("indicators"), related_name="+"
    )
    question = models.TextField(_("question"))
    due_date = models.DateField(_("answer by"))
    snapshot = models.JSONField(_("responses when asked"), default=dict)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("asked at"), default=timezone.now)
    answer = models.TextField(_("the region's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("clarification request")
        verbose_name_plural = _("clarification requests")
        ordering = ["stage", "round", "opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "round"], name="one_clarification_per_round"
            )
        ]

    def __str__(self):
        return f"{self.stage} #{self.round}"

    @property
    def is_open(self):
        return self.answered_at is None
