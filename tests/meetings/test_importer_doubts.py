"""The parser reads the shapes real minutes take, and says so when it is unsure (issue 12, point 4).

Every snippet is invented; only the demo's delegations and aliases are known to the matcher.
"""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from meetings import importer
from meetings.importer.parsing import structural_problems
from tests.meetings.importing import demo_names

MATCHER = importer.DelegationMatcher(demo_names())

TITLE = """\
MINUTES OF THE CCM COORDINATION COMMITTEE MEETING
held on Monday, 3 June 2019
from 13:00 – 14:30 hours
"""
ATTENDANCE = """\
1. Present
Austria
Ms. Eva Gruber
Chile
Mr. Pablo Rojas
Apologies
Zambia
"""


def minutes(items, *, title=TITLE, attendance=ATTENDANCE):
    return title + attendance + items


def parse(text, **kwargs):
    return importer.parse(text, matcher=MATCHER, **kwargs)


def numbers(parsed):
    return [item["number"] for item in parsed.items]


def warned(parsed, words):
    return any(words in warning for warning in parsed.warnings)


# ------------------------------------------------------------------ headings and lists


def test_a_numbered_list_ending_an_item_does_not_swallow_the_headings_after_it():
    parsed = parse(
        minutes(
            "2. Welcome\nThe President set out three aims:\n1. universalization;\n2. reporting;\n"
            "3. clearance.\n3. Universalization\nChile reported.\n4. Any Other Business\nNone.\n"
        )
    )
    assert numbers(parsed) == ["2", "3", "4"]
    assert parsed.items[0]["body"].endswith("1. universalization;\n2. reporting;\n3. clearance.")
    assert parsed.warnings == []


def test_a_heading_that_could_continue_the_list_is_read_as_a_heading_with_a_warning():
    parsed = parse(minutes("2. Welcome\nThree aims:\n1. Outreach\n2. Reporting\n3. Date of the next meeting\nSoon.\n"))
    assert numbers(parsed) == ["2", "3"]
    assert warned(parsed, "could continue the numbered list")


@pytest.mark.parametrize("heading", ["3.Universalization", "3) Universalization", "3.  Universalization"])
def test_headings_written_without_a_space_or_with_a_bracket_are_headings(heading):
    parsed = parse(minutes(f"2. Welcome\nThe President opened the meeting.\n{heading}\nChile reported.\n"))
    assert [(i["number"], i["title"]) for i in parsed.items] == [("2", "Welcome"), ("3", "Universalization")]


def test_a_heading_with_its_first_paragraph_on_the_same_line_is_split_with_a_warning():
    parsed = parse(
        minutes(
            "2. Welcome remarks. The President opened the meeting and welcomed the members of the "
            "Committee to the Permanent Mission, thanking them for coming at short notice.\n"
            "3. Any Other Business\nNone.\n"
        )
    )
    assert parsed.items[0]["title"] == "Welcome remarks"
    assert parsed.items[0]["body"].startswith("The President opened the meeting")
    assert warned(parsed, "first paragraph on the same line")


def test_a_paragraph_read_as_a_heading_is_a_warning():
    paragraph = "The President opened the meeting and " + "welcomed everyone present at length " * 8
    parsed = parse(minutes(f"2. {paragraph}\n3. Any Other Business\nNone.\n"))
    assert warned(parsed, "far longer than a heading")


@pytest.mark.parametrize(
    "wrapped",
    [
        "5. Update on the Preparations for the Tenth Meeting\nStates Parties\n\nThe President reported.",
        "5. Victim Assistance and the Survivors' Network\n(Austria & Chile)\n\nAustria reported.",
    ],
)
def test_a_long_heading_wrapped_onto_a_capitalised_or_bracketed_line_stays_whole(wrapped):
    parsed = parse(minutes(f"2. Welcome\n\nHello.\n\n3. Two\n\nText.\n\n4. Three\n\nText.\n\n{wrapped}\n"))
    last = parsed.items[-1]
    assert last["title"] in (
        "Update on the Preparations for the Tenth Meeting States Parties",
        "Victim Assistance and the Survivors' Network",
    )
    assert last["body"] in ("The President reported.", "Austria reported.")


