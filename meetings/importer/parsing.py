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
TIME_RE = re.compile(
    r"(\d{1,2})[:.h](\d{2})\s*(?:hours|hrs|h)?\s*(?:–|—|-|to|until)?\s*(\d{1,2})[:.h](\d{2})", re.I | re.A
)
TITLE_RE = re.compile(r"\bminutes\b", re.I)
PRESENT_RE = re.compile(r"^(?:1\s*[.)]?\s*)?(?:present|attendance|participants|in attendance)\s*:?$", re.I)
APOLOGIES_RE = re.compile(r"^(?:apologies|apologies received|excused)\s*:?$", re.I)
HONORIFIC_TOKEN = r"(?:H\.\s?E\.|Amb\.|Ambassador|Mrs\.?|Mr\.?|Ms\.?|Dr\.?|Prof\.?|Mme\.?)"
PERSON_RE = re.compile(rf"^({HONORIFIC_TOKEN}(?:\s+{HONORIFIC_TOKEN})*)\s+(\S.*)$")
REMOTE_RE = re.compile(
    r"\s*\((?:via|by)\s+(?:conference call|video\s?conference|video link|video|telephone|phone)\)\s*$", re.I
)
TOP_RE = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
SUB_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?\s+(\S.*)$")
NUMBER_ALONE_RE = re.compile(r"^(\d{1,2})(?:\.(\d{1,2}))?\.$|^(\d{1,2})\.(\d{1,2})$")
AGENDA_ITEM_RE = re.compile(r"^agenda\s+item\s+(\d{1,2})(?:\.(\d{1,2}))?\s*[:.–—-]\s*(\S.*)$", re.I)
LIST_ITEM_RE = re.compile(r"^(\d{1,2})[.)]\s+\S|^[-*•]\s+\S")
PAGE_ARTEFACT_RE = re.compile(
    r"^(?:\d{1,3}\s*\|.*|\|\s*\d{1,3}|\d{1,3}|page\s+\d{1,3}(?:\s+of\s+\d{1,3})?|-\s*\d{1,3}\s*-)$", re.I
)
WRAPPED_TITLE_END = r"\b(?:the|of|and|on|to|for|in|with|by|a|an|up|from|at)$"
LEADS_RE = re.compile(r"^(.*\S)\s*\(([^()]+)\)$")
PREVIOUS_MINUTES_RE = re.compile(r"\b(?:adoption|approval)\s+of\s+(?:the\s+)?(?:draft\s+)?minutes\b", re.I)
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

    def as_dict(self):
        data = asdict(self)
        data.pop("unknown_delegations")
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


