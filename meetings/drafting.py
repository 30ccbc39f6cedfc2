"""Drafting a meeting's record: the standard agenda, the attendance sheet, item edits checked
against the revision they started from (no lost edits), structure changes and follow-ups.
Each change runs in one transaction with its audit row."""

import re
from functools import partial

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delegations.models import CoordinatorRole, Delegation, Representative, ThematicArea
from meetings import audit, calendar, versions
from meetings.markup import render_markdown
from meetings.models import (
    MAX_ITEM_DEPTH,
    ActionPoint,
    ActionPointFollowUp,
    AgendaItem,
    Attendance,
    Attendee,
    Decision,
    ItemLead,
    Meeting,
)

# Agenda titles are the record's own words (kept in English, as the minutes are written).
WELCOME = "Welcome Remarks"
ADOPTION = "Adoption of the Minutes of the previous meeting"
PRESIDENCY_UPDATE = "Update by the Presidency"
COORDINATORS_UPDATE = "Update by the Coordinators"
ISU_UPDATE = "Update by the Implementation Support Unit"
AOB = "Any Other Business"
NEXT_MEETING = "Date of the Next Meeting"
NEW_ITEM = "New item"

# The standard agenda's items that may stay empty in the record: no other business is news too.
OPTIONAL_ITEMS = (AOB,)
# What the standard agenda and the editor put in for a person to replace, and the usual
# drafting placeholders: a record that still holds one is not ready to go out.
PLACEHOLDER_TITLES = (NEW_ITEM,)
PLACEHOLDER_RE = re.compile(
    r"\[(?:…|\.\.\.|representatives not recorded)\]"  # an ellipsis in brackets
    r"|\bTB[ACD]\b|\bX{2,}\b"  # "to be confirmed/decided/announced", "XX"
    r"|\*\*text\*\*|(?<!\*)\*text\*(?!\*)"  # the editor's bold / italic buttons with nothing selected
)

OBSERVER_KINDS = (Delegation.Kind.INTERNATIONAL_ORGANISATION, Delegation.Kind.CIVIL_SOCIETY)
# A delegation not marked on the sheet: not recorded, so not in the record.
ABSENT = "absent"
PRESENT_NEEDS_NAMES = gettext_lazy(
    "A delegation marked present needs at least one representative: tick who came, or add them."
)

ATTENDANCE_AFTER_MEETING = gettext_lazy(
    "Attendance is recorded once the meeting has taken place: start drafting its minutes first."
)

MEETING_FIELDS = ("date", "starts_at", "ends_at", "venue", "presidency")
# Edited with them while the meeting is announced.
ANNOUNCEMENT_FIELDS = ("time_zone", "remote_link")


class DraftingError(Exception):
    """A change the drafting rules refuse; its message is meant for the user."""


class Conflict(Exception):
    """Someone saved the record after this form was opened. Carries the record as saved now and,
    per field, the text the form started from and the text saved meanwhile."""

    def __init__(self, current, snapshot, changes):
        super().__init__(_("Someone else saved this in the meantime."))
        self.current = current
        self.snapshot = snapshot
        self.changes = changes


def _conflict_changes(started, saved):
    return [
        {
            "field": field,
            "started": started.get(field, ""),
            "saved": value,
            "diff": versions.diff_html(started.get(field), value),
        }
        for field, value in saved.items()
        if started.get(field) is not None and str(started.get(field)) != str(value)
    ]


# The meeting and the standard agenda


def meeting_snapshot(meeting):
    return {
        "date": meeting.date.isoformat() if meeting.date else "",
        "starts_at": meeting.starts_at.strftime("%H:%M") if meeting.starts_at else "",
        "ends_at": meeting.ends_at.strftime("%H:%M") if meeting.ends_at else "",
        "venue": meeting.venue,
        "presidency": str(meeting.presidency) if meeting.presidency_id else "",
    }


def minutes_to_adopt_for(day):
    """The latest earlier meeting whose minutes are not yet adopted, whatever its presidency."""
    return (
        Meeting.objects.filter(date__lt=day, status__in=[Meeting.Status.DRAFT, Meeting.Status.CIRCULATED])
        .order_by("-date")
        .first()
    )


def _coordinator_roles(presidency):
    return list(CoordinatorRole.objects.filter(presidency=presidency).select_related("thematic_area", "delegation"))


