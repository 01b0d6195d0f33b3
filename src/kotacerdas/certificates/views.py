import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kotacerdas.accounts.models import Role
from kotacerdas.certificates.forms import GenuineCheckForm, LookupForm, StatusChangeForm
from kotacerdas.certificates.models import Certificate, CertificateKind
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
