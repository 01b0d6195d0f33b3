"""make scale-test: the product as production runs it, on two app servers at once.

It starts (and afterwards stops) everything it needs on this machine, on loopback
only:

* the machine's PostgreSQL, if it is not running yet, with a throw-away role and
  database for this run;
* an SMTP sink that counts the e-mails it receives;
* two gunicorn app servers with the production settings, on two ports, and one
  task worker (``run_worker``);

then walks the procedure's steps 2 and 3 with requests alternating between the
two servers, as a load balancer without sticky sessions would send them: the
region's coordinator logs in, starts a registration, fills in the form (the
indicator picker, an autosave, the three documents as real PDFs) and submits
it; the admin finds it in the queue, opens the documents and accepts it with
every checklist item in order; the coordinator, still logged in, sees the
decision and logs out. It asserts that every request succeeded, that each server
served both logged-in sessions (read from their access logs), that the worker
e-mailed each notification (the admins' "to check", the coordinator's
"accepted") exactly once, and that a backup taken afterwards, restored into an
empty database and files folder, holds the same rows in every table, the same
registration with its rounds, documents (byte for byte) and audit trail, and
serves it from a third app server.

The demo data is the starting point; deploy/scale_seed.py adds what the
submission needs beyond it (the team's completed indicator training).
"""

import argparse
import collections
import email
import email.policy
import hashlib
import html
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from contextlib import closing
from dataclasses import dataclass, field
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
# The public name the proxy forwards; both app servers are reached under it.
PUBLIC_HOST = "smartcity.example.test"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
WORKER_INTERVAL = 0.5
SEED_PREFIX = "scale_seed: "  # deploy/scale_seed.py's report lines start so
DEADLINE = 600  # seconds for the whole run; each wait below is shorter

# The demo data's coordinator of Surakarta, and the institute's admin.
COORDINATOR = ("koordinator@surakarta.demo.id", "demo-peserta-2026")
ADMIN = ("admin@demo.ppti.id", "demo-admin-2026")


def say(message):
    print(f"[{say.prefix} {time.strftime('%H:%M:%S')}] {message}", flush=True)


say.prefix = "scale-test"


class ScaleTestError(AssertionError):
    pass


def check(condition, message):
    if not condition:
        raise ScaleTestError(message)


def free_port():
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, what, timeout):
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if predicate():
            return
        time.sleep(0.2)
    raise ScaleTestError(f"timed out after {timeout} s waiting for {what}")


# -- SMTP sink ------------------------------------------------------------------


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP for Django's backend: it keeps each message it gets."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _SmtpHandler)
        self.messages = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server_address[1]

    def start(self):
        self.thread.start()

    def stop(self):
        self.shutdown()
        self.server_close()

    def received(self):
        with self.lock:
            return list(self.messages)


class _SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 scale-test sink")
        sender, recipients = None, []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb in {"EHLO", "HELO"}:
                self.reply("250-scale-test\r\n250 8BITMIME")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(), []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End with <CRLF>.<CRLF>")
                self._read_data(sender, recipients)
                self.reply("250 OK queued")
            elif verb in {"RSET", "NOOP"}:
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Not implemented")

    def _read_data(self, sender, recipients):
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        message = email.message_from_bytes(b"".join(lines), policy=email.policy.default)
        with self.server.lock:
            self.server.messages.append((sender, recipients, message))


# -- PostgreSQL -----------------------------------------------------------------


class Postgres:
    """The machine's server, one role and two databases for this run."""

    def __init__(self, prefix="kotacerdas_scale", labels=("app", "restored")):
        suffix = f"{os.getpid()}_{secrets.token_hex(3)}"
        self.role = f"{prefix}_{suffix}"
        self.password = secrets.token_hex(12)
        self.databases = {label: f"{prefix}_{label}_{suffix}" for label in labels}
        self.started_cluster = None
        self.created = False

    def url(self, which):
        return (
            f"postgres://{self.role}:{self.password}@127.0.0.1:5432/"
            f"{self.databases[which]}"
        )

    def start(self):
        if not _pg_ready():
            cluster = sorted(Path("/etc/postgresql").iterdir())[0].name
            say(f"starting PostgreSQL {cluster}/main")
            subprocess.run(
                [
                    "pg_ctlcluster",
                    "--skip-systemctl-redirect",
                    cluster,
                    "main",
                    "start",
                ],
                check=True,
            )
            self.started_cluster = cluster
            wait_for(_pg_ready, "PostgreSQL to accept connections", 30)
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            # The names and the password are made above, never read from outside.
            admin.execute(f"CREATE ROLE {self.role} LOGIN PASSWORD '{self.password}'")
            self.created = True
            for name in self.databases.values():
                admin.execute(f"CREATE DATABASE {name} OWNER {self.role}")

    def query(self, which, sql, params=None):
        with psycopg.connect(self.url(which)) as db:
            return db.execute(sql, params).fetchall()

    def stop(self):
        if self.created:
            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                for name in self.databases.values():
                    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
                admin.execute(f"DROP ROLE IF EXISTS {self.role}")
        if self.started_cluster:
            say(f"stopping PostgreSQL {self.started_cluster}/main, as it was")
            subprocess.run(
                [
                    "pg_ctlcluster",
                    "--skip-systemctl-redirect",
                    self.started_cluster,
                    "main",
                    "stop",
                ],
                check=False,
            )