class _Parser:
    def __init__(self, text, default_date, matcher):
        self.matcher = matcher
        self.default_date = default_date
        self.warnings = []
        text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        text = text.replace("\u00a0", " ").replace("\ufeff", "").replace("\x0c", "\n")
        # (line number, stripped text); blank lines kept as "" to mark paragraph breaks.
        self.lines = []
        for number, raw in enumerate(text.split("\n"), start=1):
            line = re.sub(r"[ \t]+", " ", raw).strip()
            if line and PAGE_ARTEFACT_RE.match(line):
                line = ""
            self.lines.append((number, line))

    def warn(self, line, message):
        self.warnings.append(_("Line {line}: {message}").format(line=line, message=message) if line else message)

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
        meeting = self.title_block(content[title_at:present_at], content[present_at][0])
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
        return parsed

    # -- title block

    def title_block(self, block, present_line):
        title_line, title = block[0]
        found_date = found_time = None
        venue = ""
        for index, (number, line) in enumerate(block):
            if found_date is None and (match := DATE_RE.search(line)):
                found_date = (number, match)
            if found_time is None and (match := TIME_RE.search(line)):
                found_time = match
                after = re.sub(r"^\s*(?:hours|hrs)\b", "", line[match.end() :], flags=re.I)
                after = re.sub(r"^[\s,;:–—-]*(?:at|in)?\s*", "", after).strip(" .")
                if after:
                    venue = after
                elif index + 1 < len(block) and index > 0:
                    venue = block[index + 1][1].strip(" .")
                if len(venue) > MAX_NAME:
                    self.warn(number, _("the venue is longer than 200 characters; left empty"))
                    venue = ""
        meeting_date = self.meeting_date(found_date, title_line)
        start = end = None
        if found_time:
            h1, m1, h2, m2 = (int(g) for g in found_time.groups())
            if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h2, m2) <= (h1, m1):
                self.warn(
                    title_line,
                    _('"{written}" is not a start and end time; times left empty').format(written=found_time.group(0)),
                )
            else:
                start, end = f"{h1:02d}:{m1:02d}", f"{h2:02d}:{m2:02d}"
        else:
            self.warn(title_line, _("no meeting times found; left empty"))
        # "MINUTES OF … MEETING held on 25 September 2018" on one line: the title is the part before the date.
        title = re.split(r"\s+held\s+on\b|,\s*(?=held\b)", title, maxsplit=1, flags=re.I)[0].strip() or title
        return {"title": title, "date": meeting_date.isoformat(), "start": start, "end": end, "venue": venue}

    def meeting_date(self, found, title_line):
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
        current = None
        apologies = False
        self.unknown = []
        for index, (number, line) in enumerate(lines):
            if not line:
                continue
            if self.heading(line, expected_top=2, expected_sub=None, top=None) or self.number_alone(
                line, expected_top=2, expected_sub=None, top=None
            ):
                return rows, lines[index:]
            if (AGENDA_ITEM_RE.match(line) or TOP_RE.match(line)) and len(line) <= MAX_TITLE:
                raise ImportProblem(
                    _('the first agenda item numbered 2, as item 1 is the attendance; found "{text}"').format(
                        text=line[:60]
                    ),
                    line=number,
                )
            if APOLOGIES_RE.match(line):
                apologies = True
                current = None
                continue
            if len(line) > MAX_NAME:
                raise ImportProblem(
                    _('a delegation or a person in the attendance, not a paragraph ("{text}…")').format(text=line[:60]),
                    line=number,
                )
            remote = bool(REMOTE_RE.search(line))
            bare = REMOTE_RE.sub("", line)
            person = PERSON_RE.match(bare)
            people = current["representatives"] if current else []
            if not person and people and re.search(r"\w-$", people[-1]["name"]):
                # A name wrapped at its hyphen ("Hernández-" / "Mora"), as a PDF's column width does.
                people[-1]["name"] += bare
                people[-1]["remote"] = people[-1]["remote"] or remote
                continue
            if person and apologies:
                self.warn(
                    number,
                    _(
                        '"{line}" names a person after the apologies, which list delegations '
                        "only; left out — check the source (a two-column attendance table may "
                        "have come out interleaved)"
                    ).format(line=line),
                )
                continue
            if person:
                if len(person.group(1)) > MAX_HONORIFIC:
                    raise ImportProblem(
                        _('a person\'s honorific and name ("{text}")').format(text=line[:60]), line=number
                    )
                if current is None:
                    raise ImportProblem(
                        _('a delegation name before the first representative ("{line}")').format(line=line), line=number
                    )
                current["representatives"].append(
                    {
                        "honorific": person.group(1),
                        "name": person.group(2).strip(),
                        "remote": remote or current["_remote"],
                    }
                )
                continue
            delegation, label = self.matcher.split_label(bare)
            if delegation is None:
                parts = ROLE_SPLIT_RE.split(bare)
                delegation = parts[0] if len(parts) > 1 and re.search(r"presiden|chair|msp", parts[-1], re.I) else bare
                label = "" if delegation == bare else bare
                if delegation not in self.unknown:
                    self.unknown.append(delegation)
                    self.warn(number, _('"{delegation}" is not a known delegation').format(delegation=delegation))
            if any(row["delegation"] == delegation for row in rows):
                self.warn(number, _('"{line}" is listed twice; the second entry was left out').format(line=line))
                current = None
                continue
            current = {
                "delegation": delegation,
                "label": label,
                "status": "apologies" if apologies else "present",
                "representatives": [],
                "_remote": remote,
            }
            rows.append(current)
        raise ImportProblem(
            _('the first agenda item, "2. Title", after the attendance'), line=lines[-1][0] if lines else None
        )

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
        if (match := TOP_RE.match(line)) and len(match.group(2)) <= MAX_TITLE:
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
        expected_top, expected_sub = 2, 1
        index = 0
        in_list = None  # the last number of a numbered list running in the current body
        while index < len(lines):
            number, line = lines[index]
            index += 1
            if not line:
                continue
            found = None
            if in_list is None or not LIST_ITEM_RE.match(line):
                found = self.heading(line, expected_top=expected_top, expected_sub=expected_sub, top=top)
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
                # A heading wrapped onto the next line (a PDF's line width): "… Committee on the" /
                # "implementation of …". Only with no blank line between and a title that cannot end there.
                while index < len(lines) and lines[index][1] and len(title) + len(lines[index][1]) < MAX_TITLE:
                    following = lines[index][1]
                    if not (following[:1].islower() or re.search(WRAPPED_TITLE_END, title, re.I)):
                        break
                    title += " " + following
                    index += 1
                title, leads = self.leads(title, number)
                items.append({"number": item_number, "title": title, "leads": leads, "body": [], "_line": number})
                if "." in item_number:
                    expected_sub += 1
                else:
                    top = int(item_number)
                    expected_top, expected_sub = top + 1, 1
                in_list = None
                continue
            if not items:
                raise ImportProblem(
                    _('the first agenda item, "2. Title", but found "{text}"').format(text=line[:60]), line=number
                )
            list_match = re.match(r"^(\d{1,2})[.)]\s", line)
            if list_match:
                if int(list_match.group(1)) != (in_list or 0) + 1:
                    self.check_skipped_heading(number, line, items[-1], expected_top)
                in_list = int(list_match.group(1))
            elif not LIST_ITEM_RE.match(line):
                in_list = None
                self.check_skipped_heading(number, line, items[-1], expected_top)
            items[-1]["body"].append((number, line, index > 1 and not lines[index - 2][1]))
        if not items:
            raise ImportProblem(_('agenda items after the attendance, "2. Title"'), line=present_line)
        for item in items:
            item["body"] = self.body(item.pop("body"))
            item.pop("_line")
        return items

    def check_skipped_heading(self, number, line, item, expected_top):
        match = TOP_RE.match(line) or AGENDA_ITEM_RE.match(line)
        if match and len(line) < 120 and not line.endswith((".", ":")):
            self.warn(
                number,
                _(
                    '"{line}" looks like a heading, but item {expected_top} was expected '
                    "next; kept in the body of item {number}"
                ).format(line=line, expected_top=expected_top, number=item["number"]),
            )

    def leads(self, title, line):
        match = LEADS_RE.match(title)
        if not match:
            return title, []
        parts = [p.strip() for p in re.split(r"\s*(?:&|,|\band\b)\s*", match.group(2)) if p.strip()]
        known = [self.matcher.match(part) for part in parts]
        if not any(known):
            return title, []
        leads = []
        for part, found in zip(parts, known, strict=True):
            if not found:
                if part not in self.unknown:
                    self.unknown.append(part)
                    self.warn(line, _('"{part}" (a lead of this item) is not a known delegation').format(part=part))
                found = part
            leads.append(found)
        return match.group(1), leads

    def body(self, entries):
        """Markdown from body lines: a blank line or a new entry starts a paragraph; a paragraph a
        page break cut (no closing punctuation, next part starting in lower case) is rejoined;
        numbered and bulleted lists stay lists."""
        blocks = []
        for _number, line, after_blank in entries:
            is_list = bool(LIST_ITEM_RE.match(line))
            if blocks:
                previous = blocks[-1]
                open_ended = not re.search(r"[.:;!?\"”’)]$|:-$", previous["lines"][-1])
                cut = open_ended and (line[:1].islower() or not after_blank)
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
            return found
        return None


def adopted_minutes(title, body, meeting_date):
    """{"date", "outcome"} of the earlier minutes that an "Adoption of the Minutes" item adopts,
    or None when it names no earlier date."""
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
                corrected = re.search(
                    r"with (?:the )?(?:following )?(?:corrections|amendments|changes)|subject to|amended", body, re.I
                )
                return {"date": candidate.isoformat(), "outcome": "with_corrections" if corrected else "correct_record"}
    return None
