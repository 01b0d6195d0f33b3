"""make load-test: locust against two app servers on the national-scale dataset.

Not part of CI: it runs for minutes. It creates a throw-away PostgreSQL database,
fills it with bench/generate.py (every kabupaten and kota with its team, the
institute's staff), starts two gunicorn app servers and a worker on loopback as
the scale test does, runs locust headless with a bounded number of users and a
bounded time, prints throughput, error rate and p50/p95 per page, and stops
everything it started.

    make load-test LOAD_ARGS="--users 50 --time 2m"
"""

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scale_test import (
    ROOT,
    Postgres,
    Processes,
    SmtpSink,
    app_env,
    manage,
    say,
    start_web,
    start_worker,
    wait_healthy,
)

sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402 -- bench/generate.py, the benchmark's generator

say.prefix = "load-test"
MAX_USERS = 200
MAX_SECONDS = 15 * 60


def parse_duration(text):
    units = {"s": 1, "m": 60, "h": 3600}
    seconds = int(text[:-1]) * units[text[-1]] if text[-1] in units else int(text)
    if not 0 < seconds <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"between 1 s and {MAX_SECONDS} s")
    return seconds


def bounded_users(text):
    users = int(text)
    if not 0 < users <= MAX_USERS:
        raise argparse.ArgumentTypeError(f"between 1 and {MAX_USERS}")
    return users


def accounts(postgres):
    """The generated accounts per role, for locust to log in as."""
    rows = postgres.query(
        "app",
        "SELECT r.role, u.email FROM accounts_user u "
        "JOIN accounts_userrole r ON r.user_id = u.id "
        "WHERE u.email LIKE %s ORDER BY u.email",
        [f"%@{generate.EMAIL_DOMAIN}"],
    )
    by_role = {}
    for role, email in rows:
        by_role.setdefault(role, []).append(email)
    return {"password": generate.PASSWORD, "accounts": by_role}


def load_env(folder, postgres, sink):
    env = app_env(folder, postgres.url("app"), sink.port)
    # Plain HTTP on loopback with the loopback host: locust's client does not
    # send Secure cookies over http, and TLS is the proxy's cost, not the app's.
    env.update(
        {
            "DJANGO_HTTPS": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "",
            "DJANGO_LOG_LEVEL": "WARNING",
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "2"),
        }
    )
    return env


def generate_dataset(postgres):
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "bench/generate.py", "--database-url", postgres.url("app")],
        cwd=ROOT,
        check=True,
    )
    say(f"national dataset generated in {time.monotonic() - started:.0f} s")


def run_locust(locust, folder, servers, users, seconds, accounts_file):
    env = {
        **os.environ,
        "LOAD_SERVERS": ",".join(f"http://127.0.0.1:{port}" for port in servers),
        "LOAD_ACCOUNTS": str(accounts_file),
    }
    command = [
        locust,
        "-f",
        str(ROOT / "deploy" / "locustfile.py"),
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        "5",
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        f"http://127.0.0.1:{servers[0]}",
        "--csv",
        str(folder / "load"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    say(f"locust: {users} users for {seconds} s against {servers}")
    return subprocess.run(
        command, cwd=ROOT, env=env, check=False, timeout=seconds + 120
    )


def report(folder, seconds, users):
    with (folder / "load_stats.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    lines = [
        f"{users} users, {seconds} s:",
        "",
        "| page | requests | failures | req/s | p50 ms | p95 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        name = row["Name"] if row["Type"] else "**all**"
        lines.append(
            f"| {row['Type']} {name} | {row['Request Count']} | "
            f"{row['Failure Count']} | {float(row['Requests/s']):.1f} | "
            f"{row['50%']} | {row['95%']} |"
        )
    total = rows[-1]
    requests, failures = int(total["Request Count"]), int(total["Failure Count"])
    error_rate = failures / requests * 100 if requests else 0
    lines += [
        "",
        f"Throughput {float(total['Requests/s']):.1f} req/s, {requests} requests, "
        f"{failures} failed ({error_rate:.2f} %).",
    ]
    print("\n".join(lines))
    failures_file = folder / "load_failures.csv"
    if failures and failures_file.exists():
        print(failures_file.read_text())
    return failures


def served_per_server(folder, servers):
    for port in servers:
        log = folder / f"web-{port}-access.log"
        count = sum(1 for _ in log.open(encoding="utf-8"))
        say(f"server :{port} answered {count} requests")


def run(args, folder):
    # bench/generate.py refuses a database whose name lacks "bench".
    postgres = Postgres(prefix="kotacerdas_bench", labels=("app",))
    sink = SmtpSink()
    processes = Processes(folder)
    try:
        postgres.start()
        sink.start()
        generate_dataset(postgres)
        env = load_env(folder, postgres, sink)
        manage(env, "collectstatic", "--noinput", "-v0")
        accounts_file = folder / "accounts.json"
        accounts_file.write_text(json.dumps(accounts(postgres)))

        servers = [start_web(processes, env, "a"), start_web(processes, env, "b")]
        start_worker(processes, env, "worker")
        wait_healthy(servers, processes, host="127.0.0.1")
        result = run_locust(
            args.locust, folder, servers, args.users, args.time, accounts_file
        )
        processes.check_alive()
        failures = report(folder, args.time, args.users)
        served_per_server(folder, servers)
        say(f"{len(sink.received())} e-mails delivered by the worker")
    finally:
        processes.stop()
        sink.stop()
        postgres.stop()
    return 1 if failures or result.returncode else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locust", default="locust", help="the locust executable")
    parser.add_argument("--users", type=bounded_users, default=50)
    parser.add_argument("--time", type=parse_duration, default=120)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="kotacerdas-load-"))
    status = run(args, folder)
    say(f"logs and locust's CSV files are in {folder}")
    return status


if __name__ == "__main__":
    sys.exit(main())