def _pg_ready():
    return (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False
        ).returncode
        == 0
    )


def _redis_url():
    """Django's Redis cache when this machine runs Redis, as production would."""
    try:
        with closing(socket.create_connection(("127.0.0.1", 6379), timeout=1)) as s:
            s.sendall(b"PING\r\n")
            if s.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/15"
    except OSError:
        pass
    return ""


# -- Processes ------------------------------------------------------------------


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path


@dataclass
class Processes:
    folder: Path
    running: list = field(default_factory=list)

    def start(self, name, command, env):
        log = self.folder / f"{name}.log"
        handle = log.open("wb")
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        self.running.append(Process(name, popen, log))
        return popen

    def stop(self):
        for process in reversed(list(self.running)):
            stopping = time.monotonic()
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
                try:
                    process.popen.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.popen.kill()
                    process.popen.wait()
            self.running.remove(process)
            say(f"stopped {process.name} in {time.monotonic() - stopping:.1f} s")

    def check_alive(self):
        for process in self.running:
            check(
                process.popen.poll() is None,
                f"{process.name} exited with {process.popen.returncode}; see "
                f"{process.log}",
            )


# Exit status 1 when staticfiles/ lacks a current static file or is older than
# one. WhiteNoise's manifest storage answers 500 for a page naming a file the
# manifest lacks, and collecting takes most of a minute here (Brotli), while
# `make scale-test` has just collected them through `make setup`.
STALE_STATIC = """
import json, sys
from pathlib import Path
import django
django.setup()
from django.conf import settings
from django.contrib.staticfiles import finders
manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
if not manifest.exists():
    sys.exit(1)
known = set(json.loads(manifest.read_text()).get("paths", {}))
built = manifest.stat().st_mtime
for finder in finders.get_finders():
    for path, storage in finder.list(["CVS", ".*", "*~"]):
        prefix = getattr(storage, "prefix", None)
        name = f"{prefix}/{path}" if prefix else path
        if name not in known or Path(storage.path(path)).stat().st_mtime > built:
            sys.exit(1)
"""


def static_files_stale(env):
    result = subprocess.run([PY, "-c", STALE_STATIC], cwd=ROOT, env=env, check=False)
    return result.returncode != 0


def run_step(env, command):
    """One set-up command (``manage.py …`` or a deploy script) in ``env``."""
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise ScaleTestError(
            f"{' '.join(command[1:])} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


# -- A browser that alternates between app servers ------------------------------


@dataclass
class Hit:
    server: str
    method: str
    path: str
    status: int


class Browser:
    """One visitor: a cookie jar, and each request sent to the next server.

    Requests carry what the proxy adds (the public Host, X-Forwarded-Proto), so
    the app servers run exactly their production settings, HTTPS included.
    """

    def __init__(self, name, servers, hits, origin=f"https://{PUBLIC_HOST}"):
        self.name = name
        self.origin = origin
        self.servers = servers
        self.turn = 0
        self.cookies = {}
        self.hits = hits

    def request(
        self,
        method,
        path,
        *,
        body=None,
        content_type=None,
        expect=(200,),
        htmx=False,
        cookies=None,
    ):
        """One request to the next server. ``htmx`` sends what htmx adds (the
        page's script posts the autosave, the picker and the uploads that way);
        ``cookies`` replaces the jar for this request only."""
        port = self.servers[self.turn % len(self.servers)]
        self.turn += 1
        headers = {
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "X-Request-ID": uuid.uuid4().hex,
            "Accept-Encoding": "identity",
            "User-Agent": f"scale-test/{self.name}",
        }
        jar = self.cookies if cookies is None else cookies
        if jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = f"{self.origin}{path}"
            headers["Content-Type"] = content_type
        if htmx:
            headers["HX-Request"] = "true"
        connection = HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        if cookies is None:
            self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        self.hits.append(Hit(str(port), method, path, response.status))
        check(
            response.status in expect,
            f"{self.name}: {method} {path} on :{port} answered {response.status}, "
            f"expected {expect}:\n{content[:2000].decode('utf-8', 'replace')}",
        )
        return response, content

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, fields, *, expect=(302,), htmx=False):
        """``fields``: a dict, or pairs for a name given more than once."""
        body = urllib.parse.urlencode(fields)
        return self.request(
            "POST",
            path,
            body=body,
            content_type="application/x-www-form-urlencoded",
            expect=expect,
            htmx=htmx,
        )

    def post_multipart(self, path, fields, files, *, expect=(302,), htmx=False):
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                f"\r\n\r\n{value}\r\n".encode()
            )
        for name, (filename, content, mime) in files.items():
            out.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mime}\r\n\r\n'.encode()
            )
            out.write(content + b"\r\n")
        out.write(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=out.getvalue(),
            content_type=f"multipart/form-data; boundary={boundary}",
            expect=expect,
            htmx=htmx,
        )

    def follow(self, response, limit=5):
        """Follow redirects, each hop on the next server; return the last page."""
        content = b""
        for _ in range(limit):
            if response.status not in (301, 302, 303):
                return response, content
            location = urllib.parse.urlsplit(response.headers["Location"])
            check(
                location.netloc in ("", PUBLIC_HOST),
                f"redirect off the site: {response.headers['Location']}",
            )
            target = location.path + (f"?{location.query}" if location.query else "")
            response, content = self.get(target, expect=(200, 301, 302, 303))
        raise ScaleTestError(f"{self.name}: more than {limit} redirects")

    def csrf_token(self, content):
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content)
        check(match is not None, f"{self.name}: no CSRF token in the page")
        return match.group(1).decode()

    def session_hash(self):
        value = self.cookies.get("sessionid", "")
        check(value, f"{self.name}: no session cookie")
        return hashlib.sha256(value.encode()).hexdigest()[:16]

    def _keep_cookies(self, headers):
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def log_in(self, username, password):
        _, page = self.get("/akun/masuk/")
        response, _ = self.post_form(
            "/akun/masuk/",
            {
                "csrfmiddlewaretoken": self.csrf_token(page),
                "username": username,
                "password": password,
            },
        )
        return self.follow(response)


