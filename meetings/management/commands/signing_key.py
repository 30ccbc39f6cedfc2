"""`signing_key create` makes a key and a self-signed certificate for signing official records (a
demo, or a first install until the ISU has a certificate from a CA); `signing_key show` names the
configured certificate."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from meetings import signing

DEMO_NAME = "CCM Portal demo signing key (not the ISU's)"


class Command(BaseCommand):
    help = "Create a signing key with a self-signed certificate, or show the configured certificate."
    # It makes the very files whose absence the signing check reports.
    requires_system_checks = []

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Write a new key and self-signed certificate (PEM).")
        create.add_argument("--key-file", default=settings.SIGNING_KEY_FILE, help="Default: SIGNING_KEY_FILE.")
        create.add_argument("--cert-file", default=settings.SIGNING_CERT_FILE, help="Default: SIGNING_CERT_FILE.")
        create.add_argument("--common-name", default="Implementation Support Unit, Convention on Cluster Munitions")
        create.add_argument("--days", type=int, default=3 * 365, help="Validity in days (default: three years).")
        create.add_argument("--demo", action="store_true", help="Name it a demo key, for `make run`.")
        create.add_argument("--if-missing", action="store_true", help="Do nothing if the key file exists.")
        actions.add_parser("show", help="Print the configured certificate's subject and fingerprint.")

    def handle(self, *args, action, **options):
        if action == "show":
            return self._show()
        key_file, cert_file = options["key_file"], options["cert_file"]
        if not key_file or not cert_file:
            raise CommandError(
                "Say where to write them: --key-file and --cert-file, or set SIGNING_KEY_FILE and SIGNING_CERT_FILE."
            )
        if options["if_missing"] and Path(key_file).exists():
            return
        for path in (key_file, cert_file):
            if Path(path).exists():
                raise CommandError(f"{path} exists; a signing key is never overwritten. Move it away first.")
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        name = DEMO_NAME if options["demo"] else options["common_name"]
        fingerprint = signing.create_self_signed(
            key_file, cert_file, common_name=name, passphrase=settings.SIGNING_KEY_PASSPHRASE, days=options["days"]
        )
        if options["demo"]:
            self.stdout.write(
                f"Created a DEMO signing key in {key_file} (certificate {cert_file}): official records are signed "
                "with it. It is not the ISU's key; never use it in production."
            )
        else:
            self.stdout.write(f"Created {key_file} and the self-signed certificate {cert_file}.")
        self.stdout.write(f"Certificate SHA-256 fingerprint: {fingerprint}")

    def _show(self):
        try:
            key = signing.configured_key()
        except signing.SigningError as exc:
            raise CommandError(str(exc)) from None
        if key is None:
            raise CommandError("No signing key is configured (SIGNING_KEY_FILE, SIGNING_CERT_FILE).")
        self.stdout.write(f"Subject: {key.certificate.subject.human_friendly}")
        self.stdout.write(f"Valid until: {key.certificate.not_valid_after:%Y-%m-%d}")
        self.stdout.write(f"SHA-256 fingerprint: {key.fingerprint}")
