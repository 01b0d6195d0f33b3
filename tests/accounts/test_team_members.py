"""The coordinator's team page: members, trainings, edits, (de)activation."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kotacerdas.accounts import team
from kotacerdas.common.audit import events_for
from kotacerdas.common.workflow import WorkflowError
from tests.factories import PASSWORD
from tests.training.factories import BOGOR, coordinator, member

pytestmark = pytest.mark.django_db


@pytest.fixture
def sri(db):
    return coordinator(full_name="Sri Handayani")


@pytest.fixture
def yusuf(db):
    return member(full_name="Yusuf Hidayat", agency="Bappeda", position="Analis Data")


def _logs_in(client, user):
    client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}
    )
    return client.session.get("_auth_user_id") == str(user.pk)


def test_the_team_page_lists_the_region_with_both_trainings(client, sri, yusuf):
    coordinator(BOGOR, full_name="Rina Marlina")
    client.force_login(sri)

    response = client.get("/en" + reverse("accounts:team"))

    rows = [
        (
            m.full_name,
            m.is_coordinator,
            m.agency,
            {k: str(v) for k, v in m.training.items()},
        )
        for m in response.context["members"]
    ]
    assert rows == [
        (
            "Sri Handayani",
            True,
            "Dinas Komunikasi dan Informatika",
            {"readiness": "none", "indicator": "none"},
        ),
        ("Yusuf Hidayat", False, "Bappeda", {"readiness": "none", "indicator": "none"}),
    ]


def test_the_team_page_shows_a_training_status(client, sri, yusuf):
    from kotacerdas.training.services import enrol
    from tests.training.factories import SessionFactory

    enrol(SessionFactory(), yusuf, actor=yusuf)
    client.force_login(sri)

    html = client.get("/en" + reverse("accounts:team")).content.decode()

    assert f'<tr data-member="{yusuf.pk}"' in html
    assert '<td data-training="indicator">Enrolled</td>' in html


def test_the_coordinator_changes_agency_and_position(sri, yusuf):
    team.update_member(
        yusuf, actor=sri, agency="Dinas Kesehatan", position="Kepala Seksi"
    )

    yusuf.refresh_from_db()
    event = events_for(yusuf).first()
    assert (yusuf.agency, yusuf.position) == ("Dinas Kesehatan", "Kepala Seksi")
    assert (event.action, event.data) == (
        "team.member_updated",
        {
            "agency": ["Bappeda", "Dinas Kesehatan"],
            "position": ["Analis Data", "Kepala Seksi"],
        },
    )


def test_an_unchanged_edit_records_nothing(sri, yusuf):
    before = events_for(yusuf).count()

    team.update_member(yusuf, actor=sri, agency="Bappeda", position="Analis Data")

    assert events_for(yusuf).count() == before


def test_deactivating_stops_the_login(client, sri, yusuf):
    team.deactivate_member(yusuf, actor=sri, reason="Pindah tugas.")

    logged_in = _logs_in(client, yusuf)

    yusuf.refresh_from_db()
    event = events_for(yusuf).first()
    assert (yusuf.is_active, logged_in) == (False, False)
    assert (event.action, event.from_state, event.to_state, event.note) == (
        "team.member_deactivated",
        "active",
        "inactive",
        "Pindah tugas.",
    )


def test_reactivating_lets_the_member_back_in(client, sri, yusuf):
    team.deactivate_member(yusuf, actor=sri)

    team.reactivate_member(yusuf, actor=sri, reason="Kembali ke tim.")

    assert _logs_in(client, yusuf) is True
    assert events_for(yusuf).first().action == "team.member_reactivated"


def test_deactivating_twice_is_refused(sri, yusuf):
    team.deactivate_member(yusuf, actor=sri)

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="already deactivated"),
    ):
        team.deactivate_member(yusuf, actor=sri)


def test_a_coordinator_cannot_deactivate_a_fellow_coordinator(sri):
    fellow = coordinator(full_name="Joko")

    with pytest.raises(PermissionDenied):
        team.deactivate_member(fellow, actor=sri)


def test_a_coordinator_of_another_region_cannot_touch_a_member(yusuf):
    with pytest.raises(PermissionDenied):
        team.deactivate_member(yusuf, actor=coordinator(BOGOR))


def test_a_deactivated_member_stays_on_the_team_page(client, sri, yusuf):
    team.deactivate_member(yusuf, actor=sri)
    client.force_login(sri)

    html = client.get(reverse("accounts:team")).content.decode()

    assert 'data-testid="inactive"' in html
    assert reverse("accounts:team_member_reactivate", args=[yusuf.pk]) in html


def test_the_edit_form_saves(client, sri, yusuf):
    client.force_login(sri)

    response = client.post(
        reverse("accounts:team_member_edit", args=[yusuf.pk]),
        {"agency": "Diskominfo", "position": "Pranata Komputer"},
    )

    yusuf.refresh_from_db()
    assert (response.status_code, yusuf.agency) == (302, "Diskominfo")


def test_an_invitation_refused_keeps_what_was_typed(client, sri, yusuf):
    client.force_login(sri)

    response = client.post(
        "/en" + reverse("accounts:team_invite"),
        {
            "email": yusuf.email,
            "agency": "Dinas Kesehatan",
            "position": "Analis",
            "language": "id",
        },
        follow=True,
    )

    form = response.context["invite_form"]
    assert form["agency"].value() == "Dinas Kesehatan"
    messages = [str(m) for m in response.context["messages"]]
    assert messages[0].startswith(f"An account with the address {yusuf.email}")


def test_an_invalid_invitation_form_shows_the_errors(client, sri):
    client.force_login(sri)

    response = client.post(
        "/en" + reverse("accounts:team_invite"),
        {"email": "bukan-alamat", "agency": "", "position": "Analis", "language": "id"},
    )

    assert response.status_code == 400
    assert set(response.context["invite_form"].errors) == {"email", "agency"}


def test_the_team_page_queries_do_not_grow_with_the_team(
    client, sri, django_assert_num_queries
):
    from kotacerdas.accounts.models import Invitation

    member()
    client.force_login(sri)
    client.get(reverse("accounts:team"))
    with django_assert_num_queries(10):
        client.get(reverse("accounts:team"))

    for number in range(4):
        member()
        team.invite_member(
            actor=sri,
            email=f"calon{number}@surakarta.go.id",
            agency="Dinas",
            position="Staf",
        )
    with django_assert_num_queries(10):
        response = client.get(reverse("accounts:team"))
    assert (len(response.context["members"]), Invitation.objects.count()) == (6, 4)
