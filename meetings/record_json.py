"""The record as one document: the single serialisation of a set of minutes that every reader uses.

`record_document(meeting)` builds it from the live record (drafts). Circulating freezes it as the
version's snapshot (MinutesVersion.snapshot); adoption keeps the adopted version's document plus
the adoption block on the meeting (Meeting.adopted_record). The public page, the PDF and its
`minutes.json`, the API and the search index all read `document_for(meeting)`, so nothing that
happens after adoption (a renamed delegation, a new presidency term, any write) changes what an
adopted record says. The document holds no clock and no site address: the same record always
gives the same bytes.
"""

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format

FORMAT = "ccm-portal/minutes/2"


def _time(value):
    return value.strftime("%H:%M") if value else None


def _attendee(attendee):
    return {"honorific": attendee.honorific, "name": attendee.representative.name, "remote": attendee.remote}


def _attendance(row):
    delegation = row.delegation
    return {
        "delegation": {"name": delegation.name, "slug": delegation.slug, "kind": delegation.kind},
        "label": row.display_name,
        "status": row.status,
        "attendees": [_attendee(attendee) for attendee in row.attendees.all()],
    }


def _action_point(point):
    return {
        "text": point.text,
        "owners": [owner.name for owner in point.owners.all()],
        "due_on": point.due_on.isoformat() if point.due_on else None,
        "due_at_next_meeting": point.due_at_next_meeting,
        # As these minutes recorded it; what became of it later is tracking (follow-ups), not the record.
        "status": point.status,
    }


def _item(item):
    """An item with its sub-items. `key` is the item's id, so that it keeps its identity across
    versions even when it is renumbered."""
    return {
        "key": str(item.pk),
        "number": item.number,
        "title": item.title,
        "leads": [link.delegation.name for link in item.lead_links.all()],
        "body": item.body,
        # Sanitised when the item was saved (meetings/markup.py); kept so readers needn't re-render.
        "body_html": item.body_html,
        "decisions": [decision.text for decision in item.decisions.all()],
        "action_points": [_action_point(point) for point in item.action_points.all()],
        "items": [_item(child) for child in getattr(item, "children", [])],
    }


def _document(document, numbers):
    """A file attached to the record, as the record lists it: what it is and the hash of its bytes,
    so that a copy can be checked against the adopted record. `key` is the row's id (the download)."""
    return {
        "key": str(document.pk),
        "title": document.title,
        "symbol": document.symbol,
        "kind": document.kind,
        "language": document.language,
        "item": numbers.get(document.agenda_item_id) if document.agenda_item_id else None,
        "presented_by": document.presented_by.name if document.presented_by_id else None,
        "file_name": document.file_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
    }


def documents_of(meeting, agenda):
    """The documents attached to `meeting` as the record lists them; `agenda` numbered (Meeting.agenda())."""
    numbers = {}
    for item in agenda:
        numbers[item.pk] = item.number
        numbers.update({child.pk: child.number for child in getattr(item, "children", [])})
    rows = meeting.documents.select_related("presented_by")
    # The meeting's own documents first, then each item's in agenda order.
    order = {pk: index for index, pk in enumerate(numbers)}
    rows = sorted(rows, key=lambda d: (d.agenda_item_id is not None, order.get(d.agenda_item_id, 0), d.position, d.pk))
    return [_document(document, numbers) for document in rows]


def record_document(meeting, attendance=None, agenda=None):
    """The record as it stands now, as a plain JSON-able dict; `attendance` and `agenda` as
    Meeting.attendance_list() and Meeting.agenda() return them (built here if not given)."""
    attendance = meeting.attendance_list() if attendance is None else attendance
    agenda = meeting.agenda() if agenda is None else agenda
    presidency = meeting.presidency
    return {
        "format": FORMAT,
        "meeting": {
            "date": meeting.date.isoformat(),
            "title": meeting.title,
            "starts_at": _time(meeting.starts_at),
            "ends_at": _time(meeting.ends_at),
            "venue": meeting.venue,
            "presidency": {"name": presidency.name, "delegation": presidency.delegation.name},
        },
        "attendance": [_attendance(row) for row in attendance],
        "items": [_item(item) for item in agenda],
        "documents": documents_of(meeting, agenda),
        "version": None,
        "adoption": None,
    }


def carried_documents(old, new):
    """The documents `old` lists, as a record `new` that replaces it must list them: the same files,
    each under the item of `new` that is the same item (by key, else by number and title), or under
    the meeting as a whole when `new` has no such item. A correction never drops a file."""
    old_items = {item["number"]: item for item in flat_items(old)}
    new_items = flat_items(new)
    by_key = {item.get("key"): item["number"] for item in new_items if item.get("key")}
    by_number_title = {(item["number"], item["title"]): item["number"] for item in new_items}
    carried = []
    for document in old.get("documents", []):
        item = old_items.get(document.get("item"))
        number = None
        if item is not None:
            number = by_key.get(item.get("key")) or by_number_title.get((item["number"], item["title"]))
        carried.append({**document, "item": number})
    return carried


