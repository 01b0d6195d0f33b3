"""The Maturity Index report of a decided maturity stage (step 11, SPEC §6.3).

The lead drafts the narrative, the admin publishes. Publication freezes the
figures (``build_result``) in the report and in one ReportLine per indicator;
from then on nothing of that version changes. A correction is a new version:
publishing it marks the previous one superseded, and both stay readable.
"""

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Role, User
from kotacerdas.assessments.models import StageRecord, StageState
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, lock, require
from kotacerdas.indicators.models import Dimension, Theme
from kotacerdas.maturity import comparison, scoring
from kotacerdas.maturity.models import (
    MaturityReport,
    ReportLine,
    ReportState,
)
from kotacerdas.scheduling.models import Stage

logger = logging.getLogger(__name__)

register_actions(
    {
        "report.drafted": gettext_lazy("started a version of the report"),
        "report.saved": gettext_lazy("saved the report's narrative"),
        "report.published": gettext_lazy("published the report"),
        "report.superseded": gettext_lazy("superseded the report by a new version"),
        "report.pdf_rendered": gettext_lazy("produced the report PDF"),
    }
)


# The figures ---------------------------------------------------------------


def _text(value):
    return None if value is None else str(value)


def _name(obj):
    return {"id": obj.name_id, "en": obj.name_en}


def _tier(tier):
    return None if tier is None else {"code": tier["code"], "name": tier["name"]}


def _gap(gap):
    if gap is None:
        return None
    return {
        "tier": _tier(gap.tier),
        "index_needed": _text(gap.index_needed),
        "verified_needed": gap.verified_needed,
        "more_verified": gap.more_verified,
        "raises": [
            {
                "clause": r.indicator.clause,
                "title": {"id": r.indicator.title_id, "en": r.indicator.title_en},
                "from": r.from_level,
                "to": r.to_level,
            }
            for r in gap.raises
        ],
        "index_after": _text(gap.index_after),
        "reachable": gap.reachable,
    }


def _line(line):
    indicator = line.indicator
    entry = line.entry
    return {
        "indicator": indicator.pk,
        "clause": indicator.clause,
        "theme": indicator.theme.number,
        "title": {"id": indicator.title_id, "en": indicator.title_en},
        "unit": {"id": indicator.unit_id, "en": indicator.unit_en},
        "value": _text(line.value),
        "reported_value": _text(line.reported_value),
        "formula": line.formula,
        "year": line.data.data_year if line.data else None,
        "verification": entry.verification if entry else "",
        "level": entry.level if entry else None,
        "comment": entry.comment if entry else "",
        "adjustment_reason": entry.adjustment_reason if entry else "",
        "counts": line.counts,
    }


def build_result(stage):
    """Every figure of the report, JSON-ready, computed now from the stage's
    final entries with its methodology version, plus the comparisons.

    Each figure can be traced: a theme score is the mean of the levels of its
    lines that count, a dimension the mean of its themes, the index the
    weighted mean of the dimensions (``methodology_version`` says which rules).

    Queries: a constant number, whatever the count of indicators or regions.
    """
    document = stage.methodology.document
    section = document["maturity"]
    computed = scoring.stage_index(stage)
    lines = computed.lines

    dimension_names = {d.code: _name(d) for d in Dimension.objects.all()}
    theme_numbers = sorted({line.indicator.theme.number for line in lines})
    theme_rows = {t.number: t for t in Theme.objects.filter(number__in=theme_numbers)}
    dimension_of = {
        number: d["code"] for d in section["dimensions"] for number in d["themes"]
    }
    dimensions = [
        {
            "code": d["code"],
            "name": dimension_names.get(d["code"], {"id": d["code"], "en": d["code"]}),
            "weight": _text(d["weight"]),
            "themes": d["themes"],
            "score": _text(scoring.rounded(computed.dimensions.get(d["code"]))),
        }
        for d in section["dimensions"]
    ]
    themes = [
        {
            "number": number,
            "name": _name(theme_rows[number]),
            "dimension": dimension_of.get(number),
            "score": _text(scoring.rounded(computed.themes.get(number))),
        }
        for number in theme_numbers
    ]
    registration = stage.registration
    region = registration.region
    return {
        "methodology_version": computed.methodology_version,
        "period": registration.period,
        "region": {
            "code": region.code,
            "name": region.official_name,
            "kind": region.kind,
        },
        "index": _text(computed.index),
        "predicate": computed.predicate["name"] if computed.predicate else None,
        "tier": _tier(computed.tier),
        "next_tier": _tier(computed.next_tier),
        "verified_count": computed.verified_count,
        "indicator_count": len(lines),
        "dimensions": dimensions,
        "themes": themes,
        "lines": [_line(line) for line in lines],
        "gap": _gap(computed.gap),
        "previous": comparison.previous_period(stage, lines),
        "peers": comparison.peers(
            stage,
            computed.index,
            {d["code"]: computed.dimensions.get(d["code"]) for d in dimensions},
        ),
    }


