"""The text of a Word (.docx) file, built from the document's structure (python-docx): heading
styles give the item numbers, list styles the lists, tables the attendance, italics and bold the
Markdown emphasis. Numbers Word adds itself are not in the text, so they are derived here."""

import io
import re
import zipfile

from django.utils.translation import gettext as _

from meetings.importer.problems import ImportProblem

TYPED_NUMBER_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*[.)]?\s")
ATTENDANCE_RE = re.compile(r"^(?:present|attendance|participants|in attendance)\s*:?$", re.I)


def _level(paragraph):
    """1 or 2 for a heading of that level, else None."""
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    match = re.match(r"^Heading\s+([12])$", name)
    return int(match.group(1)) if match else None


def _list_kind(paragraph):
    name = (paragraph.style.name if paragraph.style is not None else "") or ""
    if name.startswith("List Bullet"):
        return "bullet"
    if name.startswith("List Number"):
        return "number"
    properties = paragraph._p.pPr
    if properties is not None and properties.numPr is not None:
        return "number"
    return None


def _markdown(paragraph):
    """The paragraph's text, with runs in bold or italics as Markdown emphasis (neighbouring runs of
    one format joined first, as Word splits runs freely)."""
    groups = []
    for run in paragraph.runs:
        style = "**" if run.bold else "*" if run.italic else ""
        if groups and groups[-1][0] == style:
            groups[-1][1] += run.text
        else:
            groups.append([style, run.text])
    parts = []
    for style, text in groups:
        lead, core, trail = re.match(r"^(\s*)(.*?)(\s*)$", text, re.S).groups()
        parts.append(lead + (f"{style}{core}{style}" if core and style else core) + trail)
    return "".join(parts).strip()


def docx_text(content, name):
    try:
        from docx import Document
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - python-docx is a dependency
        raise ImportProblem(_("a .txt or .pdf file (.docx support is not installed)"), file=name) from None
    try:
        document = Document(io.BytesIO(content))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise ImportProblem(
            _("a readable .docx file, but it is damaged or not a Word document"), file=name, line=1
        ) from None
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines = []
    top = sub = 0
    listed = 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            for row in Table(element, document).rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell appears once per column it spans
                        continue
                    seen.add(id(cell._tc))
                    lines.extend(p.text.strip() for p in cell.paragraphs if p.text.strip())
                lines.append("")
            continue
        if tag != "p":
            continue
        paragraph = Paragraph(element, document)
        text = _markdown(paragraph)
        if not text:
            lines.append("")
            continue
        level, kind = _level(paragraph), _list_kind(paragraph)
        if level and not TYPED_NUMBER_RE.match(text):
            if level == 1:
                # The attendance is item 1; without a heading of its own, the first item is 2.
                top = top + 1 if top or ATTENDANCE_RE.match(text) else 2
                sub = 0
                text = f"{top}. {text}"
            else:
                sub += 1
                text = f"{top}.{sub} {text}"
        elif level and (typed := re.match(r"^(\d{1,2})(?:\.(\d{1,2}))?", text)):
            top, sub = int(typed.group(1)), int(typed.group(2) or 0)
        if kind == "number" and not level:
            listed += 1
            text = text if TYPED_NUMBER_RE.match(text) else f"{listed}. {text}"
        elif kind == "bullet" and not level:
            text = f"- {text}"
        else:
            listed = 0
        lines.append(text)
        if not kind:
            lines.append("")
    return "\n".join(lines)
