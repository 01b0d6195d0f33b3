"""The registration journey of issue 3 through the browser (steps 2 to 4).

The coordinator of Kota Surakarta registers in Indonesian with the team and the
three documents; the admin, in English, returns it with a reason, then accepts
the corrected round with a changed indicator set and schedules the readiness
stage, meeting a blocked and a warned assessor on the way; the lead assessor
finds the event on their dashboard and schedule.

Texts are read from the compiled catalogue, so the assertions hold before and
after the Indonesian translation of these pages is filled in.
"""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.text import capfirst
from playwright.sync_api import expect

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import create_user
from kotacerdas.indicators.models import Indicator
from kotacerdas.indicators.services import current_methodology
from kotacerdas.regions.models import Region
from kotacerdas.registrations import services as registrations
from kotacerdas.registrations.checklist import CHECKLIST
from kotacerdas.registrations.forms import period_choices
from kotacerdas.registrations.models import Registration, RegistrationState
from kotacerdas.scheduling import services as scheduling
from kotacerdas.scheduling.models import (
    AssessmentEvent,
    EventKind,
    SchedulingSettings,
    Stage,
    TeamAssignment,
)
from kotacerdas.training import services as training
from kotacerdas.training.models import CompletionRule, Programme, Session
from kotacerdas.training.status import INDICATOR_LABELS, READINESS_LABELS

from .helpers import (
    assert_assets_loaded,
    assert_fits_width,
    expect_language,
    in_language,
    log_in,
    log_out,
    pdf_bytes,
    plural,
    write_pdf,
)

SURAKARTA = "33.72"
BOGOR = "32.01"
ADMIN = ("admin@demo.ppti.id", "demo-admin-2026")
LEAD = ("asesor@demo.ppti.id", "demo-asesor-2026")
OVERLOADED = "asesor2@demo.ppti.id"
COORDINATOR = ("koordinator@surakarta.demo.id", "demo-peserta-2026")
MEMBER = "anggota@surakarta.demo.id"
CONFLICTED = "hendra@demo.ppti.id"

# The coordinator proposes five waste indicators ("sampah") and one on internet
# coverage; the admin drops 16.5 and adds 16.6.
PROPOSED = ["16.1", "16.2", "16.3", "16.4", "16.5", "18.3"]
REMOVED, ADDED = "16.5", "16.6"
AGREED = ["16.1", "16.2", "16.3", "16.4", "16.6", "18.3"]

PHONE = "0271 642020"
DECREE_NOTE = "Halaman tanda tangan SK tim tidak terbaca; unggah hasil pindaian ulang."
RETURN_NOTE = "Mohon perbaiki SK tim, bagian lain sudah lengkap."
REMOVE_REASON = "Belum ada tempat sampah bersensor di Surakarta."
ADD_REASON = "Data daur ulang sampah elektronik tersedia di DLH."
CONFLICT_REASON = "Pernah bekerja di Bappeda Kota Surakarta."

DOCUMENTS = {
    "application_letter": "surat-permohonan.pdf",
    "team_decree": "sk-tim.pdf",
    "implementation_plan": "rencana-penerapan.pdf",
}
FIXED_DECREE = "sk-tim-pindai-ulang.pdf"


def _user(email):
    return User.objects.get(email=email)


def _pdf_upload(name, text):
    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def _complete_indicator_training(users):
    """The institute's indicator training, run today and completed by ``users``,
    through the training app's own functions (enrol, attendance, completion)."""
    admin, instructor = _user(ADMIN[0]), _user("instruktur@demo.ppti.id")
    today = timezone.localdate()
    programme = Programme.objects.create(
        name_id="Pelatihan Indikator Kota Cerdas (SNI ISO 37122:2019)",
        name_en="Smart city indicator training (SNI ISO 37122:2019)",
        completion_rule=CompletionRule.ALL_DAYS,
    )
    session = Session.objects.create(
        programme=programme,
        title="Angkatan 1 — Surakarta",
        starts_on=today,
        ends_on=today,
        venue="Balai Kota Surakarta",
        capacity=20,
    )
    session.instructors.add(instructor)
    enrolments = [training.enrol(session, user, actor=admin) for user in users]
    ids = [enrolment.pk for enrolment in enrolments]
    training.record_attendance(session, today, ids, actor=instructor)
    completed, refusals = training.complete_enrolments(session, ids, actor=instructor)
    assert refusals == []
    assert len(completed) == len(users)


