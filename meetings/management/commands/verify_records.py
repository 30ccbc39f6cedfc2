"""Check the official record: every adopted meeting has a stored PDF, every stored PDF still has the
SHA-256 it was stored with, and the minutes.json inside it still matches the text in the database.
Exit non-zero, naming each record that fails."""

import hashlib
import io
import json

from django.core.management.base import BaseCommand, CommandError

from meetings import record_json
from meetings.models import Meeting, OfficialRecord

# Publishing changes the status the record states, not what was adopted.
CHANGES_AFTER_ADOPTION = {("meeting", "status")}


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


def _comparable(data):
    for section, key in CHANGES_AFTER_ADOPTION:
        data.get(section, {}).pop(key, None)
    return data


def _differs_from_database(meeting, content):
    """Where the database's text of the minutes no longer says what the stored PDF's minutes.json
    does (a direct SQL edit of an adopted record), or None."""
    from pypdf import PdfReader

    try:
        stored = json.loads(PdfReader(io.BytesIO(content)).attachments["minutes.json"][0])
    except (KeyError, IndexError, ValueError):
        return "the stored PDF carries no readable minutes.json"
    meeting = Meeting.objects.select_related("presidency__delegation", "adopted_at_meeting").get(pk=meeting.pk)
    current = json.loads(record_json.minutes_json(meeting, meeting.attendance_list(), meeting.agenda()))
    stored, current = _comparable(stored), _comparable(current)
    if stored == current:
        return None
    changed = sorted(key for key in set(stored) | set(current) if stored.get(key) != current.get(key))
    return "the database no longer matches the stored PDF's minutes.json (" + ", ".join(changed) + " differ)"
