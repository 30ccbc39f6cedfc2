"""Remind the coordinators of a comment deadline that is near (run daily by cron); each version once."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from meetings import emails
from meetings.models import Meeting, MinutesVersion


def versions_due_reminder(today, days_ahead):
    """The versions under review whose comment deadline falls within `days_ahead` days, not yet reminded."""
    candidates = MinutesVersion.objects.filter(
        meeting__status=Meeting.Status.CIRCULATED,
        reminded_at__isnull=True,
        comment_deadline__gte=today,
        comment_deadline__lte=today + timedelta(days=days_ahead),
    ).select_related("meeting")
    return [version for version in candidates if version.pk == version.meeting.latest_version().pk]


class Command(BaseCommand):
    help = "Email the coordinators about comment deadlines falling within the next few days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=2, help="How many days ahead to look (default 2).")

    def handle(self, *args, **options):
        for version in versions_due_reminder(timezone.localdate(), options["days"]):
            with transaction.atomic():
                claimed = MinutesVersion.objects.filter(pk=version.pk, reminded_at__isnull=True).update(
                    reminded_at=timezone.now()
                )
                if claimed:
                    transaction.on_commit(lambda version=version: emails.notify_deadline_approaching(version))
            if claimed:
                self.stdout.write(f"Reminded the coordinators: {version}")
