"""Checking a ParsedMinutes against the portal and writing it as a record, one transaction per file."""

import re
from datetime import date, datetime, time

from django.db import DataError, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delegations.models import Delegation, Presidency, Representative
from meetings import audit, workflow
from meetings.importer.names import person_key
from meetings.importer.parsing import PREVIOUS_MINUTES_RE, adopted_minutes
from meetings.importer.problems import ImportProblem
from meetings.importer.record import ATTACHMENT, normalised
from meetings.models import ActionPoint, AgendaItem, Attendance, Attendee, Decision, ItemLead, Meeting
from meetings.record_json import record_document


def adopting_meeting(minutes_date):
    """The later meeting in the portal whose adopted minutes have an "Adoption of the Minutes" item
    naming `minutes_date`, with the outcome it recorded, or (None, None)."""
    items = (
        AgendaItem.objects.filter(
            meeting__date__gt=minutes_date, meeting__status__in=[Meeting.Status.ADOPTED, Meeting.Status.PUBLISHED]
        )
        .select_related("meeting")
        .order_by("meeting__date")
    )
    for item in items:
        if PREVIOUS_MINUTES_RE.search(item.title):
            found = adopted_minutes(item.title, item.body, item.meeting.date)
            if found and found["date"] == minutes_date.isoformat():
                return item.meeting, found["outcome"]
    return None, None


def check(parsed, *, create_delegations=False):
    """Problems that stop a write, as ImportProblem; nothing when the record can be written."""

    if parsed.unknown_delegations and not create_delegations:
        names = ", ".join(parsed.unknown_delegations)
        raise ImportProblem(
            _("known delegations; unknown: {names} (create them with --create-delegations)").format(names=names)
        )
    if Presidency.objects.current(parsed.date) is None:
        raise ImportProblem(
            _("a presidency whose term covers {date}; add it in the admin first").format(date=parsed.date)
        )


def _guess_kind(name):

    if re.search(r"\b(isu|secretariat)\b", name, re.I):
        return Delegation.Kind.SECRETARIAT
    if name.isupper():
        return Delegation.Kind.INTERNATIONAL_ORGANISATION
    return Delegation.Kind.STATE_PARTY


def write(
    parsed,
    *,
    status="draft",
    create_delegations=False,
    replace=False,
    adopted_at=None,
    silence_procedure_ends=None,
    by=None,
):
    """Save the parsed minutes in one transaction and return the meeting.

    status "draft" saves a draft. "adopted" and "published" also need how the minutes were
    adopted: `adopted_at` (the date of a later meeting already in the portal) or
    `silence_procedure_ends` (a date); the importer never invents an adoption.
    """

    if status not in ("draft", "adopted", "published"):
        raise ImportProblem(_("a status of draft, adopted or published, not {status!r}").format(status=status))
    if status != "draft" and adopted_at is not None and silence_procedure_ends is not None:
        raise ImportProblem(_("one way of adoption: --adopted-at or --silence-procedure-ends, not both"))
    if status != "draft" and adopted_at is None and silence_procedure_ends is None:
        at_meeting = adopting_meeting(parsed.date)[0]
        if at_meeting is not None:
            adopted_at = at_meeting.date
            parsed.warnings.append(
                _("Recorded as adopted at the meeting of {adopted_at}, whose adopted minutes say so.").format(
                    adopted_at=adopted_at
                )
            )
    if status != "draft" and (adopted_at is None) == (silence_procedure_ends is None):
        raise ImportProblem(
            _(
                "how these minutes were adopted, to import them as {status}: give the "
                "later meeting that adopted them (--adopted-at YYYY-MM-DD) or the end "
                "of the silence procedure (--silence-procedure-ends YYYY-MM-DD)"
            ).format(status=status)
        )
    check(parsed, create_delegations=create_delegations)
    try:
        return _write(parsed, status, create_delegations, replace, adopted_at, silence_procedure_ends, by)
    except (IntegrityError, DataError) as exc:
        # A concurrent import of the same date, or a value the database refuses: nothing was written.
        raise ImportProblem(
            _("a record the database accepts, but it refused this one ({exc})").format(exc=exc)
        ) from None


