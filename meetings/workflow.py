"""Every change of a set of minutes' status happens here, and nowhere else.

Each verb locks the meeting row, checks the move against TRANSITIONS, changes the status and
the fields that go with it, saves and writes the audit row, all in one transaction; email goes
out only once that transaction has committed.
"""

import hashlib
import logging
from datetime import timedelta
from functools import partial

from django.db import transaction
from django.db.models import Max
from django.dispatch import Signal
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import audit, calendar, drafting, emails, pdf, record_json, search
from meetings.models import (
    DEFAULT_TIME_ZONE,
    AgendaItem,
    Attendance,
    AuditEntry,
    Meeting,
    MinutesVersion,
    OfficialRecord,
    RecordSupersession,
    SilenceProcedure,
)

logger = logging.getLogger(__name__)

Status = Meeting.Status

# (from, to): the verb that makes the move. `None` is a meeting not yet in the portal.
# Symmetry note: announce, postpone and cancel bump the calendar's SEQUENCE (announce starts it at
# 0); start_drafting leaves it, so that the calendar entry of a meeting being minuted stays put.
TRANSITIONS = {
    (None, Status.ANNOUNCED): "announce",
    (Status.ANNOUNCED, Status.ANNOUNCED): "postpone",
    (Status.ANNOUNCED, Status.CANCELLED): "cancel",
    (Status.ANNOUNCED, Status.DRAFT): "start_drafting",
    (Status.DRAFT, Status.CIRCULATED): "circulate",
    (Status.CIRCULATED, Status.DRAFT): "withdraw",
    (Status.CIRCULATED, Status.ADOPTED): "adopt",
    (Status.DRAFT, Status.ADOPTED): "enter_archived_adoption",
    (Status.ADOPTED, Status.PUBLISHED): "publish",
    # A published record imported from the archive, replaced by a corrected transcription: it stays
    # published, as a new record. Symmetry note: there is no reverse; a wrong correction is
    # corrected by another supersession, never by restoring the earlier record in place.
    (Status.PUBLISHED, Status.PUBLISHED): "supersede",
}

# Sent when minutes are published, in the transaction and again once it commits; receivers must be
# idempotent. The public side's page cache forgets its stamp on it.
minutes_published = Signal()


# A silence procedure gives coordinators at least this long to object.
SILENCE_MINIMUM = timedelta(hours=24)


class TransitionError(Exception):
    """A move the lifecycle does not allow; its message is meant for the user."""


class NotReady(TransitionError):
    """Minutes that are not fit to go out, be adopted or be published: `problems` lists why."""

    def __init__(self, verb, problems):
        intro = {
            "circulate": _("These minutes cannot be circulated yet:"),
            "adopt": _("These minutes cannot be adopted yet:"),
            "publish": _("These minutes cannot be published yet:"),
            "start_drafting": _("The minutes of this meeting cannot be drafted yet:"),
        }[verb]
        super().__init__(" ".join([intro, *problems]))
        self.problems = problems


def problems(meeting, verb):
    """Why `meeting`'s minutes are not ready to be circulated, adopted or published, as
    translated sentences; empty when they are (and for any other verb). The drafting page shows
    them before the step; the verbs below refuse while there are any."""
    if verb == "start_drafting":
        if meeting.date > timezone.localdate():
            return [
                _("The meeting of %(date)s has not taken place yet: its minutes are drafted after it.")
                % {"date": date_format(meeting.date, "j F Y")}
            ]
        return []
    if verb not in ("circulate", "adopt", "publish"):
        return []
    found = []
    if meeting.starts_at is None:
        found.append(_("The time the meeting started is missing."))
    attendance = meeting.attendance_list()
    if not attendance:
        found.append(_("No attendance is recorded."))
    for row in attendance:
        if row.status == Attendance.Status.PRESENT and not row.attendees.all():
            found.append(
                _("%(delegation)s is marked present without any representative.") % {"delegation": row.display_name}
            )
    for top in meeting.agenda():
        for item in [top, *top.children]:
            name = {"number": item.number, "title": item.title}
            texts = [item.body, *(d.text for d in item.decisions.all()), *(p.text for p in item.action_points.all())]
            if (
                not any(text.strip() for text in texts)
                and not item.children
                and item.title not in drafting.OPTIONAL_ITEMS
            ):
                found.append(_("Item %(number)s (%(title)s) has no text.") % name)
            placeholder = next(
                (m.group(0) for text in [item.title, *texts] if (m := drafting.PLACEHOLDER_RE.search(text))), None
            )
            if item.title in drafting.PLACEHOLDER_TITLES:
                placeholder = item.title
            if placeholder:
                found.append(
                    _("Item %(number)s (%(title)s) still holds the placeholder “%(placeholder)s”.")
                    % {**name, "placeholder": placeholder}
                )
    return found


