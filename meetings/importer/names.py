"""Recognising delegations and people by the names the records write for them."""

import re
import unicodedata

from delegations.models import Delegation, DelegationAlias, Representative

ROLE_SPLIT_RE = re.compile(r"\s+[–—-]\s+")
# "Sri Lanka (9MSP President)", "Cluster Munition Coalition (CMC)": a name and a note in brackets.
BRACKETED_RE = re.compile(r"^(.*?\S)\s*\(([^()]+)\)$")


def normalise(name):
    """Compare names without case, accents, punctuation, "the" or "&"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = text.replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def person_key(name):
    """A person's name without initials, honorific differences, case or accents."""
    words = [w for w in normalise(name).split() if len(w) > 1]
    return " ".join(words)


class DelegationMatcher:
    """Recognise a delegation by its name or one of its aliases (the DelegationAlias table)."""

    def __init__(self, names, people=()):
        # names: {written name or alias: canonical delegation name}; people: (person's name, delegation name)
        self.keys = {}
        for written, canonical in names.items():
            self.keys[normalise(written)] = canonical
        self.people = {}
        for person, delegation in people:
            self.people.setdefault(person_key(person), set()).add(delegation)

    @classmethod
    def from_db(cls):
        names = {name: name for name in Delegation.objects.values_list("name", flat=True)}
        names.update(dict(DelegationAlias.objects.values_list("name", "delegation__name")))
        people = Representative.objects.values_list("name", "delegation__name")
        return cls(names, people)

    def person_delegations(self, name):
        """The delegations a person of this name is known to represent (empty when unknown)."""
        return self.people.get(person_key(name), set())

    def match(self, written):
        return self.keys.get(normalise(written)) if written else None

    def split_label(self, line):
        """(delegation, label) for an attendance line such as "Sri Lanka – 9MSP Presidency" or
        "ICRC (Legal Adviser)"; the label is the line as written when it differs from the
        delegation's name, and the delegation is None when no part of the line is known."""
        found = self.match(line)
        if not found:
            parts = ROLE_SPLIT_RE.split(line)
            if len(parts) > 1:
                found = self.match(parts[0]) or self.match(parts[-1])
        if not found and (bracketed := BRACKETED_RE.match(line)):
            found = self.match(bracketed.group(1)) or self.match(bracketed.group(2))
        if found:
            return found, "" if line == found else line
        return None, ""
