"""Minutes text to a ParsedMinutes: the record as written, with warnings where the text is ambiguous."""

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from meetings.importer.names import ROLE_SPLIT_RE, DelegationMatcher
from meetings.importer.problems import ImportProblem

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
DATE_RE = re.compile(
    rf"(?:{WEEKDAY},?\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({'|'.join(MONTHS)})(?:,?\s+(\d{{4}}))?\b", re.I | re.A
)
MERIDIEM = r"(?:\s*([ap])\.?\s?m\.?(?![a-z]))?"
TIME_RE = re.compile(
    rf"(\d{{1,2}})[:.h](\d{{2}}){MERIDIEM}\s*(?:hours|hrs|h)?\s*(?:–|—|-|to|until|and)?\s*"
    rf"(\d{{1,2}})[:.h](\d{{2}}){MERIDIEM}",
    re.I | re.A,
)
# Words that make a date in the title block something other than the meeting's date.
NOT_MEETING_DATE_RE = re.compile(
    r"(?:circulat|distribut|issued|sent|prepared|dated|revised|deadline|comments?|draft\s+of|updated|adopted|ending)"
    r"\w*\W*(?:on|by|until|before|silence\s+procedure\s+ending)?\W*(?:\w+,?\s+)?$",
    re.I,
)
TITLE_RE = re.compile(r"\bminutes\b", re.I)
PRESENT_RE = re.compile(
    r"^(?:1\s*[.)]?\s*)?(?:present|attendance|participants|in attendance|members present|attended by)\s*:?$", re.I
)
# Delegations that sent apologies; "absent" ones are recorded the same way, with a warning.
APOLOGIES_RE = re.compile(
    r"^(?:(apologies|apologies received|apologies for absence|excused|regrets)"
    r"|(absent|apologies not received|absent without apologies|not present))\s*(?::\s*(.*))?$",
    re.I,
)
HONORIFIC_TOKEN = (
    r"(?:H\.\s?E\.|S\.\s?E\.|Amb\.|Ambassador|Mrs\.?|Mr\.?|Ms\.?|Miss|Dr\.?|Prof\.?|Mme\.?|Mlle\.?|M\."
    r"|Msgr\.?|Mgr\.?|Lt\.\s?Col\.|Lt\.|Col\.|Gen\.|Brig\.|Maj\.|Capt\.|Cdr\.|Sr\.|Sra\.|Srta\.|Hon\.|Rev\.|Sir|Dame)"
)
PERSON_RE = re.compile(rf"^({HONORIFIC_TOKEN}(?:\s+{HONORIFIC_TOKEN})*)\s+(\S.*)$")
# "Austria Ms. Eva Gruber": a delegation and its representative on one line.
INLINE_PERSON_RE = re.compile(rf"^(.+?)\s*[,:–—-]?\s+({HONORIFIC_TOKEN}(?:\s+{HONORIFIC_TOKEN})*)\s+(\S.*)$")
# "Cpt. Jane Roe", "Sgt Jan Novak": a short title-cased word ending in a dot, then a name.
UNKNOWN_HONORIFIC_RE = re.compile(r"^((?:[A-Z][a-z]{0,4}\.\s?)+)\s*([A-Z][\w'’-]+(?:\s+[\w'’.-]+){1,4})$")
# A personal name without honorific: two to five capitalised words, letters only.
BARE_NAME_RE = re.compile(r"^[A-Z][\w'’-]+(?:\s+(?:[A-Z][\w'’.-]*|de|da|del|van|von|der|la|le|bin|al)){1,4}$")
REMOTE_RE = re.compile(
    r"\s*\((?:(?:via|by|on)\s+[^()]{1,40}|online|remote(?:ly)?|virtual(?:ly)?|remote participation)\)\s*$", re.I
)
TOP_RE = re.compile(r"^(\d{1,2})(?:\.|\))\s*(?=[^\d\s.)])(\S.*)$")
SUB_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
NUMBER_ALONE_RE = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?\.$|^(\d{1,2})\.(\d{1,2})$")
AGENDA_ITEM_RE = re.compile(r"^agenda\s+item\s+(\d{1,2})(?:\.(\d{1,2}))?\s*[:.–—-]\s*(\S.*)$", re.I)
LIST_ITEM_RE = re.compile(r"^(\d{1,2})[.)]\s+\S|^[-*•]\s+\S")
PAGE_ARTEFACT_RE = re.compile(
    r"^(?:\d{1,3}\s*\|.*|\|\s*\d{1,3}|page\s+\d{1,3}(?:\s+of\s+\d{1,3})?|-\s*\d{1,3}\s*-)$", re.I
)
# A line that is only a number is a page number only when such lines count the pages (1, 2, 3 …).
BARE_NUMBER_RE = re.compile(r"^\d{1,3}$")
# A heading longer than this may carry its first paragraph (split where a sentence ends) …
SPLIT_HEADING = 120
# … and one longer than this is far longer than any heading the records hold (the seed's longest is 182).
LONG_HEADING = 220
HEADING_BREAK_RE = re.compile(r"(?<=[\w)\]])(?:[.:]|\s[–—-])\s+(?=[A-Z“\"])|(?<=\))\s+(?=[A-Z])")
WRAPPED_TITLE_END = r"\b(?:the|of|and|on|to|for|in|with|by|a|an|up|from|at)$"
LEADS_RE = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
PREVIOUS_MINUTES_RE = re.compile(r"\b(?:adoption|approval)\s+of\s+(?:the\s+)?(?:draft\s+)?minutes\b", re.I)
CORRECTED_RE = re.compile(
    r"\bwith\s+(?:the\s+|a\s+|one\s+|two\s+|three\s+|some\s+|minor\s+|several\s+)*(?:following\s+)?"
    r"(?:corrections?|amendments?|changes?|modifications?|revisions?)\b|\bsubject\s+to\b|\bamended\b|\bcorrected\b",
    re.I,
)
# Words before a date that name the minutes being adopted ("the minutes of", "the meeting held on").
ADOPTED_DATE_CUE_RE = re.compile(r"(?:minutes|meeting|held)\W+(?:\w+\W+){0,3}$", re.I)
MAX_TITLE = 300
# The longest delegation label, representative name and honorific the records hold.
MAX_NAME = 200
MAX_HONORIFIC = 40
# A title block line this long has lost its line breaks: the whole transcription is on one line.
FLATTENED_AT = 400


