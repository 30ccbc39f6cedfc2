"""Meetings as iCalendar (RFC 5545): the public feed's events and the invitation's attachment.

Times are written in the meeting's own zone (TZID, with a VTIMEZONE block built from the zone's
transitions), so a calendar shows 12:30 Geneva time whatever the reader's zone. Only the
announcement goes in: date, times, venue, the provisional agenda's titles while announced; the
remote link only in the coordinators' invitation (`private=True`), never in the public feed.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.dispatch import Signal
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Meeting

# Sent once a change to an announcement commits: public pages cached for the old state are stale.
announcement_changed = Signal()

DEFAULT_LENGTH = timedelta(hours=2)
ICS_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\r": "", "\n": "\\n"})


def absolute_url(path):
    return settings.SITE_URL.rstrip("/") + path


def _text(value):
    return str(value).translate(ICS_ESCAPES)


def _fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    if len(line.encode()) <= 75:
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


def _offset(delta):
    minutes = int(delta.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def _transitions(zone, first_year, last_year):
    """[(utc instant, offset before, offset after, tzname after, is_dst)] between the two years."""
    found = []
    instant = datetime(first_year, 1, 1, tzinfo=UTC)
    end = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    previous = instant.astimezone(zone).utcoffset()
    while instant < end:
        following = instant + timedelta(days=1)
        if following.astimezone(zone).utcoffset() != previous:
            low, high = instant, following  # the change happens in (low, high]: find its minute
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == previous:
                    low = middle
                else:
                    high = middle
            local = high.astimezone(zone)
            found.append((high, previous, local.utcoffset(), local.tzname(), bool(local.dst())))
            previous = local.utcoffset()
        instant = following
    return found


def timezone_lines(name, years):
    """A VTIMEZONE for zone `name`, exact over `years` (the meetings' years)."""
    zone = ZoneInfo(name)
    first, last = min(years), max(years)
    start = datetime(first, 1, 1, tzinfo=UTC).astimezone(zone)
    yield "BEGIN:VTIMEZONE"
    yield f"TZID:{name}"
    rows = [
        (datetime(first, 1, 1, tzinfo=UTC), start.utcoffset(), start.utcoffset(), start.tzname(), bool(start.dst()))
    ]
    rows += _transitions(zone, first, last)
    for instant, before, after, tzname, is_dst in rows:
        kind = "DAYLIGHT" if is_dst else "STANDARD"
        # DTSTART is the local time, in the offset before the change, at which it happens.
        local = (instant + before).replace(tzinfo=None)
        yield f"BEGIN:{kind}"
        yield f"DTSTART:{local:%Y%m%dT%H%M%S}"
        yield f"TZOFFSETFROM:{_offset(before)}"
        yield f"TZOFFSETTO:{_offset(after)}"
        if tzname:
            yield f"TZNAME:{_text(tzname)}"
        yield f"END:{kind}"
    yield "END:VTIMEZONE"


def _description(meeting, *, private):
    url = absolute_url(meeting.get_absolute_url())
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting is cancelled. %(url)s") % {"url": url}
    if meeting.status == Meeting.Status.ANNOUNCED:
        # Titles only, from agenda_items (prefetched by the feed: one query for every meeting).
        agenda = AgendaItem.number_tree(list(meeting.agenda_items.all()))
        titles = [f"{item.number}. {item.title}" for top in agenda for item in [top, *top.children]]
        text = _("Provisional agenda:") + "\n" + "\n".join(titles) + f"\n\n{url}"
        if meeting.postponed_from:
            postponed = _("Postponed from %(date)s.") % {"date": date_format(meeting.postponed_from, "j F Y")}
            text = f"{postponed}\n\n{text}"
        if private and meeting.remote_link:
            text = _("Join remotely: %(link)s") % {"link": meeting.remote_link} + "\n\n" + text
        return text
    if meeting.status == Meeting.Status.PUBLISHED:
        return _("Minutes: %(url)s") % {"url": url}
    return _("Minutes in preparation. %(url)s") % {"url": url}


def _stamp(meeting):
    return meeting.published_at or meeting.announced_at or meeting.updated_at


def event_lines(meeting, *, private=False):
    host = urlsplit(settings.SITE_URL).hostname or "ccm-portal"
    yield "BEGIN:VEVENT"
    yield f"UID:{meeting.calendar_uid}@{host}"
    yield f"DTSTAMP:{_utc(_stamp(meeting))}"
    yield f"SEQUENCE:{meeting.ics_sequence}"
    start, end = meeting.local_times()
    if start is not None:
        end = end or start + DEFAULT_LENGTH
        yield f"DTSTART;TZID={meeting.time_zone}:{start:%Y%m%dT%H%M%S}"
        yield f"DTEND;TZID={meeting.time_zone}:{end:%Y%m%dT%H%M%S}"
    else:
        yield f"DTSTART;VALUE=DATE:{meeting.date:%Y%m%d}"
        yield f"DTEND;VALUE=DATE:{meeting.date + timedelta(days=1):%Y%m%d}"
    yield f"SUMMARY:{_text(_('CCM Coordination Committee meeting'))}"
    yield f"STATUS:{'CANCELLED' if meeting.status == Meeting.Status.CANCELLED else 'CONFIRMED'}"
    if meeting.venue:
        yield f"LOCATION:{_text(meeting.venue)}"
    yield f"DESCRIPTION:{_text(_description(meeting, private=private))}"
    yield f"URL:{absolute_url(meeting.get_absolute_url())}"
    yield "END:VEVENT"


def calendar(meetings, *, private=False, method=None):
    """The VCALENDAR text of `meetings` (CRLF lines, folded). `method` ("REQUEST", "CANCEL") for
    an invitation sent by email."""
    meetings = list(meetings)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CCM Portal//Coordination Committee meetings//EN"]
    lines += ["CALSCALE:GREGORIAN", f"X-WR-CALNAME:{_text(_('CCM Coordination Committee meetings'))}"]
    if method:
        lines.append(f"METHOD:{method}")
    zones = {}
    for meeting in meetings:
        if meeting.starts_at is not None:
            zones.setdefault(meeting.time_zone, set()).add(meeting.date.year)
    for name, years in sorted(zones.items()):
        lines += timezone_lines(name, years)
    for meeting in meetings:
        lines += event_lines(meeting, private=private)
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