def _verify_readiness_training(user):
    admin = _user(ADMIN[0])
    record = training.record_readiness_training(
        actor=user,
        user=user,
        provider="Litbang Kemkominfo",
        completed_on=timezone.localdate() - timedelta(days=60),
        certificate_number="SCR-KOMINFO-2026-0412",
        uploaded=_pdf_upload("sertifikat-scr.pdf", "Sertifikat Smart City Readiness"),
    )
    training.verify_readiness_record(record, actor=admin)


def _schedule_conflicts():
    """An assessor who declared a conflict with Surakarta (a block), and the
    second demo assessor already on as many open teams as the limit allows (a
    warning): one open team of Kabupaten Bogor, with a limit of one."""
    hendra = create_user(
        email=CONFLICTED,
        full_name="Hendra Kusuma",
        password="demo-asesor-2026",
        roles=[Role.ASSESSOR],
    )
    scheduling.declare_conflict(
        actor=hendra,
        assessor=hendra,
        region=Region.objects.get(code=SURAKARTA),
        reason=CONFLICT_REASON,
    )

    limits = SchedulingSettings.load()
    limits.open_load_limit = 1
    limits.save()
    bogor = Registration.objects.create(
        region=Region.objects.get(code=BOGOR),
        period=period_choices()[1][0],
        coordinator=_user("koordinator@bogor.demo.id"),
        methodology=current_methodology(),
        state=RegistrationState.ACCEPTED,
        submitted_at=timezone.now() - timedelta(days=20),
        decided_at=timezone.now() - timedelta(days=10),
    )
    TeamAssignment.objects.create(
        registration=bogor,
        stage=Stage.READINESS,
        assessor=_user(OVERLOADED),
        is_lead=True,
        assigned_by=_user(ADMIN[0]),
    )


@pytest.fixture
def surakarta_ready(e2e_data):
    """Surakarta's coordinator and member have completed the indicator training
    (required by methodology v1); only the coordinator has a verified readiness
    training (which only warns). Kota Surakarta has no registration yet."""
    sri, yusuf = _user(COORDINATOR[0]), _user(MEMBER)
    _complete_indicator_training([sri, yusuf])
    _verify_readiness_training(sri)
    _schedule_conflicts()
    assert not Registration.objects.filter(region__code=SURAKARTA).exists()
    return sri, yusuf


@pytest.fixture
def shot(page, e2e_shot):
    """A screenshot through ``e2e_shot``, once the page is checked to fit the
    window's width."""

    def take(label):
        assert_fits_width(page)
        return e2e_shot(label)

    return take


def _indicator(clause):
    return Indicator.objects.active().get(clause=clause)


def _message(page, level):
    return page.locator(f".messages .alert-{level}")


def _id(message, **params):
    text = in_language("id", message)
    return text % params if params else text


def _en(message, **params):
    text = in_language("en", message)
    return text % params if params else text


def _upload(page, field, path, button):
    card = page.get_by_test_id(f"document-{field}")
    card.locator("input[type=file]").set_input_files(path)
    card.get_by_role("button", name=button, exact=True).click()
    expect(card.locator("a")).to_have_text(path.name)
    return card


def _mark_checklist(page, failed=None):
    """Mark every item in order, except ``failed`` = (code, note)."""
    for code in CHECKLIST:
        mark = "no" if failed and code == failed[0] else "yes"
        page.locator(f"input[name=item_{code}][value={mark}]").check()
    if failed:
        page.locator(f"textarea[name=note_{failed[0]}]").fill(failed[1])