def _write(parsed, status, create_delegations, replace, adopted_at, silence_procedure_ends, by):

    with transaction.atomic():
        existing = Meeting.objects.select_for_update().filter(date=parsed.date).first()
        if existing:
            if not replace:
                raise ImportProblem(
                    _(
                        "minutes not yet in the portal, but the meeting of {date} is already "
                        "there (--replace replaces a draft)"
                    ).format(date=parsed.date)
                )
            if existing.status != Meeting.Status.DRAFT:
                raise ImportProblem(
                    _("a draft to replace, but the minutes of {date} are {status}").format(
                        date=parsed.date, status=existing.get_status_display().lower()
                    )
                )
            replaced = {
                "items": existing.agenda_items.count(),
                "attendance": existing.attendance.count(),
            }
            existing.agenda_items.all().delete()
            existing.attendance.all().delete()
        delegations = {d.name: d for d in Delegation.objects.all()}
        for name in parsed.unknown_delegations:
            if name not in delegations:
                delegations[name] = Delegation.objects.create(name=name, kind=_guess_kind(name))
        meeting = existing or Meeting(date=parsed.date)
        info = parsed.meeting
        meeting.starts_at = info["start"] and time.fromisoformat(info["start"])
        meeting.ends_at = info["end"] and time.fromisoformat(info["end"])
        meeting.venue = info["venue"]
        meeting.presidency = Presidency.objects.current(parsed.date)
        meeting.save()
        if existing:
            audit.record(
                meeting,
                by,
                "import.replaced",
                "Replaced the draft with imported minutes; its items and attendance were removed.",
                {"items": [replaced["items"], None], "attendance": [replaced["attendance"], None]},
            )

        # The portal's own record names people exactly; text is matched tolerantly ("Sheila N. Mweemba").
        exact = parsed.origin == ATTACHMENT
        key_of = (lambda name: name) if exact else person_key
        people = {}
        for rep in Representative.objects.filter(delegation__in=delegations.values()):
            people.setdefault((rep.delegation_id, key_of(rep.name)), rep)
        attendees = []
        for position, row in enumerate(parsed.attendance, start=1):
            delegation = delegations[row["delegation"]]
            attendance = Attendance.objects.create(
                meeting=meeting, delegation=delegation, status=row["status"], label=row["label"], position=position
            )
            seen = set()
            for rep_position, person in enumerate(row["representatives"], start=1):
                key = (delegation.pk, key_of(person["name"]))
                representative = people.get(key)
                if representative is None:
                    representative = Representative.objects.create(
                        delegation=delegation, name=person["name"], honorific=person["honorific"]
                    )
                    people[key] = representative
                elif representative.name != person["name"]:
                    parsed.warnings.append(
                        _(
                            '"{name}" is taken to be {known} of {delegation}, already in the '
                            "portal; the page shows that name."
                        ).format(name=person["name"], known=representative.name, delegation=delegation.name)
                    )
                if representative.pk in seen:
                    parsed.warnings.append(
                        _('"{name}" is listed twice for {delegation}; once kept.').format(
                            name=person["name"], delegation=delegation.name
                        )
                    )
                    continue
                seen.add(representative.pk)
                attendees.append(
                    Attendee(
                        attendance=attendance,
                        representative=representative,
                        honorific=person["honorific"],
                        remote=person["remote"],
                        position=rep_position,
                    )
                )
        Attendee.objects.bulk_create(attendees)
        parents = {}
        positions = {}
        for entry in parsed.items:
            top, _dot, sub = entry["number"].partition(".")
            parent = parents.get(top) if sub else None
            positions[parent] = positions.get(parent, 0) + 1
            item = AgendaItem.objects.create(
                meeting=meeting, parent=parent, position=positions[parent], title=entry["title"], body=entry["body"]
            )
            if not sub:
                parents[top] = item
            for lead_position, name in enumerate(dict.fromkeys(entry["leads"])):
                ItemLead.objects.create(agenda_item=item, delegation=delegations[name], position=lead_position)
            for position, text in enumerate(entry.get("decisions", []), start=1):
                Decision.objects.create(agenda_item=item, text=text, position=position)
            for position, point in enumerate(entry.get("action_points", []), start=1):
                due = point.get("due")
                action_point = ActionPoint.objects.create(
                    agenda_item=item,
                    text=point["text"],
                    due_at_next_meeting=due == "next meeting",
                    due_on=date.fromisoformat(due) if due and due != "next meeting" else None,
                    status=point.get("status") or ActionPoint.Status.OPEN,
                    position=position,
                )
                action_point.owners.set([delegations[name] for name in point.get("owners", [])])
        if exact:
            _check_equal(parsed, meeting)
        audit.record(
            meeting,
            by,
            "imported",
            f"Imported the minutes: {len(parsed.attendance)} attendance rows, {len(parsed.items)} items.",
            {"attendance": [None, len(parsed.attendance)], "items": [None, len(parsed.items)]},
        )

        if status != "draft":
            at_meeting = None
            if adopted_at is not None:
                at_meeting = Meeting.objects.filter(date=adopted_at).first()
                if at_meeting is None:
                    raise ImportProblem(
                        _("the meeting of {adopted_at} that adopted these minutes in the portal").format(
                            adopted_at=adopted_at
                        )
                    )
            ends = silence_procedure_ends and timezone.make_aware(
                datetime.combine(silence_procedure_ends, time(23, 59))
            )
            try:
                outcome = Meeting.AdoptionOutcome.CORRECT_RECORD
                if at_meeting is not None:
                    outcome = adopting_meeting(parsed.date)[1] or outcome
                workflow.enter_archived_adoption(
                    meeting, at_meeting=at_meeting, silence_procedure_ends_at=ends, outcome=outcome, by=by
                )
                if status == "published":
                    workflow.publish(meeting, by=by)
            except workflow.TransitionError as exc:
                raise ImportProblem(str(exc)) from None
        link_previous_minutes(parsed, meeting, by=by)
    return meeting


