"""Searching the published record: the queries, ranked snippets and the filters' choices.
The index itself is written by meetings/search.py when minutes are published."""

import html
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.cache import cache
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

from delegations.models import Delegation, Presidency, ThematicArea
from meetings import record_json
from meetings.models import Meeting, SearchDocument
from meetings.search import CONFIG, uses_full_text
from portal.registers import published_decisions

# Sentinels that ts_headline puts around matches; replaced by <mark> after the text is escaped.
START, STOP = "\u27e6", "\u27e7"
SNIPPET_CHARS = 240


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


def add_item_links(documents, q):
    """Give each entry of a page of results (with its `.snippet`) a `.url`: its meeting's page at
    the item its snippet quotes, else at the first item holding a word of the query; at the
    attendance when only a name matched; at the top otherwise. The items are read from each
    meeting's record as published (record_json.document_for), never from live rows, so a link
    follows a corrected (superseding) record. One query for the whole page."""
    meetings = Meeting.objects.filter(pk__in=[d.meeting_id for d in documents]).only("status", "adopted_record")
    records = {meeting.pk: record_json.document_for(meeting) for meeting in meetings}
    terms = [term.strip("\"'").lower() for term in (q or "").split() if term.strip("\"'")]
    for document in documents:
        document.url = document.get_absolute_url()
        items = record_json.flat_items(records.get(document.meeting_id, {}))
        texts = [(item, _item_text(item)) for item in items]
        for phrase in [*_quoted_phrases(document.snippet), *terms]:
            item = next((item for item, text in texts if phrase in text), None)
            if item is not None:
                document.url += f"#item-{item['number']}"
                break
        else:
            if any(term in document.names.lower() for term in terms):
                document.url += "#present"
    return documents


def add_matching_decisions(documents, q):
    """Give each entry of a page of results `.decisions`: the decisions of its minutes holding every
    word of the query, as the adopted record words them, each with its item's address. One query."""
    found = published_decisions(words=q, within=[d.meeting_id for d in documents]) if (q or "").strip() else []
    by_meeting = {}
    for decision in found:
        by_meeting.setdefault(decision.meeting.pk, []).append(decision)
    for document in documents:
        document.decisions_found = by_meeting.get(document.meeting_id, [])
    return documents


def _quoted_phrases(snippet):
    """The first highlighted word of a snippet with up to three words either side, then shorter
    phrases down to the word alone, lower-cased and with single spaces: what to look for in an item."""
    match = re.search(r"((?:\S+ +){0,3})<mark>(.*?)</mark>((?: +\S+){0,3})", " ".join(str(snippet).split()))
    if not match:
        return []
    before, word, after = (" ".join(html.unescape(strip_tags(part)).lower().split()) for part in match.groups())
    phrases = [f"{before} {word} {after}", f"{word} {after}", f"{before} {word}", word]
    return list(dict.fromkeys(" ".join(p.split()) for p in phrases if p.strip()))


def _item_text(item):
    """An item of a record document as one lower-cased text: title, body, action points, decisions."""
    parts = [item["title"], html.unescape(strip_tags(item.get("body_html", "")))]
    parts += [point["text"] for point in item.get("action_points", [])]
    parts += list(item.get("decisions", []))
    return " ".join(" ".join(parts).lower().split())


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
    `stamp` (see portal/caching.py), since they change only when something is published."""
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
