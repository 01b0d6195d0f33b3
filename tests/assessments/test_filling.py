"""Opening a stage and filling it in (step 5), through the domain functions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from kotacerdas.assessments import services
from kotacerdas.assessments.models import (
    Evidence,
    ReadinessAnswer,
    Response,
    StageRecord,
    StageState,
)
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling.models import DataEntryWindow, Stage
from tests.assessments.factories import CODES, all_answers, open_stage, world
from tests.registrations.factories import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    w = world(indicator_count=3)
    open_stage(w)
    return w


def test_opening_creates_one_response_per_agreed_indicator(w):
    assert [r.indicator for r in w.stage.responses.order_by("indicator__sort_key")] == (
        w.indicators
    )
    assert w.stage.state == StageState.OPEN
    assert w.stage.methodology == w.registration.methodology


def test_opening_tells_the_regions_team(w):
    recipients = set(
        Notification.objects.filter(action="stage.opened").values_list(
            "recipient__full_name", flat=True
        )
    )
    assert recipients == {"Sri Handayani", "Yusuf Hidayat", "Ayu Lestari"}


def test_a_stage_cannot_open_without_its_window():
    w = world(indicator_count=1)
    DataEntryWindow.objects.filter(registration=w.registration).delete()

    with pytest.raises(WorkflowError) as refused:
        open_stage(w)

    assert refused.value.message == "Set the data-entry window of the stage first."
    assert not StageRecord.objects.exists()


def test_a_stage_of_a_registration_not_accepted_cannot_open():
    w = world(indicator_count=1)
    type(w.registration).objects.filter(pk=w.registration.pk).update(
        state=RegistrationState.WITHDRAWN
    )

    with pytest.raises(WorkflowError):
        open_stage(w)


def test_the_maturity_stage_cannot_open_yet():
    w = world(indicator_count=1)
    with pytest.raises(WorkflowError):
        services.open_stage(w.registration, actor=w.admin, stage=Stage.MATURITY)


def test_saving_part_of_a_response_keeps_what_was_typed(w):
    response = w.response(0)
    services.save_response(
        response, actor=w.coordinator, answers={"S1": {"explanation": "Dinas X"}}
    )
    services.save_response(
        response, actor=w.coordinator, answers={"S2": {"answer": "no"}}
    )

    rows = {
        a.criterion: (a.answer, a.explanation) for a in ReadinessAnswer.objects.all()
    }
    assert rows == {"S1": ("", "Dinas X"), "S2": ("no", "")}
    assert Response.objects.get(pk=response.pk).updated_by == w.coordinator


def test_an_unknown_answer_is_refused_with_a_clear_message(w):
    with pytest.raises(WorkflowError) as refused:
        services.save_response(
            w.response(0), actor=w.coordinator, answers={"S1": {"answer": "maybe"}}
        )
    assert refused.value.message == "Answer S1 with yes, partly or no."
    assert not ReadinessAnswer.objects.exists()


def test_an_unknown_criterion_is_refused(w):
    with pytest.raises(WorkflowError) as refused:
        services.save_response(
            w.response(0), actor=w.coordinator, answers={"X9": {"answer": "yes"}}
        )
    assert refused.value.message == "Unknown criteria: X9."


def test_every_saved_change_is_kept_in_the_field_history(w):
    response = w.response(0)
    for answer in ("no", "partly", "yes"):
        services.save_response(
            response,
            actor=w.coordinator,
            answers={"I1": {"answer": answer}},
        )

    saved = ReadinessAnswer.objects.get(criterion="I1")
    history = list(
        saved.history.order_by("history_date").values_list("answer", flat=True)
    )
    assert history == ["no", "partly", "yes"]
    assert {h.history_user for h in saved.history.all()} == {w.coordinator}


def test_a_closed_window_locks_the_responses(w):
    DataEntryWindow.objects.filter(registration=w.registration).update(
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(minutes=1),
    )

    with pytest.raises(WorkflowError) as refused:
        services.save_response(
            w.response(0), actor=w.coordinator, answers={"S1": {"answer": "yes"}}
        )
    assert refused.value.message == (
        "The data-entry window is closed; the responses are locked."
    )


def test_the_pre_submission_check_lists_what_is_missing(w):
    services.save_response(w.response(0), actor=w.coordinator, answers=all_answers())
    services.save_response(
        w.response(1),
        actor=w.coordinator,
        answers={**all_answers(), "P3": {"answer": "", "explanation": "Menyusul"}},
    )

    with pytest.raises(services.IncompleteError) as refused:
        services.submit_stage(w.stage, actor=w.coordinator)

    assert refused.value.missing == [
        (w.indicators[1], ["P3"]),
        (w.indicators[2], CODES),
    ]
    assert refused.value.message == (
        f"Answer every criterion first. Missing: {w.indicators[1].clause} (P3); "
        f"{w.indicators[2].clause} ({', '.join(CODES)})."
    )
    assert w.refresh().state == StageState.OPEN


def test_submitting_locks_editing_and_tells_the_assessors(w):
    for response in w.stage.responses.all():
        services.save_response(response, actor=w.coordinator, answers=all_answers())

    services.submit_stage(w.stage, actor=w.coordinator)

    w.refresh()
    assert services.can_edit_response(w.coordinator, w.response(0)) is False
    assert set(
        Notification.objects.filter(action="stage.submitted").values_list(
            "recipient__full_name", flat=True
        )
    ) == {"Budi Santoso", "Dewi Lestari", "Ratna Wulandari"}


def test_a_member_fills_the_indicator_assigned_to_them(w):
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)

    services.save_response(
        w.response(0), actor=w.member_a, answers={"S1": {"answer": "yes"}}
    )

    assert ReadinessAnswer.objects.get().response == w.response(0)
    assert Notification.objects.filter(
        recipient=w.member_a, action="stage.response_assigned"
    ).exists()


def test_a_member_cannot_edit_another_members_indicator(w):
    services.assign_response(w.response(0), actor=w.coordinator, member=w.member_a)
    services.assign_response(w.response(1), actor=w.coordinator, member=w.member_b)

    with pytest.raises(PermissionDenied):
        services.save_response(
            w.response(1), actor=w.member_a, answers={"S1": {"answer": "no"}}
        )
    assert not ReadinessAnswer.objects.exists()


def test_a_member_cannot_edit_an_unassigned_indicator(w):
    with pytest.raises(PermissionDenied):
        services.save_response(
            w.response(2), actor=w.member_a, answers={"S1": {"answer": "no"}}
        )


def test_another_regions_coordinator_is_refused(w):
    with pytest.raises(PermissionDenied):
        services.save_response(
            w.response(0), actor=w.outsider, answers={"S1": {"answer": "no"}}
        )
    with pytest.raises(PermissionDenied):
        services.submit_stage(w.stage, actor=w.outsider)
    with pytest.raises(PermissionDenied):
        services.assign_response(w.response(0), actor=w.outsider, member=w.outsider)


def test_indicators_go_only_to_the_regions_team(w):
    with pytest.raises(WorkflowError):
        services.assign_response(w.response(0), actor=w.coordinator, member=w.outsider)
    assert w.response(0).assigned_to is None


def test_evidence_can_be_a_checked_file(w):
    evidence = services.add_evidence(
        w.response(0),
        actor=w.coordinator,
        label="SK wali data",
        uploaded=pdf_upload("sk.pdf"),
    )

    assert evidence.file.original_name == "sk.pdf"
    assert evidence.file.region == w.registration.region


def test_evidence_is_either_a_file_or_a_link(w):
    with pytest.raises(WorkflowError):
        services.add_evidence(
            w.response(0),
            actor=w.coordinator,
            label="Keduanya",
            uploaded=pdf_upload(),
            url="https://example.test/",
        )
    assert not Evidence.objects.exists()


def test_an_assessor_on_the_team_may_download_the_evidence(w):
    evidence = services.add_evidence(
        w.response(0), actor=w.coordinator, label="SK", uploaded=pdf_upload()
    )
    stranger = type(w.lead).objects.create_user(
        email="lain@example.test", password="x" * 12
    )

    assert w.second.has_perm("common.view_storedfile", evidence.file) is True
    assert stranger.has_perm("common.view_storedfile", evidence.file) is False


def test_a_window_not_yet_open_keeps_the_responses_closed(w):
    DataEntryWindow.objects.filter(registration=w.registration).update(
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=30),
    )

    with pytest.raises(WorkflowError) as refused:
        services.save_response(
            w.response(0), actor=w.coordinator, answers={"S1": {"answer": "yes"}}
        )
    assert refused.value.message == "The data-entry window has not opened yet."


def test_opening_is_in_the_audit_trail_with_the_methodology_version(w):
    from kotacerdas.common.audit import events_for

    event = events_for(w.stage).get(action="stage.opened")
    assert (event.actor, event.from_state, event.to_state, event.note) == (
        w.admin,
        "not_open",
        "open",
        "Methodology version 1",
    )
