"""`manage.py import_minutes`: files in, records out, one transaction per file, clean errors."""

import io
import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from meetings.models import AgendaItem, Attendance, AuditEntry, Meeting
from tests.meetings.importing import INFORMAL_NO_YEAR, ONE_PER_LINE, load_reference_data
from tests.meetings.test_public_pages import page_text
from tests.seed import SEED_FILE, attendance_facts, heading_facts, in_order, paragraphs

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference(db):
    load_reference_data()


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_minutes", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def counts():
    return (Meeting.objects.count(), Attendance.objects.count(), AgendaItem.objects.count())


def test_dry_run_json_of_the_seed_has_its_attendance_and_items_and_writes_nothing(reference):
    out, _ = run(SEED_FILE, "--dry-run", "--format", "json")
    data = json.loads(out)
    present = [row for row in data["attendance"] if row["status"] == "present"]
    assert len(present) == 19
    assert sum(len(row["representatives"]) for row in present) == 27
    assert len([row for row in data["attendance"] if row["status"] == "apologies"]) == 2
    top = [item["number"] for item in data["items"] if "." not in item["number"]]
    assert top == ["2", "3", "4", "5", "6", "7", "8"]
    assert [i["number"] for i in data["items"] if i["number"].startswith("5.")] == [f"5.{n}" for n in range(1, 7)]
    assert counts() == (0, 0, 0)


def test_the_seed_round_trips_to_the_public_page_and_the_pdf(reference, client):
    out, _ = run(SEED_FILE, "--status", "published", "--silence-procedure-ends", "2018-10-26")
    assert "Imported" in out and "saved as published" in out
    text = page_text(client.get("/meetings/2018-09-25/"))
    assert "held on Tuesday, 25 September 2018 from 12:30 – 14:30 hours" in text
    assert in_order(text, ["1. Present", *attendance_facts()[:-2], "Apologies", "Mozambique", "Zambia"]) is None
    headings = [f"{number}{'' if '.' in number else '.'} {title}" for number, title in heading_facts()]
    assert in_order(text, headings) is None
    assert in_order(text, paragraphs()) is None
    assert "5.1 Universalization (Panama & Chile)" in text

    response = client.get("/meetings/2018-09-25/minutes.pdf")
    if response.status_code == 503:
        pytest.skip("WeasyPrint cannot render here")
    reader = PdfReader(io.BytesIO(response.content))
    pdf_text = " ".join(page.extract_text() for page in reader.pages)
    # A name wrapped at its hyphen ("Hernández-" / "Mora") is one name.
    pdf_text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", pdf_text.replace("-\n", "-")))
    assert in_order(pdf_text, attendance_facts()[:-2]) is None
    assert in_order(pdf_text, [title for _, title in heading_facts()]) is None
    for paragraph in paragraphs():
        # Folded whitespace and hyphenation aside, each paragraph's opening words are in the PDF.
        assert " ".join(paragraph.split()[:6]) in pdf_text


def test_importing_the_same_file_twice_is_refused_and_changes_nothing(reference):
    run(SEED_FILE)
    before = counts()
    with pytest.raises(CommandError, match="1 of 1 file"):
        run(SEED_FILE)
    assert counts() == before


def test_replace_rewrites_a_draft(reference):
    run(SEED_FILE)
    before = counts()
    out, _ = run(SEED_FILE, "--replace")
    assert "Imported" in out
    assert counts() == before


def test_importing_and_replacing_write_audit_rows(reference):
    run(SEED_FILE)
    meeting = Meeting.objects.get()
    assert list(AuditEntry.objects.filter(meeting=meeting).values_list("action", flat=True)) == ["imported"]
    run(SEED_FILE, "--replace")
    actions = list(AuditEntry.objects.filter(meeting=meeting).values_list("action", flat=True))
    assert actions == ["imported", "import.replaced", "imported"]
    replaced = AuditEntry.objects.get(meeting=meeting, action="import.replaced")
    assert replaced.changes["items"][0] == AgendaItem.objects.filter(meeting=meeting).count()


