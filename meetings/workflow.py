"""Every change of a set of minutes' status happens here, and nowhere else.

Each verb locks the meeting row, checks the move against TRANSITIONS, changes the status and
the fields that go with it, saves and writes the audit row, all in one transaction; email goes
out only once that transaction has committed.
"""

from functools import partial

from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format

from meetings import audit, emails, pdf, search, versions
from meetings.models import AgendaItem, Meeting, MinutesVersion, SilenceProcedure

Status = Meeting.Status

# (from, to): the verb that makes the move.
TRANSITIONS = {
    (Status.DRAFT, Status.CIRCULATED): "circulate",
    (Status.CIRCULATED, Status.DRAFT): "withdraw",
    (Status.CIRCULATED, Status.ADOPTED): "adopt",
    (Status.DRAFT, Status.ADOPTED): "enter_archived_adoption",
    (Status.ADOPTED, Status.PUBLISHED): "publish",
}

# The title by which the standard agenda names the item that adopts the previous minutes.
ADOPTION_ITEM_TITLE = "Adoption of the Minutes"
# Sent when minutes are published, in the transaction and again once it commits; receivers must be
# idempotent. The public side's page cache forgets its stamp on it.
minutes_published = Signal()


class TransitionError(Exception):
    """A move the lifecycle does not allow; its message is meant for the user."""


def _locked(meeting):
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _check(meeting, target, verb):
    if TRANSITIONS.get((meeting.status, target)) != verb:
        raise TransitionError(
            f"Minutes that are {meeting.get_status_display().lower()} cannot be {target.label.lower()}."
        )


def _refresh(meeting, locked):
    for field in (
        "status",
        "adopted_at_meeting_id",
        "silence_procedure_ends_at",
        "adoption_outcome",
        "adoption_corrections",
        "published_at",
        "updated_at",
    ):
        setattr(meeting, field, getattr(locked, field))
    return meeting


def _after_adoption(meeting):
    """Once the adoption is committed, render and store the official PDF. A failure is logged,
    not raised: the PDF view renders and stores the record on its first request instead."""
    transaction.on_commit(lambda meeting_id=meeting.pk: pdf.store_official_record(meeting_id), robust=True)


def _after_commit(func, *args):
    transaction.on_commit(partial(func, *args))


def _set_adoption(locked, *, at_meeting, silence_procedure_ends_at, outcome, corrections):
    if (at_meeting is None) == (silence_procedure_ends_at is None):
        raise TransitionError("Minutes are adopted either at a later meeting or by silence procedure.")
    if at_meeting is not None and at_meeting.date <= locked.date:
        raise TransitionError("Minutes are adopted at a later meeting than the one they record.")
    if outcome not in Meeting.AdoptionOutcome.values:
        raise TransitionError("Choose how the minutes were adopted.")
    if corrections and outcome != Meeting.AdoptionOutcome.WITH_CORRECTIONS:
        raise TransitionError("Corrections go with the outcome 'adopted with corrections'.")
    locked.status = Status.ADOPTED
    locked.adopted_at_meeting = at_meeting
    locked.silence_procedure_ends_at = silence_procedure_ends_at
    locked.adoption_outcome = outcome
    locked.adoption_corrections = corrections


def _cancel_running_silence(locked, now):
    SilenceProcedure.objects.filter(meeting=locked, status=SilenceProcedure.Status.RUNNING).update(
        status=SilenceProcedure.Status.CANCELLED, closed_at=now
    )


@transaction.atomic
def enter_archived_adoption(
    meeting,
    *,
    at_meeting=None,
    silence_procedure_ends_at=None,
    outcome=Meeting.AdoptionOutcome.CORRECT_RECORD,
    corrections="",
    by=None,
):
    """Record minutes that were adopted before they came into the portal (the back catalogue)."""
    locked = _locked(meeting)
    _check(locked, Status.ADOPTED, "enter_archived_adoption")
    _set_adoption(
        locked,
        at_meeting=at_meeting,
        silence_procedure_ends_at=silence_procedure_ends_at,
        outcome=outcome,
        corrections=corrections,
    )
    locked.save()
    audit.record(locked, by, "adopted", f"Entered as adopted from the archive: {locked.adoption_statement}.")
    _after_adoption(locked)
    return _refresh(meeting, locked)


