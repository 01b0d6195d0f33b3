"""The Smart City Maturity certificate: issued at M1 and not below, its scope,
its PDF, its public verification page and the registry."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kotacerdas.certificates.models import Certificate, CertificateKind
from kotacerdas.certificates.pdf import render_certificate
from kotacerdas.certificates.services import revoke_certificate
from kotacerdas.maturity import report as reports
from kotacerdas.maturity.certificate import maturity_content
from tests.maturity.factories_review import decided_world
from tests.maturity.test_report_services import drafted, published

pytestmark = pytest.mark.django_db


def test_m1_earns_an_scm_certificate_with_the_report_figures():
    w = decided_world()
    report = published(w)
    certificate = Certificate.objects.get(stage=w.stage)
    year = timezone.localtime(certificate.issued_at).year
    assert certificate.number == f"SCM-{year}-0001"
    assert certificate.kind == CertificateKind.MATURITY
    assert certificate.region == w.registration.region
    assert certificate.holder_name == "Kota Surakarta"
    assert certificate.methodology == w.stage.methodology
    # Valid to the end of the next period.
    assert certificate.valid_until == datetime.date(w.registration.period + 1, 12, 31)
    data = certificate.scope["data"]
    assert (data["index"], data["tier"], data["verified_count"]) == ("3.00", "M1", 6)
    assert data["predicate"] == {"id": "Baik", "en": "Good"}
    assert data["covered"] == [i.clause for i in w.indicators]
    assert data["methodology_version"] == 1
    english = [item["en"] for item in certificate.scope["items"]]
    assert english[:3] == [
        "Maturity Index: 3.00",
        "Rating: Good",
        "Tier: M1 Pratama (Bronze)",
    ]
    assert english[3] == "Indicators covered (ISO 37122 clauses): 6"
    assert english[4] == ", ".join(i.clause for i in w.indicators)
    assert report.tier == "M1"


def test_below_m1_no_certificate():
    # Levels 2, 2, 1, 2 in economy (5.1–5.4) = 1.75 and 2, 1 in people (6.1,
    # 6.2) = 1.50: index 1.625, rounded half up 1.63, below M1's 1.8.
    w = decided_world(levels=[2, 2, 1, 2, 2, 1])
    report = published(w)
    assert str(report.index) == "1.63"
    assert report.tier == ""
    assert not Certificate.objects.filter(stage=w.stage).exists()


def test_a_revoked_certificate_is_followed_by_a_new_one_on_correction():
    w = decided_world()
    published(w)
    first = Certificate.objects.get(stage=w.stage)
    revoke_certificate(first, actor=w.admin, reason="Data dikoreksi.")
    second_version = reports.start_report(w.stage, actor=w.lead)
    reports.publish_report(second_version, actor=w.admin, correction_note="Koreksi.")
    numbers = sorted(
        Certificate.objects.filter(stage=w.stage).values_list("number", flat=True)
    )
    assert len(numbers) == 2 and numbers[0] == first.number


def test_a_draft_issues_nothing():
    w = decided_world()
    drafted(w)
    assert not Certificate.objects.filter(stage=w.stage).exists()


@pytest.mark.parametrize("count", [6, 40, 80])
def test_the_certificate_pdf_states_index_rating_and_tier(count):
    w = decided_world(indicator_count=count)
    published(w)
    certificate = Certificate.objects.get(stage=w.stage)
    reader = PdfReader(io.BytesIO(render_certificate(certificate)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert certificate.number in text
    assert "Kota Surakarta" in text
    tier = certificate.scope["data"]["tier"]
    assert "3.00" in text and tier in text
    # Every covered clause is printed, even with many indicators.
    clauses = [i.clause for i in w.indicators]
    assert text.replace("\n", " ").count(", ".join(clauses[:3])) == 1
    for clause in clauses:
        assert clause in text
    # The front holds it all: the lowest line of the clauses stays above the
    # issue date and validity printed from y = 140 down.
    lowest = []

    def visit(text, cm, tm, font, size):
        if clauses[-1] in text:
            lowest.append(cm[5] + tm[5])

    reader.pages[0].extract_text(visitor_text=visit)
    assert lowest and min(lowest) > 150
    assert f"Tier: {tier} " in text
    assert len(reader.pages) == 1


def test_the_public_verification_page_of_an_scm_number(client):
    w = decided_world()
    published(w)
    certificate = Certificate.objects.get(stage=w.stage)
    # Anonymous, in English.
    response = client.get(
        reverse("certificates:verify", args=[certificate.number]),
        headers={"accept-language": "en"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert certificate.number in html
    assert "Kota Surakarta" in html
    assert "M1" in html
    # The lookup form finds it by number too.
    response = client.get(
        reverse("certificates:lookup"), {"number": certificate.number}
    )
    assert response.status_code == 302
    # The public registry lists it.
    html = client.get(reverse("certificates:registry")).content.decode()
    assert certificate.number in html


def test_content_is_bilingual():
    w = decided_world()
    report = published(w)
    title, scope = maturity_content(w.stage, report.result)
    assert title["en"] == "Smart City Maturity Certificate"
    assert "M1 Pratama (Bronze)" in scope["summary"]["en"]
    assert "M1 Pratama (Perunggu)" in scope["summary"]["id"]
