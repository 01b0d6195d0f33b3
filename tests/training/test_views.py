"""The training pages: forms, messages, and query counts of the lists."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from kotacerdas.training.models import (
    Attendance,
    EnrolmentState,
    ReadinessTrainingRecord,
    RecordState,
    ReferralState,
)
from kotacerdas.training.services import (
    enrol,
    record_attendance,
    record_readiness_training,
    request_referral,
    withdraw,
)
from tests.training import factories
from tests.training.factories import SessionFactory, pdf_upload, running_session

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _record(user, actor=None, number="SCR-1"):
    return record_readiness_training(
        actor=actor or user,
        user=user,
        provider="Litbang Kemkominfo",
        completed_on=date(2026, 3, 3),
        certificate_number=number,
        uploaded=pdf_upload(),
    )


def test_a_coordinator_records_a_members_training_with_the_form(
    client, coordinator, member
):
    client.force_login(coordinator)

    response = client.post(
        "/en" + reverse("training:readiness_create"),
        {
            "user": member.pk,
            "provider": "Litbang Kemkominfo",
            "completed_on": "2026-08-17",
            "certificate_number": "SCR-KOM-77",
            "certificate": pdf_upload(),
        },
    )

    created = ReadinessTrainingRecord.objects.get()
    assert (response.status_code, created.user, created.certificate_number) == (
        302,
        member,
        "SCR-KOM-77",
    )
    assert _messages(response) == [
        "The training of Yusuf Hidayat is recorded; the institute will verify it."
    ]


def test_a_bad_upload_keeps_what_was_typed(client, member):
    client.force_login(member)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/en" + reverse("training:readiness_create"),
        {
            "user": member.pk,
            "provider": "Litbang Kemkominfo",
            "completed_on": "2026-08-17",
            "certificate_number": "SCR-KOM-77",
            "certificate": SimpleUploadedFile("sertifikat.pdf", b"MZ\x90\x00" * 20),
        },
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form["certificate_number"].value() == "SCR-KOM-77"
    assert form.errors["certificate"][0].startswith("The content of “sertifikat.pdf”")


def test_a_member_cannot_record_for_a_colleague_through_the_form(
    client, member, coordinator
):
    client.force_login(member)

    response = client.post(
        reverse("training:readiness_create"),
        {
            "user": coordinator.pk,
            "provider": "Litbang Kemkominfo",
            "completed_on": "2026-08-17",
            "certificate_number": "SCR-KOM-77",
            "certificate": pdf_upload(),
        },
    )

    assert response.status_code == 200
    assert ReadinessTrainingRecord.objects.filter(user=coordinator).count() == 0


def test_rejecting_without_a_reason_shows_the_form_again(client, admin, member):
    training_record = _record(member)
    client.force_login(admin)

    response = client.post(
        "/en" + reverse("training:readiness_decide", args=[training_record.pk]),
        {"action": "reject", "reason": ""},
    )

    training_record.refresh_from_db()
    assert (response.status_code, training_record.state) == (400, RecordState.PENDING)
    assert response.context["reject_form"].errors["reason"] == [
        "This field is required."
    ]


def test_a_decision_taken_twice_is_a_message_not_an_error(client, admin, member):
    training_record = _record(member)
    client.force_login(admin)
    url = "/en" + reverse("training:readiness_decide", args=[training_record.pk])
    client.post(url, {"action": "verify"})

    response = client.post(url, {"action": "verify"}, follow=True)

    assert response.status_code == 200
    assert _messages(response)[-1].startswith("This cannot be done any more")


def test_the_overview_shows_each_members_status(client, coordinator, member):
    _record(member, actor=coordinator)
    client.force_login(coordinator)

    response = client.get(reverse("training:readiness_overview"))

    assert [
        (row["person"].full_name, row["status"]) for row in response.context["rows"]
    ] == [
        ("Sri Handayani", "none"),
        ("Yusuf Hidayat", "pending"),
    ]


def test_asking_for_help_creates_a_referral(client, coordinator, member):
    client.force_login(coordinator)

    client.post(reverse("training:referral_request"), {"user": member.pk})

    assert member.referrals.get().state == ReferralState.REQUESTED


def test_cancelling_a_referral_without_a_reason_is_refused(
    client, admin, coordinator, member
):
    referral = request_referral(actor=coordinator, user=member)
    client.force_login(admin)

    response = client.post(
        "/en" + reverse("training:referral_detail", args=[referral.pk]),
        {"action": "cancel", "reason": ""},
    )

    referral.refresh_from_db()
    assert referral.state == ReferralState.REQUESTED
    assert response.context["form"].errors["reason"] == [
        "Give the reason for cancelling."
    ]


def test_the_referral_form_offers_only_the_next_steps(
    client, admin, coordinator, member
):
    referral = request_referral(actor=coordinator, user=member)
    client.force_login(admin)

    response = client.get(reverse("training:referral_detail", args=[referral.pk]))

    assert [
        value for value, _label in response.context["form"].fields["action"].choices
    ] == [
        "send",
        "cancel",
    ]


def test_enrolling_into_a_full_session_says_waiting_list(client, coordinator, member):
    session = SessionFactory(capacity=1)
    enrol(session, coordinator, actor=coordinator)
    client.force_login(member)

    response = client.post("/en" + reverse("training:session_enrol", args=[session.pk]))

    assert _messages(response) == [
        "The session is full: Yusuf Hidayat is on the waiting list."
    ]


def test_withdrawing_twice_is_a_message_not_an_error(client, member):
    session = SessionFactory()
    enrolment = enrol(session, member, actor=member)
    withdraw(enrolment, actor=member)
    client.force_login(member)

    response = client.post(
        "/en" + reverse("training:enrolment_withdraw", args=[enrolment.pk]), follow=True
    )

    assert response.status_code == 200
    assert _messages(response)[-1].startswith("This cannot be done any more")


def test_the_instructor_saves_a_days_attendance(client, instructor, admin, member):
    session = running_session(instructors=[instructor])
    enrolment = enrol(session, member, actor=admin)
    client.force_login(instructor)

    response = client.post(
        reverse("training:session_attendance", args=[session.pk]),
        {"day": session.days[1].isoformat(), "present": [str(enrolment.pk)]},
    )

    assert response["Location"] == (
        reverse("training:session_detail", args=[session.pk])
        + f"?hari={session.days[1].isoformat()}"
    )
    assert list(Attendance.objects.values_list("day", "present")) == [
        (session.days[1], True)
    ]


def test_the_grid_marks_each_day(client, instructor, admin, member):
    session = running_session(instructors=[instructor])
    enrolment = enrol(session, member, actor=admin)
    record_attendance(session, session.days[0], [enrolment.pk], actor=instructor)
    record_attendance(session, session.days[1], [], actor=instructor)
    client.force_login(instructor)

    response = client.get(reverse("training:session_detail", args=[session.pk]))

    assert [row["cells"] for row in response.context["rows"]] == [[True, False, None]]


def test_marking_completion_issues_the_certificate(client, instructor, admin, member):
    session = running_session(instructors=[instructor])
    enrolment = enrol(session, member, actor=admin)
    for day in session.days:
        record_attendance(session, day, [enrolment.pk], actor=instructor)
    client.force_login(instructor)

    response = client.post(
        "/en" + reverse("training:session_complete", args=[session.pk]),
        {"enrolment": [str(enrolment.pk)]},
    )

    enrolment.refresh_from_db()
    assert enrolment.state == EnrolmentState.COMPLETED
    assert enrolment.certificate.number.startswith("TRN-")
    assert _messages(response) == [
        "1 participants completed the training; their certificates are issued."
    ]


def _login(client, user):
    client.force_login(user)
    return client


def test_queue_queries_do_not_grow_with_rows(
    client, admin, member, django_assert_num_queries
):
    _record(member)
    _login(client, admin).get(reverse("training:readiness_queue"))
    with django_assert_num_queries(6):
        client.get(reverse("training:readiness_queue"))

    for number in range(4):
        _record(factories.member(), number=f"SCR-{number}")
    with django_assert_num_queries(6):
        response = client.get(reverse("training:readiness_queue"))
    assert len(response.context["page"]) == 5


def test_referral_list_queries_do_not_grow_with_rows(
    client, admin, coordinator, django_assert_num_queries
):
    request_referral(actor=coordinator, user=factories.member())
    _login(client, admin).get(reverse("training:referral_list"))
    with django_assert_num_queries(6):
        client.get(reverse("training:referral_list"))

    for _ in range(4):
        request_referral(actor=coordinator, user=factories.member())
    with django_assert_num_queries(6):
        response = client.get(reverse("training:referral_list"))
    assert len(response.context["page"]) == 5


def test_session_list_queries_do_not_grow_with_rows(
    client, coordinator, instructor, django_assert_num_queries
):
    first = SessionFactory(instructors=[instructor])
    enrol(first, coordinator, actor=coordinator)
    _login(client, coordinator).get(reverse("training:session_list"))
    with django_assert_num_queries(11):
        client.get(reverse("training:session_list"))

    for _ in range(4):
        enrol(SessionFactory(instructors=[instructor]), coordinator, actor=coordinator)
    with django_assert_num_queries(11):
        response = client.get(reverse("training:session_list"))
    assert len(response.context["sessions"]) == 5


def test_overview_queries_do_not_grow_with_the_team(
    client, coordinator, django_assert_num_queries
):
    _record(coordinator)
    _login(client, coordinator).get(reverse("training:readiness_overview"))
    with django_assert_num_queries(13):
        client.get(reverse("training:readiness_overview"))

    for _ in range(4):
        colleague = factories.member()
        _record(colleague)
        request_referral(actor=coordinator, user=factories.member())
    with django_assert_num_queries(13):
        response = client.get(reverse("training:readiness_overview"))
    assert len(response.context["rows"]) == 10


def test_session_page_queries_do_not_grow_with_participants(
    client, instructor, admin, django_assert_num_queries
):
    session = running_session(instructors=[instructor], capacity=20)
    enrolment = enrol(session, factories.member(), actor=admin)
    record_attendance(session, session.days[0], [enrolment.pk], actor=instructor)
    _login(client, instructor).get(
        reverse("training:session_detail", args=[session.pk])
    )
    with django_assert_num_queries(9):
        client.get(reverse("training:session_detail", args=[session.pk]))

    others = [enrol(session, factories.member(), actor=admin) for _ in range(4)]
    record_attendance(
        session, session.days[1], [e.pk for e in others], actor=instructor
    )
    with django_assert_num_queries(9):
        response = client.get(reverse("training:session_detail", args=[session.pk]))
    assert len(response.context["rows"]) == 5