# The journey.


def _coordinator_registers(page, e2e_url, shot, tmp_path, sri, yusuf):
    log_in(page, e2e_url("/akun/masuk/"), *COORDINATOR)
    page.goto(e2e_url("/pendaftaran/"))
    expect_language(page, "id")
    assert_assets_loaded(page, extra_sheets=1)
    expect(page.locator("main .alert-info")).to_have_text(
        _id("Your region has no registration yet.")
    )
    shot("coordinator-no-registration")

    period = period_choices()[1][0]
    page.get_by_test_id("start-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pendaftaran/\d+/ubah/$"))
    expect(_message(page, "success")).to_have_text(
        _id(
            "The registration for %(period)s is open as a draft. It saves as you type.",
            period=period,
        )
    )
    registration = Registration.objects.get(region__code=SURAKARTA)
    assert registration.state == RegistrationState.DRAFT

    # The team: both people of the region are on it from the start, each with
    # both training statuses.
    team = page.get_by_test_id("team")
    for member, readiness in [(sri, "verified"), (yusuf, "none")]:
        row = team.locator(f"tr[data-member='{member.pk}']")
        expect(row.locator("input[name=team]")).to_be_checked()
        expect(row.locator("[data-training=readiness]")).to_have_text(
            in_language("id", READINESS_LABELS[readiness])
        )
        expect(row.locator("[data-training=indicator]")).to_have_text(
            in_language("id", INDICATOR_LABELS["completed"])
        )

    # Documents first, each by htmx into its own card.
    for field, name in DOCUMENTS.items():
        path = write_pdf(tmp_path / name, f"Kota Surakarta — {name}")
        card = _upload(page, field, path, _id("Upload"))
        label = Registration._meta.get_field(field).verbose_name
        expect(card.get_by_role("status")).to_have_text(
            _id(
                "“%(name)s” is attached as the %(document)s.",
                name=name,
                document=in_language("id", label),
            )
        )

    # Indicators: search in Indonesian, tick five, search again, tick one more;
    # the first five stay chosen outside the new search.
    picker = page.get_by_test_id("picker")
    with page.expect_response(
        lambda r: "/indikator/?" in r.url and "q=sampah" in r.url
    ):
        page.locator("#picker-q").fill("sampah")
    # The whole catalogue was listed before: tick only once the answer is in.
    expect(picker.locator("input[type=checkbox][name=indicators]")).to_have_count(9)
    for clause in PROPOSED[:5]:
        picker.locator(
            f"input[name=indicators][value='{_indicator(clause).pk}']"
        ).check()
    with page.expect_response(lambda r: "q=internet" in r.url):
        page.locator("#picker-q").fill("internet")
    expect(picker.get_by_test_id("hidden-chosen").locator(".badge")).to_have_text(
        PROPOSED[:5]
    )
    picker.locator(f"input[name=indicators][value='{_indicator('18.3').pk}']").check()
    expect(page.locator("#indicator-count")).to_have_text(
        _id(
            "%(n)s chosen — the methodology allows %(min)s–%(max)s",
            n=6,
            min=5,
            max=80,
        )
    )

    # The phone is the last thing missing; its autosave clears the list.
    phone = page.locator("input[name=contact_phone]")
    phone.fill(PHONE)
    # Leaving the field fires its "change" now rather than on the submit click.
    phone.blur()
    expect(page.get_by_test_id("saved")).to_be_visible()
    problems = page.get_by_test_id("problems")
    expect(problems.locator(".alert-success")).to_have_text(
        _id("Nothing blocks the submission.")
    )
    expect(problems.locator("[data-problem=warning]")).to_have_text(
        [
            _id(
                "%(name)s has no verified Smart City Readiness training (step 1a).",
                name=yusuf.full_name,
            )
        ]
    )
    shot("coordinator-form-complete")

    page.get_by_role(
        "button", name=_id("Submit for the completeness check"), exact=True
    ).click()
    expect(page).to_have_url(e2e_url(f"/pendaftaran/{registration.pk}/"))
    expect(_message(page, "success")).to_have_text(
        _id("The registration is submitted. The institute checks it and tells you.")
    )
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", RegistrationState.SUBMITTED.label)
    )
    proposed = page.get_by_test_id("proposed").locator("li[data-clause]")
    assert proposed.evaluate_all("items => items.map(i => i.dataset.clause)") == (
        PROPOSED
    )
    shot("coordinator-submitted")
    log_out(page)

    registration.refresh_from_db()
    assert registration.state == RegistrationState.SUBMITTED
    assert registration.contact_phone == PHONE
    assert set(registration.team.all()) == {sri, yusuf}
    return registration