# Who hears of it ------------------------------------------------------------


def _region_people(stage):
    registration = stage.registration
    people = {registration.coordinator_id: registration.coordinator}
    for member in registration.team.filter(is_active=True):
        people.setdefault(member.pk, member)
    return list(people.values())


def _admins():
    return list(User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct())


def _params(report):
    registration = report.stage.registration
    return {
        "region": str(registration.region),
        "period": registration.period,
        "version": report.version,
    }


# The services ---------------------------------------------------------------


def dimension_codes(stage):
    return [d["code"] for d in stage.methodology.document["maturity"]["dimensions"]]


def current_draft(stage):
    return MaturityReport.objects.filter(stage=stage, state=ReportState.DRAFT).first()


def current_published(stage):
    return MaturityReport.objects.filter(
        stage=stage, state=ReportState.PUBLISHED
    ).first()


def start_refusal(stage):
    """Why no report version can be started for ``stage`` now, or None."""
    if stage.stage != Stage.MATURITY:
        return _("Only a maturity stage has a Maturity Index report.")
    if stage.state != StageState.DECIDED:
        return _("The report is drafted once the lead has decided the stage.")
    return None


@transaction.atomic
def start_report(stage, *, actor):
    """The lead starts the report of a decided maturity stage: version 1, or
    after publication a new version that will correct and supersede it.

    A draft that exists already is returned as it is (two clicks, or two
    tabs, give one draft). A new version starts from the published text.

    Side effects: a draft MaturityReport and an audit event on the stage.
    """
    stage = lock(stage)
    require(actor, "maturity.draft_report", stage)
    refusal = start_refusal(stage)
    if refusal:
        raise WorkflowError(refusal)
    draft = current_draft(stage)
    if draft is not None:
        return draft

    published = current_published(stage)
    last = stage.reports.aggregate(last=Max("version"))["last"] or 0
    report = MaturityReport.objects.create(
        stage=stage,
        version=last + 1,
        drafted_by=actor,
        summary=published.summary if published else "",
        strengths=published.strengths if published else "",
        recommendations=dict(published.recommendations) if published else {},
    )
    record(
        actor=actor,
        action="report.drafted",
        obj=stage,
        note=f"v{report.version}",
    )
    logger.info("report v%s of stage %s started", report.version, stage.pk)
    return report


def _locked_draft(report):
    report = lock(report)
    if not report.is_draft:
        raise WorkflowError(
            _(
                "Version %(version)s is %(state)s and can no longer change; "
                "start a new version to correct it."
            )
            % {"version": report.version, "state": report.get_state_display()}
        )
    return report


def clean_recommendations(stage, recommendations):
    """Recommendations of the methodology's dimensions, stripped; others dropped."""
    recommendations = recommendations or {}
    return {
        code: (recommendations.get(code) or "").strip()
        for code in dimension_codes(stage)
    }


@transaction.atomic
def save_report(report, *, actor, summary, strengths, recommendations, note=None):
    """The lead saves the narrative of a draft: summary, strengths and a
    recommendation per dimension code of the stage's methodology; ``note``
    (what a version 2 or later corrects) is kept as it was when None.

    Side effects: the draft's texts and time, an audit event.
    """
    report = _locked_draft(report)
    require(actor, "maturity.draft_report", report.stage)
    report.summary = (summary or "").strip()
    report.strengths = (strengths or "").strip()
    report.recommendations = clean_recommendations(report.stage, recommendations)
    if note is not None:
        report.correction_note = note.strip()
    report.updated_at = timezone.now()
    report.save()
    record(actor=actor, action="report.saved", obj=report)
    return report