# -- The journey ----------------------------------------------------------------

# The three documents of a registration: field -> (the upload's URL word, title).
DOCUMENTS = {
    "application_letter": ("surat-permohonan", "Surat permohonan penilaian"),
    "team_decree": ("sk-tim", "Keputusan kepala daerah tentang tim kota cerdas"),
    "implementation_plan": ("rencana-penerapan", "Rencana penerapan indikator"),
}
INDICATOR_COUNT = 6  # the methodology (indicators v1) allows 5 to 80
PICKER_WORD = "sampah"  # matches a few indicator titles, not all of them
CONTACT = {
    "contact_name": "Sri Handayani",
    "contact_phone": "+62 271 644 123",
    "contact_email": "kominfo@surakarta.demo.id",
}
# What the registration's audit trail must say, oldest first.
REGISTRATION_TRAIL = [
    "registration.started",
    "registration.document_attached",
    "registration.document_attached",
    "registration.document_attached",
    "registration.submitted",
    "registration.accepted",
]


def make_pdf(title):
    """A real one-page PDF, different on every run, so its hash proves identity."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 760, f"{title} (uji skala)")
    page.drawString(72, 740, f"Nomor uji: {secrets.token_hex(16)}")
    page.showPage()
    page.save()
    return out.getvalue()


@dataclass
class Document:
    field: str
    name: str
    content: bytes
    download_path: str = ""

    @property
    def sha256(self):
        return hashlib.sha256(self.content).hexdigest()


@dataclass
class JourneyResult:
    registration: int
    period: int
    documents: list
    sessions: dict
    notified_before: int


def journey(servers, hits, postgres):
    """The coordinator registers and submits, the admin accepts; both sessions
    alternate between the servers, and the coordinator's stays open meanwhile."""
    notified_before = postgres.query(
        "app", "SELECT coalesce(max(id), 0) FROM common_notification"
    )[0][0]
    coordinator = Browser("coordinator", servers, hits)
    _, page = coordinator.log_in(*COORDINATOR)
    check(
        b'data-testid="dashboard-title"' in page and b"Surakarta" in page,
        "the coordinator did not land on her region's dashboard",
    )
    check_static_files(coordinator, page)

    pk, period, page = start_registration(coordinator, postgres)
    documents = fill_in_and_submit(coordinator, pk, page)
    check_state(postgres, pk, "submitted")
    say(
        f"step 'register': registration {pk} for {period} submitted with "
        f"{INDICATOR_COUNT} indicators and {len(documents)} documents"
    )

    admin = Browser("admin", servers, hits)
    admin.log_in(*ADMIN)
    accept(admin, pk, documents)
    check_state(postgres, pk, "accepted")
    say(f"step 'admin accepts': registration {pk} accepted, every item in order")

    # Still on her session from before the admin's decision.
    _, page = coordinator.get(f"/pendaftaran/{pk}/")
    check(
        b'data-testid="agreed"' in page, "the coordinator does not see the agreed set"
    )
    subjects = postgres.query(
        "app",
        "SELECT n.subject FROM common_notification n JOIN accounts_user u "
        "ON u.id = n.recipient_id WHERE u.email = %s AND n.action = %s "
        "AND n.id > %s",
        (COORDINATOR[0], "registration.accepted", notified_before),
    )
    check(len(subjects) == 1, f"the coordinator was notified {subjects}")
    subject = subjects[0][0]
    _, page = coordinator.get("/notifikasi/")
    check(
        html.escape(subject).encode() in page,
        f"the coordinator's notifications lack {subject!r}",
    )
    coordinator_session = coordinator.session_hash()
    log_out_everywhere(coordinator)
    return JourneyResult(
        pk,
        period,
        documents,
        {"coordinator": coordinator_session, "admin": admin.session_hash()},
        notified_before,
    )