def test_minutes_numbered_from_one_are_renumbered_from_two_with_a_warning():
    attendance = ATTENDANCE.replace("1. Present", "PRESENT:")
    parsed = parse(minutes("1. Welcome\nHello.\n2. Reporting\n2.1 Initial reports\nDue.\n", attendance=attendance))
    assert [(i["number"], i["title"]) for i in parsed.items] == [
        ("2", "Welcome"),
        ("3", "Reporting"),
        ("3.1", "Initial reports"),
    ]
    assert warned(parsed, "numbered from 1; renumbered from 2")


def test_a_heading_number_that_goes_backwards_is_a_warning():
    parsed = parse(minutes("2. Welcome\nHello.\n3. Reporting\nDue.\n2. Welcome again\nHello.\n"))
    assert warned(parsed, "goes backwards")


def test_fewer_items_than_headings_seen_is_a_warning():
    parsed = parse(minutes("2. Welcome\nHello.\n4. Reporting\nDue.\n5. Any Other Business\nNone.\n"))
    assert numbers(parsed) == ["2"]
    assert warned(parsed, "look like item headings but 1 items were read")


# ------------------------------------------------------------------ attendance


@pytest.mark.parametrize("heading", ["Apologies for absence", "Apologies:", "Excused"])
def test_apologies_headings_are_recognised(heading):
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=ATTENDANCE.replace("Apologies", heading)))
    assert [(r["delegation"], r["status"]) for r in parsed.attendance][-1] == ("Zambia", "apologies")


@pytest.mark.parametrize("heading", ["Absent:", "Apologies not received"])
def test_absent_delegations_are_not_recorded_as_present_and_the_import_says_so(heading):
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=ATTENDANCE.replace("Apologies", heading)))
    assert [(r["delegation"], r["status"]) for r in parsed.attendance][-1] == ("Zambia", "apologies")
    assert warned(parsed, "recorded as having sent apologies")


def test_apologies_listed_on_the_heading_line_are_read():
    parsed = parse(
        minutes("2. Welcome\nHello.\n", attendance=ATTENDANCE.replace("Apologies\nZambia", "Apologies: Zambia, Peru"))
    )
    assert [r["delegation"] for r in parsed.attendance if r["status"] == "apologies"] == ["Zambia", "Peru"]


def test_a_person_under_the_apologies_is_kept_in_the_delegations_label_with_a_warning():
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=ATTENDANCE + "Ms. Ada Lumbe\n"))
    zambia = parsed.attendance[-1]
    assert (zambia["delegation"], zambia["status"], zambia["label"]) == (
        "Zambia",
        "apologies",
        "Zambia – Ms. Ada Lumbe",
    )
    assert warned(parsed, '"Ms. Ada Lumbe" names a person after the apologies')


def test_a_delegation_and_its_representative_on_one_line_are_both_read():
    attendance = ATTENDANCE.replace("Austria\nMs. Eva Gruber", "Austria Ms. Eva Gruber")
    row = parse(minutes("2. Welcome\nHello.\n", attendance=attendance)).attendance[0]
    assert row["delegation"] == "Austria"
    assert row["representatives"] == [{"honorific": "Ms.", "name": "Eva Gruber", "remote": False}]


@pytest.mark.parametrize("honorific", ["Msgr.", "Col.", "Lt. Col.", "Sr.", "Miss", "Hon."])
def test_more_honorifics_are_people_not_delegations(honorific):
    attendance = ATTENDANCE.replace("Mr. Pablo Rojas", f"{honorific} Pablo Rojas")
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=attendance))
    assert parsed.attendance[1]["representatives"] == [{"honorific": honorific, "name": "Pablo Rojas", "remote": False}]
    assert parsed.unknown_delegations == []
    assert parsed.warnings == []


