import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kotacerdas.accounts.models import Role
from kotacerdas.assessments import scoring
from kotacerdas.assessments.models import StageRecord
from kotacerdas.certificates.forms import (
    GenuineCheckForm,
    IssueReadinessForm,
    LookupForm,
    RegistryFilterForm,
    StatusChangeForm,
)
from kotacerdas.certificates.models import (
    Certificate,
    CertificateKind,
    CertificateState,
)
from kotacerdas.certificates.readiness import (
    default_valid_until,
    issue_readiness_certificate,
    issue_refusal,
    stages_awaiting_certificate,
)
from kotacerdas.certificates.services import (
    ensure_pdf,
    is_genuine,
    reinstate_certificate,
    revoke_certificate,
    suspend_certificate,
)
from kotacerdas.common.workflow import WorkflowError

logger = logging.getLogger(__name__)

_STATUS_FUNCTIONS = {
    "suspend": suspend_certificate,
    "reinstate": reinstate_certificate,
    "revoke": revoke_certificate,
}


def _public_certificate(number):
    return (
        Certificate.objects.select_related("region", "methodology")
        .prefetch_related("status_changes")
        # Numbers are printed in capitals; a typed one may not be.
        .filter(number=number.strip().upper())
        .first()
    )


@login_not_required
def lookup(request):
    """Find a certificate by the number printed on it."""
    form = LookupForm(request.GET or None)
    if form.is_valid():
        number = form.cleaned_data["number"]
        if Certificate.objects.filter(number=number).exists():
            return redirect("certificates:verify", number=number)
        form.add_error(
            "number",
            _("No certificate has the number %(number)s. Check it on the document.")
            % {"number": number},
        )
    return render(request, "certificates/lookup.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def verify(request, number):
    """The public page of a certificate, with the genuine-copy check.

    A POST carries a PDF; its SHA-256 is compared with the stored one. The file
    is read and forgotten, never kept.
    """
    certificate = _public_certificate(number)
    if certificate is None:
        return render(
            request, "certificates/not_found.html", {"number": number}, status=404
        )
    if certificate.number != number:
        return redirect("certificates:verify", number=certificate.number)

    form = GenuineCheckForm()
    check = None
    if request.method == "POST":
        form = GenuineCheckForm(request.POST, request.FILES)
        if form.is_valid():
            check = {
                "ready": bool(certificate.sha256),
                "genuine": is_genuine(certificate, form.cleaned_data["file"]),
                "name": form.cleaned_data["file"].clean_name,
            }
            logger.info("genuine check of %s: %s", certificate.number, check["genuine"])
            form = GenuineCheckForm()

    changes = list(certificate.status_changes.all())
    context = {
        "certificate": certificate,
        "changes": changes,
        "last_change": changes[-1] if changes else None,
        "form": form,
        "check": check,
    }
    template = "certificates/verify.html"
    if request.htmx and request.method == "POST":
        template += "#check"
    return render(request, template, context)


def _visible_certificates(user):
    queryset = Certificate.objects.select_related("region", "holder_user")
    if user.has_perm("certificates.list_all_certificates"):
        return queryset
    scope = Q(holder_user=user)
    if user.region_id and user.has_role(Role.PARTICIPANT):
        scope |= Q(region_id=user.region_id)
    elif user.region_id and user.has_role(Role.REGION_MEMBER):
        scope |= Q(region_id=user.region_id, holder_user__isnull=True)
    return queryset.filter(scope)


def certificate_list(request):
    """The certificates the user may download: own, the region's, or all."""
    certificates = _visible_certificates(request.user)
    kind = request.GET.get("jenis", "")
    if kind in CertificateKind.values:
        certificates = certificates.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        certificates = certificates.filter(
            Q(number__icontains=query) | Q(holder_name__icontains=query)
        )
    page = Paginator(certificates, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/list.html",
        {
            "page": page,
            "kinds": CertificateKind.choices,
            "kind": kind,
            "query": query,
            "is_admin": request.user.has_perm("certificates.change_status"),
        },
    )


def _certificate_for(request, number, permission):
    certificate = get_object_or_404(
        Certificate.objects.select_related("region", "methodology", "holder_user"),
        number=number,
    )
    if not request.user.has_perm(permission, certificate):
        raise Http404
    return certificate


def download(request, number):
    """The PDF, for those allowed; produced now if the task has not run yet."""
    certificate = _certificate_for(request, number, "certificates.download_certificate")
    certificate = ensure_pdf(certificate)
    response = FileResponse(
        certificate.pdf.file.open("rb"),
        as_attachment=True,
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def change_status(request, number):
    """Admin: suspend, reinstate or revoke with a reason that is shown publicly."""
    certificate = _certificate_for(request, number, "certificates.change_status")
    form = StatusChangeForm(request.POST or None, certificate=certificate)
    if request.method == "POST" and form.is_valid():
        function = _STATUS_FUNCTIONS[form.cleaned_data["action"]]
        try:
            function(
                certificate, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The status of %(number)s is changed and shown publicly.")
                % {"number": certificate.number},
            )
            return redirect("certificates:status", number=certificate.number)
    changes = certificate.status_changes.all()
    return render(
        request,
        "certificates/status.html",
        {"certificate": certificate, "form": form, "changes": changes},
    )


REGISTRY_PAGE_SIZE = 25


@login_not_required
def registry(request):
    """The public registry of valid certificates, by province, kind and year.

    Valid means stored as valid and not past its date; suspended, revoked and
    expired certificates are found through the verification page only.
    Queries: a constant number, whatever the count of certificates.
    """
    # Training certificates name a person; they stay findable by number on the
    # verification page, but the browsable registry lists regions only.
    valid = (
        Certificate.objects.filter(state=CertificateState.VALID)
        .exclude(kind=CertificateKind.TRAINING)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=timezone.localdate()))
    )
    years = list(valid.order_by("-year").values_list("year", flat=True).distinct())
    form = RegistryFilterForm(request.GET or None, years=years)
    certificates = valid.select_related("region__province").order_by(
        "-issued_at", "-id"
    )
    if form.is_valid():
        if province := form.cleaned_data["provinsi"]:
            certificates = certificates.filter(
                Q(region__province=province) | Q(region=province)
            )
        if kind := form.cleaned_data["jenis"]:
            certificates = certificates.filter(kind=kind)
        if year := form.cleaned_data["tahun"]:
            certificates = certificates.filter(year=year)
    else:
        # An unknown filter value shows everything rather than an error page.
        form = RegistryFilterForm(years=years)
    page = Paginator(certificates, REGISTRY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "certificates/registry.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def readiness_pending(request):
    """Admin: passed readiness stages still waiting for their certificate."""
    if not request.user.has_perm("certificates.issue_stage_certificate"):
        raise Http404
    return render(
        request,
        "certificates/readiness_pending.html",
        {"stages": stages_awaiting_certificate()},
    )


@require_http_methods(["GET", "POST"])
def issue_readiness(request, stage_id):
    """Admin: check the ready indicators and issue the readiness certificate."""
    stage = get_object_or_404(
        StageRecord.objects.select_related("registration__region", "methodology"),
        pk=stage_id,
    )
    if not request.user.has_perm("certificates.issue_stage_certificate", stage):
        raise Http404

    form = IssueReadinessForm(
        request.POST or None, initial={"valid_until": default_valid_until(stage)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            certificate = issue_readiness_certificate(
                stage, actor=request.user, valid_until=form.cleaned_data["valid_until"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Certificate %(number)s is issued; its PDF is being prepared.")
                % {"number": certificate.number},
            )
            return redirect("certificates:verify", number=certificate.number)

    refusal = issue_refusal(stage)
    result = scoring.stage_result(stage) if refusal is None else None
    return render(
        request,
        "certificates/issue_readiness.html",
        {"stage": stage, "form": form, "refusal": refusal, "result": result},
    )
