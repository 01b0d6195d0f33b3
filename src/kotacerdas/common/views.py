import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kotacerdas.accounts.services import set_preferred_language
from kotacerdas.common.documents import (
    DocumentUploadForm,
    documents_of,
    upload_document,
)
from kotacerdas.common.heartbeat import heartbeat_problem, uses_worker
from kotacerdas.common.models import Notification, StoredFile

logger = logging.getLogger(__name__)


# Set once this process has seen every migration of its code applied: the code
# cannot gain migrations while it runs, so the (slow) graph walk is needed only
# until then.
_migrations_seen_applied = False


@login_not_required
@never_cache
def healthz(request):
    """For load balancers: 200 when this server can do its work, 503 and why not.

    Checks that the database answers, that its schema matches the code and, when
    tasks are queued for a worker, that a worker has beaten recently.
    """
    global _migrations_seen_applied
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        if not _migrations_seen_applied:
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                problems.append("migrations not applied")
            else:
                _migrations_seen_applied = True
        if uses_worker():
            problem = heartbeat_problem()
            if problem:
                problems.append(problem)
    except DatabaseError as error:
        logger.warning("health check: database unreachable: %s", error)
        problems.append("database unreachable")

    if problems:
        logger.warning("health check failed: %s", "; ".join(problems))
    status = 503 if problems else 200
    return JsonResponse(
        {"status": "fail" if problems else "ok", "problems": problems}, status=status
    )


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language, and remember it for a logged-in user."""
    # Django translates ``next`` by resolving it in the active language, which
    # here (a URL without language prefix) is the cookie's or the default one.
    # Resolve it in the language its own prefix names instead, or "/en/…" would
    # not resolve and the user would be sent back to the English page.
    next_path = urlsplit(request.POST.get("next", "")).path
    next_language = translation.get_language_from_path(next_path)
    with translation.override(next_language or translation.get_language()):
        response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        set_preferred_language(request.user, language)
    return response


def download(request, pk):
    """Hand out a private file after the permission check; never inline."""
    stored = get_object_or_404(StoredFile, pk=pk)
    if not request.user.has_perm("common.view_storedfile", stored):
        raise Http404

    if settings.PRIVATE_FILES_X_ACCEL_PREFIX:
        response = HttpResponse(content_type=stored.content_type)
        response["X-Accel-Redirect"] = (
            f"{settings.PRIVATE_FILES_X_ACCEL_PREFIX.rstrip('/')}/{stored.file.name}"
        )
        response["Content-Disposition"] = _attachment_header(stored.original_name)
    else:
        response = FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=stored.original_name,
            content_type=stored.content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def documents(request):
    """My documents: upload a file into private storage and list one's own."""
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        stored = upload_document(form.cleaned_data["file"], user=request.user)
        messages.success(
            request,
            _("“%(name)s” is stored. A confirmation e-mail is on its way.")
            % {"name": stored.original_name},
        )
        return redirect("common:documents")

    page = Paginator(documents_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "common/documents.html", {"form": form, "page": page})


def _attachment_header(filename):
    # The quoting FileResponse uses; a FileResponse of bytes would set no header.
    return content_disposition_header(as_attachment=True, filename=filename)


def notification_list(request):
    page = Paginator(Notification.objects.filter(recipient=request.user), 25).get_page(
        request.GET.get("page")
    )
    return render(request, "common/notifications.html", {"page": page})


@require_POST
def notification_read(request, pk):
    """Mark one notification read and follow its link."""
    notification = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect(notification.url or "common:notifications")


@require_POST
def notification_read_all(request):
    Notification.objects.filter(recipient=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    messages.success(request, _("All notifications are marked as read."))
    return redirect("common:notifications")
