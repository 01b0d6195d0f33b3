"""Certificate numbers: per kind and year, counting up, never given twice."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections, transaction

from kotacerdas.certificates.models import Certificate, CertificateKind, NumberSequence
from kotacerdas.certificates.services import next_number

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")


def test_first_training_certificate_of_a_year_is_number_one(issue):
    certificate = issue(issued_at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA), pdf=False)

    assert (certificate.number, certificate.year, certificate.sequence) == (
        "TRN-2026-0001",
        2026,
        1,
    )


def test_second_training_certificate_takes_the_next_number(issue):
    issue(issued_at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA), pdf=False)

    second = issue(issued_at=datetime(2026, 3, 3, 9, tzinfo=JAKARTA), pdf=False)

    assert second.number == "TRN-2026-0002"


def test_each_kind_counts_on_its_own(issue):
    issue(
        CertificateKind.TRAINING,
        pdf=False,
        issued_at=datetime(2026, 5, 1, tzinfo=JAKARTA),
    )

    readiness = issue(
        CertificateKind.READINESS,
        pdf=False,
        issued_at=datetime(2026, 5, 1, tzinfo=JAKARTA),
    )
    maturity = issue(
        CertificateKind.MATURITY,
        pdf=False,
        issued_at=datetime(2026, 5, 1, tzinfo=JAKARTA),
    )

    assert (readiness.number, maturity.number) == ("SCR-2026-0001", "SCM-2026-0001")


def test_a_new_year_starts_again_at_one(issue):
    issue(issued_at=datetime(2026, 12, 31, 23, 0, tzinfo=JAKARTA), pdf=False)

    january = issue(issued_at=datetime(2027, 1, 1, 0, 30, tzinfo=JAKARTA), pdf=False)

    assert january.number == "TRN-2027-0001"


def test_the_year_is_that_of_jakarta_not_utc(issue):
    # 31 December 18:00 UTC is already 1 January in Jakarta.
    certificate = issue(
        issued_at=datetime(2026, 12, 31, 18, 0, tzinfo=ZoneInfo("UTC")), pdf=False
    )

    assert certificate.number == "TRN-2027-0001"


def test_a_revoked_certificate_keeps_its_number_used(issue, admin):
    from kotacerdas.certificates.services import revoke_certificate

    first = issue(issued_at=datetime(2026, 4, 1, tzinfo=JAKARTA), pdf=False)
    revoke_certificate(first, actor=admin, reason="Diterbitkan karena kekeliruan data.")

    second = issue(issued_at=datetime(2026, 4, 2, tzinfo=JAKARTA), pdf=False)

    assert second.number == "TRN-2026-0002"


def test_a_number_taken_in_a_rolled_back_issuing_goes_to_the_next_certificate(issue):
    with pytest.raises(RuntimeError), transaction.atomic():
        issue(issued_at=datetime(2026, 6, 1, tzinfo=JAKARTA), pdf=False)
        raise RuntimeError("the caller failed after issuing")

    certificate = issue(issued_at=datetime(2026, 6, 1, tzinfo=JAKARTA), pdf=False)

    assert (certificate.number, Certificate.objects.count()) == ("TRN-2026-0001", 1)


def test_next_number_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        # The test's own transaction is bypassed by asking the connection directly.
        connection.in_atomic_block, saved = False, connection.in_atomic_block
        try:
            next_number(CertificateKind.TRAINING, 2026)
        finally:
            connection.in_atomic_block = saved


def test_next_number_locks_the_sequence_row():
    from django.test.utils import CaptureQueriesContext

    NumberSequence.objects.create(kind=CertificateKind.TRAINING, year=2026, last=4)

    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        next_number(CertificateKind.TRAINING, 2026)

    selects = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in selects[0]
    assert NumberSequence.objects.get(year=2026).last == 5


@pytest.mark.django_db(transaction=True, available_apps=["kotacerdas.certificates"])
def test_concurrent_issuings_get_different_numbers():
    """Eight threads take numbers at once; each gets its own, none is skipped.

    Needs real row locks, so it runs on PostgreSQL only; SQLite serialises
    writers with its IMMEDIATE transactions instead.
    """
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")

    numbers, errors = [], []
    barrier = threading.Barrier(8)

    def take():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                numbers.append(next_number(CertificateKind.TRAINING, 2031)[1])
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert sorted(numbers) == [f"TRN-2031-{n:04d}" for n in range(1, 9)]
