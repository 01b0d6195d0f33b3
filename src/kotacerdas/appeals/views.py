"""Thin views over the appeal services; out-of-scope objects answer 404."""

import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.appeals import services
from kotacerdas.appeals.forms import AssignForm, DecideForm, FileAppealForm
from kotacerdas.appeals.models import Appeal
from kotacerdas.assessments.models import StageRecord
from kotacerdas.common.uploads import store_upload
from kotacerdas.common.workflow import WorkflowError

logger = logging.getLogger(__name__)


def _appeal(request, pk, permission="appeals.view_appeal"):
    appeal = get_object_or_404(
        Appeal.objects.select_related(
            "stage__registration__region", "filed_by", "handler"
        ),
        pk=pk,
    )
    if not request.user.has_perm(permission, appeal):
        raise Http404
    return appeal


@require_http_methods(["GET", "POST"])
def file_appeal_view(request, stage_pk):
    stage = get_object_or_404(
        StageRecord.objects.select_related("registration__region", "methodology"),
        pk=stage_pk,
    )
    if not request.user.has_perm("appeals.file_appeal", stage):
        raise Http404
    form = FileAppealForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            documents = []
            if form.cleaned_data["document"]:
                documents.append(
                    store_upload(
                        form.cleaned_data["document"],
                        user=request.user,
                        region=stage.registration.region,
                    )
                )
            appeal = services.file_appeal(
                stage,
                actor=request.user,
                grounds=form.cleaned_data["grounds"],
                documents=documents,
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your appeal is filed."))
            return redirect("appeals:detail", pk=appeal.pk)
    return render(
        request,
        "appeals/file.html",
        {
            "stage": stage,
            "form": form,
            "deadline": services.appeal_deadline(stage),
            "open_appeal": services.open_appeal(stage),
        },
    )


def appeal_list(request):
    if not request.user.has_perm("appeals.list_appeals"):
        raise Http404
    appeals = Appeal.objects.select_related(
        "stage__registration__region", "filed_by", "handler"
    )
    return render(
        request, "appeals/list.html", {"appeals": appeals, "assign_form": AssignForm()}
    )


def appeal_detail(request, pk):
    appeal = _appeal(request, pk)
    return render(
        request,
        "appeals/detail.html",
        {
            "appeal": appeal,
            "assign_form": AssignForm(),
            "decide_form": DecideForm(),
        },
    )


@require_POST
def assign_view(request, pk):
    appeal = _appeal(request, pk, "appeals.assign_appeal")
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            services.assign_handler(
                appeal, actor=request.user, handler=form.cleaned_data["handler"]
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The handler is assigned."))
            return redirect("appeals:detail", pk=appeal.pk)
    return render(
        request,
        "appeals/detail.html",
        {"appeal": appeal, "assign_form": form, "decide_form": DecideForm()},
    )


@require_POST
def decide_view(request, pk):
    appeal = _appeal(request, pk, "appeals.decide_appeal")
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.decide_appeal(
                appeal,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["note"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The appeal is decided."))
            return redirect("appeals:detail", pk=appeal.pk)
    return render(
        request,
        "appeals/detail.html",
        {"appeal": appeal, "assign_form": AssignForm(), "decide_form": form},
    )
