"""Time the key pages of the product under gunicorn, on a national-scale dataset.

The run creates (or reuses) a bench database, migrates it, fills it with
``bench/generate.py``, starts gunicorn with production settings on a free
loopback port, logs in over HTTP as each role it needs, and asks every page N
times in a row after a few warm-ups. It prints one table and writes the same
figures as JSON under ``bench/out/``. gunicorn is stopped on every exit.

To benchmark a new page, add a :class:`Page` to ``PAGES``. A path that needs an
object made by a generator can be a function: it runs after generation, with the
Django ORM set up on the bench database, and returns the path.
"""

import argparse
import json
import math
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script, `bench` is not on the path

from bench import generate as gen  # noqa: E402 -- needs the line above
from bench import maturity  # noqa: E402 -- registers the maturity generator

HOST = "127.0.0.1"
MAX_REQUESTS = 1000
REQUEST_TIMEOUT = 30
START_TIMEOUT = 30


@dataclass(frozen=True)
class Page:
    """One page to time: ``role`` None asks anonymously.

    The page is asked as ``gen.login_email(role)``, or as ``account`` (an e-mail
    address, or a function run after generation that returns one) when the page
    needs another user of that role.
    """

    name: str
    path: str | Callable[[], str]
    role: str | None = None
    expect: int = 200
    account: str | Callable[[], str] | None = None

    def resolve(self):
        return self.path() if callable(self.path) else self.path

    def with_account(self):
        """This page with its account function, if any, run."""
        if callable(self.account):
            return replace(self, account=self.account())
        return self

    @property
    def email(self):
        if self.role is None:
            return None
        return self.account or gen.login_email(self.role)


# Paths to objects the generators made; each runs after generation.


def _registration_of(code):
    from kotacerdas.registrations.models import Registration

    registration = (
        Registration.objects.filter(region__code=code).order_by("-period").first()
    )
    if registration is None:
        raise BenchError(f"the dataset has no registration of region {code}")
    return registration.pk


def coordinator_registration():
    """The registration of the region the coordinator logs in for (accepted)."""
    return f"/pendaftaran/{_registration_of(gen.LOGIN_REGION_CODE)}/"


def draft_registration_form():
    """The registration form of the draft region, as its coordinator sees it."""
    return f"/pendaftaran/{_registration_of(gen.DRAFT_REGION_CODE)}/ubah/"


def registration_to_check():
    """The admin's check of the registration at the head of the queue that is on
    its second round, so that the page compares two rounds."""
    from django.db.models import F

    from kotacerdas.registrations.models import Registration, RegistrationState

    registration = (
        Registration.objects.filter(state=RegistrationState.SUBMITTED, rounds__number=2)
        .order_by(F("submitted_at").asc(nulls_last=True), "region__code")
        .first()
    )
    if registration is None:
        raise BenchError("the dataset has no submitted registration in round 2")
    return f"/pendaftaran/{registration.pk}/periksa/"


def _review_stage():
    from kotacerdas.assessments.models import StageRecord

    registration, _ = gen.bench_stage_registrations()
    if registration is None:
        raise BenchError("the dataset has no readiness stage under review")
    return StageRecord.objects.get(registration=registration)


def review_page():
    """The review of the stage under review: 80 indicators, two assessors."""
    return f"/tahap/tinjau/{_review_stage().pk}/"


def review_lead():
    return gen.review_team(_review_stage().registration)[0].email


def review_second():
    return gen.review_team(_review_stage().registration)[1].email


def bench_certificate():
    from kotacerdas.certificates.models import Certificate

    _, registration = gen.bench_stage_registrations()
    certificate = (
        Certificate.objects.filter(stage__registration=registration)
        .order_by("-pk")
        .first()
        if registration
        else None
    )
    if certificate is None:
        raise BenchError("the dataset has no issued readiness certificate")
    return certificate


def verification_page():
    """The public verification page of the certified stage's certificate."""
    return f"/verifikasi/{bench_certificate().number}"


# The admin queue's province filter, as the filter form submits it: the submitted
# registrations of Jawa Timur, waiting longest first.
QUEUE_PROVINCE = "35"