def start_registration(coordinator, postgres):
    """Start a registration for the first period the region has none for yet
    (the demo data registered it for next year). Returns (pk, period, form)."""
    _, page = coordinator.get("/pendaftaran/")
    select = re.search(rb'<select[^>]*name="period"[^>]*>(.*?)</select>', page, re.S)
    check(select is not None, "the coordinator is offered no registration to start")
    offered = [int(v) for v in re.findall(rb'<option value="(\d{4})"', select.group(1))]
    taken = {
        period
        for (period,) in postgres.query(
            "app",
            "SELECT r.period FROM registrations_registration r JOIN accounts_user u "
            "ON u.region_id = r.region_id WHERE u.email = %s "
            "AND r.state NOT IN ('withdrawn', 'rejected')",
            (COORDINATOR[0],),
        )
    }
    free = [period for period in offered if period not in taken]
    check(free, f"every offered period {offered} is taken: {sorted(taken)}")
    response, _ = coordinator.post_form(
        "/pendaftaran/mulai/",
        {"csrfmiddlewaretoken": coordinator.csrf_token(page), "period": free[0]},
    )
    edit = urllib.parse.urlsplit(response.headers["Location"]).path
    match = re.fullmatch(r"/pendaftaran/(\d+)/ubah/", edit)
    check(match is not None, f"starting led to {edit}, not to a registration form")
    _, page = coordinator.follow(response)
    return int(match.group(1)), free[0], page


def form_fields(csrf, indicators, team):
    """What the registration form posts: the contact, the ticked indicators and
    team, and the markers saying both sets were on the page."""
    return [
        ("csrfmiddlewaretoken", csrf),
        *CONTACT.items(),
        ("indicators_present", "on"),
        *(("indicators", pk) for pk in indicators),
        ("team_present", "on"),
        *(("team", pk) for pk in team),
    ]


def fill_in_and_submit(coordinator, pk, page):
    """The form as the page's script sends it: a picker search, an autosave,
    the documents (the first as without JavaScript), then the submit button."""
    csrf = coordinator.csrf_token(page)
    catalogue = re.findall(r'name="indicators" value="(\d+)"', page.decode())
    candidates = re.findall(r'name="team" value="(\d+)"', page.decode())
    team = re.findall(
        r'name="team" value="(\d+)" id="team-\d+" checked>', page.decode()
    )
    check(
        team and team == candidates,
        f"the team is {team}, expected every member of the region: {candidates}",
    )

    query = urllib.parse.urlencode({"q": PICKER_WORD})
    response, fragment = coordinator.get(
        f"/pendaftaran/{pk}/indikator/?{query}", htmx=True
    )
    found = re.findall(r'name="indicators" value="(\d+)"', fragment.decode())
    check(
        response.headers.get("X-Registration-Fragment") == "1"
        and 0 < len(found) < len(catalogue),
        f"the picker found {len(found)} of {len(catalogue)} for {PICKER_WORD!r}",
    )
    chosen = list(dict.fromkeys(found + catalogue))[:INDICATOR_COUNT]

    response, status = coordinator.post_form(
        f"/pendaftaran/{pk}/simpan/",
        form_fields(csrf, chosen, team),
        expect=(200,),
        htmx=True,
    )
    check(
        b'data-testid="saved"' in status
        and b'data-testid="save-error"' not in status
        and b'data-testid="save-field-errors"' not in status,
        f"the autosave did not save:\n{status[:2000].decode('utf-8', 'replace')}",
    )

    documents = []
    for number, (field_name, (slug, title)) in enumerate(DOCUMENTS.items()):
        document = Document(
            field_name, f"{slug}-{secrets.token_hex(4)}.pdf", make_pdf(title)
        )
        path = f"/pendaftaran/{pk}/dokumen/{slug}/"
        check(f'action="{path}"'.encode() in page, f"the form has no upload {path}")
        htmx = number > 0
        response, content = coordinator.post_multipart(
            path,
            {"csrfmiddlewaretoken": csrf},
            {"file": (document.name, document.content, "application/pdf")},
            expect=(200,) if htmx else (302,),
            htmx=htmx,
        )
        if not htmx:
            _, content = coordinator.follow(response)
        link = re.search(
            rb'href="(/berkas/[0-9a-f-]{36}/)">' + re.escape(document.name.encode()),
            content,
        )
        check(link is not None, f"{document.name} is not attached as {field_name}")
        document.download_path = link.group(1).decode()
        documents.append(document)

    _, page = coordinator.get(f"/pendaftaran/{pk}/ubah/")
    blocking = re.findall(rb'<li data-problem="blocking">(.*?)</li>', page, re.S)
    check(not blocking, f"the form still lists what blocks the submission: {blocking}")
    for document in documents:
        check(document.name.encode() in page, f"the form lacks {document.name}")
        _, content = coordinator.get(document.download_path)
        check(content == document.content, f"{document.name} downloads differently")

    response, _ = coordinator.post_form(
        f"/pendaftaran/{pk}/kirim/", form_fields(csrf, chosen, team)
    )
    _, page = coordinator.follow(response)
    check(
        b'data-testid="state"' in page and b'data-testid="proposed"' in page,
        "submitting did not lead to the registration's page",
    )
    return documents


