"""Running the product as production runs it: separate processes, real settings.

These tests start ``manage.py`` and the deploy scripts in subprocesses with
``kotacerdas.settings`` (not the test settings) on a throw-away SQLite database,
because what they check (refusing a weak key, a worker's heartbeat, a restore)
happens at process start or across processes.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MANAGE = ROOT / "manage.py"


def production_env(folder, **extra):
    """The environment of a production process whose state lives in ``folder``."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    # Drop the caller's Django variables (CI points DATABASE_URL at PostgreSQL
    # for the suite), so that each test says exactly what it runs with.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "DATABASE_URL", "GUNICORN_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "kotacerdas.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "smartcity.example.test",
            "DJANGO_EMAIL_HOST": "smtp.example.test",
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'db.sqlite3'}",
            "DJANGO_VAR_DIR": str(Path(folder) / "var"),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def run(env, *command, check=True, timeout=120):
    """Run ``command``; with ``check``, fail the test showing its output."""
    result = subprocess.run(
        [str(part) for part in command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{command} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def manage(env, *args, check=True):
    return run(env, sys.executable, MANAGE, *args, check=check)


def python(env, code, check=True):
    """Run ``code`` with Django set up; return the completed process."""
    return run(
        env, sys.executable, "-c", "import django; django.setup()\n" + code, check=check
    )