PAGES = [
    Page("robots", "/robots.txt"),
    Page("healthz", "/healthz"),
    Page("landing", "/"),
    Page("catalogue", "/katalog-indikator/"),
    Page("catalogue-search", "/katalog-indikator/?q=air"),
    Page("coordinator-dashboard", "/dasbor/participant/", role="participant"),
    Page("coordinator-registration", coordinator_registration, role="participant"),
    Page(
        "registration-form",
        draft_registration_form,
        role="participant",
        account=gen.coordinator_email(gen.DRAFT_REGION_CODE),
    ),
    Page("admin-dashboard", "/dasbor/admin/", role="admin"),
    # The queue's first page: submitted ones, waiting longest first, 50 a page.
    Page("admin-queue", "/pendaftaran/antrean/", role="admin"),
    Page(
        "admin-queue-province",
        "/pendaftaran/antrean/?state=submitted&province="
        f"{QUEUE_PROVINCE}&kind=&period=&sort=waiting",
        role="admin",
    ),
    Page("admin-check", registration_to_check, role="admin"),
    # The Django admin's user list: 2,600 accounts, 100 a page, with role filter.
    Page("admin-user-list", "/kelola/accounts/user/", role="admin"),
    Page("assessor-dashboard", "/dasbor/assessor/", role="assessor"),
    Page("assessor-schedule", "/jadwal/saya/", role="assessor"),
    # A readiness stage under review: 80 indicators x 8 criteria, both scored.
    Page("review-lead", review_page, role="assessor", account=review_lead),
    Page("review-second", review_page, role="assessor", account=review_second),
    Page("certificate-verification", verification_page),
    # Maturity results at national scale: 514 regions x 2 periods x 80 lines.
    *(Page(name, path, role=role) for name, path, role in maturity.PAGES),
]


def time_certificate_pdf(runs):
    """Draw the readiness certificate's PDF ``runs`` times in this process, with
    the function the PDF task uses; return the figures in ms."""
    from kotacerdas.certificates.pdf import render_certificate

    certificate = bench_certificate()
    render_certificate(certificate)  # warm-up: fonts registered, modules loaded
    times, size = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        size = len(render_certificate(certificate))
        times.append((time.perf_counter() - started) * 1000)
    return {
        "certificate": certificate.number,
        "items": len(certificate.scope.get("items", [])),
        "runs": runs,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "min_ms": round(min(times), 1),
        "max_ms": round(max(times), 1),
        "bytes": size,
    }


# -- HTTP ----------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict
    body: bytes
    ms: float


