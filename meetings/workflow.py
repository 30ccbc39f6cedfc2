"""Every change of a set of minutes' status happens here, and nowhere else.

Each verb locks the meeting row, checks the move against TRANSITIONS, changes the status and
the fields that go with it, and saves, all in one transaction.
"""

from django.db import transaction
from django.utils import timezone

from meetings import caching, pdf, search
from meetings.models import Meeting

Status = Meeting.Status

# (from, to): the verb that makes the move.
TRANSITIONS = {
    (Status.DRAFT, Status.CIRCULATED): "circulate",
    (Status.CIRCULATED, Status.DRAFT): "withdraw",
    (Status.CIRCULATED, Status.ADOPTED): "adopt",
    (Status.DRAFT, Status.ADOPTED): "enter_archived_adoption",
    (Status.ADOPTED, Status.PUBLISHED): "publish",
}


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


def _set_adoption(locked, *, at_meeting, silence_procedure_ends_at, outcome, corrections):
    if (at_meeting is None) == (silence_procedure_ends_at is None):
        raise TransitionError("Minutes are adopted either at a later meeting or by silence procedure.")
    if at_meeting is not None and at_meeting.date <= locked.date:
        raise TransitionError("Minutes are adopted at a later meeting than the one they record.")
    if corrections and outcome != Meeting.AdoptionOutcome.WITH_CORRECTIONS:
        raise TransitionError("Corrections go with the outcome 'adopted with corrections'.")
    locked.status = Status.ADOPTED
    locked.adopted_at_meeting = at_meeting
    locked.silence_procedure_ends_at = silence_procedure_ends_at
    locked.adoption_outcome = outcome
    locked.adoption_corrections = corrections


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
    _after_adoption(locked)
    return _refresh(meeting, locked)


@transaction.atomic
def publish(meeting, *, by=None, at=None):
    locked = _locked(meeting)
    _check(locked, Status.PUBLISHED, "publish")
    locked.status = Status.PUBLISHED
    locked.published_at = at or timezone.now()
    locked.save()
    # In the same transaction: published minutes are searchable at once, and only they ever are.
    search.index_meeting(locked)
    # Pages cached under the old stamp are stale from now on: forget it now, and again once committed.
    caching.forget_stamp()
    transaction.on_commit(caching.forget_stamp)
    return _refresh(meeting, locked)
