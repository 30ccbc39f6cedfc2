"""The importer reads minutes in the committee's style and its variants, and never writes half a record."""

import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from delegations.models import Delegation, Representative
from meetings import importer
from meetings.models import AgendaItem, Attendance, Attendee, Meeting
from tests.meetings.importing import (
    INFORMAL_NO_YEAR,
    INTERLEAVED,
    NOT_MINUTES,
    ONE_PER_LINE,
    demo_names,
    load_reference_data,
)
from tests.seed import SEED_FILE, seed_lines

# The demo's delegations and their aliases (the DelegationAlias rows loaddemo creates), so that parser
# tests need no database.
MATCHER = importer.DelegationMatcher(demo_names())


def parse(text, **kwargs):
    return importer.parse(text, matcher=MATCHER, **kwargs)


@pytest.fixture
def reference(db):
    load_reference_data()


# ------------------------------------------------------------------ the seed


def test_the_seed_parses_to_the_issues_json_shape():
    data = json.loads(parse(SEED_FILE.read_text(encoding="utf-8")).to_json())
    assert set(data) == {"meeting", "attendance", "items", "previous_minutes", "warnings"}
    assert data["meeting"] == {
        "title": "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING",
        "date": "2018-09-25",
        "start": "12:30",
        "end": "14:30",
        "venue": "",
    }
    present = [row for row in data["attendance"] if row["status"] == "present"]
    assert len(present) == 19
    assert sum(len(row["representatives"]) for row in present) == 27
    assert [row["delegation"] for row in data["attendance"] if row["status"] == "apologies"] == ["Mozambique", "Zambia"]
    assert [item["number"] for item in data["items"]] == [
        "2", "3", "4", "5", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6", "6", "6.1", "6.2", "6.3", "6.4",
        "7", "7.1", "7.2", "7.3", "8",
    ]  # fmt: skip
    assert data["previous_minutes"] == {"date": "2018-08-30", "outcome": "correct_record"}
    assert data["warnings"] == []


def test_the_presidencys_role_suffix_stays_as_the_label():
    row = parse(SEED_FILE.read_text(encoding="utf-8")).attendance[0]
    assert (row["delegation"], row["label"]) == ("Sri Lanka", "Sri Lanka – 9MSP Presidency")
    assert row["representatives"][0] == {"honorific": "H.E. Mr.", "name": "Aliyar Lebbe Abdul Azeez", "remote": False}


def test_the_netherlands_is_the_netherlands_written_as_the_record_writes_it():
    rows = {row["delegation"]: row for row in parse(SEED_FILE.read_text(encoding="utf-8")).attendance}
    assert rows["Netherlands"]["label"] == "The Netherlands"


def test_the_numbered_list_in_item_4_stays_in_its_body_with_its_emphasis():
    item4 = parse(SEED_FILE.read_text(encoding="utf-8")).items[2]
    assert item4["title"] == "Overview of the Sri Lankan Presidency up to the 9MSP"
    assert "\n\n1. *CCM Universalization*: With" in item4["body"]
    assert "\n2. *Risk Reduction Education*:" in item4["body"]
    assert "\n3. *Reporting*:" in item4["body"]


def test_the_paragraph_broken_across_pages_is_rejoined():
    item61 = parse(SEED_FILE.read_text(encoding="utf-8")).items[11]
    assert item61["title"] == "ISU Chad Mission"
    assert "to assist as necessary that country in its implementation of CCM Article 4" in item61["body"]


def test_coordinators_in_a_heading_become_the_items_leads():
    items = {item["number"]: item for item in parse(SEED_FILE.read_text(encoding="utf-8")).items}
    assert (items["5.1"]["title"], items["5.1"]["leads"]) == ("Universalization", ["Panama", "Chile"])
    assert items["5.3"]["leads"] == ["Sweden", "Lao PDR"]
    assert items["5.4"]["leads"] == ["Netherlands", "Peru"]


def test_every_body_line_of_the_seed_is_kept_verbatim():
    parsed = parse(SEED_FILE.read_text(encoding="utf-8"))
    bodies = "\n".join(item["body"] for item in parsed.items)
    for line in seed_lines()[seed_lines().index("2. Welcome Remarks") :]:
        if len(line) > 300:
            assert line in bodies.replace("that country", "that\n\ncountry") or line in bodies


