"""The report services: drafting, saving, publishing, versions, immutability."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kotacerdas.certificates.models import Certificate, CertificateKind
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.maturity import report as reports
from kotacerdas.maturity import services_review
from kotacerdas.maturity.models import (
    ImmutableReportError,
    MaturityReport,
    ReportLine,
    ReportState,
)
from tests.maturity.factories import open_world, submitted_world
from tests.maturity.factories_review import decided_world, review_world, scored_world

pytestmark = pytest.mark.django_db

DIMENSIONS = ["governance", "people", "living", "mobility", "environment", "economy"]


def narrative(**extra):
    fields = {
        "summary": "Kota telah membangun layanan terpadu.",
        "strengths": "Data ekonomi diperbarui setiap bulan.",
        "recommendations": {code: f"Rekomendasi {code}." for code in DIMENSIONS},
    }
    fields.update(extra)
    return fields


def drafted(w, **extra):
    report = reports.start_report(w.stage, actor=w.lead)
    return reports.save_report(report, actor=w.lead, **narrative(**extra))


def published(w, **extra):
    report = drafted(w, **extra)
    return reports.publish_report(report, actor=w.admin)


def test_lead_starts_version_one_of_a_decided_stage():
    w = decided_world()
    report = reports.start_report(w.stage, actor=w.lead)
    assert (report.version, report.state, report.drafted_by) == (1, "draft", w.lead)
    # A second click gives the same draft.
    assert reports.start_report(w.stage, actor=w.lead) == report


@pytest.mark.parametrize("who", ["second", "admin", "coordinator", "member_a"])
def test_only_the_lead_drafts(who):
    w = decided_world()
    with pytest.raises(PermissionDenied):
        reports.start_report(w.stage, actor=getattr(w, who))


def _assessed_world():
    w = scored_world()
    services_review.complete_assessment(w.stage, actor=w.lead)
    w.refresh()
    return w


@pytest.mark.parametrize(
    "make",
    [open_world, submitted_world, review_world, scored_world, _assessed_world],
    ids=["open", "submitted", "under_review", "scored", "assessed"],
)
def test_a_stage_not_decided_has_no_report(make):
    w = make()
    assert w.stage.state != "decided"
    with pytest.raises(WorkflowError, match="decided"):
        reports.start_report(w.stage, actor=w.lead)
    assert not MaturityReport.objects.exists()


def test_a_readiness_stage_has_no_maturity_report():
    w = decided_world()
    with pytest.raises((WorkflowError, PermissionDenied)):
        reports.start_report(w.readiness, actor=w.lead)


def test_publishing_twice_says_it_is_already_published():
    w = decided_world()
    report = drafted(w)
    reports.publish_report(report, actor=w.admin)
    # The admin's second click, from the page loaded before the first.
    with pytest.raises(WorkflowError, match="can no longer change"):
        reports.publish_report(report, actor=w.admin)
    assert MaturityReport.objects.filter(stage=w.stage).count() == 1


def test_recommendations_are_kept_per_dimension_of_the_methodology():
    w = decided_world()
    report = reports.start_report(w.stage, actor=w.lead)
    report = reports.save_report(
        report,
        actor=w.lead,
        summary="  Ringkasan. ",
        strengths="Kekuatan.",
        recommendations={"economy": " Perluas. ", "unknown": "dropped"},
    )
    assert report.summary == "Ringkasan."
    assert report.recommendations["economy"] == "Perluas."
    assert "unknown" not in report.recommendations
    assert set(report.recommendations) == set(DIMENSIONS)


def test_publication_needs_the_whole_narrative():
    w = decided_world()
    report = drafted(w, recommendations={"economy": "Perluas."})
    with pytest.raises(WorkflowError, match="recommendation for governance"):
        reports.publish_report(report, actor=w.admin)
    assert MaturityReport.objects.get(pk=report.pk).state == ReportState.DRAFT


def test_only_the_admin_publishes():
    w = decided_world()
    report = drafted(w)
    for user in (w.lead, w.second, w.coordinator):
        with pytest.raises(PermissionDenied):
            reports.publish_report(report, actor=user)


def test_publication_freezes_the_figures():
    # Six indicators verified at level 3: index 3.00, Baik, tier M1.
    w = decided_world()
    report = published(w)
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert (report.index, report.predicate, report.tier) == (
        Decimal("3.00"),
        "Baik",
        "M1",
    )
    assert report.verified_count == 6
    assert report.result["predicate"] == {"id": "Baik", "en": "Good"}
    assert report.result["tier"]["code"] == "M1"
    assert [line["clause"] for line in report.result["lines"]] == [
        i.clause for i in w.indicators
    ]
    lines = ReportLine.objects.filter(report=report)
    assert lines.count() == 6
    assert {line.level for line in lines} == {3}
    assert {line.verification for line in lines} == {"verified"}
    # Next tier M2 needs 10 verified indicators: 4 more.
    assert report.result["gap"]["tier"]["code"] == "M2"
    assert report.result["gap"]["more_verified"] == 4


def test_a_published_report_cannot_change():
    w = decided_world()
    report = published(w)
    report.summary = "Diubah."
    with pytest.raises(ImmutableReportError):
        report.save()
    report = MaturityReport.objects.get(pk=report.pk)
    with pytest.raises(WorkflowError, match="can no longer change"):
        reports.save_report(report, actor=w.lead, **narrative(summary="Diubah."))
    assert MaturityReport.objects.get(pk=report.pk).summary.startswith("Kota")


def test_a_new_version_supersedes_the_old_and_both_stay_readable():
    w = decided_world()
    first = published(w)
    second = reports.start_report(w.stage, actor=w.lead)
    assert second.version == 2
    # The correction starts from the published text.
    assert second.summary == first.summary
    reports.save_report(second, actor=w.lead, **narrative(summary="Koreksi."))
    with pytest.raises(WorkflowError, match="what this version corrects"):
        reports.publish_report(second, actor=w.admin)
    reports.publish_report(
        second, actor=w.admin, correction_note="Salah ketik pada ringkasan."
    )
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == ReportState.SUPERSEDED
    assert first.superseded_by == second
    assert second.state == ReportState.PUBLISHED
    assert first.summary != second.summary
    assert first.lines.count() == second.lines.count() == 6


def test_publication_issues_the_maturity_certificate_at_m1():
    w = decided_world()
    report = published(w)
    certificate = Certificate.objects.get(stage=w.stage)
    assert certificate.kind == CertificateKind.MATURITY
    assert certificate.number.startswith("SCM-")
    assert certificate.scope["data"]["tier"] == "M1"
    assert report.tier == "M1"
    # A corrected version keeps the live certificate.
    second = reports.start_report(w.stage, actor=w.lead)
    reports.publish_report(second, actor=w.admin, correction_note="Koreksi.")
    assert Certificate.objects.filter(stage=w.stage).count() == 1


def test_no_certificate_below_m1():
    # Level 1 everywhere: index 1.00 (< 1.8), no tier.
    w = decided_world(levels=1)
    report = published(w)
    assert report.tier == ""
    assert report.predicate == "Kurang"
    assert not Certificate.objects.filter(stage=w.stage).exists()


def test_publication_notifies_the_region_and_admins(mailoutbox):
    from kotacerdas.common.models import Notification

    w = decided_world()
    published(w)
    recipients = set(
        Notification.objects.filter(action="report.published").values_list(
            "recipient", flat=True
        )
    )
    assert {w.coordinator.pk, w.member_a.pk, w.admin.pk} <= recipients


def test_the_gap_to_the_next_tier_is_frozen_with_the_raises():
    # Level 2 everywhere: economy (5.1–5.4) 2.00, people (6.1, 6.2) 2.00, index
    # 2.00, tier M1. M2 needs 2.6 and 10 verified. One step on a people
    # indicator moves the index by 1/2 × 1/2 = 0.25, on an economy one by
    # 1/2 × 1/4 = 0.125: 6.1 and 6.2 to 3 give 2.50, 6.1 to 4 gives 2.75.
    w = decided_world(levels=2)
    report = published(w)
    gap = report.result["gap"]
    assert gap["tier"]["code"] == "M2"
    assert (gap["index_needed"], gap["more_verified"]) == ("2.6", 4)
    assert [(r["clause"], r["from"], r["to"]) for r in gap["raises"]] == [
        ("6.1", 2, 4),
        ("6.2", 2, 3),
    ]
    assert gap["index_after"] == "2.75"
    assert gap["reachable"] is True
