"""Readiness certificates issued at the same moment, on real connections.

PostgreSQL only: it needs row locks and a connection per thread that sees
committed rows. A transactional test may flush only the certificate tables
(flushing accounts would take the session's reference data with it), so the
rows made outside them are removed by the test itself.
"""

import threading

import pytest
from django.db import connection, connections

from kotacerdas.certificates import tasks
from kotacerdas.certificates.models import Certificate, CertificateKind
from kotacerdas.certificates.services import issue_certificate
from kotacerdas.common.models import AuditEvent
from kotacerdas.regions.models import Region

pytestmark = pytest.mark.django_db(
    transaction=True, available_apps=["kotacerdas.certificates"]
)

THREADS = 8


class _NoPdf:
    """The PDF task is not what is raced here; eight renderings only cost time."""

    @staticmethod
    def enqueue(*_args):
        return None


@pytest.fixture
def clean_trail():
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    first = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    yield
    Certificate.objects.all().delete()
    AuditEvent.objects.filter(id__gt=first or 0).delete()


def test_concurrent_readiness_issuings_get_different_scr_numbers(
    clean_trail, monkeypatch
):
    monkeypatch.setattr(tasks, "render_certificate_pdf", _NoPdf)
    region = Region.objects.get(code="33.72")
    numbers, errors = [], []
    barrier = threading.Barrier(THREADS)

    def take():
        try:
            barrier.wait(timeout=10)
            certificate = issue_certificate(
                CertificateKind.READINESS,
                actor=None,
                region=region,
                holder_name=region.official_name,
                title={"id": "Sertifikat Kesiapan", "en": "Readiness certificate"},
                scope={},
            )
            numbers.append(certificate.number)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    year = Certificate.objects.values_list("year", flat=True).first()
    assert errors == []
    assert sorted(numbers) == [f"SCR-{year}-{n:04d}" for n in range(1, THREADS + 1)]