# ------------------------------------------------------------------ invented variants


def test_one_entry_per_line_with_page_footers_and_sub_item_numbers_on_their_own_line():
    parsed = parse(ONE_PER_LINE)
    assert parsed.meeting == {
        "title": "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING",
        "date": "2019-03-14",
        "start": "10:00",
        "end": "12:00",
        "venue": "Palais des Nations, Room XXIV",
    }
    rows = [(r["delegation"], r["label"], r["status"]) for r in parsed.attendance]
    assert rows == [
        ("Sri Lanka", "Sri Lanka - 9MSP Presidency", "present"),
        ("Netherlands", "The Netherlands", "present"),
        ("ISU CCM", "Secretariat - CCM ISU", "present"),
        ("Lao PDR", "Lao People's Democratic Republic", "apologies"),
        ("Bosnia and Herzegovina", "Bosnia-Herzegovina", "apologies"),
    ]
    assert parsed.attendance[0]["representatives"][1] == {"honorific": "Ms.", "name": "Ruwani Silva", "remote": True}
    assert [(i["number"], i["title"], i["leads"]) for i in parsed.items] == [
        ("2", "Approval of the Minutes of 12 February 2019", []),
        ("3", "Thematic updates", []),
        ("3.1", "Universalization", ["Panama", "Chile"]),
        ("3.2", "Victim Assistance", ["Ireland", "Spain"]),
        ("4", "Any Other Business", []),
    ]
    assert parsed.items[2]["body"] == "Panama reported on outreach in the Pacific, and recieved three replies."
    assert parsed.items[3]["body"] == "Ireland described plans for a retreat that would bring the Conventions together."
    assert parsed.items[4]["body"] == "None was raised."
    assert parsed.previous_minutes == {"date": "2019-02-12", "outcome": "with_corrections"}


def test_a_flattened_one_line_transcription_is_refused_with_a_clear_message():
    flattened = " ".join(line for line in ONE_PER_LINE.splitlines() if line)
    with pytest.raises(importer.ImportProblem) as problem:
        parse(flattened)
    assert problem.value.line == 1
    assert "lost its line breaks" in str(problem.value)


def test_informal_agenda_item_minutes_without_a_year_are_refused_without_a_date():
    with pytest.raises(importer.ImportProblem) as problem:
        parse(INFORMAL_NO_YEAR)
    assert problem.value.line == 2
    assert '"Thursday 7 November" has none; give --date' in str(problem.value)


def test_informal_agenda_item_minutes_read_with_the_date_given():
    parsed = parse(INFORMAL_NO_YEAR, default_date=date(2019, 11, 7))
    assert parsed.meeting["date"] == "2019-11-07"
    assert (parsed.meeting["start"], parsed.meeting["end"], parsed.meeting["venue"]) == ("15:00", "16:30", "online")
    assert [(i["number"], i["title"], i["leads"]) for i in parsed.items] == [
        ("2", "Welcome", []),
        ("3", "Universalization", ["Chile"]),
        ("4", "Date of the next meeting", []),
    ]
    assert parsed.items[1]["body"] == (
        "Chile updated the Committee on its *outreach*:\n\n"
        "1. a letter to Signatory States;\n2. a side event in New York."
    )
    ireland = parsed.attendance[1]["representatives"]
    assert ireland == [
        {"honorific": "Dr.", "name": "Fionnuala Byrne", "remote": False},
        {"honorific": "Mrs.", "name": "Aoife Kelly", "remote": True},
    ]


def test_a_person_listed_among_the_apologies_is_a_warning_not_a_guess():
    parsed = parse(INTERLEAVED)
    assert [r["delegation"] for r in parsed.attendance if r["status"] == "apologies"] == ["Mozambique", "Zambia"]
    assert all(not r["representatives"] for r in parsed.attendance if r["status"] == "apologies")
    assert len(parsed.warnings) == 1
    assert parsed.warnings[0].startswith("Line 9:")
    assert "Mr. Tomas Berger" in parsed.warnings[0]
    assert "interleaved" in parsed.warnings[0]
    assert (parsed.meeting["start"], parsed.meeting["end"]) == ("13:00", "14:30")


