"""The region's team: invitations, and the coordinator's care of team members.

A coordinator invites a colleague by e-mail. The link carries the invitation's
id and random key, signed with the site's secret (``django.core.signing``), so a
changed link is recognised as such; the invitation row says whether the link is
still good (not used, not cancelled, not replaced by a newer one, not expired).
The invitee sets their own name and password; the account is created as a team
member of the coordinator's region.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.accounts.models import Invitation, Role, User
from kotacerdas.accounts.services import create_user
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.workflow import WorkflowError, lock, require

logger = logging.getLogger(__name__)

_SALT = "kotacerdas.accounts.invitation"

register_actions(
    {
        "team.invited": gettext_lazy("invited a team member"),
        "team.invitation_resent": gettext_lazy("sent the invitation again"),
        "team.invitation_cancelled": gettext_lazy("cancelled the invitation"),
        "team.invitation_accepted": gettext_lazy("accepted the invitation"),
        "team.member_updated": gettext_lazy("changed the agency or position"),
        "team.member_deactivated": gettext_lazy("deactivated the account"),
        "team.member_reactivated": gettext_lazy("reactivated the account"),
    }
)


class InvitationError(WorkflowError):
    """Why an invitation link cannot be used; ``code`` names the case."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def invitation_token(invitation):
    return signing.Signer(salt=_SALT).sign_object(
        {"i": invitation.pk, "k": invitation.key}
    )


def invitation_url(invitation):
    """The absolute link of the e-mail, in the invitation's language."""
    with translation.override(invitation.language):
        path = reverse(
            "accounts:invitation_accept", args=[invitation_token(invitation)]
        )
    return settings.SITE_URL + path


def _new_key():
    return secrets.token_urlsafe(32)


def _expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


def invitation_from_token(token, *, for_update=False):
    """The invitation a link stands for, if the link can still be used.

    Raises InvitationError with a message for the visitor otherwise.
    """
    try:
        data = signing.Signer(salt=_SALT).unsign_object(token)
    except signing.BadSignature:
        raise InvitationError(
            "tampered",
            _(
                "This invitation link is not valid: it may have been cut off or "
                "changed. Open the link from the e-mail again, or ask your "
                "coordinator to send a new invitation."
            ),
        ) from None

    invitations = Invitation.objects.select_related("region", "invited_by")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=data.get("i")).first()
    if invitation is None:
        raise InvitationError(
            "unknown",
            _("This invitation no longer exists. Ask your coordinator for a new one."),
        )
    if invitation.accepted_at is not None:
        raise InvitationError(
            "used",
            _(
                "This invitation has already been used to create an account. Log "
                "in with your e-mail address; if you forgot the password, reset it."
            ),
        )
    if invitation.cancelled_at is not None:
        raise InvitationError(
            "cancelled", _("This invitation was cancelled by your coordinator.")
        )
    if not constant_time_compare(invitation.key, str(data.get("k", ""))):
        raise InvitationError(
            "replaced",
            _(
                "A newer invitation was sent to you, which replaces this link. Use "
                "the link in the latest e-mail."
            ),
        )
    if invitation.is_expired:
        raise InvitationError(
            "expired",
            _(
                "This invitation expired on %(date)s. Ask your coordinator to send "
                "it again."
            )
            % {"date": formats.date_format(timezone.localtime(invitation.expires_at))},
        )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError("account_exists", _account_exists(invitation.email))
    return invitation


def _account_exists(email):
    return _(
        "An account with the address %(email)s already exists. Log in with it "
        "instead; if you forgot the password, reset it."
    ) % {"email": email}