@transaction.atomic
def create_meeting(by, *, date, presidency, starts_at=None, ends_at=None, venue="", **announcement):
    """A new draft meeting with the standard agenda. `announcement` holds the fields that
    workflow.announce sets (status, announced_at, time_zone, remote_link), and only it passes them."""
    meeting = Meeting.objects.create(
        date=date, starts_at=starts_at, ends_at=ends_at, venue=venue, presidency=presidency, **announcement
    )
    previous = minutes_to_adopt_for(date)
    adoption_title = ADOPTION
    if previous:
        adoption_title = f"Adoption of the Minutes of the meeting of {date_format(previous.date, 'j F Y')}"

    position = iter(range(1, 100))

    def item(title, parent=None, **extra):
        return AgendaItem.objects.create(meeting=meeting, parent=parent, position=next(position), title=title, **extra)

    item(WELCOME)
    item(adoption_title, minutes_to_adopt=previous)
    item(PRESIDENCY_UPDATE)
    coordinators = item(COORDINATORS_UPDATE)
    roles = _coordinator_roles(presidency)
    by_area = {}
    for role in roles:
        by_area.setdefault(role.thematic_area, []).append(role.delegation)
    areas = by_area.keys() if by_area else ThematicArea.objects.all()
    leads = []
    for area in areas:
        sub = item(area.name, parent=coordinators)
        leads += [ItemLead(agenda_item=sub, delegation=d, position=i) for i, d in enumerate(by_area.get(area, []))]
    ItemLead.objects.bulk_create(leads)
    item(ISU_UPDATE)
    item(AOB)
    item(NEXT_MEETING)
    audit.record(
        meeting,
        by,
        "meeting.created",
        f"Created the meeting of {date_format(date, 'j F Y')} from the standard agenda",
        {f: [None, v] for f, v in meeting_snapshot(meeting).items() if v},
    )
    return meeting


def _lock_draft(meeting_id):
    """Lock the meeting and check, under that lock, that its minutes are still a draft (or the
    meeting announced, its provisional agenda being prepared): circulated and adopted minutes
    refuse every change (RecordFrozen, a 403 on the pages). Taken first by every change below, so
    that the meeting's row is always locked before any of its parts."""
    try:
        locked = Meeting.objects.lock_for_drafting(meeting_id)
    except Meeting.DoesNotExist:
        raise DraftingError(_("Someone removed this while you were editing it; your text was not saved.")) from None
    if locked.status == Meeting.Status.ANNOUNCED:
        announcement_changed(locked)
    return locked


def announcement_changed(locked):
    """An announced meeting's details or agenda change: its calendar entry's SEQUENCE goes up (so
    calendars take the change) and public pages cached before it are stale once it commits. Rolled
    back with the change if it is refused."""
    Meeting.objects.filter(pk=locked.pk).update(ics_sequence=F("ics_sequence") + 1, updated_at=timezone.now())
    locked.ics_sequence += 1
    transaction.on_commit(partial(calendar.announcement_changed.send, sender=Meeting, meeting=locked))


def _lock_and_check(model, pk, revision, field="revision"):
    locked = model.objects.select_for_update().filter(pk=pk).first()
    if locked is None:
        raise DraftingError(_("Someone removed this while you were editing it; your text was not saved."))
    return locked, getattr(locked, field) == revision


@transaction.atomic
def save_meeting(meeting, by, revision, started, data):
    """Save the meeting's own fields if nobody saved them since `revision`; else raise Conflict."""
    announced = _lock_draft(meeting.pk).status == Meeting.Status.ANNOUNCED
    locked, fresh = _lock_and_check(Meeting, meeting.pk, revision)
    before = meeting_snapshot(locked)
    if not fresh:
        raise Conflict(locked, before, _conflict_changes(started, before))
    if announced and data["date"] != locked.date:
        raise DraftingError(
            _("An announced meeting moves to another day by postponing it, so that coordinators are told.")
        )
    fields = [*MEETING_FIELDS, *(f for f in ANNOUNCEMENT_FIELDS if announced and f in data)]
    before.update({f: getattr(locked, f) for f in fields if f not in before})
    for field in fields:
        setattr(locked, field, data[field])
    values = {f: data[f] for f in fields}
    if locked.announced_at:
        # Its public page and calendar entry show these details: cached copies are stale.
        values["updated_at"] = timezone.now()
    # The conditional UPDATE holds the rule even where the row lock is a no-op (SQLite).
    updated = Meeting.objects.filter(pk=locked.pk, revision=revision).update(**values, revision=revision + 1)
    if not updated:
        raise Conflict(locked, before, _conflict_changes(started, before))
    locked.revision = revision + 1
    after = {**meeting_snapshot(locked), **{f: getattr(locked, f) for f in fields if f in ANNOUNCEMENT_FIELDS}}
    changes = audit.diff_fields(before, after, before.keys())
    if changes:
        audit.record(locked, by, "meeting.changed", "Changed the meeting's details", changes)
    return locked


