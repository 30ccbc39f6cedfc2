import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_atom_feed_lists_published_minutes_only(client, demo):
    response = client.get("/feeds/minutes.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Minutes of the meeting of 25 September 2018"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/meetings/2018-09-25/")
    assert b"2018-11-13" not in response.content
    assert b"13 November" not in response.content


def test_the_calendar_lists_published_meetings_and_no_draft(client, demo):
    response = client.get("/feeds/meetings.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 1
    assert "UID:meeting-2018-09-25@" in text
    # 12:30 in Geneva's own zone, which the calendar describes (summer time: 10:30 UTC).
    assert "DTSTART;TZID=Europe/Zurich:20180925T123000" in text
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Zurich\r\n" in text
    assert "TZOFFSETTO:+0200" in text
    assert "20181113" not in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


@pytest.mark.parametrize("url", ["/", "/meetings/", "/meetings/2018-09-25/", "/search/"])
def test_every_page_links_both_feeds_in_its_head(client, demo, url):
    head = client.get(url).content.decode().split("</head>", 1)[0]
    assert '<link rel="alternate" type="application/atom+xml"' in head
    assert '<link rel="alternate" type="text/calendar"' in head