def test_a_date_without_a_year_and_no_date_option_fails_cleanly(reference, tmp_path):
    path = tmp_path / "informal.txt"
    path.write_text(INFORMAL_NO_YEAR, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_minutes", str(path), stderr=err, stdout=io.StringIO())
    assert f"{path}, line 2: a date with a year" in err.getvalue()
    assert counts() == (0, 0, 0)
    out, _ = run(path, "--date", "2019-11-07")
    assert Meeting.objects.get().date.isoformat() == "2019-11-07"


def test_each_file_is_its_own_transaction(reference, tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    good = tmp_path / "march.txt"
    good.write_text(ONE_PER_LINE, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 of 2 file"):
        call_command("import_minutes", str(bad), str(good), stderr=err, stdout=io.StringIO())
    assert "empty.txt, line 1: minutes text, but the file is empty" in err.getvalue()
    assert list(Meeting.objects.values_list("date", flat=True).order_by("date"))[0].isoformat() == "2019-03-14"


def test_unknown_delegations_need_create_delegations(reference, tmp_path):
    path = tmp_path / "m.txt"
    path.write_text(ONE_PER_LINE.replace("The Netherlands", "Atlantis"), encoding="utf-8")
    out, _ = run(path, "--dry-run")
    assert "Unknown delegations: Atlantis" in out
    with pytest.raises(CommandError):
        run(path)
    assert counts() == (0, 0, 0)
    run(path, "--create-delegations")
    assert Meeting.objects.count() == 1


def test_the_command_exits_non_zero_without_a_traceback(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4 not really")
    result = subprocess.run(
        [sys.executable, "manage.py", "import_minutes", str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode != 0
    assert "broken.pdf, line 1: a readable PDF" in result.stderr
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ a back catalogue at once


def test_a_directory_is_imported_in_date_order_so_later_minutes_adopt_earlier_ones(reference, tmp_path):
    (tmp_path / "a-march.txt").write_text(ONE_PER_LINE, encoding="utf-8")
    (tmp_path / "b-february.txt").write_text(
        ONE_PER_LINE.replace("14 March 2019", "12 February 2019"), encoding="utf-8"
    )
    out, _ = run(tmp_path, "--status", "published", "--silence-procedure-ends", "2019-04-01")
    february = Meeting.objects.get(date="2019-02-12")
    assert february.status == Meeting.Status.PUBLISHED
    march = Meeting.objects.get(date="2019-03-14")
    assert march.status == Meeting.Status.PUBLISHED
    table = out[out.index("FILE") :].splitlines()
    assert table[0].split() == ["FILE", "DATE", "OUTCOME", "WARNINGS"]
    assert [row.split()[1:3] for row in table[1:]] == [["2019-02-12", "imported"], ["2019-03-14", "imported"]]


def test_one_bad_file_in_a_batch_neither_stops_nor_half_writes_the_others(reference, tmp_path):
    (tmp_path / "1-good.txt").write_text(ONE_PER_LINE, encoding="utf-8")
    (tmp_path / "2-not-minutes.txt").write_text("Shopping list\nBread\n", encoding="utf-8")
    (tmp_path / "3-unknown.txt").write_text(
        ONE_PER_LINE.replace("14 March 2019", "2 May 2019").replace("The Netherlands", "Atlantis"), encoding="utf-8"
    )
    (tmp_path / "4-good.txt").write_text(ONE_PER_LINE.replace("14 March 2019", "20 June 2019"), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 of 4 file"):
        call_command(
            "import_minutes",
            *sorted(map(str, tmp_path.iterdir())),
            "--format",
            "json",
            stdout=out,
            stderr=io.StringIO(),
        )
    report = json.loads(out.getvalue())["files"]
    outcomes = {Path(entry["file"]).name: entry["outcome"] for entry in report}
    assert outcomes == {
        "1-good.txt": "imported",
        "2-not-minutes.txt": "refused",
        "3-unknown.txt": "refused",
        "4-good.txt": "imported",
    }
    refused = next(entry for entry in report if entry["file"].endswith("3-unknown.txt"))
    assert "Atlantis" in refused["error"] and refused["date"] == "2019-05-02"
    assert sorted(d.isoformat() for d in Meeting.objects.values_list("date", flat=True)) == ["2019-03-14", "2019-06-20"]
    assert not Meeting.objects.filter(date="2019-05-02").exists()
