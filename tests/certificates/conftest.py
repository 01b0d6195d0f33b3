import pytest

from kotacerdas.certificates.models import CertificateKind, Signatory
from kotacerdas.certificates.services import ensure_pdf, issue_certificate
from tests.training.factories import admin_user, coordinator


@pytest.fixture
def admin(db):
    return admin_user(full_name="Ratna Wulandari")


@pytest.fixture
def holder(db):
    return coordinator(full_name="Sri Handayani")


@pytest.fixture
def signatory(db):
    return Signatory.objects.create(
        name="Dr. Hendra Gunawan", title_id="Ketua Umum PPTI", title_en="Chair of PPTI"
    )


TITLE = {"id": "Sertifikat Pelatihan", "en": "Training certificate"}
SCOPE = {
    "summary": {
        "id": "telah menyelesaikan pelatihan “Pelatihan Indikator Kota Cerdas”",
        "en": "has completed the training “Smart city indicator training”",
    },
    "items": [{"id": "Hadir 3 dari 3 hari.", "en": "Attended 3 of 3 days."}],
    "data": {},
}


@pytest.fixture
def issue(admin, holder):
    """Issue a training certificate to ``holder`` (or whoever is given)."""

    def _issue(kind=CertificateKind.TRAINING, *, user=None, pdf=True, **kwargs):
        user = user or holder
        kwargs.setdefault("title", TITLE)
        kwargs.setdefault("scope", SCOPE)
        certificate = issue_certificate(
            kind,
            actor=admin,
            holder_user=user,
            region=user.region,
            holder_name=user.full_name,
            **kwargs,
        )
        return ensure_pdf(certificate) if pdf else certificate

    return _issue