def _admin_returns(page, e2e_url, shot, registration):
    log_in(page, e2e_url("/en/akun/masuk/"), *ADMIN)
    page.goto(e2e_url("/en/pendaftaran/antrean/"))
    expect_language(page, "en")
    assert_assets_loaded(page, extra_sheets=1)
    expect(page.get_by_test_id("queue-count")).to_have_text(
        plural("en", "%(counter)s registration", "%(counter)s registrations", 1)
    )
    shot("admin-queue")
    page.locator(f"tr[data-registration='{registration.pk}'] a").click()
    expect(page).to_have_url(e2e_url(f"/en/pendaftaran/{registration.pk}/periksa/"))
    expect(page.locator("h1")).to_have_text(_en("Completeness check"))

    _mark_checklist(page, failed=("team_decree", DECREE_NOTE))
    page.locator("textarea[name=note]").fill(RETURN_NOTE)
    shot("admin-check-round-1")
    page.get_by_role("button", name=_en("Return to the coordinator")).click()
    expect(page).to_have_url(e2e_url("/en/pendaftaran/antrean/"))
    expect(_message(page, "success")).to_have_text(
        _en(
            "%(registration)s is returned to the coordinator.",
            registration=registration,
        )
    )
    log_out(page)


def _coordinator_fixes(page, e2e_url, shot, tmp_path, registration):
    log_in(page, e2e_url("/akun/masuk/"), *COORDINATOR)
    page.goto(e2e_url(f"/pendaftaran/{registration.pk}/"))
    expect_language(page, "id")
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", RegistrationState.RETURNED.label)
    )
    first = page.locator("[data-round='1']")
    expect(first.locator("[data-item][data-passed=no]")).to_have_count(1)
    expect(first.locator("[data-item=team_decree]")).to_have_attribute(
        "data-passed", "no"
    )
    expect(first.locator("[data-item=team_decree]")).to_contain_text(DECREE_NOTE)
    expect(first).to_contain_text(RETURN_NOTE)
    shot("coordinator-returned")

    page.goto(e2e_url(f"/pendaftaran/{registration.pk}/ubah/"))
    returned = page.get_by_test_id("returned")
    expect(returned.locator("li[data-item]")).to_have_count(1)
    expect(returned.locator("li[data-item=team_decree]")).to_contain_text(DECREE_NOTE)
    expect(returned).to_contain_text(RETURN_NOTE)

    path = write_pdf(tmp_path / FIXED_DECREE, "SK Tim Kota Cerdas — pindai ulang")
    _upload(page, "team_decree", path, _id("Replace"))
    for field in ("application_letter", "implementation_plan"):
        expect(page.get_by_test_id(f"document-{field}").locator("a")).to_have_text(
            DOCUMENTS[field]
        )
    shot("coordinator-decree-replaced")

    page.get_by_role(
        "button", name=_id("Submit again for the completeness check"), exact=True
    ).click()
    expect(page).to_have_url(e2e_url(f"/pendaftaran/{registration.pk}/"))
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", RegistrationState.SUBMITTED.label)
    )
    expect(page.locator("[data-round]")).to_have_count(2)
    log_out(page)