@dataclass
class ParsedMinutes:
    meeting: dict
    attendance: list = field(default_factory=list)
    items: list = field(default_factory=list)
    previous_minutes: dict | None = None
    warnings: list = field(default_factory=list)
    unknown_delegations: list = field(default_factory=list)
    # "text" when parsed from the minutes' text; "minutes.json" when read from the portal's own record.
    origin: str = "text"
    record: dict | None = None
    # Set once the record written from minutes.json was compared with it and found equal.
    exact: bool = False
    # The source line of each warning (None where it has none) and of each item, for the review screen.
    warning_lines: list = field(default_factory=list)
    item_lines: list = field(default_factory=list)

    def warnings_with_lines(self):
        """(line or None, warning) for every warning, including those added after parsing."""
        lines = self.warning_lines + [None] * (len(self.warnings) - len(self.warning_lines))
        return list(zip(lines, self.warnings, strict=False))

    def as_dict(self):
        data = asdict(self)
        for key in ("unknown_delegations", "origin", "record", "exact", "warning_lines", "item_lines"):
            data.pop(key)
        return data

    def to_json(self):
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    @property
    def date(self):
        return date.fromisoformat(self.meeting["date"])

    def summary(self):
        present = [row for row in self.attendance if row["status"] == "present"]
        return {
            "present": len(present),
            "representatives": sum(len(row["representatives"]) for row in present),
            "apologies": len(self.attendance) - len(present),
            "items": len(self.items),
        }


def parse(text, default_date=None, matcher=None):
    """ParsedMinutes from the text of one set of minutes, or ImportProblem."""
    return _Parser(text, default_date, matcher or DelegationMatcher.from_db()).run()


def _page_numbers(lines):
    """Indexes of the lines that are only a number and, read in order, count pages (2, 3, 4 …)."""
    numbered = [(index, int(line)) for index, (_n, line) in enumerate(lines) if BARE_NUMBER_RE.match(line)]
    if len(numbered) < 2:
        return set()
    values = [value for _index, value in numbered]
    if all(b == a + 1 for a, b in zip(values, values[1:], strict=False)):
        return {index for index, _value in numbered}
    return set()


def _drop_running_lines(text):
    """Text whose pages (split at form feeds, as pdftotext writes them) repeat a header or footer:
    the lines among the first or last three of at least half the pages, page numbers aside, are dropped."""
    pages = text.split("\x0c")
    if len([page for page in pages if page.strip()]) < 2:
        return text

    def shape(line):
        return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line).strip().lower())

    counts = {}
    for page in pages:
        lines = [line for line in page.split("\n") if line.strip()]
        for key in {shape(line) for line in lines[:3] + lines[-3:]}:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    running = {key for key, count in counts.items() if count >= needed and not TITLE_RE.search(key)}
    if not running:
        return text
    kept = []
    for page in pages:
        lines = page.split("\n")
        content = [i for i, line in enumerate(lines) if line.strip()]
        edges = set(content[:3] + content[-3:])
        kept.append("\n".join("" if i in edges and shape(line) in running else line for i, line in enumerate(lines)))
    return "\x0c".join(kept)


def _heading_like(line):
    """(number, minor or None) when the line has the shape of an item heading, whatever its number."""
    if len(line) > LONG_HEADING or line.endswith((".", ";", ",")):
        return None
    if match := AGENDA_ITEM_RE.match(line):
        return int(match.group(1)), match.group(2) and int(match.group(2))
    if match := SUB_RE.match(line):
        return int(match.group(1)), int(match.group(2))
    if (match := TOP_RE.match(line)) and not match.group(2).startswith(("*", "_")):
        return int(match.group(1)), None
    return None


