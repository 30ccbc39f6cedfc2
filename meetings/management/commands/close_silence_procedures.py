"""Adopt the minutes whose silence procedure has ended unbroken (run by cron, e.g. every 15 minutes)."""

from django.core.management.base import BaseCommand

from meetings import workflow


class Command(BaseCommand):
    help = "Adopt the minutes whose silence procedure has ended without anyone breaking silence."

    def handle(self, *args, **options):
        adopted = workflow.close_silence_procedures()
        for meeting in adopted:
            self.stdout.write(f"Adopted by silence procedure: {meeting}")
        if options["verbosity"] > 1 and not adopted:
            self.stdout.write("No silence procedure has ended.")
