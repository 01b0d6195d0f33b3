"""Fixtures for the browser tests: Debian's Chromium, a live server with the
reference data and demo accounts, screenshots and a watch on the browser console.

Self-contained on purpose: every fixture here is named ``e2e_*`` (apart from the
pytest-playwright override) so that it cannot clash with ``tests/conftest.py``.
Run in its own process (P9)::

    DJANGO_ALLOW_ASYNC_UNSAFE=true .venv/bin/python -m pytest tests/e2e
"""

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def e2e_allow_async_unsafe():
    """Playwright's sync API runs an event loop in the main thread, and the
    fixtures use the ORM in that thread too (P8). Only for these tests, so that
    a run which also collects the unit tests does not hide P8 from them."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright has no --executable-path option (P7): use Debian's."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def e2e_data(transactional_db):
    """Reference data and demo accounts, loaded afresh for each test.

    ``live_server`` needs a transactional database, which is flushed after each
    test, so the data cannot be loaded once per session.
    """
    from kotacerdas.accounts.demo import create_demo_accounts
    from kotacerdas.indicators.services import (
        load_catalogue,
        load_default_methodologies,
    )
    from kotacerdas.regions.services import load_regions

    load_regions()
    load_catalogue()
    load_default_methodologies()
    create_demo_accounts()


@pytest.fixture
def e2e_url(live_server, e2e_data):
    """Absolute URL on the live server for a path: ``e2e_url("/akun/masuk/")``."""

    def url(path):
        return live_server.url + path

    return url


@pytest.fixture
def e2e_shot(request, page):
    """Save numbered full-page screenshots for the running test.

    Files go to ``$TEST_OUTPUT_DIR/<test name>/NN-<label>.png``; the folder
    defaults to ``test-output/e2e`` under the project and is emptied first so
    that it holds only the last run's pictures.
    """
    root = Path(os.environ.get("TEST_OUTPUT_DIR", "test-output/e2e"))
    if not root.is_absolute():
        root = request.config.rootpath / root
    folder = root / _safe_name(request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    counter = 0

    def shot(label):
        nonlocal counter
        counter += 1
        path = folder / f"{counter:02d}-{_safe_name(label)}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return shot


def _safe_name(text):
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")


@dataclass
class BrowserWatch:
    """What the browser reported while the test ran."""

    csp_violations: list = field(default_factory=list)
    console_errors: list = field(default_factory=list)
    page_errors: list = field(default_factory=list)
    bad_responses: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)

    def problems(self):
        return {
            name: items
            for name, items in (
                ("CSP violations", self.csp_violations),
                ("JavaScript errors", self.page_errors),
                ("HTTP errors", self.bad_responses),
                ("failed requests", self.failed_requests),
            )
            if items
        }

    def assert_clean(self):
        assert not self.problems(), f"The browser reported problems: {self.problems()}"


@pytest.fixture
def e2e_watch(page):
    """Collect CSP violations, JavaScript errors and failed requests of ``page``.

    Tests call ``e2e_watch.assert_clean()`` at the end; the teardown checks
    again, so a test that forgets still fails (as a teardown error).
    """
    watch = BrowserWatch()

    def on_console(message):
        if message.type != "error":
            return
        if "Content Security Policy" in message.text:
            watch.csp_violations.append(f"{page.url}: {message.text}")
        else:
            watch.console_errors.append(f"{page.url}: {message.text}")

    def on_response(response):
        if response.status >= 400:
            watch.bad_responses.append(f"{response.status} {response.url}")

    def on_request_failed(request):
        # Chromium fetches the favicon after the page has loaded and cancels the
        # fetch when the test moves on at once; that says nothing about the
        # product (a missing favicon still shows as an HTTP error).
        if request.failure == "net::ERR_ABORTED" and "/favicon." in request.url:
            return
        watch.failed_requests.append(f"{request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    yield watch
    watch.assert_clean()


_LEFT_OUT = pytest.StashKey[int]()


def pytest_collection_modifyitems(config, items):
    """Leave the browser tests out of a run that also collects the other tests.

    tests/conftest.py loads the reference data once per session and relies on
    rolled-back transactions; ``live_server`` flushes the tables after each test,
    which would empty them for the tests that follow. ``make unit`` passes
    ``--ignore=tests/e2e``; this guards a bare ``pytest`` as well.
    """
    here = Path(__file__).resolve().parent
    ours = [item for item in items if here in item.path.resolve().parents]
    if not ours or len(ours) == len(items):
        return
    config.hook.pytest_deselected(items=ours)
    left_out = {id(item) for item in ours}
    items[:] = [item for item in items if id(item) not in left_out]
    config.stash[_LEFT_OUT] = len(ours)


def pytest_report_collectionfinish(config):
    left_out = config.stash.get(_LEFT_OUT, 0)
    if left_out:
        return [
            f"tests/e2e: {left_out} browser tests left out; run them on their "
            "own: DJANGO_ALLOW_ASYNC_UNSAFE=true pytest tests/e2e"
        ]
    return []
