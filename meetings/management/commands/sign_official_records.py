"""Sign the stored official records that the configured key has not signed: those stored before
signing existed, and those signed with a key since rotated. The rendering is never redone; each
gets a new stored file, the earlier file is kept and the meeting's history says so."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from meetings import pdf, signing
from meetings.models import OfficialRecord


class Command(BaseCommand):
    help = "Sign official records stored unsigned or signed with an earlier key."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List them; sign nothing.")

    def handle(self, *args, **options):
        try:
            key = signing.configured_key()
        except signing.SigningError as exc:
            raise CommandError(str(exc)) from None
        if key is None:
            raise CommandError("No signing key is configured (SIGNING_KEY_FILE, SIGNING_CERT_FILE).")
        pending = (
            OfficialRecord.objects.filter(
                Q(signing_certificate__isnull=True) | ~Q(signing_certificate__sha256_fingerprint=key.fingerprint)
            )
            .select_related("meeting")
            .order_by("meeting__date")
        )
        failures = 0
        for record in pending:
            if options["dry_run"]:
                self.stdout.write(f"would sign {record.meeting}")
                continue
            try:
                signed = pdf.resign_official_record(record.meeting, key)
            except ValueError as exc:
                failures += 1
                self.stderr.write(str(exc))
                continue
            if signed is None:
                continue
            note = "" if signed.sealed else " (no visible seal: rendered before room for one was reserved)"
            self.stdout.write(f"Signed {record.meeting}{note}; the earlier file is kept.")
        if failures:
            raise CommandError(f"{failures} official record(s) could not be signed.")
