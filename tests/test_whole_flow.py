"""The whole life of a set of minutes, through the pages people use: drafted, circulated,
commented on, replied to, adopted at a later meeting, published, and read by the public."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from meetings.models import AuditEntry, Meeting, ReviewComment
from tests.factories import AgendaItemFactory, later_meeting, meeting_in

pytestmark = pytest.mark.django_db


def test_minutes_go_from_draft_to_the_public_through_the_pages(
    isu_staff, coordinator, django_capture_on_commit_callbacks
):
    isu_staff.email, coordinator.email = "alice@example.org", "bob@example.org"
    isu_staff.save()
    coordinator.save()
    meeting = meeting_in(Meeting.Status.DRAFT)
    later = later_meeting(meeting)
    # The later meeting's adoption item names these minutes (drafting.create_meeting links it so).
    adoption_item = AgendaItemFactory(meeting=later, title="Adoption of the Minutes", body="", minutes_to_adopt=meeting)
    day = meeting.date.isoformat()
    staff, coord, public = Client(), Client(), Client()
    staff.force_login(isu_staff)
    coord.force_login(coordinator)

    # A draft is invisible to coordinators and the public.
    assert coord.get(meeting.get_absolute_url()).status_code == 404
    assert public.get(meeting.get_absolute_url()).status_code == 404

    deadline = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("meetings:meeting_circulate", args=[day]), {"comment_deadline": deadline, "confirmed": "yes"}
        )
    assert [m.to for m in mail.outbox] == [["bob@example.org"]]

    review_page = coord.get(reverse("meetings:meeting_review", args=[day]))
    assert review_page.status_code == 200
    item_key = review_page.context["items"][0]["key"]
    coord.post(
        reverse("meetings:comment_create", args=[day]),
        {"item_key": item_key, "text": "Please name the speaker.", "proposed_text": "Chile thanked the Presidency."},
    )
    comment = ReviewComment.objects.get()

    staff.post(
        reverse("meetings:comment_reply", args=[day, comment.pk]),
        {"reply": "Will be in the adopted text.", "outcome": "incorporated"},
    )
    assert "Incorporated" in coord.get(reverse("meetings:meeting_review", args=[day])).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("meetings:meeting_adopt", args=[day]),
            {"at_meeting": later.pk, "outcome": "correct_record", "corrections": "", "confirmed": "yes"},
        )
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.ADOPTED
    adoption_item.refresh_from_db()
    assert adoption_item.body == "The Minutes were adopted as a correct record."
    assert public.get(meeting.get_absolute_url()).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("meetings:meeting_publish", args=[day]), {"confirmed": "yes"})

    page = public.get(meeting.get_absolute_url())
    assert page.status_code == 200
    assert f"Adopted at the meeting of {later.date:%-d %B %Y}" in page.content.decode()
    assert meeting.date.isoformat() in public.get(reverse("portal:meeting_archive")).content.decode()
    actions = list(AuditEntry.objects.filter(meeting=meeting).values_list("action", flat=True))
    assert actions == ["circulated", "comment.added", "comment.replied", "adopted", "published"]
    history = staff.get(reverse("meetings:meeting_history", args=[day])).content.decode()
    assert "alice published the minutes: they are now public." in history
    assert "with_corrections" not in history and "comment.added" not in history
