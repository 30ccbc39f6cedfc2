"""The read-only JSON API of the published record, described by portal/openapi.json.

Everyone, logged in or not, gets the published record only: the API is open data, never a
window on drafts. Change a response's shape and the OpenAPI document together (a test holds them).
"""

import json
from datetime import date
from functools import cache
from pathlib import Path

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from meetings import record_json
from meetings.models import Meeting
from portal.caching import published_page
from portal.forms import DecisionFilterForm
from portal.registers import published_decisions
from portal.sitemaps import absolute_url

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
PAGE_SIZE = 50


def _error(message, status):
    return JsonResponse({"detail": message}, status=status)


def meeting_summary(meeting, record=None):
    """A published meeting in the list: its address and title block, from its record as adopted."""
    record = record_json.document_for(meeting) if record is None else record
    written = record["meeting"]
    return {
        "date": meeting.date.isoformat(),
        "url": absolute_url(reverse("portal:api_meeting_detail", args=[meeting.date.isoformat()])),
        "html_url": absolute_url(meeting.get_absolute_url()),
        "pdf_url": absolute_url(meeting.get_pdf_url()),
        "title": f"Minutes of the meeting {written['title']}",
        "starts_at": written["starts_at"],
        "ends_at": written["ends_at"],
        "venue": written["venue"],
        "presidency": written["presidency"],
        "published_at": meeting.published_at.isoformat(),
        "official_record": _official_record(meeting),
    }


def _official_record(meeting):
    record = getattr(meeting, "official_record", None)
    if record is None:
        return None
    certificate = record.signing_certificate
    return {
        "sha256": record.sha256,
        "signature": {
            "status": "signed" if certificate else "unsigned",
            "certificate_sha256": certificate.sha256_fingerprint if certificate else None,
            "signed_at": record.signed_at.isoformat() if record.signed_at else None,
        },
    }


def meeting_document(meeting):
    """The published record: the record as adopted (meetings/record_json.py, the same document as
    the PDF's minutes.json), under the summary's addresses."""
    record = record_json.document_for(meeting)
    return {
        **meeting_summary(meeting, record),
        "version": record["version"],
        "adoption": record["adoption"],
        "attendance": record["attendance"],
        "items": record["items"],
        "supersedes": record.get("supersedes"),
        "superseded_records": _superseded_records(meeting) if record.get("supersedes") else [],
        "documents": [_document(meeting, document) for document in record.get("documents", [])],
    }


def _superseded_records(meeting):
    return [
        {
            "sha256": earlier.sha256,
            "published_at": earlier.published_at.isoformat(),
            "superseded_at": earlier.at.isoformat(),
            "reason": earlier.reason,
            "pdf_url": absolute_url(
                reverse("portal:meeting_record_file", args=[meeting.date.isoformat(), earlier.sha256])
            ),
        }
        for earlier in meeting.supersessions.order_by("-at", "-id")
    ]


def _document(meeting, document):
    """A document of the record as the record lists it, with its download address (the key is
    the address's business, not the data's)."""
    url = reverse("portal:document_download", args=[meeting.date.isoformat(), document["key"], document["file_name"]])
    return {**{k: v for k, v in document.items() if k != "key"}, "url": absolute_url(url)}


def _paginated(request, url_name, entries, describe):
    """A page of `entries` as the list endpoints answer it, its neighbours keeping the request's filters."""
    paginator = Paginator(entries, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return _error(_("The page must be a whole number."), 400)
    except EmptyPage:
        return _error(_("There is no such page."), 404)
    here = absolute_url(reverse(url_name))

    def page_url(number):
        query = request.GET.copy()
        query["page"] = number
        return f"{here}?{query.urlencode()}"

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "num_pages": paginator.num_pages,
            "next": page_url(page.next_page_number()) if page.has_next() else None,
            "previous": page_url(page.previous_page_number()) if page.has_previous() else None,
            "results": [describe(entry) for entry in page.object_list],
        }
    )


@published_page
def api_meeting_list(request):
    meetings = Meeting.objects.published().select_related("official_record__signing_certificate").order_by("-date")
    return _paginated(request, "portal:api_meeting_list", meetings, meeting_summary)


def decision_summary(decision):
    """A decision as the adopted record words it, with the item it was taken under."""
    day = decision.meeting.date.isoformat()
    return {
        "meeting_date": day,
        "meeting_url": absolute_url(reverse("portal:api_meeting_detail", args=[day])),
        "html_url": absolute_url(decision.url),
        "item": {"number": decision.item_number, "title": decision.item_title, "leads": decision.item_leads},
        "text": decision.text,
    }


@published_page
def api_decision_list(request):
    form = DecisionFilterForm(request.GET)
    if not form.is_valid():
        return _error(form.error_sentence(), 400)
    decisions = published_decisions(**form.filters())
    return _paginated(request, "portal:api_decision_list", decisions, decision_summary)


@published_page
def api_meeting_detail(request, meeting_date):
    try:
        day = date.fromisoformat(meeting_date)
    except ValueError:
        return _error(_("No published minutes for this date."), 404)
    meeting = (
        Meeting.objects.published()
        .select_related("presidency__delegation", "adopted_at_meeting", "official_record__signing_certificate")
        .filter(date=day)
        .first()
    )
    if meeting is None:
        return _error(_("No published minutes for this date."), 404)
    return JsonResponse(meeting_document(meeting))


@cache
def openapi_document():
    return json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


def api_openapi(request):
    return JsonResponse(openapi_document())
