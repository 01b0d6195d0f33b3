"""The coordinator's team page and the invitee's accept page (accounts.team)."""

import logging

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from kotacerdas.accounts import team
from kotacerdas.accounts.models import Invitation, User
from kotacerdas.accounts.team_forms import (
    AcceptInvitationForm,
    InviteForm,
    MemberForm,
    ReasonForm,
)
from kotacerdas.common.workflow import WorkflowError

logger = logging.getLogger(__name__)


def _require_coordinator(request):
    if not request.user.has_perm("accounts.manage_team", request.user.region):
        raise Http404
    return request.user.region


def _team_context(region, **extra):
    from kotacerdas.registrations.team import team_rows

    members = team_rows(team.team_members(region))
    invitations = (
        Invitation.objects.filter(
            region=region, accepted_at__isnull=True, cancelled_at__isnull=True
        )
        .select_related("invited_by")
        .order_by("-created_at")
    )
    return {
        "region": region,
        "members": members,
        "invitations": invitations,
        "invite_form": InviteForm(),
        "reason_form": ReasonForm(),
        **extra,
    }


def team_page(request):
    """The region's team: members with agency, position and both trainings."""
    region = _require_coordinator(request)
    return render(request, "accounts/team/team.html", _team_context(region))


@require_POST
def invite(request):
    region = _require_coordinator(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = team.invite_member(
                actor=request.user,
                email=data["email"],
                agency=data["agency"],
                position=data["position"],
                language=data["language"],
            )
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            _report_sending(request, invitation)
            return redirect("accounts:team")
    return render(
        request,
        "accounts/team/team.html",
        _team_context(region, invite_form=form, show_invite=True),
        status=400 if form.errors else 200,
    )


def _report_sending(request, invitation):
    """Say whether the e-mail went out; with a worker it is still on its way."""
    invitation.refresh_from_db(fields=["emailed_at", "email_error"])
    if invitation.email_error:
        messages.error(
            request,
            _(
                "The invitation for %(email)s is saved, but the e-mail could not be "
                "sent. Check the address and send it again."
            )
            % {"email": invitation.email},
        )
    else:
        messages.success(
            request,
            _("An invitation is on its way to %(email)s.")
            % {"email": invitation.email},
        )


def _invitation_or_404(request, pk):
    invitation = get_object_or_404(Invitation, pk=pk)
    if not request.user.has_perm("accounts.manage_invitation", invitation):
        raise Http404
    return invitation


@require_POST
def invitation_resend(request, pk):
    invitation = _invitation_or_404(request, pk)
    try:
        invitation = team.resend_invitation(invitation, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        _report_sending(request, invitation)
    return redirect("accounts:team")


@require_POST
def invitation_cancel(request, pk):
    invitation = _invitation_or_404(request, pk)
    try:
        team.cancel_invitation(invitation, actor=request.user)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The invitation for %(email)s is cancelled.")
            % {"email": invitation.email},
        )
    return redirect("accounts:team")


def _member_or_404(request, pk):
    member = get_object_or_404(User, pk=pk)
    if not request.user.has_perm("accounts.manage_member", member):
        raise Http404
    return member


@require_http_methods(["GET", "POST"])
def member_edit(request, pk):
    member = _member_or_404(request, pk)
    form = MemberForm(
        request.POST or None,
        initial={"agency": member.agency, "position": member.position},
    )
    if request.method == "POST" and form.is_valid():
        try:
            team.update_member(member, actor=request.user, **form.cleaned_data)
        except WorkflowError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s is updated.") % {"name": member.full_name}
            )
            return redirect("accounts:team")
    return render(
        request, "accounts/team/member_form.html", {"member": member, "form": form}
    )


@require_POST
def member_deactivate(request, pk):
    member = _member_or_404(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        team.deactivate_member(member, actor=request.user, reason=reason)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s can no longer log in.") % {"name": member.full_name},
        )
    return redirect("accounts:team")


@require_POST
def member_reactivate(request, pk):
    member = _member_or_404(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        team.reactivate_member(member, actor=request.user, reason=reason)
    except WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("%(name)s can log in again.") % {"name": member.full_name}
        )
    return redirect("accounts:team")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    """The invitee sets a name and password; the account is then created."""
    try:
        invitation = team.invitation_from_token(token)
    except team.InvitationError as error:
        return render(
            request,
            "accounts/team/invitation_problem.html",
            {"message": error.message, "code": error.code},
            status=410 if error.code in {"used", "expired", "cancelled"} else 400,
        )

    form = AcceptInvitationForm(request.POST or None, invitation=invitation)
    if request.method == "POST" and form.is_valid():
        try:
            user = team.accept_invitation(
                token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except team.InvitationError as error:
            return render(
                request,
                "accounts/team/invitation_problem.html",
                {"message": error.message, "code": error.code},
                status=410,
            )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Welcome, %(name)s. Your account in the team of %(region)s is ready.")
            % {"name": user.full_name, "region": invitation.region},
        )
        with translation.override(user.preferred_language):
            return redirect(reverse("dashboard:home"))
    return render(
        request,
        "accounts/team/invitation_accept.html",
        {"invitation": invitation, "form": form},
    )
