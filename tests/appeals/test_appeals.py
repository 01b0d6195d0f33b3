"""Appeals of a stage decision: the period, the handler, the outcome."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from kotacerdas.accounts.models import Role
from kotacerdas.appeals import services
from kotacerdas.appeals.models import Appeal, AppealState
from kotacerdas.assessments.models import Decision, StageState
from kotacerdas.certificates.readiness import (
    issue_readiness_certificate,
    stages_awaiting_certificate,
)
from kotacerdas.certificates.services import verification_path
from kotacerdas.common.models import AuditEvent, Notification
from kotacerdas.common.workflow import WorkflowError
from tests.assessments.factories import stage_in
from tests.certificates.test_readiness import not_passed_world
from tests.factories import UserFactory
from tests.maturity.factories_review import decided_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def w():
    return stage_in(StageState.DECIDED)


@pytest.fixture
def handler():
    return UserFactory(roles=[Role.ASSESSOR], full_name="Agus Salim")


def _file(w, **kwargs):
    kwargs.setdefault("grounds", "Bukti kebijakan tidak dipertimbangkan.")
    return services.file_appeal(w.stage, actor=w.coordinator, **kwargs)


def _assigned(w, handler):
    appeal = _file(w)
    return services.assign_handler(appeal, actor=w.admin, handler=handler)


def test_an_appeal_on_day_14_is_accepted(w):
    now = w.stage.decided_at + datetime.timedelta(days=14)

    appeal = _file(w, now=now)

    assert appeal.state == AppealState.FILED


def test_an_appeal_on_day_15_is_refused(w):
    now = w.stage.decided_at + datetime.timedelta(days=14, seconds=1)

    with pytest.raises(WorkflowError, match="appeal period of 14 days"):
        _file(w, now=now)


def test_a_second_open_appeal_is_refused(w):
    _file(w)

    with pytest.raises(WorkflowError, match="already has an open appeal"):
        _file(w)


def test_a_stage_not_decided_cannot_be_appealed():
    w = stage_in(StageState.ASSESSED)

    with pytest.raises(WorkflowError, match="Only a decided stage"):
        _file(w)


def test_another_regions_coordinator_cannot_file(w):
    with pytest.raises(PermissionDenied):
        services.file_appeal(w.stage, actor=w.outsider, grounds="x")


def test_filing_notifies_the_admins(w):
    _file(w)

    assert Notification.objects.filter(
        recipient=w.admin, action="appeal.filed"
    ).exists()


@pytest.mark.parametrize("who", ["lead", "second"])
def test_an_assessor_of_the_stage_cannot_handle_the_appeal(w, who):
    appeal = _file(w)

    with pytest.raises(WorkflowError, match="assessed this stage"):
        services.assign_handler(appeal, actor=w.admin, handler=getattr(w, who))


def test_a_region_user_cannot_handle_the_appeal(w):
    appeal = _file(w)

    with pytest.raises(WorkflowError, match="assessor or an admin"):
        services.assign_handler(appeal, actor=w.admin, handler=w.member_a)


def test_only_an_admin_assigns(w, handler):
    appeal = _file(w)

    with pytest.raises(PermissionDenied):
        services.assign_handler(appeal, actor=w.lead, handler=handler)


def test_assigning_notifies_the_handler(w, handler):
    _assigned(w, handler)

    assert Notification.objects.filter(
        recipient=handler, action="appeal.assigned"
    ).exists()


def test_only_the_handler_decides(w, handler):
    appeal = _assigned(w, handler)

    with pytest.raises(PermissionDenied):
        services.decide_appeal(appeal, actor=w.admin, outcome="upheld", note="x")


def test_upheld_keeps_the_decision(w, handler):
    appeal = _assigned(w, handler)

    services.decide_appeal(appeal, actor=handler, outcome="upheld", note="Tetap.")

    w.refresh()
    appeal.refresh_from_db()
    assert (appeal.state, appeal.outcome, w.stage.decision) == (
        AppealState.DECIDED,
        "upheld",
        Decision.PASSED,
    )


def test_changed_passed_revokes_the_certificate_with_the_reason(client, w, handler):
    certificate = issue_readiness_certificate(w.stage, actor=w.admin)
    appeal = _assigned(w, handler)

    services.decide_appeal(
        appeal, actor=handler, outcome="changed", note="Bukti P2 tidak sah."
    )

    certificate.refresh_from_db()
    w.refresh()
    assert (w.stage.decision, certificate.state) == (Decision.NOT_PASSED, "revoked")
    html = client.get(verification_path(certificate.number)).content.decode()
    assert 'data-status="revoked"' in html
    assert "Bukti P2 tidak sah." in html


def test_changing_the_decision_is_in_the_audit_trail(w, handler):
    appeal = _assigned(w, handler)

    services.decide_appeal(appeal, actor=handler, outcome="changed", note="Salah.")

    event = AuditEvent.objects.get(action="stage.decision_changed")
    assert (event.actor, event.note) == (handler, "passed → not passed: Salah.")


def test_changed_not_passed_waits_on_the_admins_pending_list(handler):
    w = not_passed_world()
    appeal = _assigned(w, handler)

    services.decide_appeal(appeal, actor=handler, outcome="changed", note="Benar.")

    assert list(stages_awaiting_certificate()) == [w.stage]
    assert Notification.objects.filter(
        recipient=w.admin, action="stage.decision_changed"
    ).exists()


def test_a_decided_appeal_allows_a_new_one(w, handler):
    appeal = _assigned(w, handler)
    services.decide_appeal(appeal, actor=handler, outcome="upheld", note="Tetap.")

    _file(w)

    assert Appeal.objects.filter(stage=w.stage).count() == 2


# Views: the permission matrix.


def _login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator", 200),
        ("member_a", 404),
        ("outsider", 404),
        ("lead", 404),
        ("admin", 404),
    ],
)
def test_file_form_access(client, w, who, status):
    response = _login(client, getattr(w, who)).get(
        reverse("appeals:file", args=[w.stage.pk])
    )

    assert response.status_code == status


def test_filing_through_the_form(client, w):
    response = _login(client, w.coordinator).post(
        reverse("appeals:file", args=[w.stage.pk]), {"grounds": "Keberatan."}
    )

    appeal = Appeal.objects.get()
    assert response.url == reverse("appeals:detail", args=[appeal.pk])


def test_a_late_appeal_through_the_form_keeps_the_grounds(client, w):
    w.stage.decided_at -= datetime.timedelta(days=20)
    w.stage.save(update_fields=["decided_at"])

    response = _login(client, w.coordinator).post(
        reverse("appeals:file", args=[w.stage.pk]), {"grounds": "Keberatan."}
    )

    assert response.status_code == 200
    assert "Keberatan." in response.content.decode()
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("coordinator", 404), ("outsider", 404), ("lead", 404)],
)
def test_list_access(client, w, who, status):
    response = _login(client, getattr(w, who)).get(reverse("appeals:list"))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("coordinator", 200),
        ("handler", 200),
        ("outsider", 404),
        ("member_a", 404),
        ("lead", 404),
    ],
)
def test_detail_access(client, w, handler, who, status):
    appeal = _assigned(w, handler)
    user = handler if who == "handler" else getattr(w, who)

    response = _login(client, user).get(reverse("appeals:detail", args=[appeal.pk]))

    assert response.status_code == status


def test_anonymous_is_sent_to_login(client, w):
    response = client.get(reverse("appeals:list"))

    assert response.status_code == 302


def test_assigning_a_team_assessor_through_the_form_shows_the_refusal(client, w):
    appeal = _file(w)

    response = _login(client, w.admin).post(
        reverse("appeals:assign", args=[appeal.pk]), {"handler": w.lead.pk}
    )

    assert response.status_code == 200
    assert "assessed this stage" in response.content.decode()


def test_deciding_through_the_form(client, w, handler):
    appeal = _assigned(w, handler)

    _login(client, handler).post(
        reverse("appeals:decide", args=[appeal.pk]),
        {"outcome": "upheld", "note": "Tetap."},
    )

    appeal.refresh_from_db()
    assert appeal.outcome == "upheld"


def test_the_list_with_one_appeal_takes_5_queries(client, w, django_assert_num_queries):
    _file(w)
    _login(client, w.admin)

    with django_assert_num_queries(5):
        client.get(reverse("appeals:list"))


def test_the_list_with_many_appeals_takes_5_queries(
    client, w, django_assert_num_queries
):
    for _ in range(4):
        Appeal.objects.create(
            stage=w.stage, grounds="x", filed_by=w.coordinator, state="decided"
        )
    _file(w)
    _login(client, w.admin)

    with django_assert_num_queries(5):
        response = client.get(reverse("appeals:list"))

    assert len(response.context["appeals"]) == 5


def test_the_stage_overview_links_the_coordinator_to_the_appeal_form(client, w):
    response = _login(client, w.coordinator).get(
        reverse("assessments:fill_overview", args=[w.stage.pk])
    )

    assert reverse("appeals:file", args=[w.stage.pk]) in response.content.decode()


def test_a_maturity_stage_cannot_be_changed_to_passed_without_a_tier(handler):
    w = decided_world(levels=1)
    assert w.stage.decision == Decision.NOT_PASSED
    appeal = _assigned(w, handler)

    with pytest.raises(WorkflowError, match="passes only by reaching a tier"):
        services.decide_appeal(appeal, actor=handler, outcome="changed", note="Naik.")

    appeal.refresh_from_db()
    w.refresh()
    assert (appeal.state, w.stage.decision) == (AppealState.ASSIGNED, "not_passed")
