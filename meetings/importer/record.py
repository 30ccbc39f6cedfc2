"""The portal's own `minutes.json` (the attachment of its official PDF) back to a ParsedMinutes.

Read defensively: the serialisation (meetings/record_json.py) gains fields over time, so only the
fields named here are read, each with a default, and any "ccm-portal/minutes/N" format is accepted.
"""

import io
import json
from datetime import date

from django.utils.translation import gettext as _

from meetings.importer.parsing import ParsedMinutes
from meetings.importer.problems import ImportProblem

ATTACHMENT = "minutes.json"
FORMAT_PREFIX = "ccm-portal/minutes/"


def attached_record(content):
    """The decoded `minutes.json` a PDF carries, or None when it carries none (or not the portal's)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        attachments = PdfReader(io.BytesIO(content)).attachments
        payloads = attachments.get(ATTACHMENT) or []
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return None
    for payload in payloads:
        try:
            data = json.loads(payload)
        except (ValueError, UnicodeDecodeError):
            continue
        if isinstance(data, dict) and str(data.get("format", "")).startswith(FORMAT_PREFIX):
            return data
    return None


def _text(value):
    return value if isinstance(value, str) else ""


def _list(value):
    return value if isinstance(value, list) else []


def _due(point):
    """An action point's due date in the first schema's words: a date, "next meeting", or None."""
    if isinstance(point.get("due"), str):
        return point["due"]
    if isinstance(point.get("due_on"), str):
        return point["due_on"]
    return "next meeting" if point.get("due_at_next_meeting") else None


def _name(value):
    # The second schema names a delegation as {"name", "slug", "kind"}; the first as a string.
    return _text(value.get("name")) if isinstance(value, dict) else _text(value)


def normalised(data):
    """Any schema of minutes.json in the first schema's shape: present delegations with their
    representatives, the apologies as labels, items with `due` on their action points. The
    importer reads and compares records only in this shape."""
    attendance, apologies = [], []
    for row in _list(data.get("attendance")):
        if not isinstance(row, dict):
            continue
        if row.get("status", "present") != "present":
            apologies.append({"delegation": _name(row.get("delegation")), "label": _text(row.get("label"))})
            continue
        people = row.get("representatives") if "representatives" in row else row.get("attendees")
        attendance.append(
            {
                "delegation": _name(row.get("delegation")),
                "label": _text(row.get("label")),
                "representatives": [person for person in _list(people) if isinstance(person, dict)],
            }
        )
    apologies.extend(_list(data.get("apologies")))

    def item(entry):
        return {
            **entry,
            "action_points": [
                {**point, "due": _due(point)} for point in _list(entry.get("action_points")) if isinstance(point, dict)
            ],
            "items": [item(child) for child in _list(entry.get("items")) if isinstance(child, dict)],
        }

    return {
        **data,
        "attendance": attendance,
        "apologies": apologies,
        "items": [item(entry) for entry in _list(data.get("items")) if isinstance(entry, dict)],
    }


def from_record(data, matcher, name=None):
    """A ParsedMinutes equal to the record `data` describes; ImportProblem when it lacks what a record needs."""
    original = data
    data = normalised(data)
    meeting = data.get("meeting") if isinstance(data.get("meeting"), dict) else {}
    try:
        date.fromisoformat(_text(meeting.get("date")))
    except ValueError:
        raise ImportProblem(_("a minutes.json with the meeting's date"), file=name) from None
    unknown = []

    def known(written):
        found = matcher.match(written)
        if not found and written not in unknown:
            unknown.append(written)
        return found or written

    attendance = []
    for row in _list(data.get("attendance")):
        if not isinstance(row, dict) or row.get("status", "present") != "present":
            continue
        delegation = known(_text(row.get("delegation")))
        label = _text(row.get("label"))
        attendance.append(
            {
                "delegation": delegation,
                "label": "" if label == delegation else label,
                "status": "present",
                "representatives": [
                    {
                        "honorific": _text(person.get("honorific")),
                        "name": _text(person.get("name")),
                        "remote": bool(person.get("remote")),
                    }
                    for person in _list(row.get("representatives"))
                    if isinstance(person, dict)
                ],
            }
        )
    for entry in _list(data.get("apologies")):
        # The first schema lists the label as written; a later one may give {"delegation", "label"}.
        if isinstance(entry, dict):
            label = _text(entry.get("label")) or _text(entry.get("delegation"))
            delegation = known(_text(entry.get("delegation")) or label)
        else:
            label = _text(entry)
            delegation = matcher.split_label(label)[0] or known(label)
        attendance.append(
            {
                "delegation": delegation,
                "label": "" if label == delegation else label,
                "status": "apologies",
                "representatives": [],
            }
        )

    items = []

    def add(item, number):
        items.append(
            {
                "number": number,
                "title": _text(item.get("title")),
                "leads": [known(_text(lead)) for lead in _list(item.get("leads"))],
                "body": _text(item.get("body")),
                "decisions": [
                    _text(d) if not isinstance(d, dict) else _text(d.get("text")) for d in _list(item.get("decisions"))
                ],
                "action_points": [
                    {
                        "text": _text(point.get("text")),
                        "owners": [known(_text(owner)) for owner in _list(point.get("owners"))],
                        "due": point.get("due"),
                        "status": _text(point.get("status")) or "open",
                    }
                    for point in _list(item.get("action_points"))
                    if isinstance(point, dict)
                ],
            }
        )

    for top, item in enumerate(_list(data.get("items")), start=2):
        if not isinstance(item, dict):
            continue
        add(item, str(top))
        for sub, child in enumerate(_list(item.get("items")), start=1):
            if isinstance(child, dict):
                add(child, f"{top}.{sub}")
    parsed = ParsedMinutes(
        meeting={
            "title": "",
            "date": meeting["date"],
            "start": _text(meeting.get("starts_at")) or None,
            "end": _text(meeting.get("ends_at")) or None,
            "venue": _text(meeting.get("venue")),
        },
        attendance=attendance,
        items=items,
        warnings=[],
        origin=ATTACHMENT,
    )
    parsed.unknown_delegations = [name for name in unknown if name]
    parsed.record = original
    return parsed