class _Parser:
    def __init__(self, text, default_date, matcher):
        self.matcher = matcher
        self.default_date = default_date
        self.warnings = []
        self.warning_lines = []
        self.messages = set()  # the warnings' messages without their line, so that a check says each once
        self.item_lines = []
        self.unknown = []
        self.renumbered = False
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        text = _drop_running_lines(text.replace("\u00a0", " ").replace("\ufeff", ""))
        text = text.replace("\x0c", "\n")
        # (line number, stripped text); blank lines kept as "" to mark paragraph breaks.
        self.lines = []
        for number, raw in enumerate(text.split("\n"), start=1):
            line = re.sub(r"[ \t]+", " ", raw).strip()
            if line and PAGE_ARTEFACT_RE.match(line):
                line = ""
            self.lines.append((number, line))
        pages = _page_numbers(self.lines)
        self.lines = [(n, "" if index in pages else line) for index, (n, line) in enumerate(self.lines)]

    def warn(self, line, message):
        self.warnings.append(_("Line {line}: {message}").format(line=line, message=message) if line else message)
        self.warning_lines.append(line)
        self.messages.add(message)

    def run(self):
        content = [(n, line) for n, line in self.lines if line]
        if not content:
            raise ImportProblem(_("minutes text, but there is none"), line=1)
        title_at = next((i for i, (_number, line) in enumerate(content) if TITLE_RE.search(line)), None)
        present_at = next((i for i, (_number, line) in enumerate(content) if PRESENT_RE.match(line)), None)
        if title_at is None or (present_at is not None and present_at < title_at):
            raise ImportProblem(
                _('minutes: a title such as "MINUTES OF THE CCM COORDINATION COMMITTEE MEETING"'), line=content[0][0]
            )
        title_line, title = content[title_at]
        if len(title) > FLATTENED_AT or (
            present_at is None and any(len(x) > FLATTENED_AT * 5 for _number, x in content)
        ):
            raise ImportProblem(
                _(
                    "one heading, name or paragraph per line; this text has lost its line "
                    "breaks ({length} characters on one line). Re-extract it from the "
                    "original document keeping line breaks."
                ).format(length=len(max((x for _number, x in content), key=len))),
                line=title_line,
            )
        if present_at is None:
            raise ImportProblem(_('the attendance, headed "1. Present" (or "PRESENT:")'), line=title_line)
        meeting = self.title_block(content[title_at:present_at])
        rest = [entry for entry in self.lines if entry[0] > content[present_at][0]]
        attendance, rest = self.attendance(rest)
        for row in attendance:
            row.pop("_remote")
        items = self.items(rest, content[present_at][0])
        previous = self.previous_minutes(items, date.fromisoformat(meeting["date"]))
        parsed = ParsedMinutes(
            meeting=meeting, attendance=attendance, items=items, previous_minutes=previous, warnings=self.warnings
        )
        parsed.unknown_delegations = self.unknown
        for problem in structural_problems(parsed, rest):
            if problem not in self.messages:
                self.warn(None, problem)
        parsed.warning_lines, parsed.item_lines = self.warning_lines, self.item_lines
        return parsed

    # -- title block

    def title_block(self, block):
        title_line, title = block[0]
        dates, found_time = [], None
        venue = ""
        time_index = None
        for index, (number, line) in enumerate(block):
            for match in DATE_RE.finditer(line):
                dates.append((number, match, bool(NOT_MEETING_DATE_RE.search(line[: match.start()]))))
            if found_time is None and (match := TIME_RE.search(line)):
                found_time, time_index = match, index
                after = re.sub(r"^\s*(?:hours|hrs)\b", "", line[match.end() :], flags=re.I)
                after = re.sub(r"^[\s,;:–—-]*(?:at|in)?\s*", "", after).strip(" .,")
                before = _venue_before(line[: match.start()])
                venue = after or before
        if found_time and not venue:
            # The venue on a line of its own, after the times or between the title and the times.
            for index, (_number, line) in enumerate(block):
                if index == 0 or index == time_index or DATE_RE.search(line) or TIME_RE.search(line):
                    continue
                if index > time_index or not venue:
                    venue = line.strip(" .")
                    if index > time_index:
                        break
        if len(venue) > MAX_NAME:
            self.warn(title_line, _("the venue is longer than 200 characters; left empty"))
            venue = ""
        meeting_date = self.meeting_date(dates, title_line)
        start = end = None
        if found_time:
            start, end = _times(found_time)
            if start is None:
                self.warn(
                    title_line,
                    _('"{written}" is not a start and end time; times left empty').format(written=found_time.group(0)),
                )
        else:
            self.warn(title_line, _("no meeting times found; left empty"))
        # "MINUTES OF … MEETING held on 25 September 2018" on one line: the title is the part before the date.
        title = re.split(r"\s+held\s+on\b|,\s*(?=held\b)", title, maxsplit=1, flags=re.I)[0].strip() or title
        return {"title": title, "date": meeting_date.isoformat(), "start": start, "end": end, "venue": venue}

    def meeting_date(self, dates, title_line):
        meeting_dates = [(number, match) for number, match, other in dates if not other]
        if not meeting_dates and dates:
            number, match, _other = dates[0]
            self.warn(
                number,
                _(
                    '"{written}" is the only date in the title block and seems not to be the meeting\'s; check it'
                ).format(written=match.group(0)),
            )
            meeting_dates = [(number, match)]
        if len({m.group(0).lower() for _n, m in meeting_dates}) > 1:
            self.warn(
                meeting_dates[0][0],
                _('the title block names several dates; "{written}" taken as the meeting\'s').format(
                    written=meeting_dates[0][1].group(0)
                ),
            )
        found = meeting_dates[0] if meeting_dates else None
        if found is None:
            if self.default_date:
                return self.default_date
            raise ImportProblem(
                _('the meeting date in the title block, e.g. "held on Tuesday, 25 September 2018" (or give --date)'),
                line=title_line,
            )
        number, match = found
        day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], match.group(3)
        if year is None:
            if not self.default_date:
                raise ImportProblem(
                    _('a date with a year, but "{written}" has none; give --date YYYY-MM-DD').format(
                        written=match.group(0)
                    ),
                    line=number,
                )
            if (self.default_date.month, self.default_date.day) != (month, day):
                self.warn(
                    number,
                    _('the text says "{written}" but --date gives {given}').format(
                        written=match.group(0), given=self.default_date
                    ),
                )
            return self.default_date
        try:
            written = date(int(year), month, day)
        except ValueError:
            raise ImportProblem(
                _('a real date, but "{written}" is not one').format(written=match.group(0)), line=number
            ) from None
        if self.default_date and self.default_date != written:
            raise ImportProblem(
                _('the date "{written}", but --date says {given}').format(
                    written=match.group(0), given=self.default_date
                ),
                line=number,
            )
        return written

    # -- attendance

    def attendance(self, lines):
        rows = []
        self.current = None
        apologies = False
        content = [(i, n, x) for i, (n, x) in enumerate(lines) if x]
        for position, (index, number, line) in enumerate(content):
            following = content[position + 1][2] if position + 1 < len(content) else ""
            if self.heading(line, expected_top=2, expected_sub=None, top=None) or self.number_alone(
                line, expected_top=2, expected_sub=None, top=None
            ):
                return rows, lines[index:]
            if (
                not rows or not PERSON_RE.match(following) and not self.matcher.split_label(line)[0]
            ) and self.first_item_numbered_one(line, following):
                self.renumbered = True
                self.warn(
                    number,
                    _("the items are numbered from 1; renumbered from 2, as the attendance is item 1 of the record"),
                )
                return rows, lines[index:]
            if (AGENDA_ITEM_RE.match(line) or TOP_RE.match(line)) and len(line) <= MAX_TITLE:
                raise ImportProblem(
                    _('the first agenda item numbered 2 (or 1), as item 1 is the attendance; found "{text}"').format(
                        text=line[:60]
                    ),
                    line=number,
                )
            if match := APOLOGIES_RE.match(line):
                apologies = True
                self.current = None
                if match.group(2):
                    self.warn(
                        number,
                        _(
                            'the delegations under "{heading}" are recorded as having sent apologies '
                            "(the record knows present and apologies only); check them"
                        ).format(heading=line.rstrip(":")),
                    )
                for name in re.split(r"\s*[,;]\s*|\s+and\s+(?=[A-Z])", match.group(3) or ""):
                    if name.strip(" ."):
                        self.attendance_line(rows, number, name.strip(" ."), "", True)
                self.current = None
                continue
            if len(line) > MAX_NAME:
                raise ImportProblem(
                    _('a delegation or a person in the attendance, not a paragraph ("{text}…")').format(text=line[:60]),
                    line=number,
                )
            self.attendance_line(rows, number, line, following, apologies)
        raise ImportProblem(
            _('the first agenda item, "2. Title", after the attendance'), line=lines[-1][0] if lines else None
        )

    def first_item_numbered_one(self, line, following):
        """True when `line` is a first item numbered 1 ("1. Welcome", "Agenda Item 1: …")."""
        if match := AGENDA_ITEM_RE.match(line):
            return match.group(1) == "1" and match.group(2) is None
        match = TOP_RE.match(line)
        return bool(
            match
            and match.group(1) == "1"
            and len(line) <= LONG_HEADING
            and not PRESENT_RE.match(line)
            and not line.endswith((".", ";", ","))
        )

    def attendance_line(self, rows, number, line, following, apologies):
        """Read one attendance line: a delegation, a person, or both."""
        current = self.current
        remote = bool(REMOTE_RE.search(line))
        bare = REMOTE_RE.sub("", line)
        person = PERSON_RE.match(bare)
        people = current["representatives"] if current else []
        if not person and people and re.search(r"\w-$", people[-1]["name"]):
            # A name wrapped at its hyphen ("Hernández-" / "Mora"), as a PDF's column width does.
            people[-1]["name"] += bare
            people[-1]["remote"] = people[-1]["remote"] or remote
            return
        honorific_known = True
        if not person and not self.matcher.split_label(bare)[0]:
            inline = INLINE_PERSON_RE.match(bare)
            if inline and self.matcher.split_label(inline.group(1).strip(" ,:–—-"))[0]:
                self.start_row(rows, number, inline.group(1).strip(" ,:–—-"), remote, apologies)
                bare = f"{inline.group(2)} {inline.group(3)}"
                person = PERSON_RE.match(bare)
            elif unknown := UNKNOWN_HONORIFIC_RE.match(bare):
                person, honorific_known = unknown, False
            elif (
                self.current is not None
                and not apologies
                and BARE_NAME_RE.match(bare)
                and not PERSON_RE.match(following)
                and (people or not self.matcher.split_label(following)[0] or not following)
            ):
                person, honorific_known = re.match(r"^()(.+)$", bare), False
        if person:
            self.add_person(number, line, person, remote, apologies, honorific_known)
            return
        self.start_row(rows, number, bare, remote, apologies, label_line=line if remote else None)

    def add_person(self, number, line, person, remote, apologies, honorific_known):
        current = self.current
        honorific = person.group(1).strip()
        if len(honorific) > MAX_HONORIFIC:
            raise ImportProblem(_('a person\'s honorific and name ("{text}")').format(text=line[:60]), line=number)
        if current is None:
            raise ImportProblem(
                _('a delegation name before the first representative ("{line}")').format(line=line), line=number
            )
        if apologies:
            # The record lists no one for a delegation that sent apologies: keep the name in its label.
            current["label"] = f"{current['label'] or current['delegation']} – {line}"
            self.warn(
                number,
                _(
                    '"{line}" names a person after the apologies, which list delegations '
                    "only; kept in the label of {delegation} — check the source (a two-column attendance "
                    "table may have come out interleaved)"
                ).format(line=line, delegation=current["delegation"]),
            )
            return
        elsewhere = self.matcher.person_delegations(person.group(2))
        if elsewhere and current["delegation"] not in elsewhere:
            self.warn(
                number,
                _(
                    '"{line}" is listed under {delegation} but is known as a representative of {known}; '
                    "check the source (a two-column attendance may have come out interleaved)"
                ).format(line=line, delegation=current["delegation"], known=", ".join(sorted(elsewhere))),
            )
        if not honorific_known:
            if honorific:
                message = _('"{line}": the honorific "{honorific}" is not one the importer knows; read as a person')
            else:
                message = _('"{line}" has no honorific; read as a representative of {delegation}, not a delegation')
            self.warn(number, message.format(line=line, honorific=honorific, delegation=current["delegation"]))
        current["representatives"].append(
            {
                "honorific": honorific,
                "name": person.group(2).strip(),
                "remote": remote or current["_remote"],
            }
        )

    def start_row(self, rows, number, bare, remote, apologies, label_line=None):
        delegation, label = self.matcher.split_label(bare)
        if delegation is None:
            parts = ROLE_SPLIT_RE.split(bare)
            delegation = parts[0] if len(parts) > 1 and re.search(r"presiden|chair|msp", parts[-1], re.I) else bare
            label = "" if delegation == bare else bare
            if delegation not in self.unknown:
                self.unknown.append(delegation)
                self.warn(
                    number,
                    _('"{delegation}" is not a known delegation or alias').format(delegation=delegation),
                )
        if any(row["delegation"] == delegation for row in rows):
            self.warn(number, _('"{line}" is listed twice; the second entry was left out').format(line=bare))
            self.current = None
            return
        self.current = {
            "delegation": delegation,
            "label": label,
            "status": "apologies" if apologies else "present",
            "representatives": [],
            "_remote": remote,
        }
        rows.append(self.current)

    # -- items

    def heading(self, line, *, expected_top, expected_sub, top):
        """(number, title) when `line` is the next item or sub-item heading, else None."""
        if match := AGENDA_ITEM_RE.match(line):
            major, minor, title = int(match.group(1)), match.group(2), match.group(3)
            if minor is None and major == expected_top:
                return str(major), title
            if minor is not None and major == top and int(minor) == expected_sub:
                return f"{major}.{minor}", title
            return None
        if (match := SUB_RE.match(line)) and len(match.group(3)) <= MAX_TITLE:
            if int(match.group(1)) == top and int(match.group(2)) == expected_sub:
                return f"{top}.{expected_sub}", match.group(3)
            return None
        if (match := TOP_RE.match(line)) and len(match.group(2)) <= MAX_TITLE * 3:
            if int(match.group(1)) == expected_top:
                return str(expected_top), match.group(2)
        return None

    def number_alone(self, line, *, expected_top, expected_sub, top):
        match = NUMBER_ALONE_RE.match(line)
        if not match:
            return None
        major = match.group(1) or match.group(3)
        minor = match.group(2) or match.group(4)
        if minor is None and int(major) == expected_top:
            return str(expected_top)
        if minor is not None and int(major) == top and int(minor) == expected_sub:
            return f"{top}.{expected_sub}"
        return None

    def items(self, lines, present_line):
        items = []
        top = None
        expected_top, expected_sub = (1, 1) if self.renumbered else (2, 1)
        index = 0
        in_list = None  # the last number of a numbered list running in the current body
        last_listed = 0  # the last number of a numbered list in the current body, even if a paragraph followed
        while index < len(lines):
            number, line = lines[index]
            index += 1
            if not line:
                continue
            found = self.heading(line, expected_top=expected_top, expected_sub=expected_sub, top=top)
            if found and in_list is not None and LIST_ITEM_RE.match(line) and "." not in found[0]:
                # A list ends the item's body: its next entry and the next heading look alike.
                list_number = int(re.match(r"\d+", line).group(0))
                if list_number == in_list + 1:
                    if len(line) > LONG_HEADING or line.endswith((".", ";", ",", ":")):
                        found = None
                    else:
                        self.warn(
                            number,
                            _('"{line}" could continue the numbered list or be item {top}; read as item {top}').format(
                                line=line, top=found[0]
                            ),
                        )
            if not found:
                alone = self.number_alone(line, expected_top=expected_top, expected_sub=expected_sub, top=top)
                if alone:
                    following = next(((n, x) for n, x in lines[index:] if x), None)
                    if following is None or len(following[1]) > MAX_TITLE:
                        raise ImportProblem(
                            _("the title of item {alone} after its number").format(alone=alone), line=number
                        )
                    index = lines.index(following) + 1
                    found = (alone, following[1])
            if found:
                item_number, title = found
                title, index = self.wrapped_title(title, lines, index)
                first_paragraph = ""
                if len(title) > SPLIT_HEADING:
                    title, first_paragraph = self.split_long_heading(number, title)
                title, leads = self.leads(title, number)
                items.append({"number": item_number, "title": title, "leads": leads, "body": [], "_line": number})
                if first_paragraph:
                    items[-1]["body"].append((number, first_paragraph, True))
                if "." in item_number:
                    expected_sub += 1
                else:
                    top = int(item_number)
                    expected_top, expected_sub = top + 1, 1
                in_list, last_listed = None, 0
                continue
            if not items:
                raise ImportProblem(
                    _('the first agenda item, "{first}. Title", but found "{text}"').format(
                        first=expected_top, text=line[:60]
                    ),
                    line=number,
                )
            list_match = re.match(r"^(\d{1,2})[.)]\s", line)
            if list_match:
                if int(list_match.group(1)) not in ((in_list or 0) + 1, last_listed + 1):
                    self.check_skipped_heading(number, line, items[-1], expected_top)
                in_list = last_listed = int(list_match.group(1))
            elif not LIST_ITEM_RE.match(line):
                after_blank = index > 1 and not lines[index - 2][1]
                list_goes_on = in_list is not None and not after_blank and items[-1]["body"]
                if not list_goes_on:
                    # A list entry wrapped onto further lines (a PDF's width) does not end the list.
                    in_list = None
                    self.check_skipped_heading(number, line, items[-1], expected_top)
            items[-1]["body"].append((number, line, index > 1 and not lines[index - 2][1]))
        if not items:
            raise ImportProblem(_('agenda items after the attendance, "2. Title"'), line=present_line)
        width = _wrap_width([line for item in items for _n, line, _b in item["body"]])
        for item in items:
            item["body"] = self.body(item.pop("body"), width)
            self.item_lines.append(item.pop("_line"))
        if self.renumbered:
            for item in items:
                major, dot, minor = item["number"].partition(".")
                item["number"] = f"{int(major) + 1}{dot}{minor}"
        return items

    def wrapped_title(self, title, lines, index):
        """A heading wrapped onto the next line(s) (a PDF's line width): "… Committee on the" /
        "implementation of …", "… Assistance" / "(Ireland & Spain)". Only with no blank line between."""
        while index < len(lines) and lines[index][1] and len(title) + len(lines[index][1]) < MAX_TITLE:
            following = lines[index][1]
            after = lines[index + 1][1] if index + 1 < len(lines) else ""
            if (
                _heading_like(following)
                or NUMBER_ALONE_RE.match(following)
                or LIST_ITEM_RE.match(following)
                or title.endswith(")")
            ):
                break
            continues = (
                following[:1].islower()
                or following.startswith("(")
                or re.search(WRAPPED_TITLE_END, title, re.I)
                # "… Meeting of States" / "Parties": a short capitalised line closing a paragraph of its own.
                or (
                    len(following) <= 60
                    and not after
                    and index >= 1
                    and not re.search(r"[.:;!?]$", following)
                    and any(not x for _n, x in lines[index:])
                )
            )
            if not continues:
                break
            title += " " + following
            index += 1
        return title, index

    def split_long_heading(self, number, title):
        """A heading with its first paragraph on the same line: (title, paragraph)."""
        for match in HEADING_BREAK_RE.finditer(title):
            if 3 <= match.start() <= SPLIT_HEADING and len(title) - match.end() >= 40:
                head = title[: match.start() + (1 if title[match.start()] == ")" else 0)]
                head = head.rstrip(" .:–—-")
                paragraph = title[match.end() :].strip()
                self.warn(
                    number,
                    _('a heading with its first paragraph on the same line; read the title as "{title}"').format(
                        title=head
                    ),
                )
                return head, paragraph
        if len(title) > LONG_HEADING:
            self.warn(
                number,
                _(
                    "a heading of {length} characters, far longer than a heading; check where its paragraph starts"
                ).format(length=len(title)),
            )
        return title, ""

    def check_skipped_heading(self, number, line, item, expected_top):
        match = TOP_RE.match(line) or AGENDA_ITEM_RE.match(line)
        if match and len(line) < 120 and not line.endswith((".", ":", ";", ",")):
            self.warn(
                number,
                _(
                    '"{line}" looks like a heading, but item {expected_top} was expected '
                    "next; kept in the body of item {number}"
                ).format(line=line, expected_top=expected_top + self.renumbered, number=item["number"]),
            )

    def leads(self, title, line):
        match = LEADS_RE.match(title)
        if not match:
            return title, []
        # Split on "&", "," and "and", then rejoin neighbours that form one known name ("Bosnia & Herzegovina").
        tokens = re.split(r"(\s*(?:&|,|\band\b)\s*)", match.group(2))
        words, separators = tokens[0::2], tokens[1::2]
        parts, start = [], 0
        while start < len(words):
            for end in range(len(words), start, -1):
                joined = "".join(
                    word + (separators[k] if k < end - 1 else "") for k, word in enumerate(words[start:end], start)
                ).strip()
                found = self.matcher.match(joined)
                if found or end == start + 1:
                    if joined:
                        parts.append((joined, found))
                    start = end
                    break
        if not any(found for _part, found in parts):
            return title, []
        leads = []
        for part, found in parts:
            if not found:
                if part not in self.unknown:
                    self.unknown.append(part)
                    self.warn(line, _('"{part}" (a lead of this item) is not a known delegation').format(part=part))
                found = part
            leads.append(found)
        return match.group(1), leads

    def body(self, entries, width):
        """Markdown from body lines: a blank line or a new entry starts a paragraph; a paragraph a
        page break or a hard wrap cut is rejoined; numbered and bulleted lists stay lists."""
        blocks = []
        for _number, line, after_blank in entries:
            is_list = bool(LIST_ITEM_RE.match(line))
            if blocks:
                previous = blocks[-1]
                last = previous["lines"][-1]
                open_ended = not re.search(r"[.:;!?\"”’)]$|:-$", last)
                # Text wrapped at a fixed width: a full line goes on, whatever its last character.
                full_line = width and not after_blank and len(last) >= width * 0.8
                cut = (open_ended and (line[:1].islower() or not after_blank)) or full_line
                if cut and not is_list:
                    previous["lines"][-1] += " " + line
                    continue
                if is_list and previous["list"]:
                    previous["lines"].append(line)
                    continue
            blocks.append({"list": is_list, "lines": [line]})
        return "\n\n".join("\n".join(block["lines"]) for block in blocks)

    # -- previous minutes

    def previous_minutes(self, items, meeting_date):
        for item in items:
            if not PREVIOUS_MINUTES_RE.search(item["title"]):
                continue
            found = adopted_minutes(item["title"], item["body"], meeting_date)
            if not found:
                self.warn(
                    None,
                    _("item {number} adopts earlier minutes but names no earlier date").format(number=item["number"]),
                )
            elif found.pop("doubtful", False):
                self.warn(
                    None,
                    _("item {number} names several earlier dates; {date} taken as that of the minutes adopted").format(
                        number=item["number"], date=found["date"]
                    ),
                )
            return found
        return None


