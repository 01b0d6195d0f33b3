import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from kotacerdas.accounts.services import set_preferred_language
from kotacerdas.common.models import Notification, StoredFile

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
def healthz(request):
    """For load balancers: 200 when this server can do its work, 503 and why not."""
    problems = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            problems.append("migrations not applied")
    except DatabaseError as error:
        logger.warning("health check: database unreachable: %s", error)
        problems.append("database unreachable")

    status = 503 if problems else 200
    return JsonResponse(
        {"status": "fail" if problems else "ok", "problems": problems}, status=status
    )


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language, and remember it for a logged-in user."""
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


def _attachment_header(filename):
    # FileResponse knows how to quote any file name; borrow its header.
    probe = FileResponse(b"", as_attachment=True, filename=filename)
    return probe["Content-Disposition"]


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
