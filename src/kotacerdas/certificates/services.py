"""Issuing certificates and changing their status: one function per change.

Every kind goes through ``issue_certificate``; the feature that earns the
certificate (a completed training, a passed stage) decides title and scope.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kotacerdas.certificates.models import (
    NUMBER_PREFIXES,
    Certificate,
    CertificateKind,
    CertificateState,
    CertificateStatusChange,
    NumberSequence,
    Signatory,
)
from kotacerdas.common.audit import record, register_actions
from kotacerdas.common.notifications import notify
from kotacerdas.common.uploads import store_upload
from kotacerdas.common.workflow import WorkflowError, change_state, lock, require

logger = logging.getLogger(__name__)

register_actions(
    {
        "certificate.issued": gettext_lazy("issued the certificate"),
        "certificate.pdf_rendered": gettext_lazy("produced the certificate PDF"),
        "certificate.suspended": gettext_lazy("suspended the certificate"),
        "certificate.reinstated": gettext_lazy("reinstated the certificate"),
        "certificate.revoked": gettext_lazy("revoked the certificate"),
    }
)


def format_number(kind, year, sequence):
    return f"{NUMBER_PREFIXES[kind]}-{year}-{sequence:04d}"


def next_number(kind, year):
    """Take the next sequence number of ``kind`` in ``year``; call inside a
    transaction.

    The sequence row stays locked until the caller's transaction ends, so a
    second issuing waits and then counts on. If the caller rolls back, the
    number was never used by anyone and is given again; a number that reached a
    certificate is never given twice. Returns ``(sequence, number)``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside transaction.atomic()")

    row = (
        NumberSequence.objects.select_for_update().filter(kind=kind, year=year).first()
    )
    if row is None:
        try:
            with transaction.atomic():
                row = NumberSequence.objects.create(kind=kind, year=year, last=0)
        except IntegrityError:
            # Another issuing created the year's row a moment ago: wait for it.
            row = NumberSequence.objects.select_for_update().get(kind=kind, year=year)
    row.last += 1
    row.save(update_fields=["last"])
    return row.last, format_number(kind, year, row.last)


def verification_path(number):
    """The public page of a certificate, with Indonesian URL words."""
    with translation.override("id"):
        return reverse("certificates:verify", args=[number])


def verification_url(number):
    from django.conf import settings

    return settings.SITE_URL + verification_path(number)


def _signatory_snapshot():
    return [
        {"name": s.name, "title": {"id": s.title_id, "en": s.title_en}}
        for s in Signatory.objects.filter(active=True).order_by("order", "name")
    ]


@transaction.atomic
def issue_certificate(
    kind,
    *,
    actor,
    holder_name,
    title,
    scope,
    holder_user=None,
    region=None,
    methodology=None,
    valid_until=None,
    issued_at=None,
    stage=None,
):
    """Give a new certificate of ``kind`` with the next free number.

    ``title`` is ``{"id", "en"}``; ``scope`` is described on ``Certificate``.
    The caller has checked that the certificate is earned.

    Side effects: takes a number (locking the year's sequence row), writes the
    certificate, the first public status line and an audit event, and after
    commit queues the task that produces the PDF and stores its SHA-256.
    """
    kind = CertificateKind(kind)
    issued_at = issued_at or timezone.now()
    year = timezone.localtime(issued_at).year
    sequence, number = next_number(kind, year)

    certificate = Certificate.objects.create(
        kind=kind,
        number=number,
        year=year,
        sequence=sequence,
        holder_user=holder_user,
        region=region,
        holder_name=holder_name,
        title=title,
        scope=scope,
        methodology=methodology,
        issued_at=issued_at,
        valid_until=valid_until,
        signatories=_signatory_snapshot(),
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        stage=stage,
    )
    _status_line(certificate, "", CertificateState.VALID, actor=actor, reason="")
    record(actor=actor, action="certificate.issued", obj=certificate, note=number)

    from kotacerdas.certificates.tasks import render_certificate_pdf

    transaction.on_commit(lambda pk=certificate.pk: render_certificate_pdf.enqueue(pk))
    logger.info("certificate %s issued", number)
    return certificate