def flat_items(document):
    """Every item of a document in reading order (5, 5.1, 5.2, 6 …)."""
    found = []
    for item in document.get("items", []):
        found.append(item)
        found.extend(flat_items(item))
    return found


def version_block(version):
    """Which circulated version a document is: its number and when it went out."""
    return {
        "number": version.number,
        "circulated_at": None if version.from_archive else version.circulated_at.isoformat(),
    }


def geneva_day(value):
    """A day as the committee reads it: in Geneva (settings.TIME_ZONE), whatever the server's zone."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        value = value.astimezone(ZoneInfo(settings.TIME_ZONE)).date()
    return date_format(value, "j F Y")


def adoption_statement(adoption, version):
    """The one sentence that says how a record was adopted and which version, in the record's
    language: "Adopted at the meeting of 25 September 2018 (version 2, circulated on
    10 September 2018)". Page, PDF, API and minutes.json all show this sentence."""
    from meetings.models import RECORD_LANGUAGE  # models imports this module's readers, not the reverse

    with translation.override(RECORD_LANGUAGE):
        if adoption.get("at_meeting"):
            how = f"at the meeting of {geneva_day(datetime.fromisoformat(adoption['at_meeting']).date())}"
        else:
            how = f"by silence procedure ending {geneva_day(adoption['silence_procedure_ends_at'])}"
        outcome = "Adopted with corrections" if adoption.get("outcome") == "with_corrections" else "Adopted"
        sentence = f"{outcome} {how}"
        if version:
            if version.get("circulated_at"):
                sentence += f" (version {version['number']}, circulated on {geneva_day(version['circulated_at'])})"
            else:
                sentence += f" (version {version['number']}, entered from the archive)"
        return sentence


def corrections_sentence(adoption):
    """ "Adopted with the following corrections: …", or "" when there were none written down."""
    if not adoption or not adoption.get("corrections"):
        return ""
    return f"Adopted with the following corrections: {adoption['corrections']}"


def adoption_block(meeting, version):
    """How `meeting` (locked, its adoption fields set by the workflow) was adopted, as the record says it."""
    ends = meeting.silence_procedure_ends_at
    adoption = {
        "at_meeting": meeting.adopted_at_meeting.date.isoformat() if meeting.adopted_at_meeting_id else None,
        "silence_procedure_ends_at": ends.isoformat() if ends else None,
        "outcome": meeting.adoption_outcome,
        "corrections": meeting.adoption_corrections,
    }
    adoption["statement"] = adoption_statement(adoption, version_block(version))
    adoption["corrections_statement"] = corrections_sentence(adoption)
    return adoption


def adopted_document(meeting, version):
    """The adopted record: the adopted version's document, the version, and the adoption."""
    return {**version.snapshot, "version": version_block(version), "adoption": adoption_block(meeting, version)}


def document_for(meeting):
    """What a reader of `meeting` is shown: the frozen adopted record once adopted; the version
    under review while circulated; the record as it stands for a draft."""
    if meeting.adopted_record:
        return meeting.adopted_record
    version = meeting.latest_version()
    if meeting.status == meeting.Status.CIRCULATED and version is not None:
        return {**version.snapshot, "version": version_block(version)}
    # A draft is no version yet, not even when an earlier one was circulated and withdrawn.
    return record_document(meeting)


def minutes_json(document):
    """The document as UTF-8 JSON bytes, keys in a fixed order (the PDF's `minutes.json`)."""
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def _content(document):
    """What a record says, without the item keys and derived HTML that only identify or render it."""

    def item(entry):
        kept = {key: value for key, value in entry.items() if key not in ("key", "body_html", "items")}
        return {**kept, "items": [item(child) for child in entry.get("items", [])]}

    return {
        "meeting": document.get("meeting"),
        "attendance": document.get("attendance"),
        "items": [item(entry) for entry in document.get("items", [])],
    }


def fingerprint(document):
    """SHA-256 of a document as minutes.json writes it: which record a preview was compared with."""
    import hashlib

    return hashlib.sha256(minutes_json(document)).hexdigest()


def same_record(first, second):
    """Whether two documents say the same thing (title block, attendance, items)."""
    return _content(first) == _content(second)


def supersedes_block(*, sha256, published_at, reason, superseded_at):
    """What a superseding record says of the record it replaces: its file's hash, when it was
    published, why and when it was superseded."""
    return {
        "sha256": sha256,
        "published_at": published_at.isoformat(),
        "superseded_at": superseded_at.isoformat(),
        "reason": reason,
    }


def supersedes_sentence(document):
    """ "This record supersedes the one published on 2 October 2018 (reason).", in the record's
    language, for the PDF; "" for a record that supersedes none."""
    block = document.get("supersedes")
    if not block:
        return ""
    from meetings.models import RECORD_LANGUAGE

    with translation.override(RECORD_LANGUAGE):
        day = geneva_day(block["published_at"])
        return f"This record supersedes the one published on {day} (SHA-256 {block['sha256']}): {block['reason']}"
