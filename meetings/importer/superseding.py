"""A corrected source of published minutes, as the record document that would supersede theirs.

The published record is frozen, so a correction is never written into its rows: the corrected
source becomes a new record document (record_json's shape), which workflow.supersede stores with a
new PDF beside the old one. Names are matched as importer.write matches them, so the new record
names the people and delegations the portal already knows.
"""

from datetime import time

from django.utils.translation import gettext as _

from delegations.models import Delegation, Representative
from meetings import record_json
from meetings.importer.names import person_key
from meetings.importer.problems import ImportProblem
from meetings.importer.record import ATTACHMENT
from meetings.markup import render_markdown
from meetings.models import FIRST_ITEM_NUMBER, Meeting


def _time(value):
    return value and time.fromisoformat(value)


def _check(parsed, meeting):
    if parsed.date != meeting.date:
        raise ImportProblem(
            _("minutes of the meeting of {date}, but this source is of {other}").format(
                date=meeting.date.isoformat(), other=parsed.date.isoformat()
            )
        )
    if parsed.unknown_delegations:
        raise ImportProblem(
            _(
                "delegations the portal knows; unknown: {names} (a correction names only known delegations: add "
                "them or their aliases first)"
            ).format(names=", ".join(parsed.unknown_delegations))
        )


def _items(parsed, old, delegations):
    """The parsed items as the document's nested items, numbered as the record numbers them. An
    item keeps the key of the published item of the same number, so that the comparison pairs them."""
    old_keys = {item["number"]: item["key"] for item in record_json.flat_items(old)}
    top_items, top_number = [], FIRST_ITEM_NUMBER - 1
    for entry in parsed.items:
        is_sub = "." in entry["number"] and top_items
        if is_sub:
            number = f"{top_number}.{len(top_items[-1]['items']) + 1}"
        else:
            top_number += 1
            number = str(top_number)
        item = {
            "key": old_keys.get(number, f"corrected-{number}"),
            "number": number,
            "title": entry["title"],
            "leads": [delegations[name].name for name in dict.fromkeys(entry["leads"])],
            "body": entry["body"],
            "body_html": render_markdown(entry["body"]),
            "decisions": list(entry.get("decisions", [])),
            "action_points": [
                {
                    "text": point["text"],
                    "owners": [delegations[name].name for name in point.get("owners", [])],
                    "due_on": point["due"] if point.get("due") and point["due"] != "next meeting" else None,
                    "due_at_next_meeting": point.get("due") == "next meeting",
                    "status": point.get("status") or "open",
                }
                for point in entry.get("action_points", [])
            ],
            "items": [],
        }
        if is_sub:
            top_items[-1]["items"].append(item)
        else:
            top_items.append(item)
    return top_items


def superseding_document(parsed, meeting):
    """The record document the corrected source `parsed` gives for the published `meeting`: its
    title block, attendance and items; the version and adoption stay those of the published record
    (the Committee adopted the minutes once; the correction is of their transcription)."""
    _check(parsed, meeting)
    old = meeting.adopted_record
    names = {row["delegation"] for row in parsed.attendance}
    for entry in parsed.items:
        names.update(entry["leads"])
        for point in entry.get("action_points", []):
            names.update(point.get("owners", []))
    delegations = {d.name: d for d in Delegation.objects.filter(name__in=names)}
    missing = sorted(names - set(delegations))
    if missing:
        parsed.unknown_delegations = missing
        _check(parsed, meeting)
    exact = parsed.origin == ATTACHMENT
    key_of = (lambda name: name) if exact else person_key
    people = {}
    for rep in Representative.objects.filter(delegation__in=delegations.values()).order_by("pk"):
        people.setdefault((rep.delegation_id, key_of(rep.name)), rep.name)
    attendance = []
    for row in parsed.attendance:
        delegation = delegations[row["delegation"]]
        attendees = []
        for person in row["representatives"] if row["status"] == "present" else []:
            name = people.get((delegation.pk, key_of(person["name"])), person["name"])
            attendees.append({"honorific": person["honorific"], "name": name, "remote": bool(person["remote"])})
        attendance.append(
            {
                "delegation": {"name": delegation.name, "slug": delegation.slug, "kind": delegation.kind},
                "label": row["label"] or delegation.name,
                "status": row["status"],
                "attendees": attendees,
            }
        )
    info = parsed.meeting
    written = Meeting(date=meeting.date, starts_at=_time(info["start"]), ends_at=_time(info["end"]))
    return {
        "format": record_json.FORMAT,
        "meeting": {
            "date": meeting.date.isoformat(),
            "title": written.title,
            "starts_at": info["start"] or None,
            "ends_at": info["end"] or None,
            "venue": info["venue"],
            "presidency": old["meeting"]["presidency"],
        },
        "attendance": attendance,
        "items": _items(parsed, old, delegations),
        "version": old["version"],
        "adoption": old["adoption"],
    }