@transaction.atomic
def invite_member(*, actor, email, agency, position, language="id"):
    """Invite ``email`` into the actor's region as a team member.

    Side effects: an Invitation with a random key, valid for
    ``INVITATION_VALID_DAYS``; an audit event; after commit, the e-mail task in
    ``language``. Refused when the address has an account or an open invitation.
    """
    region = actor.region
    require(actor, "accounts.manage_team", region)
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise WorkflowError(_account_exists(email))
    _refuse_open_invitation(email, region)

    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                email=email,
                region=region,
                agency=agency.strip(),
                position=position.strip(),
                language=language if language in {"id", "en"} else "id",
                invited_by=actor,
                key=_new_key(),
                expires_at=_expiry(),
            )
    except IntegrityError:
        # Someone invited the same address a moment ago.
        _refuse_open_invitation(email, region)
        raise
    record(actor=actor, action="team.invited", obj=invitation, note=email)
    _send_after_commit(invitation)
    return invitation


def _refuse_open_invitation(email, region):
    open_invitation = Invitation.objects.filter(
        email__iexact=email, accepted_at__isnull=True, cancelled_at__isnull=True
    ).first()
    if open_invitation is None:
        return
    if open_invitation.region_id == region.pk:
        raise WorkflowError(
            _(
                "%(email)s already has an open invitation; send it again from the "
                "list of invitations."
            )
            % {"email": email}
        )
    raise WorkflowError(
        _("%(email)s already has an open invitation from another region.")
        % {"email": email}
    )


def _send_after_commit(invitation):
    transaction.on_commit(lambda pk=invitation.pk: send_invitation_email.enqueue(pk))


def _lock_open_invitation(invitation, actor):
    invitation = lock(invitation)
    require(actor, "accounts.manage_invitation", invitation)
    if not invitation.is_open:
        raise WorkflowError(_("This invitation was already accepted or cancelled."))
    return invitation


@transaction.atomic
def resend_invitation(invitation, *, actor):
    """Send an open invitation again with a new link and a new expiry date.

    Side effects: a new key (older links stop working), a new expiry, an audit
    event and, after commit, the e-mail task.
    """
    invitation = _lock_open_invitation(invitation, actor)
    invitation.key = _new_key()
    invitation.expires_at = _expiry()
    invitation.sent_at = timezone.now()
    invitation.emailed_at = None
    invitation.email_error = ""
    invitation.save(
        update_fields=["key", "expires_at", "sent_at", "emailed_at", "email_error"]
    )
    record(actor=actor, action="team.invitation_resent", obj=invitation)
    _send_after_commit(invitation)
    return invitation


@transaction.atomic
def cancel_invitation(invitation, *, actor):
    """Withdraw an open invitation; its link stops working.

    Side effects: ``cancelled_at`` and an audit event.
    """
    invitation = _lock_open_invitation(invitation, actor)
    invitation.cancelled_at = timezone.now()
    invitation.save(update_fields=["cancelled_at"])
    record(actor=actor, action="team.invitation_cancelled", obj=invitation)
    return invitation


@transaction.atomic
def accept_invitation(token, *, full_name, password):
    """Create the invitee's account from a usable link.

    The password has passed Django's validators in the form. Side effects: the
    user (role region_member, the invitation's region, agency, position and
    language) with its audit event, the invitation marked used, an audit event
    and a notification to the coordinator who invited.
    """
    invitation = invitation_from_token(token, for_update=True)
    try:
        with transaction.atomic():
            user = create_user(
                email=invitation.email,
                full_name=full_name.strip(),
                password=password,
                roles=[Role.REGION_MEMBER],
                region=invitation.region,
                agency=invitation.agency,
                position=invitation.position,
                preferred_language=invitation.language,
            )
    except IntegrityError:
        raise InvitationError(
            "account_exists", _account_exists(invitation.email)
        ) from None

    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    record(actor=user, action="team.invitation_accepted", obj=invitation)
    if invitation.invited_by is not None:
        notify(
            [invitation.invited_by],
            action="team.invitation_accepted",
            subject=gettext_lazy("%(name)s joined your team"),
            body=gettext_lazy(
                "%(name)s (%(email)s, %(agency)s) accepted your invitation and now "
                "has an account as a team member."
            ),
            params={
                "name": user.full_name,
                "email": user.email,
                "agency": user.agency,
            },
            url=reverse("accounts:team"),
        )
    return user


