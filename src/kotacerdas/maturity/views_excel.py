"""Pages of the spreadsheet round trip of a maturity stage.

Download the template, upload it filled in, read the dry run, confirm. The
dry run is kept in the session between the upload and the confirmation, with
the file's hash and a fingerprint of the changes shown: the import saves only
what the user saw, and refuses when the stored data moved in between.
Objects outside the user's scope answer 404.
"""

import logging
import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kotacerdas.assessments.models import StageRecord
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.maturity import excel
from kotacerdas.maturity.forms_excel import ConfirmForm, UploadForm
from kotacerdas.scheduling.models import Stage

logger = logging.getLogger(__name__)

SESSION_KEY = "maturity_excel"


def _stage(request, pk):
    stage = get_object_or_404(
        StageRecord.objects.select_related(
            "registration", "registration__region", "methodology"
        ),
        pk=pk,
        stage=Stage.MATURITY,
    )
    if not request.user.has_perm("maturity.use_spreadsheet", stage):
        raise Http404
    return stage


def _render(
    request, stage, *, form=None, preview=None, error=None, refusal="", status=200
):
    context = {
        "stage": stage,
        "registration": stage.registration,
        "region": stage.registration.region,
        "row_count": excel.responses_for(stage, request.user).count(),
        "sees_all": request.user.has_perm("assessments.submit_stage", stage),
        "refusal": excel.upload_refusal(stage) if refusal == "" else refusal,
        "form": form or UploadForm(),
        "preview": preview,
        "error": error,
    }
    return render(request, "maturity/excel/page.html", context, status=status)


def page(request, pk):
    stage = _stage(request, pk)
    return _render(request, stage)


def download(request, pk):
    stage = _stage(request, pk)
    answer = HttpResponse(
        excel.write_template(stage, request.user), content_type=excel.CONTENT_TYPE
    )
    answer["Content-Disposition"] = (
        f'attachment; filename="{excel.template_name(stage)}"'
    )
    return answer


def _keep(request, stage, upload, result):
    token = uuid.uuid4().hex
    kept = request.session.get(SESSION_KEY, {})
    # One preview per stage: a newer upload replaces the older one.
    kept[str(stage.pk)] = {
        "token": token,
        "sha256": upload.sha256,
        "name": upload.name,
        "rows": upload.rows,
        "fingerprint": result.fingerprint,
    }
    request.session[SESSION_KEY] = kept
    return token


@require_POST
def upload(request, pk):
    """Read the uploaded template and show the dry run; nothing is saved."""
    stage = _stage(request, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, stage, form=form, status=400)
    refusal = excel.upload_refusal(stage)
    if refusal:
        return _render(
            request, stage, form=form, error=refusal, refusal=refusal, status=400
        )

    uploaded = form.cleaned_data["file"]
    try:
        content = uploaded.read()
        read = excel.read_upload(stage, content, name=uploaded.clean_name)
    except WorkflowError as error:
        return _render(
            request,
            stage,
            form=form,
            error=error.message,
            refusal=refusal,
            status=400,
        )
    result = excel.plan(stage, actor=request.user, rows=read.rows)

    preview = {"plan": result, "upload": read, "confirm": None}
    if result.errors:
        return _render(
            request, stage, form=form, preview=preview, refusal=refusal, status=400
        )
    if result.changed:
        token = _keep(request, stage, read, result)
        preview["confirm"] = ConfirmForm(
            initial={"token": token, "sha256": read.sha256}
        )
    return _render(request, stage, preview=preview, refusal=refusal)


@require_POST
def confirm(request, pk):
    """Import the previewed file: all of it, as the preview showed it."""
    stage = _stage(request, pk)
    form = ConfirmForm(request.POST)
    kept = request.session.get(SESSION_KEY, {}).get(str(stage.pk))
    if (
        not form.is_valid()
        or kept is None
        or kept["token"] != form.cleaned_data["token"]
    ):
        messages.error(
            request, _("The preview is no longer available; upload the file again.")
        )
        return redirect("maturity:excel", stage.pk)
    if kept["sha256"] != form.cleaned_data["sha256"]:
        messages.error(
            request,
            _(
                "Another file was previewed since this one; upload the file "
                "you want to import again."
            ),
        )
        return redirect("maturity:excel", stage.pk)

    try:
        result = excel.import_workbook(
            stage,
            actor=request.user,
            rows=kept["rows"],
            expected=kept["fingerprint"],
            sha256=kept["sha256"],
        )
    except PermissionDenied:
        raise Http404 from None
    except excel.ImportRefusedError as error:
        messages.error(request, " ".join([error.message, *error.errors[:5]]))
        return redirect("maturity:excel", stage.pk)
    except WorkflowError as error:
        messages.error(request, error.message)
        return redirect("maturity:excel", stage.pk)
    finally:
        _forget(request, stage)

    count = len(result.changed)
    messages.success(
        request,
        ngettext(
            "The data of %(count)s indicator was imported.",
            "The data of %(count)s indicators was imported.",
            count,
        )
        % {"count": count},
    )
    return redirect("maturity:excel", stage.pk)


def _forget(request, stage):
    kept = request.session.get(SESSION_KEY, {})
    if kept.pop(str(stage.pk), None) is not None:
        request.session[SESSION_KEY] = kept