# The attendance sheet


def committee(meeting):
    """[(delegation, label)] in the record's order: the presidency, the coordinators, the
    observers, the ISU last."""
    presidency = meeting.presidency
    rows = [(presidency.delegation, f"{presidency.delegation.name} – {presidency.name} Presidency")]
    seen = {presidency.delegation_id}
    for role in _coordinator_roles(presidency):
        if role.delegation_id not in seen:
            rows.append((role.delegation, ""))
            seen.add(role.delegation_id)
    others = Delegation.objects.filter(kind__in=[*OBSERVER_KINDS, Delegation.Kind.SECRETARIAT]).exclude(pk__in=seen)
    observers = sorted(others, key=lambda d: (d.kind == Delegation.Kind.SECRETARIAT, d.name))
    rows += [(d, "") for d in observers]
    return rows


def attendance_sheet(meeting):
    """Initial rows for the sheet: who is recorded, then the rest of the committee, not recorded
    until someone marks them (on a fresh sheet, with who came last time ticked in advance)."""
    recorded = meeting.attendance_list()
    rows = []
    for row in recorded:
        attendees = list(row.attendees.all())
        rows.append(
            {
                "delegation": row.delegation,
                "label": row.label,
                "status": row.status,
                "representatives": [a.representative for a in attendees],
                "remote": [a.representative for a in attendees if a.remote],
            }
        )
    listed = {row.delegation_id for row in recorded}
    # On a fresh sheet, tick who came for each delegation at the last meeting with an attendance.
    last_time = {}
    if not recorded:
        previous = Meeting.objects.filter(date__lt=meeting.date, attendance__isnull=False).order_by("-date").first()
        if previous is not None:
            last_time = {
                row.delegation_id: list(row.attendees.all())
                for row in previous.attendance_list()
                if row.status == Attendance.Status.PRESENT
            }
    for delegation, label in committee(meeting):
        if delegation.pk not in listed:
            people = last_time.get(delegation.pk, [])
            rows.append(
                {
                    "delegation": delegation,
                    "label": label,
                    "status": ABSENT,
                    "representatives": [a.representative for a in people],
                    "remote": [a.representative for a in people if a.remote],
                }
            )
    return rows


def representatives_by_delegation(delegation_ids):
    reps = {}
    for rep in Representative.objects.filter(delegation_id__in=delegation_ids).order_by("name"):
        reps.setdefault(rep.delegation_id, []).append(rep)
    return reps


def _attendance_summary(meeting):
    summary = {}
    for row in meeting.attendance_list():
        people = ", ".join(f"{a}{' (remote)' if a.remote else ''}" for a in row.attendees.all())
        summary[row.display_name] = f"{row.get_status_display()}{': ' + people if people else ''}"
    return summary


@transaction.atomic
def save_attendance(meeting, by, revision, rows):
    """Replace the attendance with the sheet's rows, in order. Each row: delegation, status
    (present, apologies or absent), label, representatives (in order), remote (a subset), and
    optionally new_name/new_honorific/new_remote for a person added inline."""
    if _lock_draft(meeting.pk).status == Meeting.Status.ANNOUNCED:
        raise DraftingError(ATTENDANCE_AFTER_MEETING)
    locked, fresh = _lock_and_check(Meeting, meeting.pk, revision, "attendance_revision")
    if not fresh or not Meeting.objects.filter(pk=locked.pk, attendance_revision=revision).update(
        attendance_revision=revision + 1
    ):
        raise Conflict(locked, {}, [])
    before = _attendance_summary(locked)
    Attendee.objects.filter(attendance__meeting=locked).delete()
    Attendance.objects.filter(meeting=locked).delete()
    attendees = []
    position = 0
    for row in rows:
        if row.get("status", ABSENT) == ABSENT or row.get("delegation") is None:
            continue
        position += 1
        attendance = Attendance.objects.create(
            meeting=locked,
            delegation=row["delegation"],
            status=row["status"],
            label=row.get("label", ""),
            position=position,
        )
        if row["status"] != Attendance.Status.PRESENT:
            continue
        people = [(rep, rep in row.get("remote", [])) for rep in row.get("representatives", [])]
        if not people and not row.get("new_name"):
            raise DraftingError(PRESENT_NEEDS_NAMES)
        if row.get("new_name"):
            rep, _created = Representative.objects.get_or_create(
                delegation=row["delegation"],
                name=row["new_name"],
                defaults={"honorific": row.get("new_honorific", "")},
            )
            if rep not in [p for p, _remote in people]:
                people.append((rep, bool(row.get("new_remote"))))
        for rep_position, (rep, remote) in enumerate(people, start=1):
            honorific = rep.honorific
            if rep.name == row.get("new_name") and row.get("new_honorific"):
                honorific = row["new_honorific"]
            attendees.append(
                Attendee(
                    attendance=attendance, representative=rep, honorific=honorific, remote=remote, position=rep_position
                )
            )
    Attendee.objects.bulk_create(attendees)
    locked.attendance_revision = revision + 1
    after = _attendance_summary(locked)
    changes = audit.diff_fields(before, after, sorted(before.keys() | after.keys()))
    if changes:
        audit.record(locked, by, "attendance.changed", "Changed the attendance", changes)
    return locked


