"""Search across published minutes: what goes into a meeting's search entry, and how entries are queried.

PostgreSQL ranks with full-text search over a weighted tsvector under a GIN index and highlights
with ts_headline; SQLite falls back to case-insensitive substring matching behind the same functions.
Only published meetings ever have an entry: `index_meeting` is called by `workflow.publish`.
"""

import html

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Q
from django.utils.html import strip_tags

from delegations.models import Delegation, ThematicArea
from meetings import record_json
from meetings.models import Meeting, SearchDocument

CONFIG = "english"
TEXT_FIELDS = ("title", "items", "action_points", "decisions", "names")


def uses_full_text():
    return connection.vendor == "postgresql"


def _plain(markup_html):
    return html.unescape(strip_tags(markup_html)).strip()


def build_document(meeting):
    """An unsaved SearchDocument for `meeting` and the ids of its thematic areas and delegations,
    from the record as adopted (meetings/record_json.py): the search entry says what the record says."""
    record = record_json.document_for(meeting)
    items = record_json.flat_items(record)
    names, slugs = [], set()
    for row in record["attendance"]:
        slugs.add(row["delegation"]["slug"])
        names.append(row["label"])
        names.extend(attendee["name"] for attendee in row["attendees"])
    named = set()
    item_text, action_text, decision_text = [], [], []
    for item in items:
        item_text.append(item["title"])
        item_text.append(_plain(item["body_html"]))
        names.extend(item["leads"])
        named.update(item["leads"])
        for point in item["action_points"]:
            action_text.append(point["text"])
            names.extend(point["owners"])
            named.update(point["owners"])
        decision_text.extend(item["decisions"])
    # The documents' titles and symbols find the minutes they belong to ("WP.1", "the paper on …").
    for document in record.get("documents", []):
        item_text.append(" ".join(filter(None, (document["symbol"], document["title"]))))
    delegation_ids = set(Delegation.objects.filter(Q(slug__in=slugs) | Q(name__in=named)).values_list("pk", flat=True))
    titles = " ".join(item["title"].lower() for item in items)
    area_ids = [area.pk for area in ThematicArea.objects.all() if area.name.lower() in titles]
    document = SearchDocument(
        meeting=meeting,
        date=meeting.date,
        year=meeting.date.year,
        presidency_id=meeting.presidency_id,
        title=f"Minutes of the meeting {record['meeting']['title']}",
        items="\n".join(filter(None, item_text)),
        action_points="\n".join(action_text),
        decisions="\n".join(decision_text),
        names="\n".join(dict.fromkeys(names)),
    )
    return document, area_ids, sorted(delegation_ids)


def update_vectors(documents):
    """Fill the weighted tsvector of these entries (PostgreSQL only)."""
    if not uses_full_text():
        return
    documents.update(
        vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("decisions", "action_points", "names", weight="B", config=CONFIG)
        + SearchVector("items", weight="C", config=CONFIG)
    )


@transaction.atomic
def index_meeting(meeting):
    """Write (or rewrite) the search entry of a published meeting; remove it from any other."""
    SearchDocument.objects.filter(meeting=meeting).delete()
    if meeting.status != Meeting.Status.PUBLISHED:
        return None
    document, area_ids, delegation_ids = build_document(meeting)
    document.save()
    document.thematic_areas.set(area_ids)
    document.delegations.set(delegation_ids)
    update_vectors(SearchDocument.objects.filter(pk=document.pk))
    return document


@transaction.atomic
def reindex():
    """Rebuild every entry from the published record; return how many there are."""
    SearchDocument.objects.all().delete()
    count = 0
    for meeting in Meeting.objects.published().iterator():
        index_meeting(meeting)
        count += 1
    return count
