"""Who may download a certificate, change its status or list it."""

import pytest
from django.urls import reverse

from kotacerdas.certificates.services import ensure_pdf, issue_certificate
from tests.training.factories import member, people

pytestmark = pytest.mark.django_db

TITLE = {"id": "Sertifikat Pelatihan", "en": "Training certificate"}


@pytest.fixture
def everyone(db):
    return people()


@pytest.fixture
def certificate(everyone):
    """The training certificate of the team member of Kota Surakarta."""
    holder = everyone["member"]
    return issue_certificate(
        "training",
        actor=everyone["admin"],
        holder_user=holder,
        region=holder.region,
        holder_name=holder.full_name,
        title=TITLE,
        scope={},
    )


def _finish(response):
    """Read a file response to its end, which closes it as a server would.

    Calling ``close()`` directly would also close the test's database
    connection on PostgreSQL.
    """
    if response.streaming:
        b"".join(response.streaming_content)


def _client(client, everyone, role):
    if role != "anonymous":
        client.force_login(everyone[role])
    return client


# role -> (download, status page)
MATRIX = {
    "coordinator": (200, 404),
    "member": (200, 404),
    "other_coordinator": (404, 404),
    "assessor": (404, 404),
    "instructor": (404, 404),
    "admin": (200, 200),
    "anonymous": (302, 302),
}


@pytest.mark.parametrize("role", MATRIX)
def test_download_permission(client, everyone, certificate, role):
    response = _client(client, everyone, role).get(
        reverse("certificates:download", args=[certificate.number])
    )
    _finish(response)

    assert response.status_code == MATRIX[role][0]


@pytest.mark.parametrize("role", MATRIX)
def test_status_page_permission(client, everyone, certificate, role):
    response = _client(client, everyone, role).get(
        reverse("certificates:status", args=[certificate.number])
    )

    assert response.status_code == MATRIX[role][1]


@pytest.mark.parametrize("role", MATRIX)
def test_verification_page_is_open_to_all(client, everyone, certificate, role):
    response = _client(client, everyone, role).get(
        reverse("certificates:verify", args=[certificate.number])
    )

    assert response.status_code == 200


def test_a_colleague_cannot_download_a_members_training_certificate(
    client, certificate
):
    client.force_login(member(full_name="Rekan Kerja"))

    response = client.get(reverse("certificates:download", args=[certificate.number]))

    assert response.status_code == 404


def test_the_download_is_the_stored_pdf(client, everyone, certificate):
    client.force_login(everyone["member"])
    certificate = ensure_pdf(certificate)

    response = client.get(reverse("certificates:download", args=[certificate.number]))

    content = b"".join(response.streaming_content)
    with certificate.pdf.file.open("rb") as handle:
        assert content == handle.read()
    assert response["Content-Disposition"] == (
        f'attachment; filename="{certificate.number}.pdf"'
    )


def test_the_download_produces_a_missing_pdf(client, everyone, certificate):
    client.force_login(everyone["member"])

    response = client.get(reverse("certificates:download", args=[certificate.number]))
    _finish(response)

    certificate.refresh_from_db()
    assert (response.status_code, len(certificate.sha256)) == (200, 64)


def test_the_pdf_cannot_be_fetched_through_the_general_download(
    client, everyone, certificate
):
    certificate = ensure_pdf(certificate)
    client.force_login(everyone["coordinator"])

    response = client.get(reverse("common:download", args=[certificate.pdf_id]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("member", ["TRN"]),
        ("coordinator", ["TRN"]),
        ("other_coordinator", []),
        ("assessor", []),
        ("admin", ["TRN"]),
    ],
)
def test_the_list_shows_what_the_user_may_download(
    client, everyone, certificate, role, visible
):
    client.force_login(everyone[role])

    response = client.get(reverse("certificates:list"))

    assert [c.number[:3] for c in response.context["page"]] == visible


def test_admin_changes_the_status_through_the_page(client, everyone, certificate):
    client.force_login(everyone["admin"])

    response = client.post(
        reverse("certificates:status", args=[certificate.number]),
        {"action": "suspend", "reason": "Data diperiksa ulang."},
    )

    certificate.refresh_from_db()
    assert (response.status_code, certificate.state) == (302, "suspended")


def test_a_refused_change_keeps_the_reason_typed(client, everyone, certificate):
    from kotacerdas.certificates.services import revoke_certificate

    client.force_login(everyone["admin"])
    page = client.get(reverse("certificates:status", args=[certificate.number]))
    revoke_certificate(certificate, actor=everyone["admin"], reason="Dicabut.")

    response = client.post(
        reverse("certificates:status", args=[certificate.number]),
        {"action": "suspend", "reason": "Alasan panjang yang diketik."},
    )

    assert page.status_code == 200
    assert response.status_code == 200
    assert response.context["form"]["reason"].value() == "Alasan panjang yang diketik."


def test_the_list_makes_a_constant_number_of_queries(
    client, everyone, django_assert_num_queries
):
    client.force_login(everyone["admin"])
    holder = everyone["member"]

    def issue():
        issue_certificate(
            "training",
            actor=everyone["admin"],
            holder_user=holder,
            region=holder.region,
            holder_name=holder.full_name,
            title=TITLE,
            scope={},
        )

    issue()
    client.get(reverse("certificates:list"))
    with django_assert_num_queries(6):
        client.get(reverse("certificates:list"))
    for _ in range(4):
        issue()
    with django_assert_num_queries(6):
        client.get(reverse("certificates:list"))
