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

from meetings.models import Meeting
from portal.caching import published_page
from portal.sitemaps import absolute_url

OPENAPI_FILE = Path(__file__).resolve().parent / "openapi.json"
PAGE_SIZE = 50


def _error(message, status):
    return JsonResponse({"detail": message}, status=status)


def _time(value):
    return value.strftime("%H:%M") if value else None


def meeting_summary(meeting):
    return {
        "date": meeting.date.isoformat(),
        "url": absolute_url(reverse("portal:api_meeting_detail", args=[meeting.date.isoformat()])),
        "html_url": absolute_url(meeting.get_absolute_url()),
        "pdf_url": absolute_url(meeting.get_pdf_url()),
        "title": f"Minutes of the meeting {meeting.title}",
        "starts_at": _time(meeting.starts_at),
        "ends_at": _time(meeting.ends_at),
        "venue": meeting.venue,
        "presidency": {"name": meeting.presidency.name, "delegation": meeting.presidency.delegation.name},
        "published_at": meeting.published_at.isoformat(),
    }


def _item(item):
    return {
        "number": item.number,
        "title": item.title,
        "leads": [link.delegation.name for link in item.lead_links.all()],
        "body": item.body,
        "body_html": item.body_html,
        "action_points": [
            {
                "text": point.text,
                "owners": [owner.name for owner in point.owners.all()],
                "due_on": point.due_on.isoformat() if point.due_on else None,
                "due_at_next_meeting": point.due_at_next_meeting,
                "status": point.status,
            }
            for point in item.action_points.all()
        ],
        "decisions": [{"text": decision.text} for decision in item.decisions.all()],
        "items": [_item(child) for child in item.children],
    }


def meeting_document(meeting):
    return {
        **meeting_summary(meeting),
        "adoption": meeting.adoption_statement,
        "attendance": [
            {
                "delegation": {"name": row.delegation.name, "slug": row.delegation.slug, "kind": row.delegation.kind},
                "label": row.display_name,
                "status": row.status,
                "attendees": [
                    {
                        "honorific": attendee.honorific,
                        "name": attendee.representative.name,
                        "remote": attendee.remote,
                    }
                    for attendee in row.attendees.all()
                ],
            }
            for row in meeting.attendance_list()
        ],
        "items": [_item(item) for item in meeting.agenda()],
    }


@published_page
def api_meeting_list(request):
    meetings = Meeting.objects.published().select_related("presidency__delegation").order_by("-date")
    paginator = Paginator(meetings, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger:
        return _error(_("The page must be a whole number."), 400)
    except EmptyPage:
        return _error(_("There is no such page."), 404)
    here = absolute_url(reverse("portal:api_meeting_list"))
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "num_pages": paginator.num_pages,
            "next": f"{here}?page={page.next_page_number()}" if page.has_next() else None,
            "previous": f"{here}?page={page.previous_page_number()}" if page.has_previous() else None,
            "results": [meeting_summary(meeting) for meeting in page.object_list],
        }
    )


@published_page
def api_meeting_detail(request, meeting_date):
    try:
        day = date.fromisoformat(meeting_date)
    except ValueError:
        return _error(_("No published minutes for this date."), 404)
    meeting = (
        Meeting.objects.published()
        .select_related("presidency__delegation", "adopted_at_meeting")
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
