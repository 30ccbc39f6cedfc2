"""The audit trail: one append-only row per change to a meeting's record and per transition."""

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.models import ActionPoint, AuditEntry, Meeting, ReviewComment
from meetings.templatetags.times import geneva_time


def record(meeting, by, action, summary, changes=None):
    """Write one audit row, in the caller's transaction, so it stands or falls with the change."""
    name = ""
    if by is not None and getattr(by, "is_authenticated", False):
        name = by.get_full_name() or by.get_username()
    return AuditEntry.objects.create(
        meeting=meeting,
        by=by if name else None,
        by_name=name,
        action=action,
        summary=summary[:500],
        changes=changes or {},
    )


def diff_fields(old, new, fields):
    """{field: [old, new]} for the fields whose values differ between two snapshots (dicts)."""
    return {f: [old.get(f), new.get(f)] for f in fields if old.get(f) != new.get(f)}


# The history page reads the trail as sentences: who did what, when, in words a reader knows.
FIELD_LABELS = {
    "title": _("Title"),
    "body": _("Text"),
    "leads": _("Led by"),
    "status": _("Status"),
    "note": _("Note"),
    "position": _("Position"),
    "reply": _("Reply"),
    "outcome": _("Outcome"),
    "corrections": _("Corrections"),
    "sub_items": _("Sub-items"),
    "decisions": _("Decisions"),
    "action_points": _("Action points"),
    "venue": _("Venue"),
    "starts_at": _("Starts at"),
    "ends_at": _("Ends at"),
    "date": _("Date"),
    "time_zone": _("Time zone"),
    "remote_link": _("Remote link"),
    "file": _("File"),
    "sha256": _("SHA-256"),
}
# Ids and values the sentence already says are not repeated as details.
HIDDEN_FIELDS = {
    "item",
    "item_number",
    "action_point",
    "version",
    "comment_deadline",
    "at_meeting",
    "reason",
    "comment",
    "paragraph",
    "document",
}
# Summaries written as "Changed item …" read on after the person's name ("Alice Martin changed item …").
VERB_SUMMARIES = ("meeting.created", "item.", "document.", "follow_up.", "comment.added", "comment.replied")


def _value_label(value):
    labels = {
        **dict(Meeting.AdoptionOutcome.choices),
        **dict(ReviewComment.Outcome.choices),
        **dict(ActionPoint.Status.choices),
        **dict(Meeting.Status.choices),
    }
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and value in labels:
        return str(labels[value]).lower()
    return "" if value is None else str(value)


def _phrase(entry):
    details = entry.changes if isinstance(entry.changes, dict) else {}
    summary = entry.summary.rstrip(".")
    if entry.action == "circulated" and "version" in details:
        deadline = date_format(date.fromisoformat(details["comment_deadline"]), "j F Y")
        return _("circulated version %(version)s to the coordinators; comments are due by %(deadline)s") % {
            "version": details["version"],
            "deadline": deadline,
        }
    if entry.action == "announced":
        return _("announced the meeting, with a provisional agenda")
    if entry.action == "postponed" and isinstance(details.get("date"), list):
        return _("postponed the meeting to %(date)s") % {
            "date": date_format(date.fromisoformat(details["date"][1]), "j F Y")
        }
    if entry.action == "postponed":
        return _("changed the time of the meeting")
    if entry.action == "cancelled" and details.get("reason"):
        return _("cancelled the meeting: “%(reason)s”") % {"reason": details["reason"]}
    if entry.action == "cancelled":
        return _("cancelled the meeting")
    if entry.action == "drafting.started":
        return _("started drafting the minutes from the provisional agenda")
    if entry.action == "withdrawn":
        return _("withdrew the minutes to draft for revision")
    if entry.action == "adopted" and "at_meeting" in details:
        return _("recorded the adoption: %(outcome)s at the meeting of %(date)s") % {
            "outcome": _value_label(details.get("outcome")),
            "date": date_format(date.fromisoformat(details["at_meeting"]), "j F Y"),
        }
    if entry.action == "silence.started" and "ends_at" in details:
        ends = datetime.fromisoformat(details["ends_at"])
        return _("started a silence procedure ending %(ends)s") % {"ends": geneva_time(ends)}
    if entry.action == "silence.broken":
        return _("broke silence: “%(reason)s”") % {"reason": details.get("reason", "")}
    if entry.action == "published":
        return _("published the minutes: they are now public")
    if entry.action == "comment.incorporated":
        return _(
            "applied a proposal to item %(item)s, paragraph %(paragraph)s, and marked the comment incorporated"
        ) % {
            "item": details.get("item_number", ""),
            "paragraph": details.get("paragraph", ""),
        }
    if entry.action == "meeting.changed":
        return _("changed the meeting's details")
    if entry.action == "attendance.changed":
        return _("changed the attendance")
    if entry.action.startswith("admin."):
        return _("changed the record in the administration: %(summary)s") % {"summary": summary}
    if entry.action.startswith(VERB_SUMMARIES) and summary:
        if summary.startswith("Comment on "):
            return _("commented %(rest)s") % {"rest": summary[len("Comment ") :]}
        if summary.startswith("Reply to "):
            return _("replied to %(rest)s") % {"rest": summary[len("Reply to ") :]}
        return summary[0].lower() + summary[1:]
    return summary


def describe(entry):
    """(sentence, details) for one audit row: "On 3 May 2026 at 14:05, Alice Martin circulated
    version 2 …", and the changed fields as (label, before, after) with readable values."""
    who = entry.by_name or _("The portal")
    when = timezone.localtime(entry.at)
    sentence = _("On %(date)s at %(time)s, %(who)s %(what)s.") % {
        "date": date_format(when, "j F Y"),
        "time": date_format(when, "H:i"),
        "who": who,
        "what": _phrase(entry),
    }
    details = []
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    for field, value in changes.items():
        if field in HIDDEN_FIELDS or (entry.action == "adopted" and field == "outcome"):
            continue
        label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
        if isinstance(value, list) and len(value) == 2:
            details.append((label, _value_label(value[0]), _value_label(value[1])))
        elif value not in ("", None):
            details.append((label, None, _value_label(value)))
    return sentence, details
