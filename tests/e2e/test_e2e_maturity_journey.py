"""The maturity stage of issue 5 through the browser (steps 8 to 11).

Kota Surakarta is accepted with six indicators and its readiness stage passed
(made through the domain functions, as the maturity demo does). In the
browser: the coordinator continues to the maturity stage from the dashboard;
the admin sets the data-entry window on the schedule page and opens the stage
(the team is set through the domain functions); the coordinator downloads the
spreadsheet template, fills it with openpyxl as a spreadsheet program would,
uploads it, reads the dry run and confirms; edits one percentage on its page
(autosave) to over 100 % and sees the plausibility warning, which does not
block the submission. Both assessors verify (one indicator adjusted) and level
every indicator; the lead completes, decides and drafts the report; the admin
publishes it from the report list, which issues the SCM certificate. The
coordinator gives the publication consent and downloads the certificate; an
anonymous visitor scans its QR code, verifies it and reads the public results
page with the index and the radar chart.

The pages are found by their links and test ids, not by their texts, so the
journey holds before and after the Indonesian translation is filled in.
"""

import io
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from kotacerdas.accounts.models import User
from kotacerdas.assessments.models import Decision, StageRecord, StageState
from kotacerdas.certificates.models import Certificate
from kotacerdas.maturity import excel
from kotacerdas.maturity.demo import _pass_readiness, _schedule
from kotacerdas.maturity.models import (
    LevelScore,
    MaturityData,
    MaturityReport,
    ReportState,
)
from kotacerdas.regions.models import Region
from kotacerdas.registrations import services as registrations
from kotacerdas.registrations.demo import _bring_to, _fill, _without_external_checks
from kotacerdas.registrations.models import RegistrationState
from kotacerdas.scheduling import services as scheduling
from kotacerdas.scheduling.models import DataEntryWindow, Stage

from .helpers import assert_fits_width, in_language, log_in, log_out
from .test_e2e_readiness_journey import _scan_qr

SURAKARTA = "33.72"
ADMIN = ("admin@demo.ppti.id", "demo-admin-2026")
LEAD = ("asesor@demo.ppti.id", "demo-asesor-2026")
SECOND = ("asesor2@demo.ppti.id", "demo-asesor-2026")
COORDINATOR = ("koordinator@surakarta.demo.id", "demo-peserta-2026")
# Proposed by the coordinator; the demo's acceptance swaps the last for the
# first indicator not proposed (5.3). Percentages, a rate per 100 000, a ratio
# and a duration: every way a value is entered, over four dimensions.
PROPOSED = ["5.1", "5.2", "7.5", "10.3", "15.1", "20.1"]
CLAUSES = ["5.1", "5.2", "5.3", "7.5", "10.3", "15.1"]
# The percentage edited on its own page, to 150 of 100: plausible it is not.
EDITED = "15.1"
ADJUSTED = "5.2"
LEVEL = 3
SUMMARY = "Kota Surakarta menunjukkan kematangan yang merata pada enam indikator."
DECISION = "Tingkat kematangan dinilai sesuai bukti yang dilampirkan."


@pytest.fixture
def surakarta(e2e_data):
    """The accepted registration with six indicators and a passed readiness
    stage; the maturity stage does not exist yet."""
    region = Region.objects.get(code=SURAKARTA)
    people = {
        u.email: u
        for u in User.objects.filter(email__in=[ADMIN[0], LEAD[0], SECOND[0]])
    }
    coordinator = User.objects.get(email=COORDINATOR[0])
    registration = registrations.start_registration(
        actor=coordinator, region=region, period=timezone.localdate().year + 1
    )
    _fill(registration, coordinator, PROPOSED)
    with _without_external_checks():
        _bring_to(
            registration,
            RegistrationState.ACCEPTED,
            coordinator=coordinator,
            admin=people[ADMIN[0]],
        )
    registration.refresh_from_db()
    assert sorted(
        registration.agreed_indicators.values_list("clause", flat=True)
    ) == sorted(CLAUSES)
    _schedule(registration, Stage.READINESS, people, timezone.now())
    _pass_readiness(registration, people)
    return registration


