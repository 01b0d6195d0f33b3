"""Pages of the Maturity Index report (step 11), under /kematangan/laporan/.

The lead drafts the narrative, the admin publishes with a confirmation, and
everyone who may see the stage reads the published versions (the region only
those; the assessors and the admin also the draft). Objects outside the
user's scope answer 404.
"""

import logging

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.assessments.models import StageRecord
from kotacerdas.common.i18n import pick
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.maturity import charts
from kotacerdas.maturity import report as reports
from kotacerdas.maturity.certificate import live_certificate
from kotacerdas.maturity.forms_report import PublishForm, ReportForm
from kotacerdas.maturity.models import MaturityReport, ReportState, Verification
from kotacerdas.maturity.pdf import (
    ensure_report_pdf,
    file_name,
    radar_for_result,
    render_report,
)
from kotacerdas.maturity.values import plain
from kotacerdas.scheduling.models import Stage

logger = logging.getLogger(__name__)


def _stage(request, stage_id):
    stage = get_object_or_404(
        StageRecord.objects.select_related(
            "registration__region", "registration__coordinator", "methodology"
        ),
        pk=stage_id,
        stage=Stage.MATURITY,
    )
    if not request.user.has_perm("assessments.view_stage", stage):
        raise Http404
    return stage


def _report(request, stage_id, version):
    stage = _stage(request, stage_id)
    report = get_object_or_404(
        MaturityReport.objects.select_related("drafted_by", "published_by"),
        stage=stage,
        version=version,
    )
    report.stage = stage
    if not request.user.has_perm("maturity.view_report", report):
        raise Http404
    return report


def _visible_versions(user, stage):
    versions = list(
        MaturityReport.objects.filter(stage=stage)
        .select_related("superseded_by")
        .order_by("-version")
    )
    for version in versions:
        version.stage = stage
    return [v for v in versions if user.has_perm("maturity.view_report", v)]


def _localized(value):
    """The result JSON with every ``{"id", "en"}`` pair in the active language."""
    if isinstance(value, dict):
        if set(value) == {"id", "en"}:
            return pick(value)
        return {key: _localized(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_localized(item) for item in value]
    return value


def _result(report):
    """The frozen figures of a published version; a draft's computed now."""
    result = (
        report.result if not report.is_draft else reports.build_result(report.stage)
    )
    return result


def _display(result):
    shown = _localized(result)
    labels = dict(Verification.choices)
    for line in shown["lines"]:
        line["verification_label"] = labels.get(line["verification"], "")
        line["value_shown"] = "—" if line["value"] is None else plain(line["value"])
    return shown


def report_stage(request, stage_id):
    """The stage's report: its latest version the user may read, or the
    lead's page to start it."""
    stage = _stage(request, stage_id)
    versions = _visible_versions(request.user, stage)
    if versions:
        return redirect("maturity:report", stage.pk, versions[0].version)
    if not request.user.has_perm("maturity.draft_report", stage):
        raise Http404
    return render(
        request,
        "maturity/report/start.html",
        {
            "stage": stage,
            "region": stage.registration.region,
            "refusal": reports.start_refusal(stage),
        },
    )


@require_POST
def report_start(request, stage_id):
    """The lead starts version 1, or a new version after publication."""
    stage = _stage(request, stage_id)
    if not request.user.has_perm("maturity.draft_report", stage):
        raise Http404
    try:
        report = reports.start_report(stage, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("maturity:report_stage", stage.pk)
    return redirect("maturity:report", stage.pk, report.version)


@require_http_methods(["GET", "POST"])
def report_page(request, stage_id, version):
    """One version: its figures, narrative and charts; the lead's form on a
    draft, the admin's publication button.

    Queries: a constant number, whatever the count of indicators.
    """
    report = _report(request, stage_id, version)
    stage = report.stage
    can_edit = report.is_draft and request.user.has_perm("maturity.draft_report", stage)
    can_publish = report.is_draft and request.user.has_perm(
        "maturity.publish_report", report
    )
    form = ReportForm(report=report) if can_edit else None
    if request.method == "POST":
        if not report.is_draft:
            messages.error(
                request,
                _(
                    "Version %(version)s is published and can no longer change; "
                    "start a new version to correct it."
                )
                % {"version": report.version},
            )
            return redirect("maturity:report", stage.pk, report.version)
        if not can_edit:
            raise Http404
        form = ReportForm(request.POST, report=report)
        if form.is_valid():
            try:
                reports.save_report(report, actor=request.user, **form.narrative())
            except WorkflowError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The report is saved."))
                return redirect("maturity:report", stage.pk, report.version)

    result = _result(report)
    context = {
        "stage": stage,
        "region": stage.registration.region,
        "report": report,
        "result": _display(result),
        "versions": _visible_versions(request.user, stage),
        "form": form,
        "can_edit": can_edit,
        "can_publish": can_publish,
        "publish_form": PublishForm() if can_publish else None,
        "publish_refusal": reports.publish_refusal(report) if can_publish else None,
        "can_correct": not report.is_draft
        and request.user.has_perm("maturity.draft_report", stage)
        and not reports.current_draft(stage),
        "certificate": live_certificate(stage),
        "recommendations": [
            (dimension["name"], report.recommendations.get(dimension["code"], ""))
            for dimension in _localized(result["dimensions"])
        ],
    }
    return render(request, "maturity/report/report.html", context)


@require_POST
def report_publish(request, stage_id, version):
    """The admin publishes a draft, after ticking the confirmation."""
    report = _report(request, stage_id, version)
    if not request.user.has_perm("maturity.publish_report", report):
        raise Http404
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tick the confirmation to publish."))
        return redirect("maturity:report", report.stage_id, report.version)
    try:
        reports.publish_report(
            report,
            actor=request.user,
            correction_note=request.POST.get("correction_note") or None,
        )
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Version %(version)s is published.") % {"version": report.version},
        )
    return redirect("maturity:report", report.stage_id, report.version)


def report_radar(request, stage_id, version):
    """The radar of the six dimensions as SVG, for ``<img src>``."""
    report = _report(request, stage_id, version)
    svg = charts.to_svg(radar_for_result(_result(report)))
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def report_pdf(request, stage_id, version):
    """The PDF: kept once for a published version, drawn now for a draft."""
    report = _report(request, stage_id, version)
    if report.is_draft:
        content = render_report(report, reports.build_result(report.stage))
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{file_name(report)}"'
    else:
        report = ensure_report_pdf(report)
        response = FileResponse(
            report.pdf.file.open("rb"),
            as_attachment=True,
            filename=file_name(report),
            content_type="application/pdf",
        )
    response["Cache-Control"] = "private, no-store"
    return response


def report_list(request):
    """Admin: drafts waiting for publication, and the latest published ones."""
    if not request.user.has_perm("maturity.list_reports"):
        raise Http404
    published = (
        MaturityReport.objects.filter(state=ReportState.PUBLISHED)
        .select_related("stage__registration__region", "published_by")
        .order_by("-published_at")[:25]
    )
    return render(
        request,
        "maturity/report/list.html",
        {"waiting": reports.awaiting_publication(), "published": published},
    )
