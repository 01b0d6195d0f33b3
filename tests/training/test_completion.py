"""Attendance per day, the programme's completion rule, and the certificate."""

import io
import subprocess
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from pypdf import PdfReader

from kotacerdas.certificates.models import CertificateKind
from kotacerdas.certificates.services import ensure_pdf
from kotacerdas.common.models import Notification
from kotacerdas.common.workflow import WorkflowError
from kotacerdas.training.models import Attendance, CompletionRule, EnrolmentState
from kotacerdas.training.services import (
    complete_enrolment,
    complete_enrolments,
    days_present,
    enrol,
    format_date_range,
    record_attendance,
    withdraw,
)
from tests.training.factories import ProgrammeFactory, running_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(instructor):
    """Three days ending today, taught by the instructor, all days required."""
    return running_session(
        programme=ProgrammeFactory(
            name_id="Pelatihan Indikator Kota Cerdas",
            name_en="Smart city indicator training",
        ),
        instructors=[instructor],
    )


@pytest.fixture
def places(session, coordinator, member, admin):
    return [enrol(session, person, actor=admin) for person in (coordinator, member)]


def _attend(session, instructor, present, days=None):
    for day in days or session.days:
        record_attendance(session, day, [e.pk for e in present], actor=instructor)


def test_attendance_is_kept_per_person_and_day(session, places, instructor):
    record_attendance(session, session.days[0], [places[0].pk], actor=instructor)

    rows = sorted(
        (a.enrolment.user.full_name, a.day, a.present) for a in Attendance.objects.all()
    )
    assert rows == [
        ("Sri Handayani", session.days[0], True),
        ("Yusuf Hidayat", session.days[0], False),
    ]


def test_recording_a_day_again_replaces_it(session, places, instructor):
    record_attendance(session, session.days[0], [places[0].pk], actor=instructor)

    record_attendance(session, session.days[0], [places[1].pk], actor=instructor)

    assert days_present(session) == {places[1].pk: 1}


def test_a_day_outside_the_session_is_refused(session, places, instructor):
    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="not a day of this session"),
    ):
        record_attendance(
            session, session.ends_on + timedelta(days=1), [], actor=instructor
        )


def test_a_day_still_to_come_is_refused(instructor, admin, member):
    later = running_session(
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=1),
        instructors=[instructor],
    )
    enrol(later, member, actor=admin)

    with (
        translation.override("en"),
        pytest.raises(WorkflowError, match="once the day has come"),
    ):
        record_attendance(later, later.ends_on, [], actor=instructor)


def test_another_instructor_cannot_record(session, places, everyone):
    with pytest.raises(PermissionDenied):
        record_attendance(
            session, session.days[0], [], actor=everyone["other_instructor"]
        )


def test_withdrawn_people_are_left_out_of_a_day(session, places, instructor, admin):
    withdraw(places[1], actor=admin)

    count = record_attendance(
        session, session.days[0], [places[0].pk, places[1].pk], actor=instructor
    )

    assert (count, Attendance.objects.count()) == (1, 1)


def test_a_participant_missing_a_day_does_not_complete(session, places, instructor):
    _attend(session, instructor, [places[0]], days=session.days[:2])

    with translation.override("en"), pytest.raises(WorkflowError) as refusal:
        complete_enrolment(places[0], actor=instructor)

    assert refusal.value.message == (
        "Sri Handayani attended 2 of 3 days; the programme needs 3."
    )


def test_completion_issues_the_first_training_certificate_of_the_year(
    session, places, instructor
):
    _attend(session, instructor, places)

    enrolment = complete_enrolment(places[0], actor=instructor)

    year = timezone.localdate().year
    assert (enrolment.state, enrolment.certificate.number) == (
        EnrolmentState.COMPLETED,
        f"TRN-{year}-0001",
    )


def test_the_next_completion_takes_the_next_number(session, places, instructor):
    _attend(session, instructor, places)
    complete_enrolment(places[0], actor=instructor)

    second = complete_enrolment(places[1], actor=instructor)

    assert second.certificate.number == f"TRN-{timezone.localdate().year}-0002"


def test_the_certificate_names_holder_region_and_training(session, places, instructor):
    _attend(session, instructor, places)

    certificate = complete_enrolment(places[0], actor=instructor).certificate

    dates = format_date_range(session.starts_on, session.ends_on, "en")
    assert (
        certificate.kind,
        certificate.holder_user,
        certificate.holder_name,
        certificate.region,
        certificate.valid_until,
    ) == (
        CertificateKind.TRAINING,
        places[0].user,
        "Sri Handayani",
        places[0].user.region,
        None,
    )
    assert certificate.scope["summary"]["en"] == (
        f"has completed the training “Smart city indicator training”, "
        f"{session.title}, held {dates}."
    )
    assert (
        certificate.scope["items"]
        == [{"id": "Attended 3 of 3 days.", "en": "Attended 3 of 3 days."}]
        or certificate.scope["items"][0]["en"] == "Attended 3 of 3 days."
    )