# Agenda items


def item_snapshot(item):
    """The item's text as a person reads it, for conflict diffs and audit rows."""
    points = []
    for point in item.action_points.all():
        owners = ", ".join(o.name for o in point.owners.all())
        due = f"; due {point.due_display}" if point.due_display else ""
        points.append(f"{point.text} — {owners}{due}; {point.get_status_display().lower()}")
    return {
        "title": item.title,
        "leads": " & ".join(link.delegation.name for link in item.lead_links.all()),
        "body": item.body,
        "action_points": "\n".join(points),
        "decisions": "\n".join(d.text for d in item.decisions.all()),
    }


def load_item(meeting, item_id):
    """One item of this meeting with what its editor and snapshot need, or None."""
    from django.db.models import Prefetch

    return (
        AgendaItem.objects.filter(meeting=meeting, pk=item_id)
        .select_related("meeting", "parent", "minutes_to_adopt")
        .prefetch_related(
            Prefetch("lead_links", queryset=ItemLead.objects.select_related("delegation")),
            Prefetch("action_points", queryset=ActionPoint.objects.prefetch_related("owners")),
            "decisions",
        )
        .first()
    )


def _save_rows(item, model, rows, fields):
    """Apply formset rows: each a dict with "id" (an instance or None), "DELETE" and `fields`."""
    position = 0
    for row in rows:
        if not row:
            continue
        instance = row.get("id")
        if row.get("DELETE"):
            if instance is not None:
                instance.delete()
            continue
        position += 1
        instance = instance or model(agenda_item=item)
        for field in fields:
            setattr(instance, field, row[field])
        instance.position = position
        instance.save()
        if "owners" in row:
            instance.owners.set(row["owners"])


@transaction.atomic
def save_item(item, by, revision, started, *, title, body, leads, action_points=(), decisions=()):
    """Save an item, its leads, action points and decisions if nobody saved it since
    `revision`; else raise Conflict with what changed meanwhile."""
    _lock_draft(item.meeting_id)
    locked, fresh = _lock_and_check(AgendaItem, item.pk, revision)
    current = load_item(item.meeting_id, item.pk)
    before = item_snapshot(current)
    if not fresh:
        raise Conflict(current, before, _conflict_changes(started, before))
    updated = AgendaItem.objects.filter(pk=item.pk, revision=revision).update(
        title=title, body=body, body_html=render_markdown(body), revision=revision + 1
    )
    if not updated:
        raise Conflict(current, before, _conflict_changes(started, before))
    if [link.delegation_id for link in current.lead_links.all()] != [d.pk for d in leads]:
        ItemLead.objects.filter(agenda_item=current).delete()
        ItemLead.objects.bulk_create(
            [ItemLead(agenda_item=current, delegation=d, position=i) for i, d in enumerate(leads)]
        )
    rows = [row for row in [*action_points, *decisions] if row]
    _save_rows(current, ActionPoint, action_points, ("text", "due_on", "due_at_next_meeting", "status"))
    _save_rows(current, Decision, decisions, ("text",))
    if rows:
        after_item = load_item(item.meeting_id, item.pk)
        after = item_snapshot(after_item)
    else:  # nothing under the item changed: no need to read it back
        after_item = current
        after_item.title, after_item.body, after_item.revision = title, body, revision + 1
        after_item.body_html = render_markdown(body)
        after = {**before, "title": title, "body": body, "leads": " & ".join(d.name for d in leads)}
    changes = audit.diff_fields(before, after, before.keys())
    if changes:
        audit.record(
            after_item.meeting,
            by,
            "item.changed",
            f"Changed item “{after_item.title}”"[:500],
            {"item": [item.pk, item.pk], **changes},
        )
    return after_item


