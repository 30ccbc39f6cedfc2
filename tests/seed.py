"""Facts of the seed minutes, read straight from the text, for tests to look for in what we show."""

import re
from pathlib import Path

SEED_FILE = Path(__file__).resolve().parents[1] / "meetings" / "demo" / "ccm-cc-minutes-2018-09-25.txt"
HONORIFIC = re.compile(r"^(?:H\.E\. )?(?:Mr|Ms|Mrs|Dr)\. ")
HEADING = re.compile(r"^(\d+)\.(\d+)?\.? (.+)$")


def seed_lines():
    return [line.strip() for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def attendance_facts():
    """Delegation labels and representative names (with honorifics), in written order."""
    lines = seed_lines()
    block = lines[lines.index("1. Present") + 1 : lines.index("2. Welcome Remarks")]
    return [line for line in block if line != "Apologies"]


def heading_facts():
    """(number, title) of every item and sub-item, in order; the list inside item 4 is not headings."""
    facts = []
    for line in seed_lines():
        match = HEADING.match(line)
        if match and not line.startswith(("1. *", "2. *", "3. *")) and len(line) < 300 and line != "1. Present":
            number = match.group(1) + (f".{match.group(2)}" if match.group(2) else "")
            title = re.sub(r"\s*\(.*\)$", "", match.group(3)) if match.group(2) else match.group(3)
            facts.append((number, title))
    return facts


def paragraphs():
    """Every body paragraph of the seed (the page-broken one rejoined), without Markdown emphasis."""
    text = SEED_FILE.read_text(encoding="utf-8").replace("that\n\ncountry", "that country")
    start = text.index("2. Welcome Remarks")
    result = []
    for block in text[start:].split("\n\n"):
        block = block.strip()
        if not block or HEADING.match(block) and len(block) < 300 and not block.startswith(("1. *", "2. *", "3. *")):
            continue
        for line in block.splitlines():
            result.append(re.sub(r"^\d+\. ", "", line).replace("*", ""))
    return result


def in_order(haystack, needles):
    """Return the first needle not found after the previous one, or None when all are in order."""
    position = 0
    for needle in needles:
        found = haystack.find(needle, position)
        if found < 0:
            return needle
        position = found + len(needle)
    return None