def test_the_programme_sets_the_validity(session, places, instructor):
    session.programme.certificate_valid_months = 24
    session.programme.save()
    _attend(session, instructor, places)

    certificate = complete_enrolment(places[0], actor=instructor).certificate

    today = timezone.localdate()
    leap_day = (today.month, today.day) == (2, 29)
    assert certificate.valid_until == today.replace(
        year=today.year + 2, day=28 if leap_day else today.day
    )


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ((2026, 1, 31), 1, (2026, 2, 28)),
        ((2026, 12, 3), 24, (2028, 12, 3)),
        ((2028, 2, 29), 12, (2029, 2, 28)),
        ((2026, 11, 15), 3, (2027, 2, 15)),
    ],
)
def test_add_months_keeps_the_day_where_the_month_allows(start, months, expected):
    from datetime import date

    from kotacerdas.training.services import add_months

    assert add_months(date(*start), months) == date(*expected)


def test_the_certificate_pdf_shows_number_name_and_programme(
    session, places, instructor, tmp_path, settings
):
    settings.SITE_URL = "https://kotacerdas.ppti.example"
    _attend(session, instructor, places)
    certificate = ensure_pdf(
        complete_enrolment(places[0], actor=instructor).certificate
    )

    with certificate.pdf.file.open("rb") as handle:
        content = handle.read()
    text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())

    assert certificate.number in text
    assert "Sri Handayani" in text
    assert "Pelatihan Indikator Kota Cerdas" in text
    assert "Smart city indicator training" in text
    (tmp_path / "c.pdf").write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(tmp_path / "c.pdf"), str(tmp_path / "p")],
        check=True,
        timeout=60,
    )
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(next(tmp_path.glob("p*.png")))],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    ).stdout.strip()
    assert decoded == f"https://kotacerdas.ppti.example/verifikasi/{certificate.number}"


def test_the_participant_is_told_of_the_certificate(session, places, instructor):
    _attend(session, instructor, places)
    Notification.objects.all().delete()

    certificate = complete_enrolment(places[0], actor=instructor).certificate

    notification = Notification.objects.get()
    assert (notification.recipient, notification.url) == (
        places[0].user,
        f"/verifikasi/{certificate.number}",
    )


def test_a_minimum_share_rule_rounds_up(session, places, instructor):
    session.programme.completion_rule = CompletionRule.MIN_SHARE
    session.programme.min_share_percent = 60
    session.programme.save()
    # 60 % of three days is 1.8: two days are needed.
    _attend(session, instructor, places, days=session.days[:1])
    with translation.override("en"), pytest.raises(WorkflowError, match="needs 2"):
        complete_enrolment(places[0], actor=instructor)

    _attend(session, instructor, places, days=session.days[1:2])
    enrolment = complete_enrolment(places[0], actor=instructor)

    assert enrolment.state == EnrolmentState.COMPLETED


@pytest.mark.parametrize(
    ("rule", "percent", "days", "needed"),
    [
        (CompletionRule.ALL_DAYS, 80, 5, 5),
        (CompletionRule.MIN_SHARE, 80, 5, 4),
        (CompletionRule.MIN_SHARE, 75, 3, 3),
        (CompletionRule.MIN_SHARE, 50, 3, 2),
        (CompletionRule.MIN_SHARE, 1, 3, 1),
        (CompletionRule.MIN_SHARE, 100, 4, 4),
    ],
)
def test_days_needed(rule, percent, days, needed):
    programme = ProgrammeFactory.build(completion_rule=rule, min_share_percent=percent)

    assert programme.days_needed(days) == needed


def test_completing_several_reports_who_could_not(session, places, instructor):
    _attend(session, instructor, [places[0]])

    with translation.override("en"):
        completed, refusals = complete_enrolments(
            session, [places[0].pk, places[1].pk], actor=instructor
        )

    assert [e.user.full_name for e in completed] == ["Sri Handayani"]
    assert refusals == ["Yusuf Hidayat attended 0 of 3 days; the programme needs 3."]


def test_only_the_sessions_instructor_or_an_admin_completes(session, places, everyone):
    _attend(session, everyone["instructor"], places)

    with pytest.raises(PermissionDenied):
        complete_enrolment(places[0], actor=everyone["other_instructor"])


@pytest.mark.parametrize(
    ("start", "end", "language", "expected"),
    [
        ((2026, 12, 3), (2026, 12, 3), "id", "3 Desember 2026"),
        ((2026, 12, 3), (2026, 12, 5), "id", "3–5 Desember 2026"),
        ((2026, 11, 30), (2026, 12, 2), "en", "30 November – 2 December 2026"),
        ((2026, 12, 30), (2027, 1, 2), "en", "30 December 2026 – 2 January 2027"),
    ],
)
def test_date_ranges_read_naturally(start, end, language, expected):
    from datetime import date

    assert format_date_range(date(*start), date(*end), language) == expected
