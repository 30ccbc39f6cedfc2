"""The text of a PDF in reading order (pdfminer.six layout analysis).

Columns are read one after the other, and running headers, footers and page numbers — the lines
that repeat at the top or bottom of the pages — are dropped, so they never reach the record.
"""

import io
import re
from collections import Counter

from django.utils.translation import gettext as _

from meetings.importer.problems import ImportProblem

# The top and bottom share of a page where running headers and footers sit.
MARGIN = 0.12
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$", re.I)


def _shape(text):
    """A running line's text without its page number, so "Page 2 of 5" and "Page 3 of 5" compare equal."""
    return re.sub(r"\d+", "#", text.strip().lower())


# Text on one baseline closer than this (points) is one line ("5." and its heading); farther apart, columns.
COLUMN_GAP = 40


def _pages(content):
    """Each page's size and text lines, as {"text", "x0", "x1", "top", "bottom"} measured from the top."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLine

    pages = []
    for page in extract_pages(io.BytesIO(content), laparams=LAParams(line_margin=0.4)):
        lines = []
        for element in page:
            if not isinstance(element, LTTextContainer):
                continue
            for line in [x for x in element if isinstance(x, LTTextLine)] or [element]:
                text = line.get_text().strip()
                if text:
                    top, bottom = page.height - line.y1, page.height - line.y0
                    lines.append({"text": text, "x0": line.x0, "x1": line.x1, "top": top, "bottom": bottom})
        pages.append({"width": page.width, "height": page.height, "lines": lines})
    return pages


def _running_lines(pages):
    """Shapes of the lines that repeat in the top or bottom margin of at least half the pages."""
    counts = Counter()
    for page in pages:
        counts.update({_shape(line["text"]) for line in page["lines"] if _in_margin(line, page)})
    needed = max(2, (len(pages) + 1) // 2)
    return {shape for shape, count in counts.items() if count >= needed}


def _in_margin(line, page):
    return line["bottom"] < page["height"] * MARGIN or line["top"] > page["height"] * (1 - MARGIN)


def _rows(lines):
    """Lines on one baseline, joined where they are close ("5." + "Welcome"), kept apart where far (columns)."""
    groups = []
    for line in sorted(lines, key=lambda x: (x["top"], x["x0"])):
        if groups and abs(groups[-1][0]["top"] - line["top"]) < 3:
            groups[-1].append(line)
        else:
            groups.append([line])
    rows = []
    for group in groups:
        row = []
        for line in sorted(group, key=lambda x: x["x0"]):
            if row and 0 <= line["x0"] - row[-1]["x1"] + 1 < COLUMN_GAP:
                last = row[-1]
                row[-1] = dict(last, text=f"{last['text']} {line['text']}", x1=max(last["x1"], line["x1"]))
            else:
                row.append(dict(line))
        rows.append(row)
    return rows


def _reading_order(lines):
    """Lines top to bottom; where lines stand side by side (a two-column attendance), the left
    column is read to its end before the right one, and what follows the columns after a gap
    (the apologies below them) after both."""
    if not lines:
        return []
    left, right = min(x["x0"] for x in lines), max(x["x1"] for x in lines)
    middle, narrow = (left + right) / 2, (right - left) * 0.55
    ordered, region = [], []

    def flush():
        columns = [[x for x in region if x["x0"] < middle], [x for x in region if x["x0"] >= middle]]
        if not columns[0] or not columns[1]:
            ordered.extend(region)
        else:
            end = min(max(x["bottom"] for x in column) for column in columns)
            within = [x for x in region if x["top"] < end + 2 * (x["bottom"] - x["top"])]
            after = [x for x in region if x not in within]
            ordered.extend(sorted(within, key=lambda x: (x["x0"] >= middle, x["top"])))
            ordered.extend(after)
        region.clear()

    for row in _rows(lines):
        if len(row) > 1 or (region and row[0]["x1"] - row[0]["x0"] < narrow):
            region.extend(row)
        else:
            flush()
            ordered.extend(row)
    flush()
    return ordered


def pdf_text(content, name):
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    try:
        pages = _pages(content)
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise ImportProblem(_("a readable PDF, but it is damaged or not a PDF"), file=name, line=1) from None
    except Exception as exc:  # pdfminer raises its own exception types for many kinds of damage
        if type(exc).__module__.startswith("pdfminer"):
            raise ImportProblem(_("a readable PDF, but it is damaged or not a PDF"), file=name, line=1) from None
        raise
    running = _running_lines(pages) if len(pages) > 1 else set()
    out = []
    for page in pages:
        kept = [
            line
            for line in page["lines"]
            if not (_in_margin(line, page) and (_shape(line["text"]) in running or PAGE_NUMBER_RE.match(line["text"])))
        ]
        text, previous = [], None
        for line in _reading_order(kept):
            # A gap of more than half a line, or a step back up the page (the next column), ends a paragraph.
            if previous and not (0 <= line["top"] - previous["bottom"] < 0.5 * (line["bottom"] - line["top"])):
                text.append("")
            text.append(line["text"])
            previous = line
        out.append("\n".join(text))
    text = "\n\n".join(out)
    if not text.strip():
        raise ImportProblem(_("a PDF with a text layer (a scanned PDF needs OCR first)"), file=name, line=1)
    return text