def _refuse_unless_ready(meeting, verb):
    found = problems(meeting, verb)
    if found:
        raise NotReady(verb, found)


def _locked(meeting):
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


# What each verb asks of the minutes' state, in words for the person who tried.
REFUSALS = {
    "postpone": gettext_lazy("Only an announced meeting can be postponed."),
    "cancel": gettext_lazy("Only an announced meeting can be cancelled."),
    "start_drafting": gettext_lazy("Only an announced meeting can start being drafted."),
    "circulate": gettext_lazy("Only draft minutes can be circulated."),
    "withdraw": gettext_lazy("Only circulated minutes can be withdrawn to draft."),
    "adopt": gettext_lazy("Only circulated minutes can be adopted."),
    "enter_archived_adoption": gettext_lazy("Only draft minutes can be entered as adopted from the archive."),
    "publish": gettext_lazy("Only adopted minutes can be published."),
    "supersede": gettext_lazy("Only published minutes can be superseded by a corrected record."),
}


def allowed(meeting, verb):
    """Whether `verb` may be applied to `meeting` in its current state (TRANSITIONS says which)."""
    return any(source == meeting.status and name == verb for (source, _target), name in TRANSITIONS.items())


def _check(meeting, target, verb):
    if TRANSITIONS.get((meeting.status, target)) != verb:
        raise TransitionError(str(REFUSALS[verb]))


def _refresh(meeting, locked):
    for field in (
        "status",
        "adopted_at_meeting_id",
        "silence_procedure_ends_at",
        "adoption_outcome",
        "adoption_corrections",
        "adopted_version_id",
        "adopted_record",
        "published_at",
        "updated_at",
    ):
        setattr(meeting, field, getattr(locked, field))
    return meeting


def _after_adoption(meeting):
    """Once the adoption is committed, render and store the official PDF. A failure is logged,
    not raised: the PDF view renders and stores the record on its first request instead."""
    transaction.on_commit(lambda meeting_id=meeting.pk: pdf.store_official_record(meeting_id), robust=True)


def _send_logged(func, *args):
    try:
        func(*args)
    except Exception:
        logger.exception("Sending %s failed after a committed change; the change stands.", func.__name__)


def _after_commit(func, *args):
    """Email once the change is committed. A failure (an SMTP server down) is logged and never
    turns the committed change into an error page."""
    transaction.on_commit(partial(_send_logged, func, *args), robust=True)


def _set_adoption(locked, version, *, at_meeting, silence_procedure_ends_at, outcome, corrections):
    """Adopt `version` of the locked minutes: the adopted record is that version's document plus
    the adoption, kept with the meeting so that nothing later changes what it says."""
    if (at_meeting is None) == (silence_procedure_ends_at is None):
        raise TransitionError(_("Minutes are adopted either at a later meeting or by silence procedure."))
    if at_meeting is not None and at_meeting.date <= locked.date:
        raise TransitionError(_("Minutes are adopted at a later meeting than the one they record."))
    if outcome not in Meeting.AdoptionOutcome.values:
        raise TransitionError(_("Choose how the minutes were adopted."))
    if corrections and outcome != Meeting.AdoptionOutcome.WITH_CORRECTIONS:
        raise TransitionError(_("Corrections go with the outcome “adopted with corrections”."))
    if version is None or version.meeting_id != locked.pk:
        raise TransitionError(_("Only a circulated version of these minutes can be adopted."))
    locked.status = Status.ADOPTED
    locked.adopted_at_meeting = at_meeting
    locked.silence_procedure_ends_at = silence_procedure_ends_at
    locked.adoption_outcome = outcome
    locked.adoption_corrections = corrections
    locked.adopted_version = version
    locked.adopted_record = record_json.adopted_document(locked, version)


