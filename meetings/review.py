"""Review of circulated minutes: comments on a version's items and paragraphs, the staff's
replies, and applying a proposed paragraph to the draft once the minutes are withdrawn."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import audit, drafting, markup, versions
from meetings.models import Meeting, ReviewComment


class ReviewClosed(Exception):
    """Comments are not taken now; the message is meant for the user."""


class ApplyRefused(Exception):
    """A proposal that cannot be applied now; the message is meant for the user. `circulated` and
    `current` are the paragraph as circulated and as it stands, when it changed since."""

    def __init__(self, message, circulated=None, current=None):
        super().__init__(message)
        self.circulated = circulated
        self.current = current

    @property
    def diff(self):
        if self.circulated is None:
            return None
        return versions.diff_html(self.circulated, self.current or "")


@transaction.atomic
def add_comment(version, *, author, item, text, proposed_text, paragraph=None):
    meeting = Meeting.objects.select_for_update().get(pk=version.meeting_id)
    if meeting.status != Meeting.Status.CIRCULATED or meeting.latest_version().pk != version.pk:
        raise ReviewClosed(_("Comments are taken on the version under review only."))
    if not version.open_for_comments:
        raise ReviewClosed(_("The deadline for comments on this version has passed."))
    if paragraph is not None and not 1 <= paragraph <= len(markup.paragraphs(item.get("body"))):
        raise ReviewClosed(_("That paragraph is not in the version under review."))
    comment = ReviewComment.objects.create(
        version=version,
        item_key=item["key"],
        item_number=item["number"],
        item_title=item["title"][:500],
        paragraph=paragraph,
        author=author,
        text=text.strip(),
        proposed_text=proposed_text.strip(),
    )
    place = f"item {item['number']}, paragraph {paragraph}" if paragraph else f"item {item['number']}"
    audit.record(meeting, author, "comment.added", f"Comment on {place} of version {version.number}.")
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


@transaction.atomic
def apply_proposal(comment, *, by):
    """Put the comment's proposed text in place of the paragraph it is on, in the item's current
    text, through drafting.save_item (revision check, audit row); mark the comment incorporated and
    record that. Only in a draft (the minutes withdrawn for revision), and only if that paragraph
    still reads as circulated: otherwise ApplyRefused, and nothing is written."""
    comment = ReviewComment.objects.select_for_update().select_related("version").get(pk=comment.pk)
    meeting = Meeting.objects.select_for_update().get(pk=comment.version.meeting_id)
    if meeting.status != Meeting.Status.DRAFT:
        raise ApplyRefused(_("Proposals are applied once the minutes are withdrawn to draft for revision."))
    if not comment.waits_to_apply:
        raise ApplyRefused(_("This comment has no proposal for a paragraph waiting to be applied."))
    where = {"number": comment.item_number, "paragraph": comment.paragraph}
    item = drafting.load_item(meeting, comment.item_key) if comment.item_key.isdigit() else None
    if item is None:
        raise ApplyRefused(_("Item %(number)s is no longer in the minutes; the proposal was not applied.") % where)
    circulated = comment.circulated_paragraph()
    spans = markup.paragraph_spans(item.body)
    index = comment.paragraph - 1
    current = item.body[slice(*spans[index])] if index < len(spans) else ""
    if circulated is None or current != circulated:
        raise ApplyRefused(
            _(
                "Paragraph %(paragraph)s of item %(number)s has changed since it was circulated; the proposal "
                "was not applied. Compare the two below and edit the item yourself."
            )
            % where,
            circulated=circulated or "",
            current=current,
        )
    start, end = spans[index]
    body = item.body[:start] + comment.proposed_text + item.body[end:]
    drafting.save_item(
        item,
        by,
        item.revision,
        drafting.item_snapshot(item),
        title=item.title,
        body=body,
        leads=[link.delegation for link in item.lead_links.all()],
    )
    comment.outcome = ReviewComment.Outcome.INCORPORATED
    comment.replied_by = by
    comment.replied_at = timezone.now()
    comment.save(update_fields=["outcome", "replied_by", "replied_at"])
    audit.record(
        meeting,
        by,
        "comment.incorporated",
        f"Applied a proposal to item {comment.item_number}, paragraph {comment.paragraph}",
        {
            "comment": comment.pk,
            "item_number": comment.item_number,
            "paragraph": comment.paragraph,
            "outcome": [ReviewComment.Outcome.PENDING, ReviewComment.Outcome.INCORPORATED],
        },
    )
    return comment