class Client:
    """A browser-like client: one cookie jar, one new connection per request
    (gunicorn's sync workers close the connection after every response)."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        connection = HTTPConnection(HOST, self.port, timeout=REQUEST_TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        ms = (time.perf_counter() - started) * 1000
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return Response(response.status, dict(response.headers), content, ms)

    def get(self, path):
        return self.request("GET", path)

    def _keep_cookies(self, lines):
        for line in lines:
            for name, morsel in SimpleCookie(line).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)


CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(port, email):
    """Log in through the login form; return the client and the POST's time."""
    client = Client(port)
    page = client.get("/akun/masuk/")
    match = CSRF_FIELD.search(page.body)
    if page.status != 200 or not match:
        raise BenchError(f"login page answered {page.status} without a CSRF token")
    form = {
        "csrfmiddlewaretoken": match.group(1).decode(),
        "username": email,
        "password": gen.PASSWORD,
    }
    answer = client.request(
        "POST",
        "/akun/masuk/",
        body=urlencode(form),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    if answer.status != 302 or "sessionid" not in client.cookies:
        raise BenchError(f"logging in as {email} answered {answer.status}")
    return client, answer.ms


# -- Measuring -----------------------------------------------------------------


@dataclass
class Result:
    name: str
    path: str
    role: str | None
    account: str | None
    requests: int
    median_ms: float
    p95_ms: float
    min_ms: float
    max_ms: float
    server_median_ms: float | None
    queries: list
    statuses: dict
    expected_status: int
    bytes: int
    ok: bool = field(init=False)

    def __post_init__(self):
        self.ok = set(self.statuses) == {str(self.expected_status)}


def percentile(values, fraction):
    """Nearest-rank percentile: the smallest value with ``fraction`` at or below."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(client, page, path, warmups, requests):
    for _ in range(warmups):
        client.get(path)
    samples = [client.get(path) for _ in range(requests)]

    times = [s.ms for s in samples]
    server = [
        float(s.headers["X-Server-Time-Ms"])
        for s in samples
        if "X-Server-Time-Ms" in s.headers
    ]
    queries = sorted({int(s.headers.get("X-Query-Count", -1)) for s in samples})
    return Result(
        name=page.name,
        path=path,
        role=page.role,
        account=page.email,
        requests=requests,
        median_ms=round(statistics.median(times), 2),
        p95_ms=round(percentile(times, 0.95), 2),
        min_ms=round(min(times), 2),
        max_ms=round(max(times), 2),
        server_median_ms=round(statistics.median(server), 2) if server else None,
        queries=queries,
        statuses=dict(Counter(str(s.status) for s in samples)),
        expected_status=page.expect,
        bytes=len(samples[-1].body),
    )


# -- The bench database --------------------------------------------------------


class BenchDatabase:
    """The SQLite file or PostgreSQL database the run fills and may drop."""

    def __init__(self, url):
        import dj_database_url

        self.url = url
        self.config = dj_database_url.parse(url)
        engine = self.config["ENGINE"]
        if engine.endswith("sqlite3"):
            self.vendor = "sqlite"
        elif engine.endswith("postgresql"):
            self.vendor = "postgresql"
        else:
            raise BenchError(f"{engine} is not supported: use SQLite or PostgreSQL")
        self.name = self.config["NAME"]

    def ensure(self):
        """Create the database if missing; True when it was there already."""
        if self.vendor == "sqlite":
            path = Path(self.name)
            path.parent.mkdir(parents=True, exist_ok=True)
            return path.exists()
        with self._server() as server:
            if server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name]
            ).fetchone():
                return True
            server.execute(self._sql("CREATE DATABASE {}"))
        return False

    def drop(self):
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm"):
                Path(self.name + suffix).unlink(missing_ok=True)
            return
        with self._server() as server:
            server.execute(self._sql("DROP DATABASE IF EXISTS {} WITH (FORCE)"))

    def size_bytes(self):
        if self.vendor == "sqlite":
            return sum(
                Path(self.name + s).stat().st_size
                for s in ("", "-wal")
                if Path(self.name + s).exists()
            )
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]

    def _server(self):
        import psycopg

        try:
            return psycopg.connect(
                host=self.config.get("HOST") or None,
                port=self.config.get("PORT") or None,
                user=self.config.get("USER") or None,
                password=self.config.get("PASSWORD") or None,
                dbname="postgres",
                autocommit=True,
            )
        except psycopg.Error as error:
            raise BenchError(
                f"cannot reach PostgreSQL to create or drop {self.name}: {error}. "
                f"Create it yourself: psql -c 'create database {self.name}'"
            ) from error

    def _sql(self, template):
        from psycopg import sql

        return sql.SQL(template).format(sql.Identifier(self.name))


def server_version(database):
    if database.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def collect_static_if_stale():
    """Collect static files unless the manifest lists every current one.

    WhiteNoise's manifest storage answers 500 for a page that names a static file
    missing from the manifest, so a file added since `make setup` breaks pages.
    """
    if not static_files_stale():
        return None
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)
    return time.perf_counter() - started


def static_files_stale():
    from django.conf import settings
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return True
    known = set(json.loads(manifest.read_text()).get("paths", {}))
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        # The patterns collectstatic ignores by default.
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            prefix = getattr(storage, "prefix", None)
            name = f"{prefix}/{path}" if prefix else path
            if name not in known or Path(storage.path(path)).stat().st_mtime > built:
                return True
    return False


# -- gunicorn ------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(environment, port, workers, log_path):
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [
        str(gunicorn),
        "kotacerdas.wsgi",
        "-w",
        str(workers),
        "-b",
        f"{HOST}:{port}",
    ]
    with log_path.open("wb") as log:
        # A session of its own, so that stopping it stops the workers too.
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, **environment},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_ready(process, port, log_path):
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(f"gunicorn exited at start:\n{_tail(log_path)}")
        try:
            if Client(port).get("/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn was not ready in {START_TIMEOUT} s:\n{_tail(log_path)}")


def stop_gunicorn(process):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def _tail(path, lines=30):
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


# -- The run -------------------------------------------------------------------


class BenchError(Exception):
    pass


def select_pages(patterns):
    if not patterns:
        return PAGES
    words = [w.strip() for w in patterns.split(",") if w.strip()]
    pages = [p for p in PAGES if any(w in p.name for w in words)]
    if not pages:
        names = ", ".join(p.name for p in PAGES)
        raise BenchError(f"no page matches {patterns!r}; the pages are: {names}")
    return pages


def machine():
    return {
        "cpus": os.cpu_count(),
        "cpu_model": _proc_field("/proc/cpuinfo", r"model name\s*:\s*(.+)")
        or platform.processor(),
        "memory_gib": round(
            int(_proc_field("/proc/meminfo", r"MemTotal:\s+(\d+)") or 0) / 1024**2, 1
        ),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpu_busy_before": cpu_busy(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def code_version():
    """The commit measured, and whether the work tree differed from it."""

    def git(*args):
        done = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else None

    status = git("status", "--porcelain", "--", "src")
    return {"commit": git("rev-parse", "--short", "HEAD"), "dirty": bool(status)}


def cpu_busy(seconds=1.0):
    """The share of CPU time not idle over the next ``seconds``; None off Linux.

    Fairer than the load average, which still counts the previous run's load.
    """

    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split()[1:9]]
        return sum(fields), fields[3] + fields[4]  # idle + iowait

    if not Path("/proc/stat").exists():
        return None
    total, idle = sample()
    time.sleep(seconds)
    total2, idle2 = sample()
    return round(1 - (idle2 - idle) / max(1, total2 - total), 2)


def _proc_field(path, pattern):
    path = Path(path)
    match = re.search(pattern, path.read_text()) if path.exists() else None
    return match.group(1).strip() if match else None


def print_table(results):
    header = (
        f"{'page':<24} {'role':<12} {'median ms':>9} {'p95 ms':>8} "
        f"{'server ms':>9} {'queries':>7} {'status':<10} {'bytes':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        low, high = r.queries[0], r.queries[-1]
        queries = str(low) if low == high else f"{low}-{high}"
        statuses = ",".join(
            status if len(r.statuses) == 1 else f"{status}x{n}"
            for status, n in r.statuses.items()
        )
        server = "-" if r.server_median_ms is None else f"{r.server_median_ms:.1f}"
        flag = "" if r.ok else f"  << expected {r.expected_status}"
        print(
            f"{r.name:<24} {r.role or 'anonymous':<12} {r.median_ms:>9.1f} "
            f"{r.p95_ms:>8.1f} {server:>9} {queries:>7} {statuses:<10} "
            f"{r.bytes:>7}{flag}"
        )


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--requests", type=int, default=50, help="timed requests per page (50)"
    )
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed requests per page first (5)"
    )
    parser.add_argument(
        "--database-url",
        default=gen.DEFAULT_DATABASE_URL,
        help="bench database; its name must contain 'bench' (bench/out/bench.sqlite3)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database afterwards; the next run reuses it",
    )
    parser.add_argument(
        "--pages", default="", help="comma-separated names or parts of page names"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    parser.add_argument("--team-size", type=int, default=gen.DEFAULT_TEAM_SIZE)
    parser.add_argument(
        "--pdf-runs",
        type=int,
        default=20,
        help="times the certificate PDF is drawn in-process (20; 0 skips)",
    )
    parser.add_argument("--output", type=Path, help="JSON file (bench/out/…)")
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= MAX_REQUESTS:
        parser.error(f"--requests must be between 1 and {MAX_REQUESTS}")
    if not 0 <= args.warmup <= 100:
        parser.error("--warmup must be between 0 and 100")
    return args


def run(args):
    gen.check_bench_database(args.database_url)
    pages = select_pages(args.pages)
    database = BenchDatabase(args.database_url)
    gen.OUT_DIR.mkdir(parents=True, exist_ok=True)
    environment = gen.bench_environment(args.database_url)
    report = start_report(args)

    process = None
    ensured = False
    try:
        reused = database.ensure()
        ensured = True
        prepare(database, reused, environment, args, report)
        paths = {page.name: page.resolve() for page in pages}
        pages = [page.with_account() for page in pages]
        if args.pdf_runs:
            pdf = time_certificate_pdf(args.pdf_runs)
            report["certificate_pdf"] = pdf
            print(
                f"Certificate PDF ({pdf['items']} indicators, {pdf['runs']} runs, "
                f"in-process): median {pdf['median_ms']} ms, p95 {pdf['p95_ms']} ms, "
                f"{pdf['bytes']} bytes"
            )
        if args.pdf_runs and any(p.name.startswith("results-") for p in pages):
            report["maturity"] = maturity.measure_in_process(max(3, args.pdf_runs // 4))
            maturity.print_in_process(report["maturity"])
        _close_django()

        port = free_port()
        log_path = gen.OUT_DIR / "gunicorn.log"
        process = start_gunicorn(environment, port, args.workers, log_path)
        wait_until_ready(process, port, log_path)
        print(f"gunicorn -w {args.workers} on {HOST}:{port} (log: {log_path})")
        results = benchmark(port, pages, paths, args, report)
    finally:
        stop_gunicorn(process)
        _close_django()
        if ensured and not args.keep:
            database.drop()

    output = args.output or gen.OUT_DIR / (
        f"results-{database.vendor}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    )
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print(f"\nWrote {output}")
    if not args.keep:
        print("Dropped the bench database (--keep keeps it for the next run).")
    return 0 if all(r.ok for r in results) else 1


def start_report(args):
    report = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "code": code_version(),
        "settings": {
            "requests": args.requests,
            "warmup": args.warmup,
            "workers": args.workers,
            "seed": args.seed,
            "team_size": args.team_size,
        },
    }
    busy = report["machine"]["cpu_busy_before"]
    if busy is not None and busy > 0.25:
        print(
            f"Warning: the CPUs were {busy:.0%} busy before the run; other work on "
            "this machine will inflate the figures."
        )
    dirty = " with uncommitted changes in src/" if report["code"]["dirty"] else ""
    print(f"Code: {report['code']['commit']}{dirty}")
    return report


def prepare(database, reused, environment, args, report):
    """Set Django up in this process, migrate, collect static files, generate."""
    # This process only prepares the data: its INFO lines would drown the table.
    gen.setup_django({**environment, "DJANGO_LOG_LEVEL": "WARNING"})
    import django

    report["django"] = django.get_version()
    report["database"] = {
        "vendor": database.vendor,
        "name": database.name,
        "reused": reused,
        "server": server_version(database),
    }
    print(
        f"Database: {report['database']['server']}, {database.name}"
        f"{' (reused)' if reused else ''}"
    )

    migrate_s = gen.migrate()
    print(f"Migrated in {migrate_s:.1f} s")
    static_s = collect_static_if_stale()
    if static_s is not None:
        print(f"Collected static files in {static_s:.1f} s")

    print("Generating:")
    started = time.perf_counter()
    steps = gen.generate(gen.Context(seed=args.seed, team_size=args.team_size))
    generate_s = time.perf_counter() - started
    summary = gen.summary()
    print(f"Generated in {generate_s:.1f} s: {summary}")
    report["generation"] = {
        "migrate_seconds": round(migrate_s, 2),
        "generate_seconds": round(generate_s, 2),
        "steps": [asdict(step) for step in steps],
        "summary": summary,
        "database_bytes": database.size_bytes(),
    }


def benchmark(port, pages, paths, args, report):
    """Log in as each role the pages need, then time every page in turn."""
    clients = {None: Client(port)}
    report["login_ms"] = {}
    accounts = sorted({(p.role, p.email) for p in pages if p.role})
    for role, email in accounts:
        clients[email], ms = login(port, email)
        key = role if email == gen.login_email(role) else f"{role} ({email})"
        report["login_ms"][key] = round(ms, 1)
    if report["login_ms"]:
        print(f"Logged in (POST ms): {report['login_ms']}")

    print(f"\n{args.requests} requests per page after {args.warmup} warm-ups:\n")
    results = [
        measure(clients[p.email], p, paths[p.name], args.warmup, args.requests)
        for p in pages
    ]
    print_table(results)
    report["pages"] = [asdict(r) for r in results]
    return results


def _close_django():
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def _exit_on_term(signum, frame):
    # Turn SIGTERM into SystemExit so that `finally` stops gunicorn.
    raise SystemExit(128 + signum)


def main(argv=None):
    signal.signal(signal.SIGTERM, _exit_on_term)
    args = parse_args(argv)
    try:
        return run(args)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