VENUE_EDGE_RE = re.compile(rf"^(?:held|on|from|between|meeting|of|at|in|{WEEKDAY})$|^[,;:–—.-]+$", re.I)


def _venue_before(text):
    """The venue written before the times ("at the Permanent Mission of Austria, 13:00 – 14:30")."""
    words = re.findall(r"[,;:–—]|[^\s,;:–—]+", DATE_RE.sub(" , ", text))
    while words and VENUE_EDGE_RE.match(words[0]):
        words.pop(0)
    while words and VENUE_EDGE_RE.match(words[-1]):
        words.pop()
    venue = re.sub(r"\s+([,;:])", r"\1", " ".join(words))
    return venue if len(re.findall(r"[^\W\d_]", venue)) >= 3 else ""


def _times(match):
    """("HH:MM", "HH:MM") from a TIME_RE match, with a.m./p.m. applied; (None, None) if impossible."""
    h1, m1, half1, h2, m2, half2 = match.groups()
    h1, m1, h2, m2 = int(h1), int(m1), int(h2), int(m2)
    half1, half2 = (half1 or "").lower(), (half2 or "").lower()
    if (half1 or half2) and (h1 > 12 or h2 > 12 or h1 == 0 or h2 == 0):
        return None, None

    def clock(hour, half):
        if half == "p" and hour != 12:
            return hour + 12
        if half == "a" and hour == 12:
            return 0
        return hour

    end = clock(h2, half2)
    if half1:
        start = clock(h1, half1)
    elif half2 == "p" and (clock(h1, "p"), m1) < (end, m2):
        # "3:00 – 5:00 p.m.": the end's p.m. holds for the start, unless that puts it after the end.
        start = clock(h1, "p")
    else:
        start = h1
    if start > 23 or end > 23 or m1 > 59 or m2 > 59 or (end, m2) <= (start, m1):
        return None, None
    return f"{start:02d}:{m1:02d}", f"{end:02d}:{m2:02d}"