def test_unknown_delegations_are_listed():
    text = INTERLEAVED.replace("Austria", "Atlantis")
    assert parse(text).unknown_delegations == ["Atlantis"]


@pytest.mark.parametrize(
    "title_line",
    [
        "held on Tuesday, 25 September 2018",
        "held on Tuesday 25 September 2018",
        "Held on 25 September 2018",
    ],
)
@pytest.mark.parametrize("times", ["from 12:30 – 14:30 hours", "from 12:30 - 14:30 hours", "from 12:30 14:30 hours"])
def test_title_block_forms(title_line, times):
    text = SEED_FILE.read_text(encoding="utf-8")
    text = text.replace("held on Tuesday, 25 September 2018", title_line).replace("from 12:30 – 14:30 hours", times)
    meeting = parse(text).meeting
    assert (meeting["date"], meeting["start"], meeting["end"]) == ("2018-09-25", "12:30", "14:30")


def test_a_title_and_date_on_one_line_and_a_venue_after_the_times():
    text = INTERLEAVED.replace(
        "MEETING\nheld on Monday 3 June 2019\nfrom 13:00 14:30 hours",
        "MEETING Held on Monday 3 June 2019\nfrom 13:00 to 14:30 hours at the Palais des Nations",
    )
    meeting = parse(text).meeting
    assert meeting["title"] == "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING"
    assert (meeting["date"], meeting["start"], meeting["venue"]) == ("2019-06-03", "13:00", "the Palais des Nations")


def test_a_sub_item_written_without_its_final_dot_and_uppercase_headings_are_read():
    text = INTERLEAVED.replace("2. Welcome", "2. WELCOME\n2.1. First\nOne.\n2.2 Second\nTwo.")
    assert [(i["number"], i["title"]) for i in parse(text).items] == [
        ("2", "WELCOME"),
        ("2.1", "First"),
        ("2.2", "Second"),
    ]


def test_a_heading_that_skips_a_number_stays_in_the_body_with_a_warning():
    text = INTERLEAVED + "4. Any Other Business\nNothing.\n"
    parsed = parse(text)
    assert [i["number"] for i in parsed.items] == ["2"]
    assert any('"4. Any Other Business" looks like a heading' in w for w in parsed.warnings)


# ------------------------------------------------------------------ files it cannot read


def test_an_empty_file_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("  \n")
    with pytest.raises(importer.ImportProblem) as problem:
        importer.read_source(path)
    assert str(problem.value) == f"{path}, line 1: minutes text, but the file is empty"


def test_text_that_is_not_minutes_is_refused():
    with pytest.raises(importer.ImportProblem) as problem:
        parse(NOT_MINUTES)
    assert problem.value.line == 1
    assert "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING" in str(problem.value)


def test_a_corrupt_pdf_is_refused(tmp_path):
    path = tmp_path / "minutes.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without an end")
    with pytest.raises(importer.ImportProblem) as problem:
        importer.read_source(path)
    assert "minutes.pdf, line 1: a readable PDF" in str(problem.value)


def test_text_that_is_not_utf8_is_refused_with_its_line(tmp_path):
    path = tmp_path / "minutes.txt"
    path.write_bytes(b"MINUTES\nheld on 25 September 2018\n\xff\xfe broken")
    with pytest.raises(importer.ImportProblem) as problem:
        importer.read_source(path)
    assert problem.value.line == 3


def test_a_pdf_of_minutes_is_read(tmp_path):
    weasyprint = pytest.importorskip("weasyprint")
    paragraphs = "".join(f"<p>{line}</p>" for line in INTERLEAVED.splitlines())
    path = tmp_path / "minutes.pdf"
    path.write_bytes(weasyprint.HTML(string=f"<html><body>{paragraphs}</body></html>").write_pdf())
    parsed = parse(importer.read_source(path))
    assert parsed.meeting["date"] == "2019-06-03"
    assert [i["title"] for i in parsed.items] == ["Welcome"]
    assert parsed.attendance[0]["representatives"][0]["name"] == "Eva Gruber"


# ------------------------------------------------------------------ writing