def test_an_unknown_honorific_is_read_as_a_person_with_a_warning():
    attendance = ATTENDANCE.replace("Mr. Pablo Rojas", "Cdte. Pablo Rojas")
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=attendance))
    assert parsed.attendance[1]["representatives"][0]["name"] == "Pablo Rojas"
    assert parsed.unknown_delegations == []
    assert warned(parsed, "is not one the importer knows")


def test_a_person_without_honorific_is_a_representative_with_a_warning():
    attendance = ATTENDANCE.replace("Mr. Pablo Rojas", "Mr. Pablo Rojas\nLucia Fernandez")
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=attendance))
    assert [p["name"] for p in parsed.attendance[1]["representatives"]] == ["Pablo Rojas", "Lucia Fernandez"]
    assert parsed.unknown_delegations == []
    assert warned(parsed, '"Lucia Fernandez" has no honorific')


def test_an_unknown_delegation_before_its_representatives_stays_a_delegation_with_a_warning():
    attendance = ATTENDANCE.replace("Chile\n", "Costa Rica\n")
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=attendance))
    assert parsed.attendance[1]["delegation"] == "Costa Rica"
    assert parsed.unknown_delegations == ["Costa Rica"]
    assert warned(parsed, '"Costa Rica" is not a known delegation or alias')


@pytest.mark.parametrize("written", ["(via Zoom)", "(online)", "(via MS Teams)", "(remote)"])
def test_remote_participation_notes_leave_the_name_and_set_the_flag(written):
    attendance = ATTENDANCE.replace("Ms. Eva Gruber", f"Ms. Eva Gruber {written}")
    person = parse(minutes("2. Welcome\nHello.\n", attendance=attendance)).attendance[0]["representatives"][0]
    assert person == {"honorific": "Ms.", "name": "Eva Gruber", "remote": True}


@pytest.mark.parametrize(
    ("line", "delegation"),
    [
        ("ICRC (Legal Division)", "ICRC"),
        ("Sri Lanka (9MSP President)", "Sri Lanka"),
        ("Cluster Munition Coalition (CMC)", "CMC"),
    ],
)
def test_a_delegation_with_a_note_in_brackets_is_matched_and_keeps_its_label(line, delegation):
    attendance = ATTENDANCE.replace("Chile\n", f"{line}\n")
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance=attendance))
    assert (parsed.attendance[1]["delegation"], parsed.attendance[1]["label"]) == (delegation, line)
    assert parsed.unknown_delegations == []


def test_a_lead_written_with_an_ampersand_inside_its_name_is_one_delegation():
    parsed = parse(minutes("2. Welcome\nHello.\n3. Clearance (Bosnia & Herzegovina and Chile)\nDone.\n"))
    assert parsed.items[1]["leads"] == ["Bosnia and Herzegovina", "Chile"]


# ------------------------------------------------------------------ title block and adoption


@pytest.mark.parametrize(
    ("written", "start", "end"),
    [
        ("from 3:00 – 5:00 p.m.", "15:00", "17:00"),
        ("from 11:30 a.m. to 1:00 p.m.", "11:30", "13:00"),
        ("from 11:00 – 1:00 pm", "11:00", "13:00"),
        ("from 13:00 – 14:30 hours", "13:00", "14:30"),
    ],
)
def test_times_with_am_and_pm_are_read_on_the_24_hour_clock(written, start, end):
    meeting = parse(minutes("2. Welcome\nHello.\n", title=TITLE.replace("from 13:00 – 14:30 hours", written))).meeting
    assert (meeting["start"], meeting["end"]) == (start, end)


@pytest.mark.parametrize(
    "title",
    [
        TITLE.replace("from 13:00", "at the Permanent Mission of Chile, 13:00"),
        TITLE.replace("from 13:00", "Permanent Mission of Chile\nfrom 13:00"),
    ],
)
def test_a_venue_before_the_time_is_kept(title):
    assert parse(minutes("2. Welcome\nHello.\n", title=title)).meeting["venue"].endswith("Permanent Mission of Chile")


