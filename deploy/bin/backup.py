"""Back up the database and the stored files into one tar archive.

Run it with the production environment (the same variables as the app)::

    .venv/bin/python deploy/bin/backup.py --output /var/backups/kotacerdas

The archive holds ``manifest.json`` (what is inside, with a SHA-256 of every
part), ``database.dump`` (``pg_dump`` custom format) or ``database.sqlite3``, and
``files/`` (everything in the private storage, local folder or S3 bucket alike,
read through Django's storage API). ``restore.py`` reads it back.

The database is dumped before the files are copied. Uploads write the file
before its row, so every file that a dumped row names is already in storage when
the copy starts: the archive may hold a few files too many, never too few.
"""

import argparse
import hashlib
import json
import logging
import os
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

logger = logging.getLogger("kotacerdas.deploy.backup")

FORMAT = 1
STORAGE_ALIAS = "private"
CHUNK = 1024 * 1024


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kotacerdas.settings")
    import django

    django.setup()


def database_settings():
    from django.db import connections

    return connections["default"].settings_dict


def engine_kind(db):
    if db["ENGINE"] == "django.db.backends.postgresql":
        return "postgresql"
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return "sqlite"
    raise SystemExit(f"Backups know PostgreSQL and SQLite, not {db['ENGINE']}.")


def libpq_environment(db):
    """The libpq variables that point pg_dump and pg_restore at Django's database.

    Passing them in the environment keeps the password off the command line,
    where any user of the machine could read it in the process list.
    """
    env = dict(os.environ)
    pairs = {
        "PGDATABASE": db.get("NAME"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGSSLMODE": (db.get("OPTIONS") or {}).get("sslmode"),
    }
    env.update({name: str(value) for name, value in pairs.items() if value})
    return env


def storage():
    from django.core.files.storage import storages

    return storages[STORAGE_ALIAS]


def walk_storage(store, folder=""):
    """Every file name in ``store`` under ``folder``, depth first, sorted."""
    try:
        folders, files = store.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for name in sorted(folders):
        yield from walk_storage(store, f"{folder}/{name}" if folder else name)


def sha256_file(path):
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def dump_database(db, target_dir):
    """Write the database into ``target_dir``; return the file's name."""
    kind = engine_kind(db)
    if kind == "postgresql":
        target = Path(target_dir) / "database.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={target}"],
            env=libpq_environment(db),
            check=True,
        )
    else:
        target = Path(target_dir) / "database.sqlite3"
        # SQLite's online backup copies a consistent snapshot even while the app
        # writes (WAL mode), which a plain file copy would not.
        source = sqlite3.connect(db["NAME"])
        copy = sqlite3.connect(target)
        with copy:
            source.backup(copy)
        copy.close()
        source.close()
    return target.name


def applied_migrations():
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    recorder = MigrationRecorder(connection)
    latest = {}
    for app, name in sorted(recorder.applied_migrations()):
        latest[app] = name
    return latest


def add_storage_files(archive, store):
    """Copy every stored file into ``files/``; return their manifest entries."""
    entries = []
    for name in walk_storage(store):
        digest = hashlib.sha256()
        with store.open(name, "rb") as handle:
            # Hash and size first, then stream it again into the tar: tarfile needs
            # the size up front, and S3 files are not seekable to the end cheaply.
            size = 0
            for chunk in iter(lambda handle=handle: handle.read(CHUNK), b""):
                digest.update(chunk)
                size += len(chunk)
        info = tarfile.TarInfo(f"files/{name}")
        info.size = size
        info.mtime = int(datetime.now(UTC).timestamp())
        info.mode = 0o640
        with store.open(name, "rb") as handle:
            archive.addfile(info, handle)
        entries.append({"name": name, "size": size, "sha256": digest.hexdigest()})
    return entries


def backup(output_dir):
    """Write one archive into ``output_dir`` and return its path.

    Side effects: runs pg_dump (or SQLite's backup), reads every stored file, and
    writes the archive under a temporary name first so that a half-written
    backup never looks like a finished one.
    """
    db = database_settings()
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    final = output_dir / f"kotacerdas-{stamp}.tar"

    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        database_file = dump_database(db, work)
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as archive:
            archive.add(Path(work) / database_file, arcname=database_file)
            files = add_storage_files(archive, storage())
            manifest = {
                "format": FORMAT,
                "created_at": datetime.now(UTC).isoformat(),
                "database": {
                    "engine": engine_kind(db),
                    "file": database_file,
                    "sha256": sha256_file(Path(work) / database_file),
                },
                "migrations": applied_migrations(),
                "files": files,
            }
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            info.mtime = int(datetime.now(UTC).timestamp())
            with tempfile.TemporaryFile() as buffer:
                buffer.write(data)
                buffer.seek(0)
                archive.addfile(info, buffer)
        partial.rename(final)
    final.chmod(0o600)
    return final, manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--output",
        default=os.environ.get("DJANGO_BACKUP_DIR") or "var/backups",
        help="folder for the archive (default: $DJANGO_BACKUP_DIR or var/backups)",
    )
    args = parser.parse_args(argv)

    setup_django()
    path, manifest = backup(args.output)
    print(
        f"Backup written: {path} "
        f"({manifest['database']['engine']} database, {len(manifest['files'])} files)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
