"""Render and store the official PDF of every adopted meeting that has none yet (for records
adopted while rendering failed, or before official records existed). Stored ones are never touched."""

from django.core.management.base import BaseCommand

from meetings import pdf
from meetings.models import Meeting


class Command(BaseCommand):
    help = "Store the official PDF of adopted minutes that have none yet."

    def handle(self, *args, **options):
        missing = Meeting.objects.filter(
            status__in=[Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED], official_record__isnull=True
        ).order_by("date")
        for meeting in missing:
            record = pdf.official_pdf(meeting)
            self.stdout.write(f"Stored {meeting}: sha256 {record.sha256}")
