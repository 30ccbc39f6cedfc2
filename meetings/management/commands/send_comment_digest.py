"""Email ISU staff the review comments made since the last digest (run hourly by cron)."""

import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from meetings import emails
from meetings.models import ReviewComment


@transaction.atomic
def send_comment_digest():
    """One digest of every comment staff have not been told about, grouped by minutes; the
    comments are marked told in the same transaction, so a second run sends nothing, and a failed
    send leaves them for the next run. Returns the number of comments told."""
    fresh = list(
        ReviewComment.objects.select_for_update(of=("self",))
        .filter(staff_told_at__isnull=True)
        .select_related("version__meeting", "author__representative__delegation")
        .order_by("version__meeting__date", "version__number", "created_at", "id")
    )
    if not fresh:
        return 0
    emails.notify_new_comments(fresh)
    ReviewComment.objects.filter(pk__in=[comment.pk for comment in fresh]).update(staff_told_at=timezone.now())
    return len(fresh)


class Command(BaseCommand):
    help = "Email ISU staff one digest of the review comments made since the last one (run hourly)."

    def handle(self, *args, **options):
        try:
            told = send_comment_digest()
        except (OSError, smtplib.SMTPException) as exc:
            raise CommandError(f"The digest could not be sent ({exc}); its comments wait for the next run.") from exc
        self.stdout.write(f"Told ISU staff about {told} new comment(s)." if told else "No new comments.")