def test_writing_the_variant_matches_people_tolerantly_and_keeps_honorifics(reference):
    Representative.objects.create(delegation=Delegation.objects.get(name="ISU CCM"), name="Sheila Mweemba")
    parsed = importer.parse(ONE_PER_LINE)
    meeting = importer.write(parsed)
    assert meeting.status == Meeting.Status.DRAFT
    assert Representative.objects.filter(name__contains="Mweemba").count() == 1
    assert any('"Sheila N. Mweemba" is taken to be Sheila Mweemba of ISU CCM' in w for w in parsed.warnings)
    isu = meeting.attendance.get(delegation__name="ISU CCM")
    assert isu.label == "Secretariat - CCM ISU"
    assert [str(a) for a in isu.attendees.all()] == ["Ms. Sheila Mweemba"]
    silva = Attendee.objects.get(representative__name="Ruwani Silva")
    assert silva.remote
    assert [(i.number, i.title) for i in meeting.agenda()] == [
        ("2", "Approval of the Minutes of 12 February 2019"),
        ("3", "Thematic updates"),
        ("4", "Any Other Business"),
    ]
    assert meeting.agenda()[1].children[0].leads_display == "Panama & Chile"


def test_the_same_minutes_twice_are_refused_and_nothing_changes(reference):
    importer.write(importer.parse(ONE_PER_LINE))
    counts = (Meeting.objects.count(), Attendance.objects.count(), AgendaItem.objects.count())
    with pytest.raises(importer.ImportProblem, match="already there"):
        importer.write(importer.parse(ONE_PER_LINE))
    assert (Meeting.objects.count(), Attendance.objects.count(), AgendaItem.objects.count()) == counts


def test_replace_rewrites_a_draft(reference):
    first = importer.write(importer.parse(ONE_PER_LINE))
    text = ONE_PER_LINE.replace("None was raised.", "Nothing was raised.")
    second = importer.write(importer.parse(text), replace=True)
    assert second.pk == first.pk
    assert second.agenda()[-1].body == "Nothing was raised."
    assert AgendaItem.objects.filter(meeting=second).count() == 5


def test_replace_refuses_adopted_minutes(reference):
    importer.write(importer.parse(ONE_PER_LINE), status="adopted", silence_procedure_ends=date(2019, 4, 1))
    with pytest.raises(importer.ImportProblem, match="adopted"):
        importer.write(importer.parse(ONE_PER_LINE), replace=True)


def test_unknown_delegations_are_created_only_when_asked(reference):
    parsed = importer.parse(INTERLEAVED.replace("Austria", "Atlantis"))
    with pytest.raises(importer.ImportProblem, match="Atlantis"):
        importer.write(parsed)
    assert not Delegation.objects.filter(name="Atlantis").exists()
    meeting = importer.write(parsed, create_delegations=True)
    assert meeting.attendance.first().delegation.name == "Atlantis"


def test_a_published_import_needs_to_say_how_it_was_adopted(reference):
    with pytest.raises(importer.ImportProblem, match="--adopted-at"):
        importer.write(importer.parse(ONE_PER_LINE), status="published")
    assert not Meeting.objects.exists()


def test_a_published_import_adopts_the_earlier_draft_minutes_it_names(reference):
    february = importer.write(importer.parse(ONE_PER_LINE.replace("14 March 2019", "12 February 2019")))
    march = importer.write(importer.parse(ONE_PER_LINE), status="published", silence_procedure_ends=date(2019, 4, 1))
    february.refresh_from_db()
    assert march.status == Meeting.Status.PUBLISHED
    assert february.status == Meeting.Status.ADOPTED
    assert february.adopted_at_meeting == march
    assert february.adoption_outcome == Meeting.AdoptionOutcome.WITH_CORRECTIONS


def test_a_draft_import_leaves_the_earlier_minutes_alone_and_says_so(reference):
    february = importer.write(importer.parse(ONE_PER_LINE.replace("14 March 2019", "12 February 2019")))
    parsed = importer.parse(ONE_PER_LINE)
    importer.write(parsed)
    february.refresh_from_db()
    assert february.status == Meeting.Status.DRAFT
    assert any("recorded once this meeting's own minutes" in w for w in parsed.warnings)


def test_a_date_outside_every_presidency_is_refused(reference):
    with pytest.raises(importer.ImportProblem, match="presidency"):
        importer.write(importer.parse(ONE_PER_LINE.replace("14 March 2019", "14 March 2001")))
    assert not Meeting.objects.exists()


