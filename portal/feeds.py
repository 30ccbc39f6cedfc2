"""Feeds of the published record: an Atom feed of newly published minutes and an ICS calendar.

The calendar lists the meetings whose minutes are published: a meeting enters the public record,
and so the calendar, only with its minutes; drafts never appear in either feed.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import record_json
from meetings.models import Meeting
from portal.caching import published_page
from portal.sitemaps import absolute_url

FEED_SIZE = 30
DEFAULT_LENGTH = timedelta(hours=2)


class MinutesFeed(Feed):
    feed_type = Atom1Feed
    title = gettext_lazy("CCM Coordination Committee: published minutes")
    subtitle = gettext_lazy(
        "Minutes of the Coordination Committee of the Convention on Cluster Munitions, as published."
    )

    def link(self):
        return absolute_url(reverse("portal:meeting_archive"))

    def feed_url(self):
        return absolute_url(reverse("portal:minutes_feed"))

    def items(self):
        return (
            Meeting.objects.published()
            .select_related("presidency__delegation")
            .order_by("-published_at", "-date")[:FEED_SIZE]
        )

    def item_title(self, meeting):
        return _("Minutes of the meeting of %(date)s") % {"date": date_format(meeting.date, "j F Y")}

    def item_description(self, meeting):
        # From the record as published (record_json), which a supersession may have corrected.
        titles = [item["title"] for item in record_json.document_for(meeting)["items"]]
        presidency = _("%(name)s Presidency (%(delegation)s)") % {
            "name": meeting.presidency.name,
            "delegation": meeting.presidency.delegation,
        }
        return f"{presidency}. {_('Agenda')}: {'; '.join(titles)}."

    def item_link(self, meeting):
        return absolute_url(meeting.get_absolute_url())

    def item_guid(self, meeting):
        return absolute_url(meeting.get_absolute_url())

    def item_pubdate(self, meeting):
        return meeting.published_at

    def item_updateddate(self, meeting):
        return meeting.published_at


minutes_feed = published_page(MinutesFeed())


ICS_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\r": "", "\n": "\\n"})


def _ics_text(value):
    return str(value).translate(ICS_ESCAPES)


def _fold(line):
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(value):
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_lines(meetings):
    host = urlsplit(settings.SITE_URL).hostname or "ccm-portal"
    yield from ("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CCM Portal//Coordination Committee meetings//EN")
    yield "CALSCALE:GREGORIAN"
    yield f"X-WR-CALNAME:{_ics_text(_('CCM Coordination Committee meetings'))}"
    local = timezone.get_default_timezone()
    for meeting in meetings:
        yield "BEGIN:VEVENT"
        yield f"UID:meeting-{meeting.date.isoformat()}@{host}"
        yield f"DTSTAMP:{_utc(meeting.published_at)}"
        if meeting.starts_at:
            start = datetime.combine(meeting.date, meeting.starts_at, tzinfo=local)
            end = start + DEFAULT_LENGTH
            if meeting.ends_at:
                end = datetime.combine(meeting.date, meeting.ends_at, tzinfo=local)
            yield f"DTSTART:{_utc(start)}"
            yield f"DTEND:{_utc(end)}"
        else:
            yield f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}"
            yield f"DTEND;VALUE=DATE:{meeting.date + timedelta(days=1):%Y%m%d}"
        yield f"SUMMARY:{_ics_text(_('CCM Coordination Committee meeting'))}"
        if meeting.venue:
            yield f"LOCATION:{_ics_text(meeting.venue)}"
        yield f"DESCRIPTION:{_ics_text(_('Minutes: %(url)s') % {'url': absolute_url(meeting.get_absolute_url())})}"
        yield f"URL:{absolute_url(meeting.get_absolute_url())}"
        yield "END:VEVENT"
    yield "END:VCALENDAR"


@published_page
def meetings_calendar(request):
    meetings = Meeting.objects.published().order_by("date")
    body = "".join(_fold(line) + "\r\n" for line in calendar_lines(meetings))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ccm-meetings.ics"'
    return response
