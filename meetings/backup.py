"""Backup and restore of the whole portal: a consistent database dump (pg_dump on PostgreSQL,
SQLite's online backup otherwise), the media files (the official PDFs), and a manifest of SHA-256
hashes that restore checks before it touches anything."""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_DUMP = "database.sqlite3"
MEDIA = "media"


class BackupProblem(Exception):
    pass


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(folder):
    return sorted(path for path in Path(folder).rglob("*") if path.is_file() and path.name != MANIFEST)


def _pg_env():
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for key, variable in (("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"), ("HOST", "PGHOST"), ("PORT", "PGPORT")):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command):
    try:
        subprocess.run(command, env=_pg_env(), check=True, capture_output=True, text=True)
    except FileNotFoundError:
        raise BackupProblem(f"{command[0]} is not installed (Debian: apt-get install postgresql-client)") from None
    except subprocess.CalledProcessError as exc:
        raise BackupProblem(f"{command[0]} failed: {exc.stderr.strip()}") from None


def backup(folder):
    """Write the database, then the media files (written once, never changed: every file the dump
    names is there), then the manifest. Returns the manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupProblem(f"{folder} is not empty: back up into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_DUMP)])
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_DUMP)
        with target:
            connection.connection.backup(target)
        target.close()
    else:
        raise BackupProblem(f"backing up a {connection.vendor} database is not supported")
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, folder / MEDIA)
    else:
        (folder / MEDIA).mkdir()
    manifest = {
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "files": {str(path.relative_to(folder)): _sha256(path) for path in _files(folder)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check_manifest(folder):
    """The manifest, once every file it names has its hash and no file was added."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupProblem(f"{folder / MANIFEST} cannot be read: {exc}") from None
    present = {str(path.relative_to(folder)) for path in _files(folder)}
    expected = manifest["files"]
    problems = [f"{name}: missing" for name in sorted(set(expected) - present)]
    problems += [f"{name}: not in the manifest" for name in sorted(present - set(expected))]
    problems += [
        f"{name}: SHA-256 differs"
        for name in sorted(set(expected) & present)
        if _sha256(folder / name) != expected[name]
    ]
    if problems:
        raise BackupProblem("the backup does not match its manifest: " + "; ".join(problems))
    if manifest["database"] != connection.vendor:
        raise BackupProblem(f"this is a {manifest['database']} backup; the portal now uses {connection.vendor}")
    return manifest


def _database_is_empty():
    return not connection.introspection.table_names()


def restore(folder):
    """Bring a backup back into an empty database and media folder."""
    folder = Path(folder)
    check_manifest(folder)
    if not _database_is_empty():
        raise BackupProblem("the database is not empty: restore only into a new, empty database")
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(path.is_file() for path in media.rglob("*")):
        raise BackupProblem(f"the media folder {media} is not empty: restore only into an empty one")
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--dbname",
                connection.settings_dict["NAME"],
                str(folder / PG_DUMP),
            ]
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(folder / SQLITE_DUMP)
        with source:
            source.backup(connection.connection)
        source.close()
    shutil.copytree(folder / MEDIA, media, dirs_exist_ok=True)
