"""The minutes PDF read back with pypdf: archival, tagged, complete, and the same every time."""

import datetime

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from meetings import pdf, workflow
from meetings.models import Meeting
from tests import pdf_reader
from tests.factories import write_up
from tests.seed import attendance_facts, heading_facts, in_order, paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_pdf(demo):
    return pdf.render_minutes_pdf(Meeting.objects.get(date="2018-09-25"))


def test_the_pdf_declares_pdf_a_3b_in_its_xmp(seed_pdf):
    assert pdf_reader.pdfa_identification(seed_pdf) == ("3", "B")


def test_the_pdf_is_tagged_and_says_its_language(seed_pdf):
    catalog = pdf_reader.catalog(seed_pdf)
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert catalog["/MarkInfo"]["/Marked"]


def test_every_font_is_embedded(seed_pdf):
    for page in pdf_reader.reader(seed_pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font


def test_metadata_names_the_meeting_the_author_and_dates_from_the_record(seed_pdf):
    metadata = pdf_reader.reader(seed_pdf).metadata
    assert metadata.title == "Minutes of the CCM Coordination Committee meeting of 25 September 2018"
    assert metadata.author == "Implementation Support Unit"
    assert "Convention on Cluster Munitions" in metadata.subject
    assert "2018-09-25" in metadata["/Keywords"]
    assert metadata.creation_date.date().isoformat() == "2018-09-25"
    # Adopted by silence procedure ending 26 October 2018.
    assert metadata.modification_date.date().isoformat() == "2018-10-26"


def test_rendering_the_same_record_twice_gives_identical_bytes(demo):
    meeting = Meeting.objects.get(date="2018-09-25")
    assert pdf.render_minutes_pdf(meeting) == pdf.render_minutes_pdf(meeting)


def test_minutes_json_equals_the_record(seed_pdf):
    data = pdf_reader.minutes_json(seed_pdf)
    meeting = Meeting.objects.get(date="2018-09-25")
    assert data["meeting"]["date"] == "2018-09-25"
    assert data["meeting"]["starts_at"] == "12:30"
    present = [row for row in data["attendance"] if row["status"] == "present"]
    people = [f"{person['honorific']} {person['name']}" for row in present for person in row["attendees"]]
    labels = [row["label"] for row in present]
    written = [fact for fact in attendance_facts() if fact not in ("Mozambique", "Zambia")]
    assert sorted(labels + people) == sorted(written)
    assert len(people) == sum(row.attendees.count() for row in meeting.attendance.all())
    assert [row["label"] for row in data["attendance"] if row["status"] == "apologies"] == ["Mozambique", "Zambia"]
    numbered = [(item["number"], item["title"]) for item in data["items"]]
    numbered += [(sub["number"], sub["title"]) for item in data["items"] for sub in item["items"]]
    assert sorted(numbered) == sorted(heading_facts())
    assert len(numbered) == meeting.agenda_items.count()
    item51 = data["items"][3]["items"][0]
    assert item51["number"] == "5.1" and item51["leads"] == ["Panama", "Chile"]
    assert any(point["text"].startswith("Present the outcomes") for point in item51["action_points"])
    assert data["items"][1]["decisions"]
    assert data["adoption"]["silence_procedure_ends_at"].startswith("2018-10-26")
    # The stored official record names the version it adopted.
    assert data["version"]["number"] == meeting.adopted_version.number == 1
    assert data == meeting.adopted_record


def test_the_outline_has_an_entry_for_every_item_and_sub_item(seed_pdf):
    outline = pdf_reader.outline_titles(seed_pdf)
    assert outline[0] == (0, "1. Present")
    for number, title in heading_facts():
        depth = 1 if "." in number else 0
        prefix = f"{number} " if "." in number else f"{number}. "
        assert any(d == depth and t.startswith(prefix + title[:30]) for d, t in outline), (number, title)
    assert len(outline) == 1 + Meeting.objects.get(date="2018-09-25").agenda_items.count()


def test_every_page_says_page_x_of_y(seed_pdf):
    pages = pdf_reader.page_texts(seed_pdf)
    for number, page_text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page_text


def test_pages_after_the_first_carry_a_running_header_with_the_committee_and_date(seed_pdf):
    pages = pdf_reader.page_texts(seed_pdf)
    assert all("CCM Coordination Committee · 25 September 2018" in page for page in pages[1:])


def test_the_running_header_names_the_adopted_version_briefly_and_the_full_sentence_stays_on_page_one(seed_pdf):
    pages = pdf_reader.page_texts(seed_pdf)
    statement = Meeting.objects.get(date="2018-09-25").adoption_statement
    assert statement in pages[0]
    assert all("Adopted — version 1" in page and statement not in page for page in pages[1:])


def test_every_fact_of_the_seed_is_in_the_pdf_in_order(seed_pdf):
    furniture = [
        "CCM Coordination Committee · 25 September 2018",
        Meeting.objects.get(date="2018-09-25").adoption_statement,
        "Adopted — version 1",
    ]
    text = pdf_reader.body_text(seed_pdf, furniture)
    assert "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING" in text
    assert "held on Tuesday, 25 September 2018" in text
    assert in_order(text, attendance_facts()) is None
    headings = [f"{number}{'' if '.' in number else '.'} {title}" for number, title in heading_facts()]
    assert in_order(text, headings) is None
    assert in_order(text, paragraphs()) is None


def test_adopted_minutes_say_how_they_were_adopted_and_carry_no_draft_mark(seed_pdf, demo):
    text = pdf_reader.text(seed_pdf)
    assert "Adopted by silence procedure ending 26 October 2018" in text
    assert "Draft" not in text
    assert pdf_reader.artifact_images(seed_pdf) == 0
    at_meeting = pdf_reader.text(pdf.render_minutes_pdf(Meeting.objects.get(date="2018-08-30")))
    assert "Adopted at the meeting of 25 September 2018" in at_meeting


def test_a_draft_is_marked_as_such_with_the_mark_as_page_background_not_text(demo):
    draft = Meeting.objects.get(date="2018-11-13")
    content = pdf.render_minutes_pdf(draft)
    text = pdf_reader.text(content)
    assert "Draft — not the official record" in text
    assert "DRAFT" not in text  # the big mark is artwork behind the page, not text
    pages = len(pdf_reader.reader(content).pages)
    assert all(pdf_reader.artifact_images(content, page) == 1 for page in range(pages))
    assert pdf_reader.minutes_json(content)["adoption"] is None


def test_circulated_minutes_name_their_version_and_its_circulation_day(demo, isu_staff):
    meeting = write_up(demo["2018-11-13"])
    version = workflow.circulate(meeting, by=isu_staff, comment_deadline=datetime.date.today() + datetime.timedelta(7))
    day = date_format(timezone.localtime(version.circulated_at), "j F Y")
    content = pdf.render_minutes_pdf(meeting)
    assert f"Draft — version 1, circulated on {day}" in pdf_reader.text(content)
    data = pdf_reader.minutes_json(content)
    assert data["version"] == {"number": 1, "circulated_at": version.circulated_at.isoformat()}
    assert data["adoption"] is None


def test_a_long_attendance_list_runs_over_pages_without_losing_anyone():
    from tests.factories import published_meeting

    meeting = published_meeting(items=2, delegations=60, sub_items=0)
    content = pdf.render_minutes_pdf(meeting)
    text = pdf_reader.body_text(content)
    people = [
        f"{attendee.honorific} {attendee.representative.name}"
        for row in meeting.attendance_list()
        for attendee in row.attendees.all()
    ]
    assert len(people) == 120
    assert [person for person in people if person not in text] == []
    assert len(pdf_reader.reader(content).pages) >= 3
