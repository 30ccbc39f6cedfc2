"""Feeds of the public record: Atom feeds of newly published minutes and of their decisions, and
an ICS calendar.

The calendar lists announced meetings (meetings/calendar.py writes their announcement only) and
meetings whose minutes are published; a draft's content never appears in either feed.
"""

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings import calendar, record_json
from meetings.models import Meeting
from portal.caching import published_page
from portal.registers import published_decisions
from portal.sitemaps import absolute_url

FEED_SIZE = 30


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


class DecisionsFeed(Feed):
    """The decisions of the minutes published last, as their adopted records word them."""

    feed_type = Atom1Feed
    title = gettext_lazy("CCM Coordination Committee: decisions")
    subtitle = gettext_lazy("Decisions of the Coordination Committee, as its published minutes record them.")

    def link(self):
        return absolute_url(reverse("portal:decision_index"))

    def feed_url(self):
        return absolute_url(reverse("portal:decisions_feed"))

    def items(self):
        # Minutes published last come first; within them, decisions in reading order.
        return published_decisions(latest=FEED_SIZE)[:FEED_SIZE]

    def item_title(self, decision):
        return _("Item %(number)s, %(title)s: meeting of %(date)s") % {
            "number": decision.item_number,
            "title": decision.item_title,
            "date": date_format(decision.meeting.date, "j F Y"),
        }

    def item_description(self, decision):
        return decision.text

    def item_link(self, decision):
        return absolute_url(decision.url)

    def item_guid(self, decision):
        return f"{absolute_url(decision.url)}-decision-{decision.position}"

    def item_pubdate(self, decision):
        return decision.meeting.published_at

    def item_updateddate(self, decision):
        return decision.meeting.published_at


decisions_feed = published_page(DecisionsFeed())


@published_page
def meetings_calendar(request):
    """Announced meetings (cancelled ones marked so) and meetings whose minutes are published."""
    meetings = (
        (Meeting.objects.published() | Meeting.objects.announced()).prefetch_related("agenda_items").order_by("date")
    )
    response = HttpResponse(calendar.calendar(meetings), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ccm-meetings.ics"'
    return response