def accept(admin, pk, documents):
    """The admin finds the registration in the queue, opens every document and
    accepts it with each checklist item in order and the proposed set."""
    check_path = f"/pendaftaran/{pk}/periksa/"
    _, page = admin.get("/pendaftaran/antrean/")
    check(
        f'href="{check_path}"'.encode() in page,
        "the admin's queue does not offer the registration to check",
    )
    _, page = admin.get(check_path)
    for document in documents:
        check(
            document.download_path.encode() in page,
            f"the check page lacks {document.name}",
        )
        _, content = admin.get(document.download_path)
        check(content == document.content, f"the admin's {document.name} differs")
    codes = list(dict.fromkeys(re.findall(r'name="item_([a-z_]+)"', page.decode())))
    check(len(codes) >= 6, f"the checklist has only the items {codes}")
    add_rows = re.search(rb'name="add_rows" value="(\d+)"', page)
    check(add_rows is not None, "the check page has no add_rows field")
    response, _ = admin.post_form(
        check_path,
        [
            ("csrfmiddlewaretoken", admin.csrf_token(page)),
            ("add_rows", add_rows.group(1).decode()),
            *((f"item_{code}", "yes") for code in codes),
            ("note", "Lengkap. Selamat mengikuti tahap penilaian kesiapan."),
            ("action", "accept"),
        ],
    )
    check(
        urllib.parse.urlsplit(response.headers["Location"]).path
        == "/pendaftaran/antrean/",
        f"accepting led to {response.headers['Location']}",
    )
    admin.follow(response)
    _, page = admin.get("/kelola/common/storedfile/")
    for document in documents:
        check(
            document.name.encode() in page,
            f"the admin's list of stored files lacks {document.name}",
        )


def check_state(postgres, pk, state):
    rows = postgres.query(
        "app", "SELECT state FROM registrations_registration WHERE id = %s", (pk,)
    )
    check(rows == [(state,)], f"registration {pk} is {rows}, expected {state}")


def log_out_everywhere(browser):
    """Log out on one server; the other then refuses the old session cookie."""
    _, page = browser.get("/notifikasi/")
    old_cookies = dict(browser.cookies)
    browser.post_form(
        "/akun/keluar/", {"csrfmiddlewaretoken": browser.csrf_token(page)}
    )
    check("sessionid" not in browser.cookies, "logging out kept the session cookie")
    response, _ = browser.get("/pendaftaran/", expect=(302,), cookies=old_cookies)
    location = urllib.parse.urlsplit(response.headers["Location"]).path
    check(
        location == "/akun/masuk/",
        f"the logged-out session still opens pages: {response.headers['Location']}",
    )


def check_static_files(browser, page):
    """WhiteNoise serves hashed static names compressed and cached for a year."""
    css = re.search(
        rb'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"',
        page,
    )
    check(css is not None, "the page does not link the hashed Bootstrap CSS")
    port = browser.servers[0]
    connection = HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "GET",
        css.group(1).decode(),
        headers={
            "Host": PUBLIC_HOST,
            "X-Forwarded-Proto": "https",
            "Accept-Encoding": "br, gzip",
        },
    )
    response = connection.getresponse()
    response.read()
    connection.close()
    browser.hits.append(Hit(str(port), "GET", css.group(1).decode(), response.status))
    check(response.status == 200, f"static file answered {response.status}")
    check(
        response.headers.get("Content-Encoding") in ("br", "gzip"),
        "static file not served compressed",
    )
    cache = response.headers.get("Cache-Control", "")
    max_age = re.search(r"max-age=(\d+)", cache)
    check(
        "immutable" in cache and max_age and int(max_age.group(1)) >= 365 * 86400,
        f"static file cache header is {cache!r}",
    )