def _cancel_running_silence(locked, now):
    SilenceProcedure.objects.filter(meeting=locked, status=SilenceProcedure.Status.RUNNING).update(
        status=SilenceProcedure.Status.CANCELLED, closed_at=now
    )


def _announcement_committed(meeting):
    """Public pages and the calendar show the change as soon as it commits."""
    transaction.on_commit(partial(calendar.announcement_changed.send, sender=Meeting, meeting=meeting))


def _refuse_taken_date(day, meeting=None):
    taken = Meeting.objects.filter(date=day)
    if meeting is not None:
        taken = taken.exclude(pk=meeting.pk)
    if taken.exists():
        raise TransitionError(_("There is already a meeting on this date."))


def _times_in_order(starts_at, ends_at):
    if starts_at and ends_at and ends_at <= starts_at:
        raise TransitionError(_("The meeting must end after it starts."))


@transaction.atomic
def announce(by, *, date, presidency, starts_at, ends_at=None, time_zone=None, venue="", remote_link=""):
    """Announce a meeting to come: it is public at once (its announcement only), with a provisional
    agenda built from the standard agenda, and coordinators are sent an invitation."""
    if date < timezone.localdate():
        raise TransitionError(_("A meeting is announced for today or a later day."))
    _times_in_order(starts_at, ends_at)
    _refuse_taken_date(date)
    meeting = drafting.create_meeting(
        by,
        date=date,
        presidency=presidency,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        # The workflow's fields, set here only.
        status=Status.ANNOUNCED,
        announced_at=timezone.now(),
        time_zone=time_zone or DEFAULT_TIME_ZONE,
        remote_link=remote_link,
    )
    audit.record(
        meeting,
        by,
        "announced",
        f"Announced the meeting of {date_format(date, 'j F Y')}, with a provisional agenda.",
        {"date": date.isoformat(), "time_zone": meeting.time_zone},
    )
    _announcement_committed(meeting)
    _after_commit(emails.notify_announced, meeting)
    return meeting


@transaction.atomic
def postpone(meeting, by, *, date, starts_at, ends_at=None):
    """Move an announced meeting to another day or time; coordinators are told and calendars update."""
    locked = _locked(meeting)
    _check(locked, Status.ANNOUNCED, "postpone")
    if date < timezone.localdate():
        raise TransitionError(_("A meeting is postponed to today or a later day."))
    _times_in_order(starts_at, ends_at)
    if (date, starts_at, ends_at) == (locked.date, locked.starts_at, locked.ends_at):
        raise TransitionError(_("Choose a new date or time: this is when the meeting is already announced."))
    _refuse_taken_date(date, locked)
    before = {"date": locked.date.isoformat(), "starts_at": _hhmm(locked.starts_at), "ends_at": _hhmm(locked.ends_at)}
    if date != locked.date and locked.postponed_from is None:
        locked.postponed_from = locked.date
    elif date == locked.postponed_from:
        locked.postponed_from = None  # back on the day first announced
    locked.date, locked.starts_at, locked.ends_at = date, starts_at, ends_at
    locked.ics_sequence += 1
    locked.save()
    after = {"date": date.isoformat(), "starts_at": _hhmm(starts_at), "ends_at": _hhmm(ends_at)}
    audit.record(
        locked,
        by,
        "postponed",
        f"Postponed to {date_format(date, 'j F Y')}.",
        audit.diff_fields(before, after, before.keys()),
    )
    _announcement_committed(locked)
    _after_commit(emails.notify_postponed, locked, before["date"])
    for field in ("date", "starts_at", "ends_at", "ics_sequence", "postponed_from"):
        setattr(meeting, field, getattr(locked, field))
    return _refresh(meeting, locked)


def _hhmm(value):
    return value.strftime("%H:%M") if value else ""


