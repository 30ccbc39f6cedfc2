"""`python manage.py restore DIR`: a backup brought back into an empty database and media folder,
checked against its manifest first and by verify_records after."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from meetings import backup


class Command(BaseCommand):
    help = "Restore a backup (from the backup command) into an empty database, then verify the official records."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="the folder the backup command wrote")

    def handle(self, *args, folder, **options):
        try:
            backup.restore(folder)
        except backup.BackupProblem as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"Restored {folder}; verifying the official records.")
        call_command("verify_records", stdout=self.stdout, stderr=self.stderr)
