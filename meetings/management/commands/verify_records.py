"""Recompute the SHA-256 of every stored official record (and of the earlier files kept when a
record was re-signed) and validate every stored signature against the certificate that record
remembers; exit non-zero, naming each record and what is wrong, when anything fails."""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from meetings import signing
from meetings.models import OfficialRecord, RetiredRecordFile


class Command(BaseCommand):
    help = "Check every stored official minutes PDF against its SHA-256 and its signature."

    def handle(self, *args, **options):
        failures, unsigned = [], []
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
        retired = RetiredRecordFile.objects.select_related("meeting").order_by("meeting__date", "retired_at")
        for earlier in retired:
            content, problem = _read(earlier)
            if problem is None and hashlib.sha256(content).hexdigest() != earlier.sha256:
                problem = f"SHA-256 is {hashlib.sha256(content).hexdigest()}, expected {earlier.sha256}"
            if problem:
                failures.append(f"{earlier} ({earlier.file.name}): {problem}")
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


def record_problems(record):
    """What is wrong with a stored official record: its hash, and its signature against the
    certificate it was signed with (not whichever key signs today)."""
    content, problem = _read(record)
    if problem:
        return [problem]
    problems = []
    digest = hashlib.sha256(content).hexdigest()
    if digest != record.sha256:
        problems.append(f"SHA-256 is {digest}, expected {record.sha256}")
    if record.is_signed:
        problems.extend(signature_problems(content, record))
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