# What a record read from minutes.json must give back unchanged, field for field.
COMPARED_MEETING_FIELDS = ("date", "starts_at", "ends_at", "venue")


def _comparable(record):
    meeting = record.get("meeting") or {}

    def item(entry):
        return {
            "title": entry.get("title"),
            "leads": entry.get("leads", []),
            "body": entry.get("body"),
            "decisions": [d.get("text") if isinstance(d, dict) else d for d in entry.get("decisions", [])],
            "action_points": [
                {"text": p.get("text"), "owners": p.get("owners", []), "due": p.get("due")}
                for p in entry.get("action_points", [])
            ],
            "items": [item(child) for child in entry.get("items", [])],
        }

    return {
        "meeting": {key: meeting.get(key) for key in COMPARED_MEETING_FIELDS},
        "attendance": [
            {
                "delegation": row.get("delegation"),
                "label": row.get("label") or row.get("delegation"),
                "representatives": [
                    {"honorific": p.get("honorific"), "name": p.get("name"), "remote": bool(p.get("remote"))}
                    for p in row.get("representatives", [])
                ],
            }
            for row in record.get("attendance", [])
            if row.get("status", "present") == "present"
        ],
        "apologies": [
            a.get("label") or a.get("delegation") if isinstance(a, dict) else a for a in record.get("apologies", [])
        ],
        "items": [item(entry) for entry in record.get("items", [])],
    }


def _check_equal(parsed, meeting):
    """Refuse (and so roll back) a record read from minutes.json that does not come out equal to it."""
    written = record_document(meeting)
    original, copy = _comparable(normalised(parsed.record)), _comparable(normalised(written))
    if original != copy:
        differing = [key for key in original if original[key] != copy[key]]
        raise ImportProblem(
            _("a record equal to the PDF's minutes.json, but it differs in: {fields}").format(
                fields=", ".join(differing)
            )
        )
    parsed.exact = True


def link_previous_minutes(parsed, meeting, *, by=None):
    """Record that `meeting` adopted the earlier minutes it names, when that is safe to say."""

    previous = parsed.previous_minutes
    if not previous:
        return None
    earlier = Meeting.objects.filter(date=previous["date"]).first()
    day = previous["date"]
    if earlier is None:
        parsed.warnings.append(
            _("The minutes of {day} adopted here are not in the portal; adoption not linked.").format(day=day)
        )
    elif not meeting.is_adopted:
        parsed.warnings.append(
            _(
                "The minutes of {day} are adopted by this meeting; that is recorded "
                "once this meeting's own minutes are imported as adopted or published."
            ).format(day=day)
        )
    elif earlier.status != Meeting.Status.DRAFT:
        parsed.warnings.append(
            _("The minutes of {day} are already {status}; unchanged.").format(
                day=day, status=earlier.get_status_display().lower()
            )
        )
    else:
        workflow.enter_archived_adoption(earlier, at_meeting=meeting, outcome=previous["outcome"], by=by)
        return earlier
    return None
