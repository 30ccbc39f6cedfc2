"""Minutes come in as the portal's own PDF, other PDFs, pdftotext output and Word files, and all read
the same (issue 12, points 1–3)."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.db import transaction

from meetings import importer, pdf
from meetings.models import Meeting
from meetings.record_json import record_document
from tests.meetings.importing import load_reference_data
from tests.seed import SEED_FILE, seed_lines

SEED_COUNTS = {"present": 19, "representatives": 27, "apologies": 2, "items": 20}


class Undo(Exception):
    pass


def without_keys(value):
    """A record document without its items' database keys, which a re-import cannot keep."""
    if isinstance(value, dict):
        return {k: without_keys(v) for k, v in value.items() if k != "key"}
    if isinstance(value, list):
        return [without_keys(v) for v in value]
    return value


def demo_pdfs(*, attachment=True):
    """{date: (official PDF bytes, its record)} of every demo meeting, rendered from a demo that is
    then rolled back, so that the test imports into a portal that has only the reference data."""
    rendered = {}
    try:
        with transaction.atomic():
            call_command("loaddemo", verbosity=0)
            for meeting in Meeting.objects.order_by("date"):
                record = without_keys(record_document(meeting))
                if attachment:
                    content = pdf.render_minutes_pdf(meeting)
                else:
                    content = pdf.render_html_to_pdf(pdf.minutes_html(meeting))
                rendered[meeting.date.isoformat()] = (content, record)
            raise Undo
    except Undo:
        pass
    except pdf.PdfUnavailable:
        pytest.skip("WeasyPrint cannot render here")
    return rendered


def seed_text_parsed():
    return importer.parse(SEED_FILE.read_text(encoding="utf-8"))


def shape(parsed):
    return (parsed.attendance, [(i["number"], i["title"], i["leads"]) for i in parsed.items])


# ------------------------------------------------------------------ 1. the portal's own PDF


def test_every_demo_meetings_official_pdf_imports_back_equal_to_its_record(db, tmp_path):
    rendered = demo_pdfs()
    load_reference_data()
    for day, (content, record) in rendered.items():
        path = tmp_path / f"{day}.pdf"
        path.write_bytes(content)
        parsed = importer.read_minutes(path)
        assert parsed.origin == "minutes.json"
        meeting = importer.write(parsed)
        assert parsed.exact
        again = without_keys(record_document(meeting))
        for key in ("attendance", "items"):
            assert again[key] == record[key], (day, key)
        for key in ("date", "starts_at", "ends_at", "venue", "presidency"):
            assert again["meeting"][key] == record["meeting"][key], (day, key)
    assert Meeting.objects.get(date="2018-09-25").attendance.filter(status="present").count() == 19
    items = [item for _content, record in rendered.values() for top in record["items"] for item in [top, *top["items"]]]
    assert any(item["action_points"] for item in items)
    assert any(item["decisions"] for item in items)
    assert any(
        person["remote"]
        for _c, record in rendered.values()
        for row in record["attendance"]
        for person in row["attendees"]
    )


def test_a_newer_schema_with_more_fields_is_read_from_the_fields_it_knows(db):
    load_reference_data()
    record = {
        "format": "ccm-portal/minutes/2",
        "schema_version": 2,
        "meeting": {
            "date": "2018-10-02",
            "starts_at": "10:00",
            "ends_at": "11:00",
            "venue": "Online",
            "circulated_on": "2018-10-05",
        },
        "attendance": [
            {
                "delegation": "Chile",
                "label": "",
                "representatives": [{"honorific": "Col.", "name": "Ana Pérez", "remote": True}],
            }
        ],
        "apologies": [{"delegation": "Peru", "label": "Peru"}],
        "items": [{"title": "Welcome", "leads": [], "body": "Hello.", "decisions": [{"text": "Agreed."}], "items": []}],
        "corrections": [{"item": "2", "text": "typo"}],
    }
    from meetings.importer.record import from_record

    parsed = from_record(record, importer.DelegationMatcher.from_db())
    assert parsed.summary() == {"present": 1, "representatives": 1, "apologies": 1, "items": 1}
    assert parsed.attendance[0]["representatives"] == [{"honorific": "Col.", "name": "Ana Pérez", "remote": True}]
    meeting = importer.write(parsed)
    assert parsed.exact
    assert meeting.agenda()[0].decisions.get().text == "Agreed."


def test_a_record_that_would_not_come_back_equal_is_refused_and_nothing_is_written(db):
    load_reference_data()
    from meetings.importer.record import from_record

    record = {
        "format": "ccm-portal/minutes/1",
        "meeting": {"date": "2018-10-02", "starts_at": "10:00", "ends_at": "11:00", "venue": ""},
        "attendance": [{"delegation": "Chile", "label": "", "representatives": []}],
        "apologies": [],
        "items": [{"title": "Welcome", "leads": [], "body": "Hello.", "items": []}],
    }
    parsed = from_record(record, importer.DelegationMatcher.from_db())
    record["items"][0]["body"] = "Something else."  # what the writer is held to
    with pytest.raises(importer.ImportProblem, match="differs in: items"):
        importer.write(parsed)
    assert not Meeting.objects.filter(date="2018-10-02").exists()