@task()
def send_invitation_email(invitation_id):
    """E-mail the invitation link, in the language the coordinator chose.

    A failure is kept on the invitation, so the coordinator's team page says
    that the e-mail did not go out, and is raised again for the task log.
    """
    invitation = (
        Invitation.objects.select_related("region", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, cancelled_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False

    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "link": invitation_url(invitation),
            "expires": formats.date_format(
                timezone.localtime(invitation.expires_at), "j F Y"
            ),
            "days": settings.INVITATION_VALID_DAYS,
        }
        subject = render_to_string(
            "accounts/team/email/invitation_subject.txt", context
        ).strip()
        body = render_to_string("accounts/team/email/invitation.txt", context)
    try:
        EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invitation.email],
        ).send()
    except Exception as error:
        logger.exception("invitation %s could not be e-mailed", invitation_id)
        Invitation.objects.filter(pk=invitation_id).update(
            email_error=f"{type(error).__name__}: {error}"[:255]
        )
        raise
    Invitation.objects.filter(pk=invitation_id).update(
        emailed_at=timezone.now(), email_error=""
    )
    return True


def _require_member(member, actor):
    member = User.objects.select_for_update().get(pk=member.pk)
    require(actor, "accounts.manage_member", member)
    return member


@transaction.atomic
def update_member(member, *, actor, agency, position):
    """Change a team member's agency (OPD) and position.

    Side effects: the user row and an audit event listing what changed.
    """
    member = _require_member(member, actor)
    changes = {}
    for field, value in (("agency", agency.strip()), ("position", position.strip())):
        if getattr(member, field) != value:
            changes[field] = [getattr(member, field), value]
            setattr(member, field, value)
    if changes:
        member.save(update_fields=list(changes))
        record(
            actor=actor,
            action="team.member_updated",
            obj=member,
            note="; ".join(f"{old or '—'} → {new}" for old, new in changes.values()),
            data=changes,
        )
    return member


@transaction.atomic
def deactivate_member(member, *, actor, reason=""):
    """Stop a team member from logging in; their work and history stay.

    Side effects: ``is_active`` off and an audit event with the reason.
    """
    member = _require_member(member, actor)
    if not member.is_active:
        raise WorkflowError(
            _("%(name)s is already deactivated.") % {"name": member.full_name}
        )
    member.is_active = False
    member.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="team.member_deactivated",
        obj=member,
        from_state="active",
        to_state="inactive",
        note=reason.strip(),
    )
    return member


@transaction.atomic
def reactivate_member(member, *, actor, reason=""):
    """Let a deactivated team member log in again.

    Side effects: ``is_active`` on, an audit event and a notification to the
    member.
    """
    member = _require_member(member, actor)
    if member.is_active:
        raise WorkflowError(
            _("%(name)s is already active.") % {"name": member.full_name}
        )
    member.is_active = True
    member.save(update_fields=["is_active"])
    record(
        actor=actor,
        action="team.member_reactivated",
        obj=member,
        from_state="inactive",
        to_state="active",
        note=reason.strip(),
    )
    notify(
        [member],
        action="team.member_reactivated",
        subject=gettext_lazy("Your account is active again"),
        body=gettext_lazy(
            "%(coordinator)s reactivated your account in the team of %(region)s."
        ),
        params={"coordinator": actor.full_name, "region": member.region},
        url=reverse("dashboard:home"),
    )
    return member


def team_members(region):
    """Everyone of the region's team (active or not), coordinators first."""
    from django.db.models import Exists, OuterRef

    from kotacerdas.accounts.models import UserRole

    coordinator = UserRole.objects.filter(user=OuterRef("pk"), role=Role.PARTICIPANT)
    return (
        User.objects.filter(
            region=region, roles__role__in=[Role.PARTICIPANT, Role.REGION_MEMBER]
        )
        .distinct()
        .annotate(is_coordinator=Exists(coordinator))
        .order_by("-is_coordinator", "-is_active", "full_name")
    )
