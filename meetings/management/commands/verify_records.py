"""Check the official record: every adopted meeting has a stored PDF, every stored PDF still has the
SHA-256 it was stored with, and the minutes.json inside it still matches the text in the database.
Exit non-zero, naming each record that fails."""

import hashlib
import io
import json

from django.core.management.base import BaseCommand, CommandError

from meetings import record_json
from meetings.models import Meeting, OfficialRecord


class Command(BaseCommand):
    help = "Check every adopted meeting's stored official PDF: present, unchanged, and matching the database."

    def handle(self, *args, **options):
        failures = []
        adopted = Meeting.objects.filter(status__in=[Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED])
        for meeting in adopted.filter(official_record__isnull=True).order_by("date"):
            failures.append(f"{meeting}: adopted, but no official record is stored (run store_official_records)")
        records = OfficialRecord.objects.select_related("meeting").order_by("meeting__date")
        for record in records:
            problem = _problem(record)
            if problem:
                failures.append(f"{record.meeting} ({record.file.name}): {problem}")
            elif options["verbosity"] > 1:
                self.stdout.write(f"ok {record.meeting} {record.sha256}")
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} official record(s) failed verification.")
        self.stdout.write(f"{records.count()} official record(s) verified.")


def _problem(record):
    try:
        with record.file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        return "the stored file is missing"
    digest = hashlib.sha256(content).hexdigest()
    if digest != record.sha256:
        return f"SHA-256 is {digest}, expected {record.sha256}"
    return _differs_from_database(record.meeting, content)


def _item_text(document):
    """What each item of a document says: number, title, text and decisions (the record's text;
    action points' tracking may move on after adoption, so it is left out)."""
    return [
        (item.get("key"), item.get("number"), item.get("title"), item.get("body"), item.get("decisions"))
        for item in record_json.flat_items(document)
    ]


def _differs_from_database(meeting, content):
    """Where the database no longer says what the stored PDF's minutes.json does, or None: the
    adopted record the pages show, and the text of the items themselves (a direct SQL edit)."""
    from pypdf import PdfReader

    try:
        stored = json.loads(PdfReader(io.BytesIO(content)).attachments["minutes.json"][0])
    except (KeyError, IndexError, ValueError):
        return "the stored PDF carries no readable minutes.json"
    meeting = Meeting.objects.select_related("presidency__delegation", "adopted_at_meeting").get(pk=meeting.pk)
    shown = json.loads(record_json.minutes_json(record_json.document_for(meeting)))
    if shown != stored:
        changed = sorted(key for key in set(stored) | set(shown) if stored.get(key) != shown.get(key))
        return "the adopted record in the database no longer matches the stored PDF's minutes.json (" + (
            ", ".join(changed) + " differ)"
        )
    if _item_text(record_json.record_document(meeting)) != _item_text(stored):
        return "the items in the database no longer match the stored PDF's minutes.json (items differ)"
    return None