# ------------------------------------------------------------------ properties

FRAGMENTS = [
    "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING",
    "held on Tuesday, 25 September 2018",
    "held on 31 February 2018",
    "Held on 3 June",
    "from 12:30 – 14:30 hours",
    "from 25:99 - 14:30",
    "1. Present",
    "PRESENT:",
    "Apologies",
    "Sri Lanka – 9MSP Presidency",
    "Atlantis",
    "H.E. Mr. Somebody",
    "Ms. Someone (via conference call)",
    "2. Welcome",
    "3. Adoption of the Minutes of 30 August",
    "3.1",
    "5.1. Thing (Panama & Atlantis)",
    "Agenda Item 2: Welcome",
    "Agenda Item 1: Welcome",
    "1. *A list*",
    "1|",
    "7",
    "",
    "The minutes were adopted with corrections.",
]
minutes_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=30), max_size=30).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.text() | minutes_like)
def test_arbitrary_text_gives_a_record_or_a_clean_error(text):
    try:
        parsed = parse(text)
    except importer.ImportProblem as problem:
        assert str(problem)
    else:
        json.loads(parsed.to_json())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(minutes_like)
def test_arbitrary_text_never_writes_partially(reference, text):
    before = (
        Meeting.objects.count(),
        Attendance.objects.count(),
        AgendaItem.objects.count(),
        Delegation.objects.count(),
    )
    try:
        meeting = importer.write(importer.parse(text), create_delegations=True)
    except importer.ImportProblem:
        after = (
            Meeting.objects.count(),
            Attendance.objects.count(),
            AgendaItem.objects.count(),
            Delegation.objects.count(),
        )
        assert after == before
    else:
        assert meeting.pk
        meeting.agenda_items.all().delete()
        meeting.attendance.all().delete()
        meeting.delete()


def test_a_paragraph_inside_the_attendance_is_refused_with_its_line():
    text = INTERLEAVED.replace("Ms. Eva Gruber", "Ms. Eva Gruber\n" + "The Committee met. " * 20)
    with pytest.raises(importer.ImportProblem) as problem:
        parse(text)
    assert problem.value.line == 7
    assert "not a paragraph" in str(problem.value)


def test_what_the_database_refuses_is_an_import_problem_and_nothing_is_written(reference):
    parsed = importer.parse(INTERLEAVED.replace("Austria", "Atlantis"))
    parsed.unknown_delegations.append("Atlantis!")  # two new names with one slug
    parsed.attendance.append(dict(parsed.attendance[0], delegation="Atlantis!"))
    with pytest.raises(importer.ImportProblem, match="refused"):
        importer.write(parsed, create_delegations=True)
    assert not Meeting.objects.exists()
    assert not Delegation.objects.filter(name__startswith="Atlantis").exists()


def test_the_portals_own_pdf_of_the_seed_reads_back_with_the_same_attendance_and_headings(demo, tmp_path):
    from meetings import pdf

    try:
        content = pdf.render_minutes_pdf(demo["2018-09-25"])
    except pdf.PdfUnavailable:
        pytest.skip("WeasyPrint cannot render here")
    path = tmp_path / "seed.pdf"
    path.write_bytes(content)
    from_pdf = importer.parse(importer.read_source(path))
    from_text = importer.parse(SEED_FILE.read_text(encoding="utf-8"))
    assert from_pdf.attendance == from_text.attendance
    assert [(i["number"], i["title"], i["leads"]) for i in from_pdf.items] == [
        (i["number"], i["title"], i["leads"]) for i in from_text.items
    ]
    assert from_pdf.unknown_delegations == []


def test_earlier_minutes_imported_as_published_find_the_later_meeting_that_adopted_them(reference):
    importer.write(importer.parse(ONE_PER_LINE), status="published", silence_procedure_ends=date(2019, 4, 1))
    parsed = importer.parse(ONE_PER_LINE.replace("14 March 2019", "12 February 2019"))
    february = importer.write(parsed, status="published")
    assert february.adopted_at_meeting.date == date(2019, 3, 14)
    assert february.adoption_outcome == Meeting.AdoptionOutcome.WITH_CORRECTIONS
    assert any("adopted at the meeting of 2019-03-14" in w for w in parsed.warnings)
