"""Traffic for ``make load-test``: participants, assessors and admins at once.

Run by ``deploy/load_test.py``, which starts the app servers and passes, in the
environment, the servers to alternate between (``LOAD_SERVERS``) and a JSON file
of the accounts to log in as (``LOAD_ACCOUNTS``, from bench/generate.py's
dataset). Only loopback addresses are accepted.

The mix follows what the product offers today; pages of later features
(registrations, scheduling, assessments) join it as they are built.
"""

import itertools
import json
import os
import random
import re
import urllib.parse
from pathlib import Path

from locust import HttpUser, between, task

SERVERS = os.environ.get("LOAD_SERVERS", "http://127.0.0.1:8000").split(",")
with Path(os.environ["LOAD_ACCOUNTS"]).open(encoding="utf-8") as accounts_file:
    ACCOUNTS = json.load(accounts_file)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

for server in SERVERS:
    if urllib.parse.urlsplit(server).hostname not in {"127.0.0.1", "localhost"}:
        raise SystemExit(f"The load test only targets loopback, not {server}")

_accounts = {
    role: itertools.cycle(emails) for role, emails in ACCOUNTS["accounts"].items()
}
_servers = itertools.count()


class Visitor(HttpUser):
    """One person; every request goes to the next app server in turn."""

    abstract = True
    wait_time = between(1, 4)
    role = None

    def url(self, path):
        return SERVERS[next(_servers) % len(SERVERS)] + path

    def page(self, path, name=None):
        return self.client.get(self.url(path), name=name or path)

    def csrf_token(self, response):
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        return match.group(1) if match else ""

    def on_start(self):
        if self.role is None:
            return
        email = next(_accounts[self.role])
        login = self.page("/akun/masuk/")
        self.client.post(
            self.url("/akun/masuk/"),
            data={
                "csrfmiddlewaretoken": self.csrf_token(login),
                "username": email,
                "password": ACCOUNTS["password"],
            },
            name="/akun/masuk/",
        )


class Participant(Visitor):
    """A region's coordinator: dashboard, documents, notifications, catalogue."""

    weight = 6
    role = "participant"

    @task(5)
    def dashboard(self):
        self.page("/dasbor/", name="/dasbor/ (redirect)")
        self.page("/dasbor/participant/")

    @task(3)
    def documents(self):
        self.page("/berkas/unggah/")

    @task(2)
    def notifications(self):
        self.page("/notifikasi/")

    @task(2)
    def catalogue(self):
        self.page("/katalog-indikator/")

    @task(1)
    def upload_and_download(self):
        form = self.page("/berkas/unggah/")
        name = f"bukti-{random.randrange(10**6)}.pdf"  # noqa: S311
        listing = self.client.post(
            self.url("/berkas/unggah/"),
            data={"csrfmiddlewaretoken": self.csrf_token(form)},
            files={"file": (name, PDF, "application/pdf")},
            name="/berkas/unggah/",
        )
        match = re.search(r'href="(/berkas/[0-9a-f-]{36}/)"', listing.text)
        if match:
            self.page(match.group(1), name="/berkas/<id>/")


class Assessor(Visitor):
    weight = 2
    role = "assessor"

    @task(4)
    def dashboard(self):
        self.page("/dasbor/assessor/")

    @task(2)
    def catalogue(self):
        self.page("/katalog-indikator/")

    @task(1)
    def notifications(self):
        self.page("/notifikasi/")


class Admin(Visitor):
    """The institute's admin: dashboard and the management lists."""

    weight = 1
    role = "admin"

    @task(3)
    def dashboard(self):
        self.page("/dasbor/admin/")

    @task(2)
    def users(self):
        self.page("/kelola/accounts/user/", name="/kelola/accounts/user/")

    @task(1)
    def user_search(self):
        self.page(
            "/kelola/accounts/user/?q=koordinator", name="/kelola/accounts/user/?q"
        )

    @task(1)
    def audit_trail(self):
        self.page("/kelola/common/auditevent/")

    @task(1)
    def stored_files(self):
        self.page("/kelola/common/storedfile/")


class Public(Visitor):
    """Somebody not logged in, reading the public pages."""

    weight = 1

    @task(2)
    def home(self):
        self.page("/")

    @task(1)
    def catalogue(self):
        self.page("/katalog-indikator/")