@pytest.fixture
def shot(page, e2e_shot):
    def take(label):
        # The picture first: a page too wide is easier to fix when it is seen.
        path = e2e_shot(label)
        assert_fits_width(page)
        return path

    return take


def _figures(indicator):
    """What the coordinator types into the spreadsheet for ``indicator``."""
    cells = {
        "data_year": timezone.localdate().year - 1,
        "source": "Satu Data Surakarta",
        "method": "Rekapitulasi tahunan dari aplikasi perangkat daerah.",
        "solution": "Solo Destination",
        "self_level": LEVEL,
        "justification": "Prosedur baku berjalan dan datanya dipantau rutin.",
    }
    if indicator.value_type == "percentage":
        cells.update(numerator=45, denominator=120)
    elif indicator.value_type == "rate":
        cells.update(numerator=36, denominator=522364)
    elif indicator.value_type == "ratio":
        cells.update(numerator=3, denominator=10)
    else:
        cells["direct_value"] = 14
    return cells


def _fill_template(path, stage):
    """Fill every row of the downloaded template, numbers as number cells."""
    book = load_workbook(path)
    sheet = book.worksheets[0]
    column = excel.COLUMN_OF
    indicators = {r.indicator.clause: r.indicator for r in stage.responses.all()}
    filled = 0
    for row in range(excel.FIRST_ROW, sheet.max_row + 1):
        clause = sheet.cell(row, column["clause"]).value
        if clause not in indicators:
            continue
        for key, value in _figures(indicators[clause]).items():
            sheet.cell(row, column[key]).value = value
        filled += 1
    assert filled == len(CLAUSES)
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _local(moment, region):
    return timezone.localtime(moment, region.zone).strftime("%Y-%m-%dT%H:%M")


def _open_all_themes(page):
    # The review folds each theme; a person opens them one by one.
    summaries = page.locator("details[data-theme]:not([open]) > summary")
    while summaries.count():
        summaries.first.click()


def _assess_all(page, adjusted_pk):
    """Verify and level every indicator (one adjusted), saving each by htmx."""
    _open_all_themes(page)
    forms = page.get_by_test_id("level-form")
    count = forms.count()
    assert count == len(CLAUSES)
    for number in range(count):
        form = forms.nth(number)
        section = page.locator("section[data-clause]").nth(number)
        adjusted = section.get_attribute("id") == f"indicator-{adjusted_pk}"
        form.locator(
            f"input[name=verification][value={'adjusted' if adjusted else 'verified'}]"
        ).check()
        form.locator("select[name=level]").select_option(str(LEVEL))
        if adjusted:
            form.locator("input[name=adjusted_value]").fill("7,5")
            form.locator("input[name=adjustment_reason]").fill(
                "Penyebut diganti dengan proyeksi penduduk BPS 2025."
            )
        form.locator("textarea[name=comment]").fill("Data sesuai dengan bukti.")
        with page.expect_response(lambda r: "/nilai/" in r.url and r.ok):
            form.locator("button[type=submit]").click()
        expect(forms.nth(number).get_by_test_id("saved")).to_be_visible()


def _download(page, watch, link):
    """Click ``link`` and return the download it starts.

    Chromium turns the navigation into a download and reports the request as
    aborted (net::ERR_ABORTED); that is the browser's bookkeeping, not a failure
    of the product, so exactly that entry is taken off the watch.
    """
    with page.expect_download() as started:
        link.click()
    download = started.value
    aborted = f"{download.url}: net::ERR_ABORTED"
    page.wait_for_timeout(100)
    if aborted in watch.failed_requests:
        watch.failed_requests.remove(aborted)
    return download


def _open_review_from_dashboard(page, e2e_url, account):
    log_in(page, e2e_url("/akun/masuk/"), *account)
    page.goto(e2e_url("/dasbor/assessor/"))
    page.get_by_test_id("review-link").click()
    expect(page.get_by_test_id("stage-state")).to_be_visible()


