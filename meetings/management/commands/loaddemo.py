"""Load the demo record (meetings/demo/demo.json); the seed meeting is imported from its text. Safe to run again."""

import json
from datetime import date, datetime, time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from delegations.models import CoordinatorRole, Delegation, DelegationAlias, Presidency, Representative, ThematicArea
from meetings import drafting, importer, workflow
from meetings.models import (
    ActionPoint,
    AgendaItem,
    Attendance,
    Attendee,
    Decision,
    ItemLead,
    Meeting,
)

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_FILE = DEMO_DIR / "demo.json"


class Command(BaseCommand):
    help = "Load the demo meetings of September–November 2018 built from the seed minutes."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if any meeting exists.")

    def handle(self, *args, **options):
        if options["if_empty"] and Meeting.objects.exists():
            self.stdout.write("The database already holds meetings; demo data not loaded.")
            return
        data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            created = load(data)
        if options["verbosity"] == 0:
            return
        if created:
            self.stdout.write(f"Loaded demo meetings: {', '.join(created)}")
        else:
            self.stdout.write("Demo data already loaded.")


def load(data):
    delegations = {}
    for entry in data["delegations"]:
        delegation, _ = Delegation.objects.get_or_create(name=entry["name"], defaults={"kind": entry["kind"]})
        delegations[delegation.name] = delegation
        for alias in entry["aliases"]:
            DelegationAlias.objects.get_or_create(name=alias, defaults={"delegation": delegation})
    presidencies = {}
    for entry in data["presidencies"]:
        presidency, _ = Presidency.objects.get_or_create(
            name=entry["name"],
            defaults={
                "delegation": delegations[entry["delegation"]],
                "starts_on": date.fromisoformat(entry["starts_on"]),
                "ends_on": entry["ends_on"] and date.fromisoformat(entry["ends_on"]),
            },
        )
        presidencies[presidency.name] = presidency
    areas = {}
    for position, name in enumerate(data["thematic_areas"], start=1):
        areas[name], _ = ThematicArea.objects.get_or_create(name=name, defaults={"position": position})
    for entry in data["coordinators"]:
        for position, name in enumerate(entry["delegations"]):
            CoordinatorRole.objects.get_or_create(
                presidency=presidencies[entry["presidency"]],
                thematic_area=areas[entry["area"]],
                delegation=delegations[name],
                defaults={"position": position},
            )

    created = []
    meetings = {m.date.isoformat(): m for m in Meeting.objects.filter(date__in=[e["date"] for e in data["meetings"]])}
    for entry in data["meetings"]:
        if entry["date"] in meetings:
            continue
        meetings[entry["date"]] = _load_meeting(entry, delegations, presidencies)
        created.append(entry["date"])
    for entry in data["meetings"]:
        if entry["date"] in created:
            _load_lifecycle(entry, meetings)
    return created


def _import_meeting(entry, delegations):
    """Build a meeting the way the back catalogue is built: by importing its minutes' text,
    then adding what the text only implies (action points, decisions), keyed by item number."""
    parsed = importer.parse(importer.read_source(DEMO_DIR / entry["source"]))
    meeting = importer.write(parsed, status=Meeting.Status.DRAFT)
    numbered = {}
    for item in meeting.agenda():
        numbered[item.number] = item
        numbered.update({child.number: child for child in item.children})
    for number, extras in entry.get("item_extras", {}).items():
        _load_extras(numbered[number], extras, delegations)
    return meeting


def _load_meeting(entry, delegations, presidencies):
    if "source" in entry:
        return _import_meeting(entry, delegations)
    meeting = Meeting.objects.create(
        date=date.fromisoformat(entry["date"]),
        starts_at=time.fromisoformat(entry["start"]),
        ends_at=time.fromisoformat(entry["end"]),
        venue=entry["venue"],
        presidency=presidencies[entry["presidency"]],
    )
    for position, row in enumerate(entry["attendance"], start=1):
        attendance = Attendance.objects.create(
            meeting=meeting,
            delegation=delegations[row["delegation"]],
            status=row["status"],
            label=row["label"],
            position=position,
        )
        for rep_position, person in enumerate(row["representatives"], start=1):
            representative, _ = Representative.objects.get_or_create(
                delegation=attendance.delegation, name=person["name"], defaults={"honorific": person["honorific"]}
            )
            Attendee.objects.create(
                attendance=attendance,
                representative=representative,
                honorific=person["honorific"],
                remote=person["remote"],
                position=rep_position,
            )
    for position, item in enumerate(entry["items"], start=1):
        _load_item(meeting, item, position, None, delegations)
    return meeting


def _load_item(meeting, entry, position, parent, delegations):
    item = AgendaItem.objects.create(
        meeting=meeting, parent=parent, position=position, title=entry["title"], body=entry["body"]
    )
    for lead_position, name in enumerate(entry["leads"]):
        ItemLead.objects.create(agenda_item=item, delegation=delegations[name], position=lead_position)
    _load_extras(item, entry, delegations)
    for sub_position, sub in enumerate(entry.get("items", []), start=1):
        _load_item(meeting, sub, sub_position, item, delegations)


def _load_extras(item, entry, delegations):
    for ap_position, point in enumerate(entry.get("action_points", []), start=1):
        action_point = ActionPoint.objects.create(
            agenda_item=item,
            text=point["text"],
            due_at_next_meeting=point["due"] == "next meeting",
            due_on=date.fromisoformat(point["due"]) if point["due"] not in (None, "next meeting") else None,
            status=point["status"],
            position=ap_position,
        )
        action_point.owners.set([delegations[name] for name in point["owners"]])
    for d_position, decision in enumerate(entry.get("decisions", []), start=1):
        Decision.objects.create(agenda_item=item, text=decision["text"], position=d_position)


def _load_lifecycle(entry, meetings):
    meeting = meetings[entry["date"]]
    for follow_up in entry.get("follow_ups", []):
        point = ActionPoint.objects.get(
            agenda_item__meeting=meetings[follow_up["meeting_of"]], text__startswith=follow_up["action_point"]
        )
        # As the drafting page records it: the follow-up moves the point's tracking, not its record.
        drafting.record_follow_up(meeting, None, point, follow_up["note"], follow_up["status"])
    adoption = entry.get("adoption")
    if adoption:
        workflow.enter_archived_adoption(
            meeting,
            at_meeting=meetings.get(adoption.get("adopted_at_meeting")),
            silence_procedure_ends_at=adoption.get("silence_procedure_ends_at")
            and datetime.fromisoformat(adoption["silence_procedure_ends_at"]),
            outcome=adoption["outcome"],
        )
    if entry["status"] == Meeting.Status.PUBLISHED:
        workflow.publish(meeting, at=datetime.fromisoformat(entry["published_at"]))