# ------------------------------------------------------------------ 2. other PDFs and pdftotext


def test_the_portals_own_pdf_without_its_attachment_reads_like_the_seed_text(db, tmp_path):
    content, _record = demo_pdfs(attachment=False)["2018-09-25"]
    path = tmp_path / "seed.pdf"
    path.write_bytes(content)
    load_reference_data()
    parsed = importer.read_minutes(path)
    assert parsed.origin == "text"
    assert parsed.summary() == SEED_COUNTS
    assert shape(parsed) == shape(seed_text_parsed())
    assert parsed.warnings == []
    assert parsed.meeting["venue"] == ""
    bodies = "\n".join(item["body"] for item in parsed.items)
    assert "CCM Coordination Committee ·" not in bodies
    assert "Page " not in bodies


def test_the_seeds_pdf_through_pdftotext_reads_the_same_counts_and_names_whom_it_may_have_misplaced(db, tmp_path):
    rendered = demo_pdfs(attachment=False)
    path = tmp_path / "seed.pdf"
    path.write_bytes(rendered["2018-09-25"][0])
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    load_reference_data()
    assert importer.parse(text).summary() == SEED_COUNTS
    call_command("loaddemo", verbosity=0)  # now the portal knows who represents whom
    parsed = importer.parse(text)
    assert parsed.summary() == SEED_COUNTS
    assert any(
        '"Ms. Nicola Brassil" is listed under Sweden but is known as a representative of Ireland' in w
        for w in parsed.warnings
    )
    bodies = "\n".join(item["body"] for item in parsed.items)
    assert "CCM Coordination Committee ·" not in bodies


def test_running_headers_and_page_numbers_in_text_with_form_feeds_are_dropped():
    text = (
        SEED_FILE.read_text(encoding="utf-8").replace(
            "\n5. Interactive",
            "\nPage 1 of 2\nCCM CC · 25 September 2018\n\x0cCCM CC · 25 September 2018\n5. Interactive",
        )
        + "\nPage 2 of 2\n"
    )
    parsed = importer.parse(text, matcher=importer.DelegationMatcher(_names()))
    assert parsed.summary() == SEED_COUNTS
    assert "CCM CC" not in "\n".join(item["body"] for item in parsed.items)


def _names():
    from tests.meetings.importing import demo_names

    return demo_names()


# ------------------------------------------------------------------ 3. Word files


def seed_docx():
    """The seed as the ISU would type it in Word: headings styled (numbers left to Word), the attendance
    as a table, the list in item 4 as a numbered list with its italics."""
    docx = pytest.importorskip("docx")
    document = docx.Document()
    lines = seed_lines()
    for line in lines[: lines.index("1. Present")]:
        document.add_paragraph(line)
    document.add_heading("Present", level=1)
    attendance = lines[lines.index("1. Present") + 1 : lines.index("Apologies")]
    table = document.add_table(rows=0, cols=2)
    row = None
    for line in attendance:
        if not line.startswith(("H.E.", "Mr.", "Ms.", "Dr.")):
            row = table.add_row().cells
            row[0].text = line
            row[1].text = ""
        else:
            row[1].text = f"{row[1].text}\n{line}".strip()
    document.add_paragraph("Apologies")
    for line in lines[lines.index("Apologies") + 1 : lines.index("2. Welcome Remarks")]:
        document.add_paragraph(line)
    import re

    for line in lines[lines.index("2. Welcome Remarks") :]:
        heading = re.match(r"^(\d+)\.(\d+)?\.? (.+)$", line)
        if heading and len(line) < 300 and not line.startswith(("1. *", "2. *", "3. *")):
            document.add_heading(heading.group(3), level=2 if heading.group(2) else 1)
        elif listed := re.match(r"^\d\. \*(.+?)\*(.*)$", line):
            paragraph = document.add_paragraph(style="List Number")
            paragraph.add_run(listed.group(1)).italic = True
            paragraph.add_run(listed.group(2))
        else:
            document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_of_the_seed_reads_like_the_seed_text(db, tmp_path):
    path = tmp_path / "seed.docx"
    path.write_bytes(seed_docx())
    load_reference_data()
    parsed = importer.read_minutes(path)
    assert parsed.summary() == SEED_COUNTS
    assert shape(parsed) == shape(seed_text_parsed())
    assert parsed.warnings == []
    item4 = parsed.items[2]["body"]
    assert "\n\n1. *CCM Universalization*: With" in item4


def test_a_damaged_word_file_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "minutes.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(importer.ImportProblem, match="readable .docx"):
        importer.read_source(path)
