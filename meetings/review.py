"""Review of circulated minutes: comments on a version's items and the staff's replies."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import audit
from meetings.models import Meeting, ReviewComment


class ReviewClosed(Exception):
    """Comments are not taken now; the message is meant for the user."""


@transaction.atomic
def add_comment(version, *, author, item, text, proposed_text):
    meeting = Meeting.objects.select_for_update().get(pk=version.meeting_id)
    if meeting.status != Meeting.Status.CIRCULATED or meeting.latest_version().pk != version.pk:
        raise ReviewClosed(_("Comments are taken on the version under review only."))
    if not version.open_for_comments:
        raise ReviewClosed(_("The deadline for comments on this version has passed."))
    comment = ReviewComment.objects.create(
        version=version,
        item_key=item["key"],
        item_number=item["number"],
        item_title=item["title"][:500],
        author=author,
        text=text.strip(),
        proposed_text=proposed_text.strip(),
    )
    audit.record(meeting, author, "comment.added", f"Comment on item {item['number']} of version {version.number}.")
    return comment


@transaction.atomic
def reply(comment, *, by, text, outcome):
    comment = ReviewComment.objects.select_for_update().select_related("version__meeting").get(pk=comment.pk)
    before = {"reply": comment.reply, "outcome": comment.outcome}
    comment.reply = text.strip()
    comment.outcome = outcome
    comment.replied_by = by
    comment.replied_at = timezone.now()
    comment.save()
    audit.record(
        comment.version.meeting,
        by,
        "comment.replied",
        f"Reply to a comment on item {comment.item_number}: {comment.get_outcome_display().lower()}.",
        audit.diff_fields(before, {"reply": comment.reply, "outcome": comment.outcome}, ["reply", "outcome"]),
    )
    return comment
