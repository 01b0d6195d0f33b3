"""The readiness stage of issue 4 through the browser (steps 5 and 6).

Kota Surakarta is accepted with five indicators, a window open now and a team
of two assessors (made through the domain functions). The admin opens the
stage from the registration page; the coordinator gives one indicator to each
of two members, who find it on their dashboards and fill it; the coordinator
fills the rest and submits. The lead and the second assessor score, the second
without seeing the lead's comments; the second asks a clarification on two
indicators, the coordinator changes one answer and replies; after the second
round the lead completes the assessment and decides. The admin issues the
readiness certificate and an anonymous visitor verifies it.

The pages are found by their links and test ids, not by their texts, so the
journey holds before and after the Indonesian translation is filled in.
"""

import subprocess
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kotacerdas.accounts.models import Role, User
from kotacerdas.accounts.services import create_user
from kotacerdas.assessments.models import (
    AssessorScore,
    Clarification,
    Decision,
    StageRecord,
    StageState,
)
from kotacerdas.certificates.models import Certificate
from kotacerdas.indicators.models import Indicator
from kotacerdas.regions.models import Region
from kotacerdas.registrations import services as registrations
from kotacerdas.registrations.demo import _bring_to, _fill, _without_external_checks
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling import services as scheduling
from kotacerdas.scheduling.models import Stage

from .helpers import assert_fits_width, in_language, log_in, log_out

SURAKARTA = "33.72"
ADMIN = ("admin@demo.ppti.id", "demo-admin-2026")
LEAD = ("asesor@demo.ppti.id", "demo-asesor-2026")
SECOND = ("asesor2@demo.ppti.id", "demo-asesor-2026")
COORDINATOR = ("koordinator@surakarta.demo.id", "demo-peserta-2026")
MEMBER_A = ("anggota@surakarta.demo.id", "demo-anggota-2026")
MEMBER_B = ("anggota2@surakarta.demo.id", "demo-anggota-2026")
CODES = ["S1", "S2", "S3", "I1", "I2", "P1", "P2", "P3"]

LEAD_SECRET = "Catatan Budi: SK wali data belum ditandatangani"
QUESTION = "Mohon lampirkan SK wali data untuk kedua indikator ini."
CHANGED = "SK Wali Kota Nomor 12 Tahun 2026 tentang wali data, terlampir."
REPLY = "SK wali data sudah kami lampirkan pada kedua indikator."
SUMMARY = "Ketiga indikator yang disepakati siap diukur."


@pytest.fixture
def surakarta(e2e_data):
    """The accepted registration with five indicators, window and team."""
    region = Region.objects.get(code=SURAKARTA)
    admin = User.objects.get(email=ADMIN[0])
    coordinator = User.objects.get(email=COORDINATOR[0])
    create_user(
        email=MEMBER_B[0],
        full_name="Ayu Lestari",
        password=MEMBER_B[1],
        roles=[Role.REGION_MEMBER],
        region=region,
        agency="Dinas Lingkungan Hidup",
        position="Analis Lingkungan",
    )
    clauses = list(
        Indicator.objects.active()
        .order_by("sort_key")
        .values_list("clause", flat=True)[:5]
    )
    registration = registrations.start_registration(
        actor=coordinator, region=region, period=timezone.localdate().year + 1
    )
    _fill(registration, coordinator, clauses)
    with _without_external_checks():
        _bring_to(
            registration,
            RegistrationState.ACCEPTED,
            coordinator=coordinator,
            admin=admin,
        )
    registration.refresh_from_db()
    now = timezone.now()
    scheduling.set_window(
        registration,
        actor=admin,
        stage=Stage.READINESS,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=20),
    )
    for email, lead in [(LEAD[0], True), (SECOND[0], False)]:
        scheduling.assign_assessor(
            registration,
            actor=admin,
            stage=Stage.READINESS,
            assessor=User.objects.get(email=email),
            is_lead=lead,
            acknowledge_warnings=True,
        )
    return registration


@pytest.fixture
def shot(page, e2e_shot):
    def take(label):
        assert_fits_width(page)
        return e2e_shot(label)

    return take


def _autosaved(page, action):
    """Do ``action`` (a click or a typing) and wait for its autosave answer."""
    with page.expect_response(lambda r: "/simpan/" in r.url and r.ok):
        action()


def _answer_all(page, answer, explanation=""):
    for code in CODES:
        _autosaved(page, lambda code=code: page.check(f"#{code}-answer-{answer}"))
    if explanation:
        field = page.locator("#S1-explanation")
        _autosaved(page, lambda: field.fill(explanation))
    expect(page.get_by_test_id("saved")).to_be_visible()


def _fill_indicator(page, e2e_url, stage, clause, answer="yes", explanation=""):
    page.goto(e2e_url(f"/tahap/isi/{stage.pk}/"))
    page.locator(f"tr[data-clause='{clause}'] td a").first.click()
    _answer_all(page, answer, explanation)