def check_emails(sink, postgres, result):
    """The worker e-mailed each notification of the journey exactly once.

    Submitting notifies every admin, accepting notifies the coordinator; each is
    an e-mail to one address with the subject of its notification (rendered in
    the recipient's language), which the sink counts per recipient and subject.
    """
    notified = postgres.query(
        "app",
        "SELECT u.email, n.action, n.subject FROM common_notification n "
        "JOIN accounts_user u ON u.id = n.recipient_id WHERE n.id > %s ORDER BY n.id",
        (result.notified_before,),
    )
    admins = postgres.query(
        "app",
        "SELECT DISTINCT u.email FROM accounts_user u JOIN accounts_userrole r "
        "ON r.user_id = u.id WHERE r.role = 'admin' AND u.is_active",
    )
    expected = sorted(
        [(address, "registration.submitted") for (address,) in admins]
        + [(COORDINATOR[0], "registration.accepted")]
    )
    check(
        sorted((address, action) for address, action, _ in notified) == expected,
        f"the journey notified {notified}, expected {expected}",
    )
    accepted = next(s for _, action, s in notified if action == "registration.accepted")
    check(
        "Surakarta" in accepted and str(result.period) in accepted,
        f"the acceptance's subject is {accepted!r}",
    )

    wanted = collections.Counter((address, subject) for address, _, subject in notified)
    wait_for(
        lambda: len(sink.received()) >= len(notified),
        f"the worker to send {len(notified)} e-mails",
        60,
    )
    # Give a duplicate every chance to arrive: several worker polls.
    time.sleep(WORKER_INTERVAL * 8)
    sent = collections.Counter(
        (",".join(recipients), str(message["subject"]))
        for _, recipients, message in sink.received()
    )
    for (address, subject), count in sent.items():
        check(
            (address, subject) in wanted,
            f"an e-mail nobody was notified of went to {address}: {subject!r}",
        )
        check(count == 1, f"{count} e-mails to {address} with {subject!r}, expected 1")
    for address, subject in wanted:
        check(sent[address, subject] == 1, f"no e-mail to {address} with {subject!r}")
    unsent = postgres.query(
        "app",
        "SELECT count(*) FROM common_notification WHERE id > %s AND emailed_at IS NULL",
        (result.notified_before,),
    )
    check(unsent == [(0,)], f"{unsent[0][0]} notifications are not marked e-mailed")
    return sorted(wanted)


def check_access_logs(folder, servers, sessions, hits):
    """Each app server logged authenticated requests of the same sessions."""
    for who, session in sessions.items():
        for port in servers:
            entries = [
                json.loads(line)
                for line in (folder / f"web-{port}-access.log").read_text().splitlines()
                if line.startswith("{")
            ]
            served = [
                e for e in entries if e["session"] == session and e["status"] == 200
            ]
            check(
                served,
                f"server :{port} served no request of the {who}'s session {session}",
            )
    for port in servers:
        count = sum(1 for hit in hits if hit.server == str(port))
        say(f"server :{port} answered {count} of the journey's requests")
    failed = [hit for hit in hits if hit.status >= 400]
    check(not failed, f"failed requests: {failed}")


# -- Backup and restore ---------------------------------------------------------

# The running worker keeps beating after the backup; every other table must be
# the same in the restored database, row for row.
NOT_COMPARED = {"common_workerheartbeat"}
# Tables that must not be empty, or the comparison would prove little.
MUST_HAVE_ROWS = {
    "accounts_user": "accounts",
    "accounts_userrole": "roles",
    "common_storedfile": "documents",
    "common_auditevent": "audit events",
    "common_notification": "notifications",
    "registrations_registration": "registrations",
    "registrations_submissionround": "submission rounds",
    "registrations_checkitem": "checklist items",
}

# The journey's registration, piece by piece: the whole tables are compared
# anyway, these say what failed when they differ.
REGISTRATION_QUERIES = {
    "registration": (
        "SELECT id, region_id, period, coordinator_id, state, contact_name, "
        "contact_phone, contact_email, application_letter_id, team_decree_id, "
        "implementation_plan_id, submitted_at, decided_at "
        "FROM registrations_registration WHERE id = %(pk)s"
    ),
    "rounds": (
        "SELECT number, outcome, submitted_by_id, checked_by_id, snapshot::text "
        "FROM registrations_submissionround WHERE registration_id = %(pk)s "
        "ORDER BY number"
    ),
    "checklist items": (
        "SELECT r.number, i.code, i.passed, i.note FROM registrations_checkitem i "
        "JOIN registrations_submissionround r ON r.id = i.round_id "
        "WHERE r.registration_id = %(pk)s ORDER BY r.number, i.id"
    ),
    "proposed indicators": (
        "SELECT indicator_id FROM registrations_registration_proposed_indicators "
        "WHERE registration_id = %(pk)s ORDER BY 1"
    ),
    "agreed indicators": (
        "SELECT indicator_id FROM registrations_registration_agreed_indicators "
        "WHERE registration_id = %(pk)s ORDER BY 1"
    ),
    "documents": (
        "SELECT f.id::text, f.file, f.sha256 FROM common_storedfile f "
        "JOIN registrations_registration r ON f.id IN "
        "(r.application_letter_id, r.team_decree_id, r.implementation_plan_id) "
        "WHERE r.id = %(pk)s ORDER BY f.sha256"
    ),
    "audit trail": (
        "SELECT e.created_at, e.actor_id, e.action, e.from_state, e.to_state, "
        "e.note FROM common_auditevent e "
        "JOIN django_content_type t ON t.id = e.content_type_id "
        "WHERE t.app_label = 'registrations' AND t.model = 'registration' "
        "AND e.object_id = %(pk)s::text ORDER BY e.created_at, e.id"
    ),
}