def _status_line(certificate, from_state, to_state, *, actor, reason):
    actor = actor if actor is not None and actor.is_authenticated else None
    return CertificateStatusChange.objects.create(
        certificate=certificate,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        changed_by=actor,
        changed_by_label=(actor.full_name or actor.email) if actor else "",
    )


@transaction.atomic
def ensure_pdf(certificate):
    """Produce and keep the certificate's PDF once; later calls change nothing.

    Side effects, the first time only: the PDF in private storage (a StoredFile
    with no region, so only this app's checked download hands it out), the
    SHA-256 on the certificate and an audit event.
    """
    from kotacerdas.certificates.pdf import render_certificate

    certificate = lock(certificate)
    if certificate.pdf_id is not None:
        return certificate

    content = render_certificate(certificate)
    stored = store_upload(
        ContentFile(content, name=f"{certificate.number}.pdf"), user=None
    )
    certificate.pdf = stored
    certificate.sha256 = hashlib.sha256(content).hexdigest()
    certificate.save(update_fields=["pdf", "sha256"])
    record(actor=None, action="certificate.pdf_rendered", obj=certificate)
    return certificate


def is_genuine(certificate, uploaded):
    """Whether ``uploaded`` is byte for byte the PDF this certificate was given."""
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in iter(lambda: uploaded.read(1024 * 1024), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return bool(certificate.sha256) and digest.hexdigest() == certificate.sha256


_STATUS_CHANGES = {
    "suspend": (
        "certificate.suspended",
        gettext_lazy("Certificate suspended: %(number)s"),
    ),
    "reinstate": (
        "certificate.reinstated",
        gettext_lazy("Certificate reinstated: %(number)s"),
    ),
    "revoke": ("certificate.revoked", gettext_lazy("Certificate revoked: %(number)s")),
}


def _change_status(certificate, transition_name, *, actor, reason):
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Give the reason; it is shown on the public page."))

    with transaction.atomic():
        certificate = lock(certificate)
        require(actor, "certificates.change_status", certificate)
        from_state = certificate.state
        action, subject = _STATUS_CHANGES[transition_name]
        change_state(
            certificate, transition_name, actor=actor, action=action, note=reason
        )
        _status_line(
            certificate, from_state, certificate.state, actor=actor, reason=reason
        )
        notify(
            _holders(certificate),
            action=action,
            subject=subject,
            body=gettext_lazy(
                "The status of certificate %(number)s is now “%(status)s”. "
                "Reason: %(reason)s"
            ),
            params={
                "number": certificate.number,
                "status": certificate.get_state_display(),
                "reason": reason,
            },
            url=verification_path(certificate.number),
        )
    return certificate


def _holders(certificate):
    """Who hears of a status change: the person, or the region's coordinators."""
    from kotacerdas.accounts.models import Role, User

    if certificate.holder_user_id:
        return [certificate.holder_user]
    if certificate.region_id:
        return list(
            User.objects.filter(
                region_id=certificate.region_id,
                roles__role=Role.PARTICIPANT,
                is_active=True,
            ).distinct()
        )
    return []


def suspend_certificate(certificate, *, actor, reason):
    """Suspend a valid certificate for a stated reason.

    Side effects: the status, a public status line, an audit event and a
    notification to the holder.
    """
    return _change_status(certificate, "suspend", actor=actor, reason=reason)


def reinstate_certificate(certificate, *, actor, reason):
    """Make a suspended certificate valid again. Side effects as for suspending."""
    return _change_status(certificate, "reinstate", actor=actor, reason=reason)


def revoke_certificate(certificate, *, actor, reason):
    """Revoke a valid or suspended certificate for good; its number stays used.

    Side effects as for suspending.
    """
    return _change_status(certificate, "revoke", actor=actor, reason=reason)
