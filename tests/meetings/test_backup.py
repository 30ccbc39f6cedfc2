"""Backup and restore, drilled: back up, drop everything, restore into the empty database, and every
public page and PDF comes back byte for byte; a backup that does not match its manifest is refused."""

import shutil

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from meetings.models import Meeting, OfficialRecord
from portal import caching

PUBLIC = [
    "/",
    "/meetings/",
    "/meetings/2018-09-25/",
    "/meetings/2018-09-25/minutes.pdf",
    "/delegations/",
    "/presidencies/",
    "/action-points/",
    "/decisions/",
    "/feeds/decisions.atom",
    "/api/v1/decisions/",
    "/search/?q=universalization",
    "/feeds/minutes.atom",
    "/feeds/meetings.ics",
    "/api/v1/meetings/",
    "/api/v1/meetings/2018-09-25/",
    "/sitemap.xml",
]


def public_pages():
    from django.core.cache import cache

    cache.clear()
    caching.forget_stamp()
    pages = {}
    for url in PUBLIC:
        response = Client().get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def drop_everything(media_root):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                cursor.execute(f'DROP TABLE "{table}"')
            cursor.execute("PRAGMA foreign_keys = ON")
    shutil.rmtree(media_root)
    assert connection.introspection.table_names() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_drop_restore_on_postgresql_gives_back_every_public_page_and_pdf_byte_for_byte(
    postgres, tmp_path, media_root, capsys
):
    backup_drop_restore(tmp_path, media_root, capsys)


@pytest.mark.django_db(transaction=True)
def test_backup_drop_restore_on_the_database_in_use_gives_back_every_public_page_and_pdf(tmp_path, media_root, capsys):
    backup_drop_restore(tmp_path, media_root, capsys)


def backup_drop_restore(tmp_path, media_root, capsys):
    call_command("loaddemo", verbosity=0)
    call_command("store_official_records")
    meetings, records = Meeting.objects.count(), OfficialRecord.objects.count()
    before = public_pages()
    call_command("backup", str(tmp_path / "backup"))

    drop_everything(media_root)
    call_command("restore", str(tmp_path / "backup"))

    assert f"{records} official record(s) verified" in capsys.readouterr().out
    assert Meeting.objects.count() == meetings
    after = public_pages()
    assert [url for url in PUBLIC if after[url] != before[url]] == []


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    call_command("loaddemo", verbosity=0)
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="the database is not empty"):
        call_command("restore", str(tmp_path / "backup"))


@pytest.mark.django_db
def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "something").write_text("kept")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path / "old"))


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_backup_whose_files_do_not_match_the_manifest(tmp_path, capsys):
    call_command("loaddemo", verbosity=0)
    call_command("store_official_records")
    call_command("backup", str(tmp_path / "backup"))
    pdf = next((tmp_path / "backup" / "media").rglob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes()[:-1])
    with pytest.raises(CommandError, match=r"does not match its manifest: media/.*\.pdf: SHA-256 differs"):
        call_command("restore", str(tmp_path / "backup"))
