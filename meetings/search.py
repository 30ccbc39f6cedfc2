"""Search across published minutes: what goes into a meeting's search entry, and how entries are queried.

PostgreSQL ranks with full-text search over a weighted tsvector under a GIN index and highlights
with ts_headline; SQLite falls back to case-insensitive substring matching behind the same functions.
Only published meetings ever have an entry: `index_meeting` is called by `workflow.publish`.
"""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from delegations.models import Delegation, Presidency, ThematicArea
from meetings.models import Meeting, SearchDocument

CONFIG = "english"
TEXT_FIELDS = ("title", "items", "action_points", "decisions", "names")
# Sentinels that ts_headline puts around matches; replaced by <mark> after the text is escaped.
START, STOP = "\u27e6", "\u27e7"
SNIPPET_CHARS = 240


def uses_full_text():
    return connection.vendor == "postgresql"


def _plain(markup_html):
    return html.unescape(strip_tags(markup_html)).strip()


def build_document(meeting):
    """An unsaved SearchDocument for `meeting` and the ids of its thematic areas and delegations."""
    items = list(meeting.agenda_items.prefetch_related("lead_links__delegation", "action_points__owners", "decisions"))
    attendance = list(meeting.attendance.select_related("delegation").prefetch_related("attendees__representative"))
    delegation_ids = {row.delegation_id for row in attendance}
    names = []
    for row in attendance:
        names.append(row.display_name)
        names.extend(attendee.representative.name for attendee in row.attendees.all())
    item_text, action_text, decision_text = [], [], []
    for item in items:
        item_text.append(item.title)
        item_text.append(_plain(item.body_html))
        for link in item.lead_links.all():
            delegation_ids.add(link.delegation_id)
            names.append(link.delegation.name)
        for point in item.action_points.all():
            action_text.append(point.text)
            for owner in point.owners.all():
                delegation_ids.add(owner.pk)
                names.append(owner.name)
        decision_text.extend(decision.text for decision in item.decisions.all())
    titles = " ".join(item.title.lower() for item in items)
    area_ids = [area.pk for area in ThematicArea.objects.all() if area.name.lower() in titles]
    document = SearchDocument(
        meeting=meeting,
        date=meeting.date,
        year=meeting.date.year,
        presidency_id=meeting.presidency_id,
        title=f"Minutes of the meeting {meeting.title}",
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


def search(q="", year=None, presidency=None, thematic_area=None, delegation=None):
    """Entries matching the words of `q` and the filters, best first (newest first without ranking).

    Filters take the keys the search form offers: a year, a presidency's name, a thematic area's
    id and a delegation's slug."""
    documents = SearchDocument.objects.select_related("presidency__delegation")
    if year:
        documents = documents.filter(year=year)
    if presidency:
        documents = documents.filter(presidency__name=presidency)
    if thematic_area:
        documents = documents.filter(thematic_areas__id=thematic_area)
    if delegation:
        documents = documents.filter(delegations__slug=delegation)
    q = (q or "").strip()
    if not q:
        return documents.order_by("-date")
    if uses_full_text():
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        return documents.filter(vector=query).annotate(rank=SearchRank(F("vector"), query)).order_by("-rank", "-date")
    for term in q.split():
        term = term.strip("\"'")
        if term:
            documents = documents.filter(
                Q(title__icontains=term)
                | Q(items__icontains=term)
                | Q(action_points__icontains=term)
                | Q(decisions__icontains=term)
                | Q(names__icontains=term)
            )
    return documents.order_by("-date")


def add_snippets(documents, q):
    """Give each entry of a page of results a `.snippet`: escaped text with matches in <mark>."""
    documents = list(documents)
    q = (q or "").strip()
    headlines = {}
    if q and documents and uses_full_text():
        query = SearchQuery(q, config=CONFIG, search_type="websearch")
        body = Concat("items", Value("\n"), "decisions", Value("\n"), "action_points", output_field=TextField())
        headlines = dict(
            SearchDocument.objects.filter(pk__in=[d.pk for d in documents])
            .annotate(
                headline=SearchHeadline(
                    body,
                    query,
                    config=CONFIG,
                    start_sel=START,
                    stop_sel=STOP,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                    fragment_delimiter=" … ",
                )
            )
            .values_list("pk", "headline")
        )
    for document in documents:
        headline = headlines.get(document.pk)
        if headline and START in headline:
            text = html.escape(headline).replace(START, "<mark>").replace(STOP, "</mark>")
            document.snippet = mark_safe(text)  # escaped above; only <mark> is added
        else:
            document.snippet = _fallback_snippet(document, q)
    return documents


def _fallback_snippet(document, q):
    text = "\n".join([document.items, document.decisions, document.action_points, document.names])
    terms = [term.strip("\"'") for term in q.split() if term.strip("\"'")]
    pattern = re.compile("|".join(map(re.escape, terms)), re.IGNORECASE) if terms else None
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - SNIPPET_CHARS // 3) if match else 0
    end = start + SNIPPET_CHARS
    if start:  # begin and end on whole words
        space = text.find(" ", start, match.start())
        start = space + 1 if space >= 0 else start
    if end < len(text):
        space = text.rfind(" ", match.end() if match else start, end)
        end = space if space > 0 else end
    window = ("… " if start else "") + " ".join(text[start:end].split()) + (" …" if end < len(text) else "")
    escaped = html.escape(window)
    if pattern:
        escaped_pattern = re.compile("|".join(re.escape(html.escape(term)) for term in terms), re.IGNORECASE)
        escaped = escaped_pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped)
    return mark_safe(escaped)  # escaped above; only <mark> is added


def facets(stamp):
    """The choices the search filters offer, from published entries only; cached per publication
    `stamp` (see meetings/caching.py), since they change only when something is published."""
    key = f"search-facets:{stamp}"
    cached = cache.get(key)
    if cached is not None:
        return cached
    documents = SearchDocument.objects.all()
    result = {
        "years": sorted(set(documents.values_list("year", flat=True)), reverse=True),
        "presidencies": list(
            Presidency.objects.filter(search_documents__isnull=False).distinct().values_list("name", "name")
        ),
        "thematic_areas": list(
            ThematicArea.objects.filter(search_documents__isnull=False).distinct().values_list("pk", "name")
        ),
        "delegations": list(
            Delegation.objects.filter(search_documents__isnull=False).distinct().values_list("slug", "name")
        ),
    }
    cache.set(key, result, 24 * 3600)
    return result