def publish_refusal(report):
    """What the draft still lacks before it can be published, or None."""
    missing = []
    if not report.summary.strip():
        missing.append(_("the summary"))
    if not report.strengths.strip():
        missing.append(_("the strengths"))
    empty = [
        code
        for code in dimension_codes(report.stage)
        if not (report.recommendations.get(code) or "").strip()
    ]
    if empty:
        missing.append(
            _("a recommendation for %(dimensions)s") % {"dimensions": ", ".join(empty)}
        )
    if report.version > 1 and not report.correction_note.strip():
        missing.append(_("what this version corrects"))
    if missing:
        return _("The report cannot be published yet; it lacks %(items)s.") % {
            "items": "; ".join(str(item) for item in missing)
        }
    return None


def _freeze(report, result):
    report.result = result
    report.index = None if result["index"] is None else Decimal(result["index"])
    report.predicate = result["predicate"]["id"] if result["predicate"] else ""
    report.tier = result["tier"]["code"] if result["tier"] else ""
    report.verified_count = result["verified_count"]
    ReportLine.objects.bulk_create(
        ReportLine(
            report=report,
            indicator_id=line["indicator"],
            value=line["value"],
            data_year=line["year"],
            verification=line["verification"],
            level=line["level"],
            comment=line["comment"],
        )
        for line in result["lines"]
    )


@transaction.atomic
def publish_report(report, *, actor, correction_note=None):
    """The admin publishes a draft: its figures are frozen for good.

    ``correction_note`` (required from version 2 on) replaces the draft's
    note when given.

    Side effects: the result JSON, the denormalised index, predicate, tier and
    verified count, one ReportLine per indicator; the previously published
    version superseded by this one; the SCM certificate issued when the tier is
    at least M1 and the stage has no live maturity certificate; the PDF task
    queued after commit; audit events; a notification to the region's people
    and the admins.
    """
    from kotacerdas.maturity.certificate import issue_maturity_certificate

    report = _locked_draft(report)
    require(actor, "maturity.publish_report", report)
    stage = lock(StageRecord.objects.get(pk=report.stage_id))
    refusal = start_refusal(stage)
    if refusal:
        raise WorkflowError(refusal)
    if correction_note is not None:
        report.correction_note = correction_note.strip()
    refusal = publish_refusal(report)
    if refusal:
        raise WorkflowError(refusal)

    # The old version makes way first: one published version per stage.
    previous = current_published(stage)
    if previous is not None:
        previous.state = ReportState.SUPERSEDED
        previous.superseded_by = report
        previous.save()
        record(
            actor=actor,
            action="report.superseded",
            obj=previous,
            from_state=ReportState.PUBLISHED,
            to_state=ReportState.SUPERSEDED,
            note=f"v{report.version}",
        )

    result = build_result(stage)
    _freeze(report, result)
    report.state = ReportState.PUBLISHED
    report.published_by = actor
    report.published_at = timezone.now()
    report.save()
    record(
        actor=actor,
        action="report.published",
        obj=report,
        from_state=ReportState.DRAFT,
        to_state=ReportState.PUBLISHED,
        note=report.correction_note,
        data={"index": result["index"], "tier": report.tier},
    )

    certificate = None
    if result["tier"] is not None:
        certificate = issue_maturity_certificate(stage, actor=actor, report=report)

    from kotacerdas.maturity.tasks import render_report_pdf

    transaction.on_commit(lambda pk=report.pk: render_report_pdf.enqueue(pk))
    notify(
        [*_region_people(stage), *_admins()],
        action="report.published",
        subject=gettext_lazy("Maturity Index report published: %(region)s"),
        body=gettext_lazy(
            "Version %(version)s of the Maturity Index report of %(region)s for "
            "%(period)s is published: index %(index)s, tier %(tier)s."
        ),
        params={
            **_params(report),
            "index": result["index"] or "—",
            "tier": report.tier or "—",
        },
        url=_notification_path(report),
    )
    logger.info(
        "report v%s of stage %s published (certificate %s)",
        report.version,
        stage.pk,
        certificate,
    )
    return report


def report_path(report):
    """The page of one version, in the active language."""
    from django.urls import reverse

    return reverse("maturity:report", args=[report.stage_id, report.version])


def _notification_path(report):
    # Stored once for recipients of both languages: the default (Indonesian)
    # address, without a language prefix, as for the certificates.
    with translation.override("id"):
        return report_path(report)


def awaiting_publication():
    """Drafts of decided stages that the lead has filled in: the admin's list."""
    return (
        MaturityReport.objects.filter(state=ReportState.DRAFT)
        .exclude(summary="")
        .select_related("stage__registration__region", "drafted_by")
        .order_by("updated_at", "pk")
    )