def snapshot(postgres, which):
    """Every row of every table, sorted, keyed by table name."""
    tables = postgres.query(
        which,
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    )
    return {
        table: sorted(
            postgres.query(
                which, sql.SQL("SELECT * FROM {}").format(sql.Identifier(table))
            ),
            key=repr,
        )
        for (table,) in tables
        if table not in NOT_COMPARED
    }


def backup_and_restore(postgres, env, restored_env, folder, result):
    archive_dir = folder / "backups"
    run_script(env, "backup.py", "--output", archive_dir)
    archive = next(archive_dir.glob("kotacerdas-*.tar"))
    say(f"backup written: {archive.name} ({archive.stat().st_size} bytes)")

    run_script(restored_env, "restore.py", archive)
    before, after = snapshot(postgres, "app"), snapshot(postgres, "restored")
    check(before.keys() == after.keys(), "the restored database has other tables")
    for table in before:
        check(
            before[table] == after[table], f"restored {table} differs from the original"
        )
    for table, label in MUST_HAVE_ROWS.items():
        check(after.get(table), f"there are no {label} to compare")
    say(
        f"restored database is the same in all {len(after)} tables: "
        + ", ".join(
            f"{len(after[table])} {label}" for table, label in MUST_HAVE_ROWS.items()
        )
    )

    check_registration_restored(postgres, result)

    private = Path(restored_env["DJANGO_VAR_DIR"]) / "private"
    documents = postgres.query("restored", "SELECT file, sha256 FROM common_storedfile")
    for path, sha256 in documents:
        restored = (private / path).read_bytes()
        check(
            hashlib.sha256(restored).hexdigest() == sha256,
            f"restored file {path} does not match its recorded hash",
        )
    say(f"all {len(documents)} restored files match their SHA-256")

    refused = run_script(restored_env, "restore.py", archive, check_rc=False)
    check(
        refused.returncode == 2 and "not empty" in refused.stderr,
        f"restore over a non-empty database did not refuse: {refused.stderr}",
    )
    say("restore over the now non-empty database refused, as it must")


def check_registration_restored(postgres, result):
    """The journey's registration, its rounds, documents and trail came back."""
    params = {"pk": result.registration}
    restored = {}
    for label, query in REGISTRATION_QUERIES.items():
        original = postgres.query("app", query, params)
        restored[label] = postgres.query("restored", query, params)
        check(
            restored[label] == original,
            f"the registration's {label} differ after the restore:\n"
            f"{original}\n{restored[label]}",
        )

    (registration,) = restored["registration"]
    check(registration[4] == "accepted", f"restored state is {registration[4]}")
    ((number, outcome, _by, _checker, submitted),) = restored["rounds"]
    check((number, outcome) == (1, "accepted"), f"restored round {number} {outcome}")
    items = restored["checklist items"]
    check(
        len(items) >= 6 and all(passed for _, _, passed, _ in items),
        f"restored checklist: {items}",
    )
    check(
        len(restored["agreed indicators"]) == INDICATOR_COUNT
        and restored["agreed indicators"] == restored["proposed indicators"],
        "the restored agreed set is not the proposed one",
    )
    trail = [action for _, _, action, *_ in restored["audit trail"]]
    check(trail == REGISTRATION_TRAIL, f"the restored trail is {trail}")

    # Byte-identical: the uploads' hashes, the rows', the round's and the files'.
    uploaded = sorted(document.sha256 for document in result.documents)
    stored = [sha256 for _, _, sha256 in restored["documents"]]
    frozen = sorted(d["sha256"] for d in json.loads(submitted)["documents"].values())
    check(stored == uploaded, f"restored documents {stored}, uploaded {uploaded}")
    check(frozen == uploaded, f"the restored round froze {frozen}")
    say(
        f"registration {result.registration} restored: accepted, 1 round with "
        f"{len(items)} checklist items, {len(stored)} documents, "
        f"{len(trail)} audit events"
    )


def run_script(env, script, *args, check_rc=True):
    result = subprocess.run(
        [PY, str(ROOT / "deploy" / "bin" / script), *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check_rc and result.returncode != 0:
        raise ScaleTestError(f"{script} failed:\n{result.stdout}\n{result.stderr}")
    return result


def check_restored_server(processes, restored_env, result, hits):
    """A fresh app server on the restored state serves the same registration."""
    port = start_web(processes, restored_env, "restored")
    start_worker(processes, restored_env, "worker-restored")
    wait_healthy([port], processes)
    browser = Browser("coordinator-after-restore", [port], hits)
    browser.log_in(*COORDINATOR)
    _, page = browser.get(f"/pendaftaran/{result.registration}/")
    check(b'data-testid="agreed"' in page, "the restored registration is not accepted")
    for document in result.documents:
        check(
            document.download_path.encode() in page,
            f"the restored registration lacks {document.name}",
        )
        _, content = browser.get(document.download_path)
        check(content == document.content, f"restored {document.name} differs")
    say("a new app server on the restored database serves the same registration")


# -- Running it all -------------------------------------------------------------


def app_env(folder, database_url, sink_port, var_name="var"):
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_", "WEB_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": PUBLIC_HOST,
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{PUBLIC_HOST}",
            "DJANGO_SITE_URL": f"https://{PUBLIC_HOST}",
            "DATABASE_URL": database_url,
            "DJANGO_VAR_DIR": str(folder / var_name),
            "DJANGO_TASKS_BACKEND": "database",
            "DJANGO_CACHE_URL": _redis_url(),
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(sink_port),
            "DJANGO_EMAIL_USE_TLS": "false",
            "DJANGO_LOG_FORMAT": "json",
            "DJANGO_WORKER_HEARTBEAT_SECONDS": "2",
            "WEB_CONCURRENCY": "2",
        }
    )
    return env