def _assign(page, row, member):
    select = row.locator("select[name=member]")
    with page.expect_response(lambda r: "/tugaskan/" in r.url and r.ok):
        select.select_option(str(member.pk))


def _score_all(page, points, comment=""):
    forms = page.get_by_test_id("own-scores")
    for number in range(forms.count()):
        block = forms.nth(number)
        for code in CODES:
            block.locator(f"input[name=points_{code}][value='{points}']").check()
        if comment and number == 0:
            block.locator("textarea[name=comment_S1]").fill(comment)
        with page.expect_response(lambda r: "/nilai/" in r.url and r.ok):
            block.locator("button[type=submit]").click()
        expect(forms.nth(number).get_by_test_id("saved")).to_be_visible()


def _open_review_from_dashboard(page, e2e_url, account):
    log_in(page, e2e_url("/akun/masuk/"), *account)
    page.goto(e2e_url("/dasbor/assessor/"))
    page.get_by_test_id("review-link").click()
    expect(page.get_by_test_id("stage-state")).to_be_visible()


def _scan_qr(pdf_bytes, folder):
    """Read the QR code on the first page of a PDF, as a phone camera would."""
    source = folder / "certificate.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(source),
            str(folder / "page"),
        ],
        check=True,
        timeout=60,
    )
    image = next(folder.glob("page*.png"))
    result = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(image)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.strip()


