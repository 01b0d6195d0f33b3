"""The domain functions' own rules: what they refuse, record and send."""

import pytest
from django.utils import translation

from kotacerdas.common.models import AuditEvent, Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.registrations import checklist, services
from kotacerdas.registrations.models import (
    IndicatorChange,
    Registration,
    RegistrationState,
    RoundOutcome,
)
from tests.registrations.factories import (
    PERIOD,
    all_passed,
    complete_draft,
    coordinator,
    indicators,
    member,
    one_failed,
    pdf_upload,
    registration_in,
)

pytestmark = pytest.mark.django_db


def test_second_active_registration_is_refused_with_a_clear_message(people):
    registration_in(RegistrationState.SUBMITTED, actor=people["coordinator"])

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.start_registration(
            actor=people["coordinator"],
            region=people["coordinator"].region,
            period=PERIOD,
        )

    assert refused.value.message == (
        "Kota Surakarta already has a registration for 2027 (submitted). "
        "Continue that one instead."
    )


def test_start_puts_the_region_users_on_the_team(people):
    registration = services.start_registration(
        actor=people["coordinator"], region=people["coordinator"].region, period=2030
    )

    assert set(registration.team.all()) == {people["coordinator"], people["member"]}


def test_submit_is_refused_with_every_missing_thing_named(people):
    registration = services.start_registration(
        actor=people["coordinator"], region=people["coordinator"].region, period=2030
    )

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.submit_registration(registration, actor=people["coordinator"])

    assert refused.value.message == (
        "Upload the application letter signed by the head of region. "
        "Upload the decree forming the smart city team. "
        "Upload the indicator implementation plan. "
        "Propose between 5 and 80 indicators; 0 are chosen now. "
        "Give the contact person and their phone number."
    )


def test_submit_of_an_accepted_registration_names_the_state_not_the_form(people):
    registration, actor, _admin = registration_in(
        RegistrationState.ACCEPTED, actor=people["coordinator"]
    )

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.submit_registration(registration, actor=actor)

    assert refused.value.message.startswith(
        "This cannot be done any more: it is now “accepted”."
    )


def test_submit_freezes_a_snapshot_in_a_new_round(people):
    registration = complete_draft(people["coordinator"])

    services.submit_registration(registration, actor=people["coordinator"])

    current = registration.rounds.get()
    assert (current.number, current.outcome, current.submitted_by) == (
        1,
        RoundOutcome.PENDING,
        people["coordinator"],
    )
    assert current.snapshot["indicators"] == [i.clause for i in indicators(6)]
    assert sorted(current.snapshot["documents"]) == sorted(Registration.DOCUMENT_FIELDS)
    assert [m["name"] for m in current.snapshot["team"]] == [
        "Sri Handayani",
        "Yusuf Hidayat",
    ]


def test_submit_notifies_every_admin(people):
    registration = complete_draft(people["coordinator"])

    services.submit_registration(registration, actor=people["coordinator"])

    assert list(
        Notification.objects.filter(action="registration.submitted").values_list(
            "recipient", flat=True
        )
    ) == [people["admin"].pk]


def test_external_submission_check_blocks_the_submission(people, monkeypatch):
    monkeypatch.setattr(
        checklist, "SUBMISSION_CHECKS", [lambda r: (["Pelatihan belum."], [])]
    )
    registration = complete_draft(people["coordinator"])

    with pytest.raises(WorkflowError) as refused:
        services.submit_registration(registration, actor=people["coordinator"])

    assert refused.value.message == "Pelatihan belum."


def test_returned_registration_can_be_resubmitted_and_keeps_both_rounds(people):
    registration, actor, admin = registration_in(
        RegistrationState.RETURNED, actor=people["coordinator"]
    )
    services.attach_document(
        registration, "team_decree", pdf_upload("sk-jelas.pdf", "terbaca"), actor=actor
    )

    services.submit_registration(registration, actor=actor)

    first, second = registration.rounds.order_by("number")
    assert (first.outcome, second.outcome) == (
        RoundOutcome.RETURNED,
        RoundOutcome.PENDING,
    )
    assert [(i.code, i.passed, i.note) for i in first.items.filter(passed=False)] == [
        ("team_decree", False, "Halaman tanda tangan tidak terbaca.")
    ]
    assert (
        first.snapshot["documents"]["team_decree"]["sha256"]
        != second.snapshot["documents"]["team_decree"]["sha256"]
    )