@transaction.atomic
def cancel(meeting, by, reason=""):
    """Call off an announced meeting: it stays public, and in calendars, as cancelled."""
    locked = _locked(meeting)
    _check(locked, Status.CANCELLED, "cancel")
    locked.status = Status.CANCELLED
    locked.ics_sequence += 1
    locked.save()
    audit.record(
        locked, by, "cancelled", "Cancelled the meeting.", {"reason": reason.strip()} if reason.strip() else {}
    )
    _announcement_committed(locked)
    _after_commit(emails.notify_cancelled, locked)
    meeting.ics_sequence = locked.ics_sequence
    return _refresh(meeting, locked)


@transaction.atomic
def start_drafting(meeting, by):
    """After the meeting, its minutes start from the provisional agenda as it stood (items, leads,
    the minutes it adopts) and the attendance sheet pre-filled from the committee: nothing retyped.
    The calendar entry keeps its UID and SEQUENCE; the public sees "minutes in preparation"."""
    locked = _locked(meeting)
    _check(locked, Status.DRAFT, "start_drafting")
    _refuse_unless_ready(locked, "start_drafting")
    locked.status = Status.DRAFT
    locked.save()
    audit.record(locked, by, "drafting.started", "Started drafting the minutes from the provisional agenda.")
    _announcement_committed(locked)
    return _refresh(meeting, locked)


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
    """Record minutes that were adopted before they came into the portal (the back catalogue): the
    record as entered is frozen as a version first, and that version is what is adopted."""
    locked = _locked(meeting)
    _check(locked, Status.ADOPTED, "enter_archived_adoption")
    version = _freeze_version(locked, by, comment_deadline=timezone.localdate(), from_archive=True)
    _set_adoption(
        locked,
        version,
        at_meeting=at_meeting,
        silence_procedure_ends_at=silence_procedure_ends_at,
        outcome=outcome,
        corrections=corrections,
    )
    # The archive's own text already says how it was adopted: no adoption item is written here.
    locked.save()
    audit.record(locked, by, "adopted", f"Entered as adopted from the archive: {locked.adoption_statement}.")
    _after_adoption(locked)
    return _refresh(meeting, locked)


@transaction.atomic
def circulate(meeting, by, comment_deadline):
    """Send the draft out for comments: freeze it as the next version. Returns that version."""
    locked = _locked(meeting)
    _check(locked, Status.CIRCULATED, "circulate")
    _refuse_unless_ready(locked, "circulate")
    if comment_deadline < timezone.localdate():
        raise TransitionError(_("The comment deadline cannot be in the past."))
    version = _freeze_version(locked, by, comment_deadline=comment_deadline)
    number = version.number
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