def _admin_accepts(page, e2e_url, shot, registration):
    log_in(page, e2e_url("/en/akun/masuk/"), *ADMIN)
    page.goto(e2e_url(f"/en/pendaftaran/{registration.pk}/periksa/"))
    replaced = page.locator("[data-change=document-replaced]")
    expect(replaced).to_have_count(1)
    expect(replaced).to_contain_text(DOCUMENTS["team_decree"])
    expect(replaced).to_contain_text(FIXED_DECREE)
    expect(
        page.get_by_test_id("previous-items").locator("[data-item=team_decree]")
    ).to_have_attribute("data-passed", "no")

    _mark_checklist(page)
    removed, added = _indicator(REMOVED), _indicator(ADDED)
    page.locator(f"input[name=remove_{removed.pk}]").check()
    page.locator(f"input[name=remove_reason_{removed.pk}]").fill(REMOVE_REASON)
    page.locator("select[name=add_0]").select_option(str(added.pk))
    page.locator("input[name=add_reason_0]").fill(ADD_REASON)
    shot("admin-check-round-2")
    page.get_by_role("button", name=_en("Accept with the agreed set")).click()
    expect(page).to_have_url(e2e_url("/en/pendaftaran/antrean/"))
    expect(_message(page, "success")).to_have_text(
        _en("%(registration)s is accepted.", registration=registration)
    )
    registration.refresh_from_db()
    assert registration.state == RegistrationState.ACCEPTED
    agreed = registration.agreed_indicators.values_list("clause", flat=True)
    assert sorted(agreed) == sorted(AGREED)
    log_out(page)


def _coordinator_reads_the_agreed_set(page, e2e_url, shot, registration):
    log_in(page, e2e_url("/akun/masuk/"), *COORDINATOR)
    page.goto(e2e_url(f"/pendaftaran/{registration.pk}/"))
    agreed = page.get_by_test_id("agreed")
    expect(agreed.locator("h2")).to_have_text(
        plural(
            "id",
            "Agreed indicator set: %(counter)s indicator",
            "Agreed indicator set: %(counter)s indicators",
            len(AGREED),
        )
    )
    added = agreed.locator(f"[data-change=added][data-clause='{ADDED}']")
    expect(added).to_contain_text(ADD_REASON)
    removed = agreed.locator(f"[data-change=removed][data-clause='{REMOVED}']")
    expect(removed).to_contain_text(REMOVE_REASON)
    clauses = agreed.locator("details li[data-clause]").evaluate_all(
        "items => items.map(i => i.dataset.clause)"
    )
    assert clauses == AGREED
    shot("coordinator-accepted")
    log_out(page)


def _admin_schedules(page, e2e_url, shot, registration):
    log_in(page, e2e_url("/en/akun/masuk/"), *ADMIN)
    manage = e2e_url(f"/en/jadwal/{registration.pk}/kelola/readiness/")
    page.goto(manage)
    expect_language(page, "en")
    assert_assets_loaded(page)

    zone = registration.region.zone
    today = timezone.localtime(timezone.now(), zone).date()

    def local(days, hour):
        return datetime.combine(today + timedelta(days=days), time(hour))

    window = page.get_by_test_id("window-form")
    window.locator("input[name=opens_at]").fill(f"{local(1, 8):%Y-%m-%dT%H:%M}")
    window.locator("input[name=closes_at]").fill(f"{local(31, 16):%Y-%m-%dT%H:%M}")
    window.locator("button[type=submit]").click()
    expect(_message(page, "success")).to_have_text(
        _en("The data-entry window is saved.")
    )

    event_form = page.get_by_test_id("event-form")
    event_form.locator("select[name=kind]").select_option(EventKind.DESK_REVIEW)
    starts, ends = local(35, 9), local(35, 12)
    event_form.locator("input[name=starts_at]").fill(f"{starts:%Y-%m-%dT%H:%M}")
    event_form.locator("input[name=ends_at]").fill(f"{ends:%Y-%m-%dT%H:%M}")
    event_form.locator("input[name=place]").fill("Kantor PPTI, Jakarta")
    event_form.locator("button[type=submit]").click()
    expect(_message(page, "success")).to_have_text(
        _en("The event is scheduled and everyone concerned is notified.")
    )
    event = AssessmentEvent.objects.get(registration=registration)
    assert event.starts_at == starts.replace(tzinfo=zone)
    expect(
        page.get_by_test_id("events").locator(f"[data-event='{event.pk}']")
    ).to_be_visible()

    _assignments_meet_a_block_and_a_warning(page, shot, registration)
    return event