def _wrap_width(lines):
    """The width at which body text was hard-wrapped, or None when each line is a paragraph."""
    prose = [len(line) for line in lines if not LIST_ITEM_RE.match(line)]
    if len(prose) < 6:
        return None
    prose.sort()
    width = prose[int(len(prose) * 0.9)]
    if width > 120:
        return None
    # Hard-wrapped text has most lines close to one width.
    near = sum(1 for length in prose if length >= width * 0.8)
    return width if near >= len(prose) / 2 else None


def structural_problems(parsed, lines=()):
    """What makes a parsed record doubtful, as sentences; `lines` are the source lines after the attendance."""
    problems = []
    present = [row for row in parsed.attendance if row["status"] == "present"]
    if not present:
        problems.append(_("No delegation is recorded as present."))
    offset = 1 if any(w for w in parsed.warnings if "renumbered from 2" in w) else 0
    seen, last = [], (0, 0)
    for number, line in lines:
        shape = line and _heading_like(line)
        if not shape:
            continue
        major, minor = shape[0] + offset, shape[1] or 0
        if (major, minor) < last and minor == 0 and major > 1:
            problems.append(
                _('Line {line}: the heading number "{text}" goes backwards; check the numbering').format(
                    line=number, text=line[:60]
                )
            )
        else:
            seen.append((major, minor))
            last = (major, minor)
    numbers = {(int(i["number"].partition(".")[0]), int(i["number"].partition(".")[2] or 0)) for i in parsed.items}
    missed = [shape for shape in dict.fromkeys(seen) if shape not in numbers and shape[0] >= 2]
    if missed and len(set(seen)) > len(parsed.items):
        problems.append(
            _("{seen} lines look like item headings but {items} items were read; check the numbering").format(
                seen=len(set(seen)), items=len(parsed.items)
            )
        )
    for item in parsed.items:
        if len(item["title"]) > LONG_HEADING:
            problems.append(
                _("Item {number}: its title is {length} characters long, far longer than a heading").format(
                    number=item["number"], length=len(item["title"])
                )
            )
    for row in parsed.attendance:
        if row["delegation"] in parsed.unknown_delegations:
            problems.append(_('"{delegation}" is not a known delegation or alias').format(delegation=row["delegation"]))
        for person in row["representatives"]:
            if not PERSON_RE.match(f"{person['honorific']} {person['name']}"):
                problems.append(
                    _('"{name}" of {delegation} has no honorific the importer knows').format(
                        name=f"{person['honorific']} {person['name']}".strip(), delegation=row["delegation"]
                    )
                )
    return problems