def _siblings(meeting, parent_id):
    return list(AgendaItem.objects.filter(meeting=meeting, parent_id=parent_id).order_by("position", "id"))


@transaction.atomic
def add_item(meeting, by, parent=None, title=NEW_ITEM):
    _lock_draft(meeting.pk)
    if parent is not None and parent.parent_id is not None:
        raise DraftingError(
            _("Items nest %(depth)s levels deep at most (5 and 5.1, not 5.1.1).") % {"depth": MAX_ITEM_DEPTH}
        )
    last = AgendaItem.objects.filter(meeting=meeting, parent=parent).aggregate(Max("position"))["position__max"]
    item = AgendaItem.objects.create(meeting=meeting, parent=parent, title=title, position=(last or 0) + 1)
    where = f" under “{parent.title}”" if parent else ""
    audit.record(
        meeting, by, "item.added", f"Added an item{where}"[:500], {"item": [None, item.pk], "title": [None, title]}
    )
    return item


@transaction.atomic
def remove_item(item, by):
    meeting = _lock_draft(item.meeting_id)
    subs = list(item.sub_items.values_list("title", flat=True))
    changes = {"item": [item.pk, None], "title": [item.title, None], "body": [item.body, None]}
    if subs:
        changes["sub_items"] = [subs, None]
    audit.record(meeting, by, "item.removed", f"Removed item “{item.title}”"[:500], changes)
    item.delete()


@transaction.atomic
def move_item(item, by, direction):
    _lock_draft(item.meeting_id)
    siblings = _siblings(item.meeting_id, item.parent_id)
    index = next(i for i, s in enumerate(siblings) if s.pk == item.pk)
    target = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= target < len(siblings):
        raise DraftingError(
            _("This item cannot move further up.") if direction == "up" else _("This item cannot move further down.")
        )
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        sibling.position = position
    AgendaItem.objects.bulk_update(siblings, ["position"])
    audit.record(
        item.meeting,
        by,
        "item.moved",
        f"Moved item “{item.title}” {direction}"[:500],
        {"item": [item.pk, item.pk], "position": [index + 1, target + 1]},
    )


# Follow-ups of earlier action points


def open_action_points(meeting):
    """Action points still open from meetings before this one and not yet followed up at this
    one, oldest first."""
    return (
        followable_action_points(meeting)
        .filter(tracking_status=ActionPoint.Status.OPEN)
        .exclude(follow_ups__meeting=meeting)
    )


def followable_action_points(meeting):
    """What this meeting may record a follow-up on: earlier action points still open, or already
    followed up here (to correct the note)."""
    return (
        ActionPoint.objects.filter(agenda_item__meeting__date__lt=meeting.date)
        .with_tracking_status(ActionPointFollowUp.objects.filter(meeting__date__lt=meeting.date))
        .filter(Q(tracking_status=ActionPoint.Status.OPEN) | Q(follow_ups__meeting=meeting))
        .distinct()
        .select_related("agenda_item__meeting")
        .prefetch_related("owners")
        .order_by("agenda_item__meeting__date", "agenda_item_id", "position", "id")
    )


@transaction.atomic
def record_follow_up(meeting, by, action_point, note, status):
    """Record what this meeting says about an earlier action point. The action point itself is the
    earlier record and stays as written: its tracking status follows from the follow-ups."""
    _lock_draft(meeting.pk)
    raised = action_point.agenda_item.meeting
    if raised.date >= meeting.date:
        raise DraftingError(_("A follow-up is recorded at a meeting after the one that raised it."))
    earlier = ActionPointFollowUp.objects.filter(meeting__date__lt=meeting.date)
    old_status = ActionPoint.objects.with_tracking_status(earlier).get(pk=action_point.pk).tracking_status
    follow_up, created = ActionPointFollowUp.objects.update_or_create(
        action_point=action_point, meeting=meeting, defaults={"note": note, "status": status}
    )
    audit.record(
        meeting,
        by,
        "follow_up.recorded",
        f"Followed up the action point “{action_point.text[:80]}” of {date_format(raised.date, 'j F Y')}",
        {"action_point": [action_point.pk, action_point.pk], "status": [old_status, status], "note": [None, note]},
    )
    return follow_up