def test_maturity_stage_from_continuing_to_the_public_results(
    page, e2e_url, shot, e2e_watch, surakarta, tmp_path
):
    login = e2e_url("/akun/masuk/")
    region = surakarta.region
    admin = User.objects.get(email=ADMIN[0])

    # 1. The coordinator continues from the dashboard's next step.
    log_in(page, login, *COORDINATOR)
    page.get_by_test_id("next-step").locator("a").click()
    expect(page).to_have_url(e2e_url(f"/kematangan/isi/lanjut/{surakarta.pk}/"))
    shot("coordinator-continues")
    page.get_by_test_id("continue").click()
    stage = StageRecord.objects.get(registration=surakarta, stage=Stage.MATURITY)
    expect(page).to_have_url(e2e_url(f"/kematangan/isi/{stage.pk}/"))
    expect(page.get_by_test_id("not-open")).to_be_visible()
    log_out(page)

    # 2. The admin sets the window on the schedule page and opens the stage;
    # the team is set through the domain functions.
    for email, lead in [(LEAD[0], True), (SECOND[0], False)]:
        scheduling.assign_assessor(
            surakarta,
            actor=admin,
            stage=Stage.MATURITY,
            assessor=User.objects.get(email=email),
            is_lead=lead,
            acknowledge_warnings=True,
        )
    log_in(page, login, *ADMIN)
    page.goto(e2e_url(f"/jadwal/{surakarta.pk}/kelola/maturity/"))
    now = timezone.now()
    window = page.get_by_test_id("window-form")
    window.locator("input[name=opens_at]").fill(
        _local(now - timedelta(hours=1), region)
    )
    window.locator("input[name=closes_at]").fill(
        _local(now + timedelta(days=21), region)
    )
    window.locator("button[type=submit]").click()
    expect(page.get_by_test_id("window-form")).to_have_count(0)
    assert DataEntryWindow.objects.filter(
        registration=surakarta, stage=Stage.MATURITY
    ).exists()
    shot("admin-sets-the-window")
    page.locator(f"a[href='/kematangan/isi/buka/{surakarta.pk}/']").first.click()
    expect(page.get_by_test_id("agreed-count")).to_have_text(str(len(CLAUSES)))
    shot("admin-opens-the-stage")
    page.get_by_test_id("open-stage").click()
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", StageState.OPEN.label)
    )
    log_out(page)

    # 3. The coordinator fills the stage with the spreadsheet.
    log_in(page, login, *COORDINATOR)
    page.get_by_test_id("next-step").locator("a").click()
    expect(page).to_have_url(e2e_url(f"/kematangan/isi/{stage.pk}/"))
    page.get_by_test_id("excel-link").click()
    download = _download(page, e2e_watch, page.get_by_test_id("download"))
    template = tmp_path / download.suggested_filename
    assert template.name == f"kematangan-3372-{surakarta.period}.xlsx"
    download.save_as(template)
    _fill_template(template, stage)

    page.get_by_test_id("upload-form").locator("input[type=file]").set_input_files(
        template
    )
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("summary")).to_be_visible()
    expect(page.get_by_test_id("row-errors")).to_have_count(0)
    expect(page.get_by_test_id("preview-rows").locator("tbody tr")).to_have_count(
        len(CLAUSES)
    )
    assert not MaturityData.objects.filter(
        response__stage=stage, data_year__isnull=False
    ).exists(), "the dry run saved something"
    shot("coordinator-sees-the-dry-run")
    page.get_by_test_id("confirm-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("confirm-form")).to_have_count(0)
    assert MaturityData.objects.filter(
        response__stage=stage, self_level=LEVEL, source="Satu Data Surakarta"
    ).count() == len(CLAUSES)

    # The same file again changes nothing.
    page.get_by_test_id("upload-form").locator("input[type=file]").set_input_files(
        template
    )
    page.get_by_test_id("upload-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("no-changes")).to_be_visible()

    page.goto(e2e_url(f"/kematangan/isi/{stage.pk}/"))
    values = page.get_by_test_id("indicators").get_by_test_id("value")
    expect(values).to_have_count(len(CLAUSES))
    # 45 of 120 is 37.5 %.
    expect(
        page.locator("tr[data-clause='5.1']").get_by_test_id("value")
    ).to_contain_text("37,5")
    expect(page.get_by_test_id("nothing-missing")).to_be_visible()
    shot("coordinator-overview-after-import")

    # One percentage edited on its page: 150 of 100 warns, and is saved.
    page.locator(f"tr[data-clause='{EDITED}'] td a").first.click()
    numerator = page.locator("input[name=numerator]")
    with page.expect_response(lambda r: "/simpan/" in r.url and r.ok):
        numerator.fill("150")
    denominator = page.locator("input[name=denominator]")
    with page.expect_response(lambda r: "/simpan/" in r.url and r.ok):
        denominator.fill("100")
    expect(page.get_by_test_id("warning").first).to_be_visible()
    expect(page.get_by_test_id("computed-value")).to_contain_text("150")
    expect(page.get_by_test_id("saved")).to_be_visible()
    shot("coordinator-sees-a-plausibility-warning")
    edited = MaturityData.objects.get(
        response__stage=stage, response__indicator__clause=EDITED
    )
    assert (edited.numerator, edited.denominator) == (Decimal(150), Decimal(100))

    page.goto(e2e_url(f"/kematangan/isi/{stage.pk}/"))
    expect(
        page.locator(f"tr[data-clause='{EDITED}']").get_by_test_id("warning-count")
    ).to_be_visible()
    page.get_by_test_id("submit").locator("button[type=submit]").click()
    expect(page.get_by_test_id("state")).to_have_text(
        in_language("id", StageState.SUBMITTED.label)
    )
    shot("coordinator-submitted")
    log_out(page)

    # 4. Both assessors verify and level every indicator, one adjusted.
    adjusted_pk = stage.responses.get(indicator__clause=ADJUSTED).indicator_id
    _open_review_from_dashboard(page, e2e_url, LEAD)
    expect(page).to_have_url(e2e_url(f"/kematangan/tinjau/{stage.pk}/"))
    page.get_by_test_id("start-review").click()
    _assess_all(page, adjusted_pk)
    shot("lead-assessed")
    page.get_by_test_id("submit-levels").click()
    expect(page.get_by_test_id("submit-levels")).to_have_count(0)
    log_out(page)

    _open_review_from_dashboard(page, e2e_url, SECOND)
    _assess_all(page, adjusted_pk)
    page.get_by_test_id("submit-levels").click()
    expect(page.get_by_test_id("team-entries")).to_have_count(len(CLAUSES))
    expect(page.get_by_test_id("flag")).to_have_count(0)
    shot("second-sees-the-team-entries")
    log_out(page)
    assert LevelScore.objects.filter(stage=stage).count() == 2 * len(CLAUSES)

    # The lead completes and decides, then drafts the report.
    _open_review_from_dashboard(page, e2e_url, LEAD)
    page.get_by_test_id("complete").click()
    decide = page.get_by_test_id("decide-form")
    decide.locator("textarea[name=summary]").fill(DECISION)
    decide.locator("button[type=submit]").click()
    expect(page.get_by_test_id("stage-state")).to_have_text(
        in_language("id", StageState.DECIDED.label)
    )
    stage.refresh_from_db()
    assert stage.decision == Decision.PASSED
    shot("lead-decided")

    # 5. From the review page to the report, drafted by the lead.
    page.get_by_test_id("report-link").click()
    page.get_by_test_id("start-report").click()
    form = page.get_by_test_id("report-form")
    form.locator("textarea[name=summary]").fill(SUMMARY)
    form.locator("textarea[name=strengths]").fill(
        "Data terpadu dan layanan publik daring."
    )
    recommendations = form.locator("textarea[name^=recommendation_]")
    assert recommendations.count() == 6
    for number in range(recommendations.count()):
        recommendations.nth(number).fill("Perluas integrasi data lintas dinas.")
    form.get_by_test_id("save-report").click()
    expect(
        page.get_by_test_id("report-form").locator("textarea[name=summary]")
    ).to_have_value(SUMMARY)
    assert MaturityReport.objects.get(stage=stage).summary == SUMMARY
    expect(page.get_by_test_id("index")).to_have_text("3,00")
    shot("lead-drafted-the-report")
    log_out(page)

    # The admin finds the draft from the dashboard and publishes it.
    log_in(page, login, *ADMIN)
    expect(page.get_by_test_id("reports-waiting")).to_contain_text("1")
    shot("admin-dashboard-maturity-block")
    page.get_by_test_id("reports-waiting").click()
    page.get_by_test_id("reports-waiting").locator(
        f"a[href='/kematangan/laporan/{stage.pk}/v1/']"
    ).click()
    expect(page.get_by_test_id("tier")).to_contain_text("M1")
    publish = page.get_by_test_id("publish-form")
    publish.locator("input[name=confirm]").check()
    publish.get_by_test_id("publish").click()
    expect(page.get_by_test_id("report-state")).to_have_text(
        in_language("id", ReportState.PUBLISHED.label)
    )
    report = MaturityReport.objects.get(stage=stage)
    assert (report.state, report.index, report.tier) == (
        ReportState.PUBLISHED,
        Decimal("3.00"),
        "M1",
    )
    certificate = Certificate.objects.get(stage=stage)
    assert certificate.number.startswith(f"SCM-{timezone.localdate().year}-")
    expect(page.get_by_test_id("certificate")).to_contain_text(certificate.number)
    shot("admin-published")
    log_out(page)

    # 6. The coordinator reads the report from the dashboard, consents to the
    # publication and downloads the certificate.
    log_in(page, login, *COORDINATOR)
    expect(page.locator("li[data-step='11']")).to_have_attribute("data-status", "done")
    shot("coordinator-dashboard-after-publication")
    page.get_by_test_id("consent-link").click()
    page.locator("button[name=consented][value=yes]").click()
    expect(page.get_by_test_id("consent")).to_be_visible()
    page.goto(e2e_url("/dasbor/participant/"))
    page.get_by_test_id("maturity-results").get_by_test_id("report-link").click()
    expect(page.get_by_test_id("report-state")).to_have_text(
        in_language("id", ReportState.PUBLISHED.label)
    )
    expect(page.get_by_test_id("narrative")).to_contain_text(SUMMARY)
    shot("coordinator-reads-the-published-report")
    report_pdf = _download(page, e2e_watch, page.get_by_test_id("report-pdf"))
    path = tmp_path / "laporan.pdf"
    report_pdf.save_as(path)
    pages = PdfReader(path).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert len(pages) >= 3
    assert "M1" in text and SUMMARY[:30] in text
    assert all(clause in text for clause in CLAUSES)
    download = _download(page, e2e_watch, page.get_by_test_id("certificate-pdf"))
    assert download.suggested_filename == f"{certificate.number}.pdf"
    pdf = tmp_path / "scm.pdf"
    download.save_as(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert certificate.number in text
    assert "M1" in text
    log_out(page)

    # The anonymous visitor scans the QR code and verifies the certificate.
    scanned = urlsplit(_scan_qr(pdf.read_bytes(), tmp_path))
    assert scanned.path == f"/verifikasi/{certificate.number}"
    page.goto(e2e_url(scanned.path))
    expect(page.get_by_test_id("user-menu")).to_have_count(0)
    expect(page.get_by_test_id("holder")).to_have_text(region.official_name)
    shot("anonymous-verifies-the-certificate")

    # ... and reads the public results page with the index and the radar.
    page.goto(e2e_url(f"/terbuka/hasil/{SURAKARTA}/"))
    # In Indonesian, with a decimal comma.
    expect(page.get_by_test_id("index").first).to_have_text("3,00")
    radar = page.get_by_test_id("radar").first
    expect(radar).to_be_visible()
    assert radar.evaluate("image => image.complete && image.naturalWidth > 0")
    svg = page.request.get(e2e_url(radar.get_attribute("src")))
    assert svg.ok and svg.headers["content-type"].startswith("image/svg+xml")
    shot("anonymous-reads-the-public-results")
    e2e_watch.assert_clean()
