"""Turn existing minutes (.txt, .pdf or .docx) into records: read the source, parse it, check it, write it.

The parser keeps the record as written: it removes only page artefacts and rejoins paragraphs that
a page break cut, and warns (rather than guesses) when the text is ambiguous.
"""

from meetings.importer.names import DelegationMatcher
from meetings.importer.parsing import ParsedMinutes, parse
from meetings.importer.problems import ImportProblem
from meetings.importer.reading import read_minutes, read_source
from meetings.importer.record import from_record
from meetings.importer.writing import check, link_previous_minutes, write

__all__ = [
    "DelegationMatcher",
    "ImportProblem",
    "ParsedMinutes",
    "check",
    "from_record",
    "link_previous_minutes",
    "parse",
    "read_minutes",
    "read_source",
    "write",
]