@transaction.atomic
def circulate(meeting, by, comment_deadline):
    """Send the draft out for comments: freeze it as the next version. Returns that version."""
    locked = _locked(meeting)
    _check(locked, Status.CIRCULATED, "circulate")
    if comment_deadline < timezone.localdate():
        raise TransitionError("The comment deadline cannot be in the past.")
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = MinutesVersion.objects.create(
        meeting=locked,
        number=number,
        circulated_by=by,
        comment_deadline=comment_deadline,
        snapshot=versions.snapshot(locked),
    )
    locked.status = Status.CIRCULATED
    locked.save()
    audit.record(
        locked,
        by,
        "circulated",
        f"Circulated version {number}; comments due by {date_format(comment_deadline, 'j F Y')}.",
        {"version": number, "comment_deadline": comment_deadline.isoformat()},
    )
    _after_commit(emails.notify_circulated, version)
    _refresh(meeting, locked)
    return version


@transaction.atomic
def withdraw(meeting, by):
    """Take circulated minutes back to draft for revision; a running silence procedure stops."""
    locked = _locked(meeting)
    _check(locked, Status.DRAFT, "withdraw")
    _cancel_running_silence(locked, timezone.now())
    locked.status = Status.DRAFT
    locked.save()
    audit.record(locked, by, "withdrawn", "Withdrawn to draft for revision.")
    return _refresh(meeting, locked)


def _link_adoption_item(meeting, at_meeting):
    """Point the later meeting's "Adoption of the Minutes" item at these minutes, if it has one
    not yet linked and its own record is still open."""
    if at_meeting.is_adopted:
        return
    item = (
        AgendaItem.objects.filter(
            meeting=at_meeting, title__icontains=ADOPTION_ITEM_TITLE, minutes_to_adopt__isnull=True
        )
        .order_by("position", "id")
        .first()
    )
    if item is not None:
        item.minutes_to_adopt = meeting
        item.save(update_fields=["minutes_to_adopt"])


@transaction.atomic
def adopt(meeting, by, at_meeting, outcome=Meeting.AdoptionOutcome.CORRECT_RECORD, corrections=""):
    """Adopt circulated minutes at a later meeting, through its "Adoption of the Minutes" item."""
    locked = _locked(meeting)
    _check(locked, Status.ADOPTED, "adopt")
    if at_meeting is None:
        raise TransitionError("Choose the meeting at which the minutes were adopted.")
    # Minutes adopted here are adopted with their corrections written down; the back catalogue
    # (enter_archived_adoption) may only know that there were some.
    if outcome == Meeting.AdoptionOutcome.WITH_CORRECTIONS and not corrections.strip():
        raise TransitionError("Minutes adopted with corrections need the corrections written down.")
    _set_adoption(
        locked, at_meeting=at_meeting, silence_procedure_ends_at=None, outcome=outcome, corrections=corrections
    )
    _cancel_running_silence(locked, timezone.now())
    locked.save()
    _link_adoption_item(locked, at_meeting)
    audit.record(
        locked,
        by,
        "adopted",
        f"{locked.get_adoption_outcome_display()} at the meeting of {date_format(at_meeting.date, 'j F Y')}.",
        {"outcome": outcome, "corrections": corrections, "at_meeting": at_meeting.date.isoformat()},
    )
    _after_adoption(locked)
    _after_commit(emails.notify_adopted, locked)
    return _refresh(meeting, locked)


@transaction.atomic
def start_silence_procedure(meeting, by, ends_at):
    """Circulated minutes will be adopted at `ends_at` unless a coordinator breaks silence."""
    locked = _locked(meeting)
    if locked.status != Status.CIRCULATED:
        raise TransitionError("A silence procedure is started on circulated minutes only.")
    if ends_at <= timezone.now():
        raise TransitionError("A silence procedure ends in the future.")
    if SilenceProcedure.objects.filter(meeting=locked, status=SilenceProcedure.Status.RUNNING).exists():
        raise TransitionError("A silence procedure is already running for these minutes.")
    procedure = SilenceProcedure.objects.create(
        meeting=locked, version=locked.latest_version(), ends_at=ends_at, started_by=by
    )
    audit.record(
        locked,
        by,
        "silence.started",
        f"Silence procedure started on version {procedure.version.number}, "
        f"ending {date_format(timezone.localtime(ends_at), 'j F Y H:i')}.",
        {"ends_at": ends_at.isoformat()},
    )
    _after_commit(emails.notify_silence_started, procedure)
    return procedure


