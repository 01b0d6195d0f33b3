"""Restore a backup made by ``backup.py`` into an empty database and file storage.

Run it with the production environment of the server being brought back::

    .venv/bin/python deploy/bin/restore.py /var/backups/kotacerdas/kotacerdas-….tar

It checks every part of the archive against the manifest first, then refuses to
write over a database that has tables or a storage that holds files: restoring
over live data would silently mix two states. ``--force`` empties both first.
"""

import argparse
import hashlib
import json
import logging
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from backup import (
    CHUNK,
    FORMAT,
    database_settings,
    engine_kind,
    libpq_environment,
    setup_django,
    sha256_file,
    storage,
    walk_storage,
)

logger = logging.getLogger("kotacerdas.deploy.restore")

REFUSED = 2


class TargetNotEmptyError(Exception):
    """The target is not empty and ``--force`` was not given."""


def read_archive(path, work):
    """Unpack ``path`` into ``work`` and check it; return the manifest.

    Only the names the manifest lists are extracted, each to a path computed
    here, so a crafted archive cannot write outside ``work``.
    """
    with tarfile.open(path, "r") as archive:
        manifest = json.load(archive.extractfile("manifest.json"))
        if manifest.get("format") != FORMAT:
            raise SystemExit(f"{path}: unknown backup format {manifest.get('format')}")

        database = manifest["database"]
        _extract(archive, database["file"], Path(work) / "database")
        if sha256_file(Path(work) / "database") != database["sha256"]:
            raise SystemExit(f"{path}: the database dump does not match its hash")

        files_dir = Path(work) / "files"
        for number, entry in enumerate(manifest["files"]):
            target = files_dir / str(number)
            _extract(archive, f"files/{entry['name']}", target)
            if sha256_file(target) != entry["sha256"]:
                raise SystemExit(f"{path}: {entry['name']} does not match its hash")
    return manifest


def _extract(archive, member, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    source = archive.extractfile(member)
    if source is None:
        raise SystemExit(f"{member} is missing from the archive")
    with target.open("wb") as handle:
        for chunk in iter(lambda: source.read(CHUNK), b""):
            handle.write(chunk)


def existing_tables():
    from django.db import connection

    tables = connection.introspection.table_names()
    connection.close()
    return tables


def check_empty(store, *, force):
    tables = existing_tables()
    files = list(walk_storage(store))
    if (tables or files) and not force:
        raise TargetNotEmptyError(
            f"The target is not empty ({len(tables)} tables in the database, "
            f"{len(files)} stored files). Restore into an empty database and "
            "storage, or pass --force to replace what is there."
        )
    return files


def restore_database(db, dump, *, force):
    kind = engine_kind(db)
    if kind == "postgresql":
        command = [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={db['NAME']}",
        ]
        if force:
            _empty_postgresql_schema()
        subprocess.run([*command, str(dump)], env=libpq_environment(db), check=True)
    else:
        # The backup API replaces the whole target file, tables and all.
        source = sqlite3.connect(dump)
        target = sqlite3.connect(db["NAME"])
        with target:
            source.backup(target)
        target.close()
        source.close()


def _empty_postgresql_schema():
    # Dropping the schema removes tables the backup does not have as well; the
    # dump's own --clean would leave those behind and so not give the same state.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")
    connection.close()


def restore_files(store, manifest, work, existing):
    for name in existing:
        store.delete(name)
    files_dir = Path(work) / "files"
    for number, entry in enumerate(manifest["files"]):
        with (files_dir / str(number)).open("rb") as handle:
            saved = store.save(entry["name"], handle)
        if saved != entry["name"]:
            raise SystemExit(f"storage renamed {entry['name']} to {saved}")


def verify_files(store, manifest):
    """Read every restored file back through the storage and compare its hash."""
    for entry in manifest["files"]:
        digest = hashlib.sha256()
        with store.open(entry["name"], "rb") as handle:
            for chunk in iter(lambda handle=handle: handle.read(CHUNK), b""):
                digest.update(chunk)
        if digest.hexdigest() != entry["sha256"]:
            raise SystemExit(f"restored {entry['name']} differs from the backup")


def restore(path, *, force=False):
    """Bring the database and storage back to the state of the archive at ``path``.

    Side effects: replaces the database contents (pg_restore or SQLite's backup
    API) and writes every stored file; with ``force`` it first deletes what is
    there.
    """
    db = database_settings()
    store = storage()
    with tempfile.TemporaryDirectory(prefix="kotacerdas-restore-") as work:
        manifest = read_archive(path, work)
        existing = check_empty(store, force=force)
        if manifest["database"]["engine"] != engine_kind(db):
            raise SystemExit(
                f"The backup is of a {manifest['database']['engine']} database; "
                f"this server uses {engine_kind(db)}."
            )
        restore_database(db, Path(work) / "database", force=force)
        restore_files(store, manifest, work, existing)
    verify_files(store, manifest)
    return manifest


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", help="a kotacerdas-….tar written by backup.py")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace a database and storage that are not empty",
    )
    args = parser.parse_args(argv)

    setup_django()
    try:
        manifest = restore(args.archive, force=args.force)
    except TargetNotEmptyError as refusal:
        print(f"Refusing to restore: {refusal}", file=sys.stderr)
        return REFUSED
    print(
        f"Restored {args.archive}: {manifest['database']['engine']} database of "
        f"{manifest['created_at']}, {len(manifest['files'])} files (hashes checked)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
