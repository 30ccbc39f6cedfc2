"""The minutes as data: the `minutes.json` that the PDF carries, built from the record alone (no
clock, no site address) so that the same record always gives the same bytes."""

import json

FORMAT = "ccm-portal/minutes/1"


def _person(attendee):
    return {
        "honorific": attendee.honorific,
        "name": attendee.representative.name,
        "remote": attendee.remote,
    }


def _due(point):
    if point.due_on:
        return point.due_on.isoformat()
    return "next meeting" if point.due_at_next_meeting else None


def _item(item):
    return {
        "number": item.number,
        "title": item.title,
        "leads": [link.delegation.name for link in item.lead_links.all()],
        "body": item.body,
        "decisions": [decision.text for decision in item.decisions.all()],
        "action_points": [
            {
                "text": point.text,
                "owners": [owner.name for owner in point.owners.all()],
                "due": _due(point),
            }
            for point in item.action_points.all()
        ],
        "items": [_item(child) for child in getattr(item, "children", [])],
    }


def _adoption(meeting):
    if not meeting.is_adopted:
        return None
    ends = meeting.silence_procedure_ends_at
    return {
        "adopted_at_meeting": meeting.adopted_at_meeting.date.isoformat() if meeting.adopted_at_meeting_id else None,
        "silence_procedure_ends_at": ends.isoformat() if ends else None,
        "outcome": meeting.adoption_outcome,
        "corrections": meeting.adoption_corrections,
    }


def _version(meeting):
    version = getattr(meeting, "latest_version", None)
    if version is None:
        return None
    circulated = getattr(version, "circulated_at", None)
    return {
        "number": getattr(version, "number", None),
        "circulated_at": circulated.isoformat() if circulated else None,
    }


def minutes_record(meeting, attendance, agenda):
    """A plain dict of the minutes; `attendance` and `agenda` as Meeting.attendance_list() and
    Meeting.agenda() return them (prefetched, so this costs no further query)."""
    present = [row for row in attendance if row.status == "present"]
    return {
        "format": FORMAT,
        "meeting": {
            "date": meeting.date.isoformat(),
            "starts_at": meeting.starts_at.strftime("%H:%M") if meeting.starts_at else None,
            "ends_at": meeting.ends_at.strftime("%H:%M") if meeting.ends_at else None,
            "venue": meeting.venue,
            "presidency": meeting.presidency.name,
            "presiding_delegation": meeting.presidency.delegation.name,
            "status": meeting.status,
        },
        "version": _version(meeting),
        "attendance": [
            {
                "delegation": row.delegation.name,
                "label": row.display_name,
                "representatives": [_person(attendee) for attendee in row.attendees.all()],
            }
            for row in present
        ],
        "apologies": [row.display_name for row in attendance if row.status == "apologies"],
        "items": [_item(item) for item in agenda],
        "adoption": _adoption(meeting),
    }


def minutes_json(meeting, attendance, agenda):
    """The record as UTF-8 JSON bytes, keys in a fixed order."""
    record = minutes_record(meeting, attendance, agenda)
    return json.dumps(record, ensure_ascii=False, indent=2).encode()
