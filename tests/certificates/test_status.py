"""Suspending, reinstating and revoking: from every state, with a public line."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from kotacerdas.certificates.models import CertificateState, PublicStatus
from kotacerdas.certificates.services import (
    reinstate_certificate,
    revoke_certificate,
    suspend_certificate,
)
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from tests.training.factories import coordinator

pytestmark = pytest.mark.django_db

S = CertificateState
FUNCTIONS = {
    "suspend": suspend_certificate,
    "reinstate": reinstate_certificate,
    "revoke": revoke_certificate,
}
# (function, from state) -> to state, or None where the change is refused.
TABLE = [
    ("suspend", S.VALID, S.SUSPENDED),
    ("suspend", S.SUSPENDED, None),
    ("suspend", S.REVOKED, None),
    ("reinstate", S.VALID, None),
    ("reinstate", S.SUSPENDED, S.VALID),
    ("reinstate", S.REVOKED, None),
    ("revoke", S.VALID, S.REVOKED),
    ("revoke", S.SUSPENDED, S.REVOKED),
    ("revoke", S.REVOKED, None),
]


def _in_state(certificate, state, admin):
    if state == S.SUSPENDED:
        suspend_certificate(certificate, actor=admin, reason="Diperiksa ulang.")
    elif state == S.REVOKED:
        revoke_certificate(certificate, actor=admin, reason="Dicabut.")
    certificate.refresh_from_db()
    return certificate


@pytest.mark.parametrize(("name", "source", "target"), TABLE)
def test_status_change_from_every_state(issue, admin, name, source, target):
    certificate = _in_state(issue(pdf=False), source, admin)

    if target is None:
        with pytest.raises(WorkflowError):
            FUNCTIONS[name](certificate, actor=admin, reason="Alasan.")
        certificate.refresh_from_db()
        assert certificate.state == source
    else:
        FUNCTIONS[name](certificate, actor=admin, reason="Alasan.")
        certificate.refresh_from_db()
        assert certificate.state == target


def test_a_status_change_needs_a_reason(issue, admin):
    certificate = issue(pdf=False)

    with translation.override("en"), pytest.raises(WorkflowError, match="reason"):
        suspend_certificate(certificate, actor=admin, reason="   ")


def test_only_an_admin_changes_a_status(issue, holder):
    certificate = issue(pdf=False)

    with pytest.raises(PermissionDenied):
        revoke_certificate(certificate, actor=holder, reason="Saya sendiri.")


def test_each_change_adds_a_public_line_with_reason_and_actor(issue, admin):
    certificate = issue(pdf=False)

    suspend_certificate(certificate, actor=admin, reason="Data sedang diperiksa.")

    lines = [
        (c.from_state, c.to_state, c.reason, c.changed_by_label)
        for c in certificate.status_changes.all()
    ]
    assert lines == [
        ("", "valid", "", "Ratna Wulandari"),
        ("valid", "suspended", "Data sedang diperiksa.", "Ratna Wulandari"),
    ]


def test_the_holder_is_told_of_a_change(issue, admin, holder):
    certificate = issue(pdf=False)

    revoke_certificate(certificate, actor=admin, reason="Kekeliruan data.")

    notification = Notification.objects.get(recipient=holder)
    assert notification.body.endswith("Kekeliruan data.")
    assert notification.url == f"/verifikasi/{certificate.number}"


def test_a_region_certificate_tells_the_region_coordinators(issue, admin, holder):
    from kotacerdas.certificates.services import issue_certificate

    other = coordinator(full_name="Joko Widodo")
    certificate = issue_certificate(
        "readiness",
        actor=admin,
        region=holder.region,
        holder_name="Kota Surakarta",
        title={"id": "Sertifikat", "en": "Certificate"},
        scope={},
    )

    suspend_certificate(certificate, actor=admin, reason="Diperiksa.")

    assert set(Notification.objects.values_list("recipient__full_name", flat=True)) == {
        "Sri Handayani",
        "Joko Widodo",
    }
    assert other.region == holder.region


@pytest.mark.parametrize(
    ("state", "days", "expected"),
    [
        (S.VALID, 1, PublicStatus.VALID),
        (S.VALID, 0, PublicStatus.VALID),
        (S.VALID, -1, PublicStatus.EXPIRED),
        (S.SUSPENDED, -1, PublicStatus.SUSPENDED),
        (S.REVOKED, -1, PublicStatus.REVOKED),
    ],
)
def test_expired_is_derived_from_the_validity_date(issue, admin, state, days, expected):
    certificate = issue(
        pdf=False, valid_until=timezone.localdate() + timedelta(days=days)
    )
    certificate = _in_state(certificate, state, admin)

    assert certificate.public_status == expected


def test_a_certificate_without_validity_date_never_expires(issue):
    certificate = issue(pdf=False)

    assert (certificate.valid_until, certificate.public_status) == (
        None,
        PublicStatus.VALID,
    )
