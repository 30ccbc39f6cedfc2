"""`python manage.py backup DIR`: the database, the media files and a SHA-256 manifest, into DIR."""

from django.core.management.base import BaseCommand, CommandError

from meetings import backup


class Command(BaseCommand):
    help = "Back up the database and the media files, with a SHA-256 manifest, into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="a new (or empty) folder to write the backup into")

    def handle(self, *args, folder, **options):
        try:
            manifest = backup.backup(folder)
        except backup.BackupProblem as problem:
            raise CommandError(str(problem)) from None
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"Backed up the {manifest['database']} database and {media} media file(s) to {folder}.")