def start_web(processes, env, label):
    port = free_port()
    web_env = {
        **env,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_ACCESS_LOG": str(processes.folder / f"web-{port}-access.log"),
    }
    processes.start(
        f"web-{label}-{port}",
        [GUNICORN, "-c", "deploy/gunicorn.conf.py", "kotacerdas.wsgi"],
        web_env,
    )
    return port


def start_worker(processes, env, name):
    command = [
        PY,
        "manage.py",
        "run_worker",
        f"--interval={WORKER_INTERVAL}",
        "--no-startup-delay",
    ]
    processes.start(name, command, env)


def wait_healthy(ports, processes, host=PUBLIC_HOST):
    def healthy():
        processes.check_alive()
        for port in ports:
            try:
                connection = HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz", headers={"Host": host})
                status = connection.getresponse().status
                connection.close()
            except OSError:
                return False
            if status != 200:
                return False
        return True

    wait_for(healthy, f"/healthz to answer 200 on {ports}", 60)


def run(folder):
    started = time.monotonic()
    postgres = Postgres()
    sink = SmtpSink()
    processes = Processes(folder)
    try:
        postgres.start()
        sink.start()
        env = app_env(folder, postgres.url("app"), sink.port)
        restored_env = app_env(folder, postgres.url("restored"), sink.port, "restored")
        say(f"database {postgres.databases['app']}, SMTP sink on :{sink.port}")

        # The demo data notifies people too; those e-mails go to the command's
        # console, so that the sink counts only what the journey causes.
        setup_env = {**env, "DJANGO_TASKS_BACKEND": "immediate"}
        del setup_env["DJANGO_EMAIL_HOST"]
        manage_py = [PY, "manage.py"]
        steps = [
            (env, [*manage_py, "migrate", "--noinput", "-v0"]),
            (setup_env, [*manage_py, "load_reference_data"]),
            (setup_env, [*manage_py, "create_demo_data"]),
            # The coordinator's team completes the indicator training that the
            # submission requires; deploy/scale_seed.py says how.
            (setup_env, [PY, "deploy/scale_seed.py", COORDINATOR[0]]),
        ]
        if static_files_stale(env):
            steps.insert(0, (env, [*manage_py, "collectstatic", "--noinput", "-v0"]))
        timings = []
        for step_env, command in steps:
            step_started = time.monotonic()
            output = run_step(step_env, command)
            # The seed's own lines; the console mailer prints the rest.
            for line in output.splitlines():
                if line.startswith(SEED_PREFIX):
                    say(line)
            name = Path(command[2 if command[1] == "manage.py" else 1]).stem
            timings.append(f"{name} {time.monotonic() - step_started:.1f} s")
        say("set up: " + ", ".join(timings))

        servers = [start_web(processes, env, "a"), start_web(processes, env, "b")]
        start_worker(processes, env, "worker")
        # /healthz is 200 only once the worker's heartbeat is in the database.
        wait_healthy(servers, processes)
        say(f"app servers on :{servers[0]} and :{servers[1]} and the worker are up")

        hits = []
        result = journey(servers, hits, postgres)
        emails = check_emails(sink, postgres, result)
        say(
            f"the worker e-mailed each of the {len(emails)} notifications exactly "
            "once: " + "; ".join(f"{to}: {subject}" for to, subject in emails)
        )
        processes.check_alive()
        check_access_logs(folder, servers, result.sessions, hits)
        say(f"{len(hits)} requests, none failed; both servers served both sessions")

        backup_and_restore(postgres, env, restored_env, folder, result)
        check_restored_server(processes, restored_env, result, hits)
    finally:
        processes.stop()
        sink.stop()
        postgres.stop()
    say(f"passed in {time.monotonic() - started:.1f} s")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep", action="store_true", help="keep the logs folder even on success"
    )
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="kotacerdas-scale-"))
    timer = threading.Timer(DEADLINE, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.daemon = True
    timer.start()
    try:
        run(folder)
    except (ScaleTestError, KeyboardInterrupt) as failure:
        print(f"\nSCALE TEST FAILED: {failure}", file=sys.stderr)
        print(f"Logs are kept in {folder}", file=sys.stderr)
        return 1
    finally:
        timer.cancel()
    if args.keep:
        say(f"logs kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