def test_return_needs_a_failed_item(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.return_registration(registration, actor=admin, items=all_passed())

    assert refused.value.message == (
        "Every item is in order; accept the registration instead."
    )


def test_return_needs_a_note_on_each_failed_item(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.return_registration(
            registration, actor=admin, items=one_failed(note="  ")
        )

    assert refused.value.message == (
        "Say for each failed item what the coordinator must fix."
    )


def test_return_needs_every_item_marked(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )
    items = one_failed()
    del items["trainings"]

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.return_registration(registration, actor=admin, items=items)

    assert refused.value.message == (
        "Mark every item of the checklist. Missing: "
        "The team's trainings meet the methodology's rules."
    )


def test_accept_fixes_the_agreed_set_with_a_reason_per_change(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )
    dropped = indicators(1)[0]
    extra = indicators(1, start=10)[0]

    services.accept_registration(
        registration,
        actor=admin,
        items=all_passed(),
        added={extra: "Data tersedia di BPS."},
        removed={dropped: "Tidak relevan untuk kota."},
    )

    assert set(registration.agreed_indicators.all()) == (
        set(indicators(6)) - {dropped}
    ) | {extra}
    assert sorted(
        registration.indicator_changes.values_list(
            "indicator__clause", "kind", "reason"
        )
    ) == sorted(
        [
            (extra.clause, IndicatorChange.Kind.ADDED, "Data tersedia di BPS."),
            (dropped.clause, IndicatorChange.Kind.REMOVED, "Tidak relevan untuk kota."),
        ]
    )


def test_accept_is_refused_while_an_item_is_not_in_order(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.accept_registration(registration, actor=admin, items=one_failed())

    assert refused.value.message == (
        "Not every item is in order (Decree forming the smart city team is present "
        "and legible); return the registration instead."
    )


def test_accept_refuses_a_change_without_a_reason(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )

    with pytest.raises(WorkflowError):
        services.accept_registration(
            registration,
            actor=admin,
            items=all_passed(),
            removed={indicators(1)[0]: " "},
        )

    assert registration.indicator_changes.count() == 0


def test_accept_refuses_adding_an_indicator_already_proposed(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )
    proposed = indicators(1)[0]

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.accept_registration(
            registration, actor=admin, items=all_passed(), added={proposed: "Ya."}
        )

    assert refused.value.message == (
        f"Already proposed, so it cannot be added: {proposed.clause}."
    )


def test_accept_refuses_removing_an_indicator_not_proposed(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )
    other = indicators(1, start=20)[0]

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.accept_registration(
            registration, actor=admin, items=all_passed(), removed={other: "Ya."}
        )

    assert refused.value.message == (
        f"Not proposed, so it cannot be removed: {other.clause}."
    )


def test_accept_refuses_an_agreed_set_below_the_bounds(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )
    removed = dict.fromkeys(indicators(2), "Kurang data.")

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.accept_registration(
            registration, actor=admin, items=all_passed(), removed=removed
        )

    assert refused.value.message == (
        "The agreed set must have between 5 and 80 indicators."
    )


def test_withdrawing_a_submitted_registration_closes_its_round(people):
    registration, actor, _admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )

    services.withdraw_registration(registration, actor=actor, note="Ditunda.")

    assert registration.rounds.get().outcome == RoundOutcome.WITHDRAWN
    assert Notification.objects.filter(
        action="registration.withdrawn", recipient=people["admin"]
    ).exists()


def test_reject_keeps_the_reason_on_the_round_and_the_trail(people):
    registration, _actor, admin = registration_in(
        RegistrationState.SUBMITTED, actor=people["coordinator"]
    )

    services.reject_registration(registration, actor=admin, note="Bukan Pemda.")

    assert registration.rounds.get().note == "Bukan Pemda."
    assert AuditEvent.objects.filter(
        action="registration.rejected", note="Bukan Pemda."
    ).exists()


def test_team_members_must_belong_to_the_region(people):
    registration = complete_draft(people["coordinator"])
    outsider = member("32.01")

    with translation.override("en"), pytest.raises(WorkflowError) as refused:
        services.save_draft(registration, actor=people["coordinator"], team=[outsider])

    assert refused.value.message == "Team members must belong to the region."
    assert outsider not in registration.team.all()


def test_another_coordinator_of_the_same_region_may_edit(people):
    registration = complete_draft(people["coordinator"])
    colleague = coordinator(full_name="Rekan Koordinator")

    services.save_draft(registration, actor=colleague, fields={"contact_name": "Rekan"})

    assert Registration.objects.get(pk=registration.pk).contact_name == "Rekan"