def _pick(page, email):
    """Choose an assessor in the team form; htmx answers the conflict report."""
    assessor = _user(email)
    with page.expect_response(lambda r: "/periksa-asesor/" in r.url):
        page.locator("#id_assessor").select_option(str(assessor.pk))
    return assessor


def _assign_button(page):
    return page.get_by_test_id("assign-form").get_by_role(
        "button", name=_en("Assign"), exact=True
    )


def _assignments_meet_a_block_and_a_warning(page, shot, registration):
    region = str(registration.region)

    # A declared conflict is a block: shown at once, and refused when tried.
    hendra = _pick(page, CONFLICTED)
    block = _en(
        "%(name)s declared a conflict of interest with %(region)s: %(reason)s",
        name=hendra.full_name,
        region=region,
        reason=CONFLICT_REASON,
    )
    report = page.locator("#conflict-report")
    expect(report.locator("[data-conflict=block]")).to_have_text(block)
    expect(report.locator("#id_acknowledge_warnings")).to_have_count(0)
    shot("admin-assessor-blocked")
    _assign_button(page).click()
    expect(_message(page, "danger")).to_have_text(
        _en("This assessor cannot be assigned.")
    )
    expect(report.locator("[data-conflict=block]")).to_have_text(block)
    expect(page.get_by_test_id("team")).to_have_count(0)
    assert not TeamAssignment.objects.filter(registration=registration).exists()

    # Too many open teams is a warning: refused until the admin confirms it.
    dewi = _pick(page, OVERLOADED)
    warning = plural(
        "en",
        "%(name)s already has %(load)s open assignment; this one makes "
        "%(new)s, above the limit of %(limit)s.",
        "%(name)s already has %(load)s open assignments; this one makes "
        "%(new)s, above the limit of %(limit)s.",
        1,
        name=dewi.full_name,
        load=1,
        new=2,
        limit=1,
    )
    expect(report.locator("[data-conflict=warning]")).to_have_text(warning)
    _assign_button(page).click()
    expect(_message(page, "warning")).to_have_text(
        _en("Read the warnings and confirm them to assign this assessor.")
    )
    expect(report.locator("[data-conflict=warning]")).to_have_text(warning)
    page.locator("#id_acknowledge_warnings").check()
    shot("admin-assessor-warning-confirmed")
    _assign_button(page).click()
    expect(_message(page, "success")).to_have_text(
        _en("%(name)s is on the team.", name=dewi.full_name)
    )

    # The demo lead assessor: no conflict, and takes the lead.
    budi = _pick(page, LEAD[0])
    expect(report.locator("[data-conflict=none]")).to_have_text(
        _en("No conflict of interest found.")
    )
    page.locator("#id_is_lead").check()
    _assign_button(page).click()
    expect(_message(page, "success")).to_have_text(
        _en("%(name)s is on the team.", name=budi.full_name)
    )
    team = page.get_by_test_id("team").locator("li")
    expect(team).to_have_count(2)
    lead = _en("lead assessor")
    expect(team.filter(has_text=budi.full_name)).to_contain_text(lead)
    expect(team.filter(has_text=dewi.full_name)).not_to_contain_text(lead)
    expect(team.filter(has_text=dewi.full_name)).to_contain_text(
        _en("warnings confirmed")
    )
    shot("admin-schedule")

    assignments = TeamAssignment.objects.filter(registration=registration)
    assert {(a.assessor.email, a.is_lead) for a in assignments} == {
        (LEAD[0], True),
        (OVERLOADED, False),
    }
    log_out(page)


