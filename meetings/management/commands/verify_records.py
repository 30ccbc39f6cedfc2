"""Check the official record: every adopted meeting has a stored PDF; every stored PDF (and every
earlier file kept when a record was re-signed or superseded) still has the SHA-256 it was stored with;
every signature validates against the certificate that record was signed with; the minutes.json
inside each PDF still matches what the database says; and every document of adopted minutes is
still the file the adopted record lists, by its SHA-256. Exit non-zero, naming each record and what
is wrong."""

import hashlib
import io
import json

from django.core.management.base import BaseCommand, CommandError

from meetings import record_json, signing
from meetings.models import Document, Meeting, OfficialRecord, RecordSupersession, RetiredRecordFile


class Command(BaseCommand):
    help = "Check every adopted meeting's stored official PDF: present, unchanged, signed, and matching the database."

    def handle(self, *args, **options):
        failures, unsigned = [], []
        adopted = Meeting.objects.filter(status__in=[Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED])
        for meeting in adopted.filter(official_record__isnull=True).order_by("date"):
            failures.append(f"{meeting}: adopted, but no official record is stored (run store_official_records)")
        records = OfficialRecord.objects.select_related("meeting", "signing_certificate").order_by("meeting__date")
        for record in records:
            problems = record_problems(record)
            if problems:
                failures.append(f"{record.meeting} ({record.file.name}): {'; '.join(problems)}")
                continue
            if not record.is_signed:
                unsigned.append(record)
            if options["verbosity"] > 1:
                self.stdout.write(f"ok {record.meeting} {record.sha256}")
        retired = [
            *RetiredRecordFile.objects.select_related("meeting").order_by("meeting__date", "retired_at"),
            *RecordSupersession.objects.select_related("meeting").order_by("meeting__date", "at"),
        ]
        for earlier in retired:
            content, problem = _read(earlier)
            if problem is None and hashlib.sha256(content).hexdigest() != earlier.sha256:
                problem = f"SHA-256 is {hashlib.sha256(content).hexdigest()}, expected {earlier.sha256}"
            if problem:
                failures.append(f"{earlier} ({earlier.file.name}): {problem}")
        documents = (
            Document.objects.filter(meeting__in=adopted).select_related("meeting").order_by("meeting__date", "id")
        )
        for document in documents:
            problem = document_problem(document)
            if problem:
                failures.append(f"{document.meeting}, document “{document.title}” ({document.file.name}): {problem}")
        for record in unsigned:
            self.stdout.write(f"unsigned: {record.meeting} (sign it with `manage.py sign_official_records`)")
        if failures:
            for failure in failures:
                self.stderr.write(failure)
            raise CommandError(f"{len(failures)} official record(s) failed verification.")
        signed = records.count() - len(unsigned)
        self.stdout.write(f"{records.count()} official record(s) verified, {signed} with a valid signature.")


def _read(stored):
    try:
        with stored.file.open("rb") as handle:
            return handle.read(), None
    except FileNotFoundError:
        return None, "the stored file is missing"


def document_problem(document):
    """What is wrong with a document of adopted minutes: its file gone or changed, or the adopted
    record listing another file."""
    try:
        digest = hashlib.sha256()
        with document.file.open("rb") as handle:
            for chunk in handle.chunks():
                digest.update(chunk)
    except FileNotFoundError:
        return "the stored file is missing"
    if digest.hexdigest() != document.sha256:
        return f"SHA-256 is {digest.hexdigest()}, expected {document.sha256}"
    listed = {d.get("key"): d.get("sha256") for d in (document.meeting.adopted_record or {}).get("documents", [])}
    if listed.get(str(document.pk)) != document.sha256:
        return "the adopted record does not list this file"
    return None


def record_problems(record):
    """What is wrong with a stored official record: its hash, its signature against the certificate
    it was signed with (not whichever key signs today), and its agreement with the database."""
    content, problem = _read(record)
    if problem:
        return [problem]
    problems = []
    digest = hashlib.sha256(content).hexdigest()
    if digest != record.sha256:
        problems.append(f"SHA-256 is {digest}, expected {record.sha256}")
    if record.is_signed:
        problems.extend(signature_problems(content, record))
    differs = _differs_from_database(record.meeting, content)
    if differs:
        problems.append(differs)
    return problems


def signature_problems(content, record):
    expected = record.signing_certificate
    result = signing.check(content, [expected], at=record.signed_at)
    if not result.signed:
        return ["it is not signed, but was stored signed" if result.readable else "it cannot be read as a PDF"]
    if not result.readable:
        return ["its signature cannot be read"]
    problems = []
    if result.certificate_sha256 != expected.sha256_fingerprint:
        problems.append(
            f"it is signed by certificate {result.certificate_sha256}, not by {expected.sha256_fingerprint} "
            "that signed it when it was stored"
        )
    elif not result.intact:
        problems.append("its signature does not match its content: the signed bytes were altered")
    elif result.isu_certificate is None:
        problems.append(f"its signature does not validate against certificate {expected.sha256_fingerprint}")
    if result.appended_after_signing:
        problems.append("something was appended to it after it was signed")
    elif result.intact and not result.certified_no_changes:
        problems.append("it is not certified with no changes allowed")
    return problems


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
    from pypdf.errors import PdfReadError

    try:
        stored = json.loads(PdfReader(io.BytesIO(content)).attachments["minutes.json"][0])
    except (KeyError, IndexError, ValueError, PdfReadError):
        return "the stored PDF carries no readable minutes.json"
    meeting = Meeting.objects.select_related("presidency__delegation", "adopted_at_meeting").get(pk=meeting.pk)
    shown = json.loads(record_json.minutes_json(record_json.document_for(meeting)))
    if shown != stored:
        changed = sorted(key for key in set(stored) | set(shown) if stored.get(key) != shown.get(key))
        return "the adopted record in the database no longer matches the stored PDF's minutes.json (" + (
            ", ".join(changed) + " differ)"
        )
    # The rows hold the record as imported; once it was superseded (workflow.supersede), the record as
    # first published is what they must still say, the correction living in the adopted record.
    first = meeting.supersessions.order_by("at", "id").first()
    if first is not None:
        if _item_text(record_json.record_document(meeting)) != _item_text(first.record):
            return "the items in the database no longer match the record as first published (items differ)"
        return None
    if _item_text(record_json.record_document(meeting)) != _item_text(stored):
        return "the items in the database no longer match the stored PDF's minutes.json (items differ)"
    return None