@transaction.atomic
def break_silence(procedure, by, reason):
    """A coordinator objects: the silence procedure stops and the minutes stay circulated."""
    locked_meeting = _locked(procedure.meeting)
    locked = SilenceProcedure.objects.select_for_update().get(pk=procedure.pk)
    now = timezone.now()
    if locked.status != SilenceProcedure.Status.RUNNING or locked.ends_at <= now:
        raise TransitionError("This silence procedure is no longer running.")
    if not reason.strip():
        raise TransitionError("Say why you break silence.")
    locked.status = SilenceProcedure.Status.BROKEN
    locked.broken_at = now
    locked.broken_by = by
    locked.broken_reason = reason.strip()
    locked.closed_at = now
    locked.save()
    audit.record(locked_meeting, by, "silence.broken", f"Silence broken: {reason.strip()}", {"reason": reason.strip()})
    _after_commit(emails.notify_silence_broken, locked)
    return locked


@transaction.atomic
def adopt_by_silence(procedure, *, now=None):
    """Adopt the minutes whose silence procedure ended unbroken (run by close_silence_procedures)."""
    now = now or timezone.now()
    locked_meeting = _locked(procedure.meeting)
    locked = SilenceProcedure.objects.select_for_update().get(pk=procedure.pk)
    if locked.status != SilenceProcedure.Status.RUNNING:
        raise TransitionError("This silence procedure is no longer running.")
    if locked.ends_at > now:
        raise TransitionError("This silence procedure has not ended yet.")
    _check(locked_meeting, Status.ADOPTED, "adopt")
    _set_adoption(
        locked_meeting,
        at_meeting=None,
        silence_procedure_ends_at=locked.ends_at,
        outcome=Meeting.AdoptionOutcome.CORRECT_RECORD,
        corrections="",
    )
    locked_meeting.save()
    locked.status = SilenceProcedure.Status.ADOPTED
    locked.closed_at = now
    locked.save()
    audit.record(locked_meeting, None, "adopted", f"{locked_meeting.adoption_statement}; silence was not broken.")
    _after_adoption(locked_meeting)
    _after_commit(emails.notify_adopted, locked_meeting)
    return locked_meeting


def close_silence_procedures(now=None, meeting=None):
    """Adopt every set of minutes whose silence procedure has ended unbroken (or only `meeting`'s);
    return them. Idempotent: the scheduled command and the pages that show a procedure call it."""
    now = now or timezone.now()
    adopted = []
    ended = SilenceProcedure.objects.running().filter(ends_at__lte=now)
    if meeting is not None:
        ended = ended.filter(meeting=meeting)
    for procedure in ended.select_related("meeting"):
        try:
            adopted.append(adopt_by_silence(procedure, now=now))
        except TransitionError:
            continue  # Broken or withdrawn meanwhile: nothing to adopt.
    return adopted


@transaction.atomic
def publish(meeting, *, by=None, at=None):
    locked = _locked(meeting)
    _check(locked, Status.PUBLISHED, "publish")
    locked.status = Status.PUBLISHED
    locked.published_at = at or timezone.now()
    locked.save()
    # In the same transaction: published minutes are searchable at once, and only they ever are.
    search.index_meeting(locked)
    # What the public sees has changed: caches of public pages (portal/caching.py) listen.
    minutes_published.send(sender=Meeting, meeting=locked)
    transaction.on_commit(partial(minutes_published.send, sender=Meeting, meeting=locked))
    audit.record(locked, by, "published", "Published: the minutes are now public.")
    _after_commit(emails.notify_published, locked)
    return _refresh(meeting, locked)
