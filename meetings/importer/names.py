"""Recognising delegations and people by the names the records write for them."""

import re
import unicodedata

from delegations.models import Delegation, DelegationAlias

ROLE_SPLIT_RE = re.compile(r"\s+[–—-]\s+")
# Names the committee's records use for the same delegation, normalised (see `normalise`).
SYNONYMS = [
    {"lao pdr", "lao people s democratic republic", "laos"},
    {"netherlands", "the netherlands", "kingdom of the netherlands"},
    {"bosnia and herzegovina", "bosnia herzegovina"},
    {"cmc", "cluster munition coalition"},
    {"icrc", "international committee of the red cross"},
    {"unoda", "united nations office for disarmament affairs"},
    {
        "isu ccm",
        "ccm isu",
        "implementation support unit",
        "secretariat ccm isu",
        "secretariat isu ccm",
        "isu",
        "ccm implementation support unit",
    },
    {"united kingdom", "uk", "united kingdom of great britain and northern ireland"},
]


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
    """Recognise a delegation by its name, an alias, or a known variant of either."""

    def __init__(self, names):
        # names: {written name or alias: canonical delegation name}
        self.keys = {}
        for written, canonical in names.items():
            self.keys[normalise(written)] = canonical
        for group in SYNONYMS:
            canonical = next((self.keys[key] for key in group if key in self.keys), None)
            if canonical:
                for key in group:
                    self.keys.setdefault(key, canonical)

    @classmethod
    def from_db(cls):

        names = {name: name for name in Delegation.objects.values_list("name", flat=True)}
        names.update(dict(DelegationAlias.objects.values_list("name", "delegation__name")))
        return cls(names)

    def match(self, written):
        return self.keys.get(normalise(written))

    def split_label(self, line):
        """(delegation, label) for an attendance line such as "Sri Lanka – 9MSP Presidency";
        the label is the line as written when it differs from the delegation's name, and the
        delegation is None when no part of the line is known."""
        found = self.match(line)
        if not found:
            parts = ROLE_SPLIT_RE.split(line)
            if len(parts) > 1:
                found = self.match(parts[0]) or self.match(parts[-1])
        if found:
            return found, "" if line == found else line
        return None, ""
