"""deploy/bin/backup.py and restore.py on SQLite (the scale test covers PostgreSQL)."""

import hashlib
import io
import json
import sys
import tarfile

import pytest

from tests.deploy.helpers import ROOT, manage, production_env, python, run

BACKUP = ROOT / "deploy" / "bin" / "backup.py"
RESTORE = ROOT / "deploy" / "bin" / "restore.py"
PDF = b"%PDF-1.4\n% scale of one\n%%EOF\n"

UPLOAD = f"""
from django.core.files.uploadedfile import SimpleUploadedFile
from kotacerdas.accounts.services import create_user
from kotacerdas.common.uploads import store_upload
user = create_user(email="a@example.test", full_name="Ani", password="x", roles=[])
store_upload(SimpleUploadedFile("bukti.pdf", {PDF!r}), user=user)
"""
STATE = """
import json
from kotacerdas.accounts.models import User
from kotacerdas.common.models import AuditEvent, StoredFile
print(json.dumps({
    "users": list(User.objects.values_list("email", "password")),
    "files": [[f.original_name, f.sha256, f.file.name] for f in StoredFile.objects.all()],
    "audit": [[e.action, e.object_id, str(e.created_at)] for e in AuditEvent.objects.all()],
}))
"""


def _state(env):
    return json.loads(python(env, STATE).stdout)


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """A migrated database with one uploaded file, and a backup of it.

    Made once for the module (migrating takes seconds); no test changes it.
    """
    tmp_path = tmp_path_factory.mktemp("backup")
    env = production_env(tmp_path / "source")
    manage(env, "migrate", "--noinput", "-v0")
    python(env, UPLOAD)
    run(env, sys.executable, BACKUP, "--output", tmp_path / "backups")
    (archive,) = (tmp_path / "backups").glob("kotacerdas-*.tar")
    return env, archive


def test_restore_into_an_empty_server_gives_the_same_state(tmp_path, backed_up):
    source_env, archive = backed_up
    target_env = production_env(tmp_path / "target")

    result = run(target_env, sys.executable, RESTORE, archive)

    assert "hashes checked" in result.stdout
    before, after = _state(source_env), _state(target_env)
    assert after == before
    restored = tmp_path / "target" / "var" / "private" / after["files"][0][2]
    assert hashlib.sha256(restored.read_bytes()).hexdigest() == after["files"][0][1]
    assert restored.read_bytes() == PDF


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, backed_up):
    source_env, archive = backed_up

    result = run(source_env, sys.executable, RESTORE, archive, check=False)

    assert result.returncode == 2
    assert "not empty" in result.stderr


def test_forced_restore_replaces_what_is_there(tmp_path, backed_up):
    _, archive = backed_up
    env = production_env(tmp_path / "target")
    run(env, sys.executable, RESTORE, archive)
    python(env, UPLOAD.replace("a@example", "b@example"))
    assert len(_state(env)["files"]) == 2

    run(env, sys.executable, RESTORE, "--force", archive)

    state = _state(env)
    assert [email for email, _ in state["users"]] == ["a@example.test"]
    assert len(state["files"]) == 1
    stored = tmp_path / "target" / "var" / "private"
    assert len([p for p in stored.rglob("*") if p.is_file()]) == 1


def test_restore_refuses_an_archive_whose_file_was_altered(tmp_path, backed_up):
    _, archive = backed_up
    altered = tmp_path / "altered.tar"
    with tarfile.open(archive) as source, tarfile.open(altered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("files/"):
                data = data.replace(b"scale", b"SCALE")
            target.addfile(member, fileobj=io.BytesIO(data))

    result = run(
        production_env(tmp_path / "t"), sys.executable, RESTORE, altered, check=False
    )

    assert result.returncode != 0
    assert "does not match its hash" in result.stderr