def adopted_minutes(title, body, meeting_date):
    """{"date", "outcome"} of the earlier minutes that an "Adoption of the Minutes" item adopts,
    or None when it names no earlier date. A date after "minutes of" or "meeting held on" wins over
    any other earlier date; "doubtful" is set when the choice was not clear."""
    candidates = []
    for text in (title, body):
        for match in DATE_RE.finditer(text):
            day, month, year = int(match.group(1)), MONTHS[match.group(2).lower()], match.group(3)
            if year is None:
                year = meeting_date.year - (1 if month > meeting_date.month else 0)
            try:
                candidate = date(int(year), month, day)
            except ValueError:
                continue
            if candidate < meeting_date:
                cued = bool(ADOPTED_DATE_CUE_RE.search(text[max(0, match.start() - 60) : match.start()]))
                candidates.append((candidate, cued))
    if not candidates:
        return None
    cued = [candidate for candidate, is_cued in candidates if is_cued]
    chosen = cued[0] if cued else candidates[0][0]
    found = {
        "date": chosen.isoformat(),
        "outcome": "with_corrections" if CORRECTED_RE.search(body) else "correct_record",
    }
    if len({c for c, _cued in candidates}) > 1 and len(set(cued)) != 1:
        found["doubtful"] = True
    return found