def test_a_circulation_date_in_the_title_block_is_not_the_meeting_date():
    title = TITLE.replace("MEETING\n", "MEETING\nDraft circulated on 20 June 2019\n")
    assert parse(minutes("2. Welcome\nHello.\n", title=title)).meeting["date"] == "2019-06-03"


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        ("The minutes of 2 May 2019 were approved with one correction.", "with_corrections"),
        ("The minutes of 2 May 2019 were adopted as amended.", "with_corrections"),
        ("As there were no corrections, the minutes of 2 May 2019 were adopted.", "correct_record"),
    ],
)
def test_the_outcome_of_the_earlier_minutes_follows_the_text(body, outcome):
    parsed = parse(minutes(f"2. Adoption of the Minutes\n{body}\n"))
    assert parsed.previous_minutes == {"date": "2019-05-02", "outcome": outcome}


def test_the_date_of_the_minutes_adopted_is_the_one_the_text_gives_as_theirs():
    body = "Following the workshop of 12 April 2019, the minutes of the meeting held on 2 May 2019 were adopted."
    assert parse(minutes(f"2. Adoption of the Minutes\n{body}\n")).previous_minutes["date"] == "2019-05-02"


# ------------------------------------------------------------------ body text


def test_a_body_line_that_is_only_a_number_is_kept():
    parsed = parse(minutes("2. Reports received\n\nThe number of initial reports received:\n\n14\n\nMore were due.\n"))
    assert parsed.items[0]["body"] == "The number of initial reports received:\n\n14\n\nMore were due."


def test_page_numbers_that_count_the_pages_are_dropped():
    parsed = parse(minutes("2. Welcome\n\nThe President opened\n\n2\n\nthe meeting.\n\n3. Close\n\nDone.\n\n3\n"))
    assert parsed.items[0]["body"] == "The President opened the meeting."
    assert parsed.items[1]["body"] == "Done."


def test_hard_wrapped_paragraphs_do_not_break_where_a_line_ends_with_a_full_stop():
    body = (
        "The President opened the meeting and recalled the work plan agreed in\n"
        "Geneva. He thanked the Coordinators for their reports on the plan and\n"
        "asked them to send their updates to the ISU before the next meeting.\n"
        "The Committee agreed to meet again in the second week of November and\n"
        "asked the ISU to circulate the draft work plans two weeks before that.\n"
        "Chile asked that the plans name a contact point for each of the areas.\n"
        "Short line.\n"
    )
    parsed = parse(minutes(f"2. Welcome\n{body}3. Close\nDone.\n"))
    paragraphs = parsed.items[0]["body"].split("\n\n")
    assert paragraphs[0].startswith("The President opened the meeting and recalled the work plan agreed in Geneva. He")
    assert "two weeks before that. Chile asked" in paragraphs[0]


# ------------------------------------------------------------------ structural checks


def test_no_one_present_is_a_warning():
    parsed = parse(minutes("2. Welcome\nHello.\n", attendance="1. Present\nApologies\nZambia\n"))
    assert warned(parsed, "No delegation is recorded as present")


FRAGMENTS = [
    "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING",
    "held on Tuesday, 25 September 2018",
    "Circulated on 2 October 2018",
    "from 3:00 – 5:00 p.m.",
    "1. Present",
    "PRESENT:",
    "Apologies for absence",
    "Absent: Zambia, Peru",
    "Austria Ms. Eva Gruber",
    "Col. Jan Novak (via Zoom)",
    "Lucia Fernandez",
    "ICRC (Legal Division)",
    "Atlantis",
    "1. Welcome",
    "2. Welcome",
    "3.Reporting",
    "4) Any Other Business",
    "3.1",
    "2. Adoption of the Minutes",
    "The minutes of 2 May 2018 were approved with one correction.",
    "1. a list entry;",
    "2. another.",
    "14",
    "",
    "A paragraph of the record that is long enough to be a paragraph, and then some more words. " * 2,
]
minutes_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=20), max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None)
@given(st.text() | minutes_like)
def test_any_record_read_without_a_warning_passes_the_structural_checks(text):
    try:
        parsed = parse(text)
    except importer.ImportProblem as problem:
        assert str(problem)
        return
    if not parsed.warnings:
        assert structural_problems(parsed) == []
