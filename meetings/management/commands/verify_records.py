"""Recompute the SHA-256 of every stored official record; exit non-zero, naming each record,
when a file is missing or no longer has the hash it was stored with."""

import hashlib

from django.core.management.base import BaseCommand, CommandError

from meetings.models import OfficialRecord


class Command(BaseCommand):
    help = "Check every stored official minutes PDF against its SHA-256."

    def handle(self, *args, **options):
        failures = []
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
    digest = hashlib.sha256()
    try:
        with record.file.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return "the stored file is missing"
    if digest.hexdigest() != record.sha256:
        return f"SHA-256 is {digest.hexdigest()}, expected {record.sha256}"
    return None