def _freeze_version(locked, by, *, comment_deadline, from_archive=False):
    """The record as it stands, frozen as the next numbered version (record_json's one document)."""
    number = (locked.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return MinutesVersion.objects.create(
        meeting=locked,
        number=number,
        circulated_by=by,
        comment_deadline=comment_deadline,
        snapshot=record_json.record_document(locked),
        from_archive=from_archive,
    )


def _write_adoption_item(meeting, at_meeting):
    """Write the adoption into the adopting meeting's item linked to these minutes
    (AgendaItem.minutes_to_adopt, the item's only identification), while that meeting's own record
    is still a draft: the item then says how they were adopted, corrections included. Symmetry
    note: whatever adopts at a meeting calls this, and only a draft's item is written."""
    if at_meeting.status != Status.DRAFT:
        return
    item = AgendaItem.objects.filter(meeting=at_meeting, minutes_to_adopt=meeting).order_by("position", "id").first()
    if item is None:
        return
    adoption = meeting.adopted_record["adoption"]
    with_corrections = meeting.adoption_outcome == Meeting.AdoptionOutcome.WITH_CORRECTIONS and adoption["corrections"]
    sentence = (
        f"The Minutes were adopted with the following corrections: {adoption['corrections']}"
        if with_corrections
        else "The Minutes were adopted as a correct record."
    )
    if sentence in item.body:
        return
    item.body = f"{item.body.rstrip()}\n\n{sentence}" if item.body.strip() else sentence
    item.revision += 1  # an editor open on this item must see the change, not overwrite it
    item.save(update_fields=["body", "revision"])


@transaction.atomic
def adopt(meeting, by, at_meeting, outcome=Meeting.AdoptionOutcome.CORRECT_RECORD, corrections=""):
    """Adopt circulated minutes at a later meeting, through its "Adoption of the Minutes" item."""
    locked = _locked(meeting)
    _check(locked, Status.ADOPTED, "adopt")
    if at_meeting is None:
        raise TransitionError(_("Choose the meeting at which the minutes were adopted."))
    at_status = Meeting.objects.select_for_update().get(pk=at_meeting.pk).status
    if at_status in (Status.ANNOUNCED, Status.CANCELLED):
        raise TransitionError(_("Minutes are adopted at a meeting that has taken place and is being minuted."))
    if at_status in (Status.ADOPTED, Status.PUBLISHED):
        raise TransitionError(
            _(
                "The minutes of the meeting of %(date)s are already adopted, so they can no longer record "
                "this adoption: choose a meeting whose minutes are still open."
            )
            % {"date": date_format(at_meeting.date, "j F Y")}
        )
    _refuse_unless_ready(locked, "adopt")
    # Minutes adopted here are adopted with their corrections written down; the back catalogue
    # (enter_archived_adoption) may only know that there were some.
    if outcome == Meeting.AdoptionOutcome.WITH_CORRECTIONS and not corrections.strip():
        raise TransitionError(_("Minutes adopted with corrections need the corrections written down."))
    # What is adopted is the version the coordinators had: the latest circulated one.
    _set_adoption(
        locked,
        locked.latest_version(),
        at_meeting=at_meeting,
        silence_procedure_ends_at=None,
        outcome=outcome,
        corrections=corrections,
    )
    _cancel_running_silence(locked, timezone.now())
    locked.save()
    _write_adoption_item(locked, at_meeting)
    audit.record(
        locked,
        by,
        "adopted",
        f"{locked.adoption_statement}.",
        {
            "outcome": outcome,
            "corrections": corrections,
            "at_meeting": at_meeting.date.isoformat(),
            "version": locked.adopted_version.number,
        },
    )
    _after_adoption(locked)
    _after_commit(emails.notify_adopted, locked)
    return _refresh(meeting, locked)


@transaction.atomic
def start_silence_procedure(meeting, by, ends_at):
    """Circulated minutes will be adopted at `ends_at` unless a coordinator breaks silence."""
    locked = _locked(meeting)
    # A silence procedure adopts the version under review: it may start wherever adopting may.
    if not allowed(locked, "adopt"):
        raise TransitionError(_("A silence procedure is started on circulated minutes only."))
    if ends_at <= timezone.now():
        raise TransitionError(_("A silence procedure ends in the future."))
    if ends_at < timezone.now() + SILENCE_MINIMUM:
        raise TransitionError(_("A silence procedure lasts at least 24 hours."))
    _refuse_unless_ready(locked, "adopt")
    if SilenceProcedure.objects.filter(meeting=locked, status=SilenceProcedure.Status.RUNNING).exists():
        raise TransitionError(_("A silence procedure is already running for these minutes."))
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
        raise TransitionError(_("This silence procedure is no longer running."))
    if not reason.strip():
        raise TransitionError(_("Say why you break silence."))
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
        raise TransitionError(_("This silence procedure is no longer running."))
    if locked.ends_at > now:
        raise TransitionError(_("This silence procedure has not ended yet."))
    _check(locked_meeting, Status.ADOPTED, "adopt")
    latest = locked_meeting.latest_version()
    if latest is None or locked.version_id != latest.pk:
        raise TransitionError(_("This silence procedure was on a version that is no longer the one under review."))
    _set_adoption(
        locked_meeting,
        locked.version,
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
    _refuse_unless_ready(locked, "publish")
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


def came_from_import(meeting):
    """Whether `meeting`'s record is a transcription of minutes adopted outside the portal: they
    were imported ("imported" in their audit trail) and what was adopted is the version frozen from
    the archive, never a version the coordinators reviewed here. Only such a transcription can be
    found to differ from its source."""
    version = meeting.adopted_version
    return bool(
        version is not None
        and version.from_archive
        and AuditEntry.objects.filter(meeting=meeting, action="imported").exists()
    )


def supersede_refusal(meeting):
    """Why `meeting`'s published record cannot be superseded by a corrected source, or None."""
    if not allowed(meeting, "supersede"):
        return str(REFUSALS["supersede"])
    if not came_from_import(meeting):
        return _(
            "These minutes were circulated and adopted in the portal: their record is what the Committee "
            "adopted, so no source can replace it. A correction of minutes adopted here is adopted by the "
            "Committee as a corrigendum."
        )
    return None


@transaction.atomic
def supersede(meeting, document, *, reason, by, source_name="", against=None):
    """Replace the published record of imported minutes, found to differ from their source, by the
    corrected record `document` (importer.superseding_document): a new record and a new signed PDF.
    The superseded record (its file, hash and JSON) is kept as a RecordSupersession with the reason,
    who and when; its file is never touched. The new PDF is stored last, so that a failure anywhere
    leaves the published record as it was. `against` is the fingerprint of the record the person saw
    the differences from; if the record changed since (superseded meanwhile), nothing is done.
    Returns the RecordSupersession."""
    locked = _locked(meeting)
    _check(locked, Status.PUBLISHED, "supersede")
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("Give the reason for the correction: it is published with the new record."))
    refusal = supersede_refusal(locked)
    if refusal:
        raise TransitionError(refusal)
    if document.get("meeting", {}).get("date") != locked.date.isoformat():
        raise TransitionError(_("The corrected record is of another meeting."))
    old = locked.adopted_record
    if against is not None and record_json.fingerprint(old) != against:
        raise TransitionError(
            _(
                "The published record changed after your preview (it was corrected meanwhile): upload the source "
                "again to see how it differs from the record as it is now."
            )
        )
    if record_json.same_record(old, document):
        raise TransitionError(_("The corrected source gives the same record as the published one: nothing to correct."))
    try:
        current = pdf.official_pdf(locked)
    except (pdf.PdfUnavailable, OSError) as exc:
        raise TransitionError(_("The published record's PDF cannot be read, so it cannot be superseded now.")) from exc
    current = OfficialRecord.objects.select_for_update().get(pk=current.pk)
    previous = locked.supersessions.order_by("-at", "-id").first()
    published_at = previous.at if previous else locked.published_at
    now = timezone.now()
    new_record = {
        **document,
        # The files the record lists are not in any source text: they stay listed, as they were.
        "documents": record_json.carried_documents(old, document),
        "version": old["version"],
        "adoption": old["adoption"],
        "supersedes": record_json.supersedes_block(
            sha256=current.sha256, published_at=published_at, reason=reason, superseded_at=now
        ),
    }
    locked.adopted_record = new_record  # in memory, for the rendering
    try:
        signed = pdf.render_signed(locked)
    except pdf.PdfUnavailable as exc:
        raise TransitionError(
            _("The corrected record could not be rendered as a PDF, so nothing was changed: %(problem)s")
            % {"problem": exc}
        ) from exc
    new_sha256 = hashlib.sha256(signed.content).hexdigest()
    supersession = RecordSupersession.objects.create(
        meeting=locked,
        file=current.file.name,
        sha256=current.sha256,
        size=current.size,
        signing_certificate=current.signing_certificate,
        published_at=published_at,
        record=old,
        new_sha256=new_sha256,
        reason=reason,
        source_name=source_name[:300],
        at=now,
        by=by if getattr(by, "is_authenticated", False) else None,
        by_name=(by.get_full_name() or by.get_username()) if getattr(by, "is_authenticated", False) else "",
    )
    Meeting.objects.filter(pk=locked.pk).replace_adopted_record(new_record)
    audit.record(
        locked,
        by,
        "record.superseded",
        f"Published record superseded by a corrected record: {reason}",
        {"reason": reason, "sha256": [current.sha256, new_sha256], "source": source_name},
    )
    # The public side reads the new record at once: search, and the page caches (portal/caching.py).
    search.index_meeting(locked)
    minutes_published.send(sender=Meeting, meeting=locked)
    transaction.on_commit(partial(minutes_published.send, sender=Meeting, meeting=locked))
    pdf.replace_official_file(current, signed)
    _refresh(meeting, locked)
    return supersession