def test_readiness_stage_is_filled_reviewed_clarified_and_decided(
    page, e2e_url, shot, e2e_watch, surakarta, tmp_path
):
    login = e2e_url("/akun/masuk/")
    indicators = list(surakarta.agreed_indicators.order_by("sort_key"))
    assert len(indicators) == 5
    first, second, *others = (i.clause for i in indicators)
    member_a = User.objects.get(email=MEMBER_A[0])
    member_b = User.objects.get(email=MEMBER_B[0])

    # The admin opens the stage from the registration page.
    log_in(page, login, *ADMIN)
    page.goto(e2e_url(f"/pendaftaran/{surakarta.pk}/"))
    page.get_by_test_id("open-stage").click()
    expect(page.get_by_test_id("agreed-count")).to_have_text("5")
    shot("admin-opens-the-stage")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", StageState.OPEN.label)
    )
    stage = StageRecord.objects.get(registration=surakarta)
    log_out(page)

    # The coordinator follows the progress line and gives out two indicators.
    log_in(page, login, *COORDINATOR)
    page.get_by_test_id("next-step").locator("a").click()
    expect(page).to_have_url(e2e_url(f"/tahap/isi/{stage.pk}/"))
    _assign(page, page.locator(f"tr[data-clause='{first}']"), member_a)
    _assign(page, page.locator(f"tr[data-clause='{second}']"), member_b)
    shot("coordinator-assigns")
    log_out(page)
    assert list(
        stage.responses.order_by("indicator__sort_key").values_list(
            "assigned_to__email", flat=True
        )[:2]
    ) == [MEMBER_A[0], MEMBER_B[0]]

    # Each member finds their indicator on the dashboard, fills it, and sees
    # only that one on the stage's overview.
    for account, clause in [(MEMBER_A, first), (MEMBER_B, second)]:
        log_in(page, login, *account)
        mine = page.get_by_test_id("my-indicators").locator("a")
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text(clause)
        mine.click()
        _answer_all(page, "yes", explanation="SK terbit 2025.")
        page.goto(e2e_url(f"/tahap/isi/{stage.pk}/"))
        expect(page.locator("tbody tr[data-clause]")).to_have_count(1)
        expect(page.locator(f"tr[data-clause='{clause}']")).to_contain_text("8/8")
        log_out(page)
    shot("member-filled")

    # The coordinator fills the other three and submits.
    log_in(page, login, *COORDINATOR)
    for clause in others:
        _fill_indicator(page, e2e_url, stage, clause, answer="partly")
    page.goto(e2e_url(f"/tahap/isi/{stage.pk}/"))
    expect(page.get_by_test_id("nothing-missing")).to_be_visible()
    shot("coordinator-ready-to-submit")
    page.get_by_test_id("submit").locator("button[type=submit]").click()
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", StageState.SUBMITTED.label)
    )
    log_out(page)

    # The lead starts the review, scores every criterion 2 and submits.
    _open_review_from_dashboard(page, e2e_url, LEAD)
    page.get_by_test_id("start-review").click()
    _score_all(page, 2, comment=LEAD_SECRET)
    shot("lead-scored")
    page.get_by_test_id("submit-scores").click()
    expect(page.get_by_test_id("submit-scores")).to_have_count(0)
    log_out(page)

    # The second assessor cannot see the lead's scores until submitting.
    _open_review_from_dashboard(page, e2e_url, SECOND)
    expect(page.get_by_text(LEAD_SECRET)).to_have_count(0)
    expect(page.get_by_test_id("team-scores")).to_have_count(0)
    # The picture after the scoring: a full-page screenshot leaves an empty
    # style attribute on the inputs, which htmx would copy into the swapped
    # score forms, a CSP violation that only the test would cause.
    _score_all(page, 2)
    expect(page.get_by_text(LEAD_SECRET)).to_have_count(0)
    shot("second-sees-only-own-scores")
    page.get_by_test_id("submit-scores").click()
    expect(page.get_by_test_id("team-scores")).to_have_count(5)
    expect(page.get_by_text(LEAD_SECRET).first).to_be_visible()

    # The second asks a clarification on the first two indicators.
    page.locator(f"a[href='/tahap/tinjau/{stage.pk}/klarifikasi/']").click()
    form = page.get_by_test_id("clarify-form")
    for indicator in indicators[:2]:
        form.locator(f"input[name=indicators][value='{indicator.pk}']").check()
    form.locator("textarea[name=question]").fill(QUESTION)
    due = timezone.localdate() + timedelta(days=7)
    form.locator("input[name=due_date]").fill(due.isoformat())
    shot("second-asks-a-clarification")
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("stage-state")).to_have_text(
        in_language("id", StageState.CLARIFICATION_REQUESTED.label)
    )
    log_out(page)

    # The coordinator changes one reopened answer and replies.
    log_in(page, login, *COORDINATOR)
    page.goto(e2e_url(f"/tahap/isi/{stage.pk}/"))
    expect(page.get_by_test_id("clarification")).to_contain_text(QUESTION)
    page.locator(f"tr[data-clause='{first}'] td a").first.click()
    field = page.locator("#S1-explanation")
    _autosaved(page, lambda: field.fill(CHANGED))
    page.goto(e2e_url(f"/tahap/isi/{stage.pk}/"))
    page.get_by_test_id("submit").locator("textarea").fill(REPLY)
    shot("coordinator-answers")
    page.get_by_test_id("submit").locator("button[type=submit]").click()
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", StageState.RESUBMITTED.label)
    )
    log_out(page)

    # Round 2: the lead sees what changed, both assessors submit again.
    _open_review_from_dashboard(page, e2e_url, LEAD)
    page.get_by_test_id("start-review").click()
    page.locator(
        f"a[href='/tahap/tinjau/{stage.pk}/klarifikasi/"
        f"{Clarification.objects.get().pk}/perubahan/']"
    ).first.click()
    expect(page.get_by_test_id("changes").first).to_contain_text(CHANGED)
    shot("lead-sees-the-changes")
    page.goto(e2e_url(f"/tahap/tinjau/{stage.pk}/"))
    page.get_by_test_id("submit-scores").click()
    log_out(page)
    _open_review_from_dashboard(page, e2e_url, SECOND)
    page.get_by_test_id("submit-scores").click()
    expect(page.get_by_test_id("team-scores")).to_have_count(5)
    log_out(page)

    # The lead completes the assessment and decides.
    _open_review_from_dashboard(page, e2e_url, LEAD)
    page.get_by_test_id("complete").click()
    decide = page.get_by_test_id("decide-form")
    decide.locator("textarea[name=summary]").fill(SUMMARY)
    decide.locator("button[type=submit]").click()
    expect(page.get_by_test_id("decision")).to_contain_text(SUMMARY)
    shot("lead-decided")

    stage.refresh_from_db()
    assert (stage.state, stage.decision, stage.round) == (
        StageState.DECIDED,
        Decision.PASSED,
        2,
    )
    assert AssessorScore.objects.filter(stage=stage).count() == 2 * 5 * 8
    log_out(page)

    # The admin issues the certificate; anybody can verify it without logging in.
    log_in(page, login, *ADMIN)
    page.goto(e2e_url("/sertifikat/kesiapan/"))
    page.get_by_test_id("pending-stages").locator(
        f"a[href='/sertifikat/kesiapan/{stage.pk}/terbitkan']"
    ).click()
    expect(page.get_by_test_id("ready-indicators").locator("li")).to_have_count(5)
    page.locator("main form button[type=submit]").click()
    certificate = Certificate.objects.get(stage=stage)
    expect(page).to_have_url(e2e_url(f"/verifikasi/{certificate.number}"))
    log_out(page)

    # The visitor scans the QR code printed on the PDF and opens what it says.
    with certificate.pdf.file.open("rb") as handle:
        scanned = urlsplit(_scan_qr(handle.read(), tmp_path))
    assert scanned.path == f"/verifikasi/{certificate.number}"
    page.goto(e2e_url(scanned.path))
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    expect(page.get_by_test_id("holder")).to_have_text(surakarta.region.official_name)
    expect(page.get_by_test_id("status-note")).to_be_visible()
    shot("anonymous-verifies-the-certificate")
    e2e_watch.assert_clean()