def _assessor_sees_the_event(page, e2e_url, shot, registration, event):
    log_in(page, e2e_url("/akun/masuk/"), *LEAD)
    expect(page).to_have_url(e2e_url("/dasbor/assessor/"))
    expect_language(page, "id")
    assert_assets_loaded(page)
    region = str(registration.region)
    on_dashboard = page.locator(f"[data-event='{event.pk}']")
    expect(on_dashboard).to_contain_text(region)
    expect(on_dashboard).to_contain_text(
        capfirst(in_language("id", EventKind.DESK_REVIEW.label))
    )
    expect(page.locator("[data-assignment]")).to_contain_text(
        in_language("id", "lead assessor")
    )
    shot("assessor-dashboard")

    page.goto(e2e_url("/jadwal/saya/"))
    expect(
        page.get_by_test_id("upcoming").locator(f"[data-event='{event.pk}']")
    ).to_contain_text(region)
    expect(page.get_by_test_id("assignments")).to_contain_text(region)
    shot("assessor-schedule")


def test_registration_is_returned_fixed_accepted_and_scheduled(
    page, e2e_url, shot, e2e_watch, surakarta_ready, tmp_path
):
    sri, yusuf = surakarta_ready

    registration = _coordinator_registers(page, e2e_url, shot, tmp_path, sri, yusuf)
    _admin_returns(page, e2e_url, shot, registration)
    _coordinator_fixes(page, e2e_url, shot, tmp_path, registration)
    _admin_accepts(page, e2e_url, shot, registration)
    _coordinator_reads_the_agreed_set(page, e2e_url, shot, registration)
    event = _admin_schedules(page, e2e_url, shot, registration)
    _assessor_sees_the_event(page, e2e_url, shot, registration, event)

    e2e_watch.assert_clean()


def test_submission_is_refused_while_a_member_lacks_the_indicator_training(
    page, e2e_url, shot, e2e_watch, e2e_data
):
    """Methodology v1 makes the indicator training required: a complete draft
    whose coordinator has not had it cannot be submitted."""
    sri = _user(COORDINATOR[0])
    region = Region.objects.get(code=SURAKARTA)
    registration = registrations.start_registration(
        actor=sri, region=region, period=period_choices()[1][0]
    )
    registrations.save_draft(
        registration,
        actor=sri,
        fields={"contact_phone": PHONE},
        indicators=[_indicator(clause) for clause in PROPOSED],
        team=[sri],
    )
    for field, name in DOCUMENTS.items():
        registrations.attach_document(
            registration, field, _pdf_upload(name, name), actor=sri
        )
    missing = _id(
        "%(name)s has not completed the smart city indicator training (step 1b).",
        name=sri.full_name,
    )

    log_in(page, e2e_url("/akun/masuk/"), *COORDINATOR)
    page.goto(e2e_url(f"/pendaftaran/{registration.pk}/ubah/"))
    row = page.get_by_test_id("team").locator(f"tr[data-member='{sri.pk}']")
    expect(row.locator("[data-training=indicator]")).to_have_text(
        in_language("id", INDICATOR_LABELS["none"])
    )
    expect(
        page.get_by_test_id("problems").locator("[data-problem=blocking]")
    ).to_have_text([missing])

    page.get_by_role(
        "button", name=_id("Submit for the completeness check"), exact=True
    ).click()
    expect(_message(page, "danger")).to_have_text(missing)
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", RegistrationState.DRAFT.label)
    )
    shot("submission-refused")
    registration.refresh_from_db()
    assert registration.state == RegistrationState.DRAFT

    e2e_watch.assert_clean()
