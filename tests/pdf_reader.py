"""Read a PDF back with pypdf for tests: its text, outline, XMP, catalog and attachments."""

import io
import json
import re
import xml.etree.ElementTree as ET

from pypdf import PdfReader

PDFAID = "http://www.aiim.org/pdfa/ns/id/"


def reader(content):
    return PdfReader(io.BytesIO(content))


def text(content):
    """All pages' text, whitespace folded, for in-order checks."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader(content).pages))


def body_text(content, furniture=()):
    """The text of the pages without what repeats on every page (page numbers, the running
    header, `furniture`) or the list markers pypdf reads last, so paragraphs run across pages."""
    pages = []
    for page in page_texts(content):
        page = re.sub(r"Page \d+ of \d+", " ", page)
        for repeated in furniture:
            page = page.replace(repeated, " ")
        # Markers are short numbers after a space: a page ending "… due in March 2019." keeps its year.
        pages.append(re.sub(r"(\s+(•|\d{1,2}\.))+\s*$", "", page.strip()))
    text = re.sub(r"\s+", " ", " ".join(pages))
    # A line broken after a hyphen ("sub-" / "regions") reads back with a space after it.
    return re.sub(r"(\w)- (\w)", r"\1-\2", text)


def page_texts(content):
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader(content).pages]


def pdfa_identification(content):
    """(part, conformance) as the XMP metadata declares them."""
    root = reader(content).trailer["/Root"]
    xmp = ET.fromstring(root["/Metadata"].get_object().get_data())
    for element in xmp.iter():
        part = element.get(f"{{{PDFAID}}}part")
        if part is not None:
            return part, element.get(f"{{{PDFAID}}}conformance")
    return None, None


def catalog(content):
    return reader(content).trailer["/Root"]


def outline_titles(content):
    """The outline as (depth, title) pairs, depth 0 for top-level entries."""
    found = []

    def walk(entries, depth):
        for entry in entries:
            if isinstance(entry, list):
                walk(entry, depth + 1)
            else:
                found.append((depth, re.sub(r"\s+", " ", entry.title).strip()))

    walk(reader(content).outline, 0)
    return found


def minutes_json(content):
    attachments = reader(content).attachments
    return json.loads(attachments["minutes.json"][0])


def artifact_images(content, page=0):
    """How many images (XObjects) a page draws as artifacts, outside the tagged content."""
    data = reader(content).pages[page].get_contents().get_data()
    return len(re.findall(rb"/Artifact\s+BMC(?:(?!EMC).)*?\sDo\s", data, flags=re.S))
