"""Words for the search index: a light Dutch stemmer, compound parts and a
small bilingual thesaurus, applied the same way to indexed text and queries.

The databases stem too (SQLite FTS5 with the Porter stemmer for English,
PostgreSQL with its Dutch and English snowball stemmers). What they miss is
Dutch compounds ("munitieopslag" is one word) and the fact that a Dutch
observation should answer an English question. So every indexed text also
gets a ``terms`` column made here:

- every word, lower-cased, without diacritics, lightly stemmed for Dutch
  (plural and verb endings: containers → container, opgeslagen → opslag);
- the parts of compounds that start or end with a common military head word
  (munitieopslag → munitie + opslag, zeecontainer → zee + container);
- one shared key for each group of Dutch and English words that mean the
  same (munitie, ammunition, ammo → ``munitie``).

A query word then matches when any of its forms match; the parts of a
compound must all match. Queries are reduced to plain words: operators,
quotes and FTS syntax never reach the database as syntax.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

MAX_QUERY_CHARS = 300
MAX_QUERY_WORDS = 10
MAX_WORD_CHARS = 40

# Letters and digits only: no underscore, no FTS or tsquery syntax.
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

STOPWORDS = frozenset(
    """
    de het een en of in op aan van voor met bij naar door over uit om te tot als
    is zijn was waren wordt worden werd dat die dit deze er niet geen ook maar
    dan nog wel zo al hun hij zij ze we wij ik je u
    the a an and or of in on at to for with by from into over is are was were be
    been being it its this that these those not no as than then so
    """.split()  # noqa: SIM905
)

# Groups of words with the same meaning; the first is the shared key.
SYNONYMS: list[tuple[str, ...]] = [
    ("munitie", "ammunition", "ammo", "munition", "munitions", "patronen"),
    ("opslag", "storage", "store", "stored", "storing", "opslaan", "opgeslagen"),
    ("hitte", "heat", "hot", "warmte", "heet", "temperatuur", "temperature"),
    ("koude", "cold", "vorst", "frost", "bevriezing", "freezing", "winter"),
    ("ontsteker", "fuze", "fuzes", "fuse", "fuses", "ontstekers", "detonator"),
    ("voertuig", "vehicle", "vehicles", "voertuigen", "truck", "vrachtwagen"),
    ("container", "containers", "zeecontainer", "isocontainer"),
    ("gekoeld", "cooled", "koeling", "cooling", "airco", "conditioned"),
    ("explosief", "explosive", "explosives", "explosieven", "springstof"),
    ("wapen", "weapon", "weapons", "wapens", "geweer", "rifle"),
    ("ongeval", "accident", "ongevallen", "accidents"),
    ("vermoeidheid", "fatigue", "tired", "moe", "slaaptekort"),
    ("verdrinking", "drowning", "drown", "water"),
    ("brand", "fire", "fires", "branden"),
    ("oefening", "exercise", "exercises", "training", "oefenen"),
    ("schietbaan", "range", "ranges", "schietoefening"),
    ("helikopter", "helicopter", "heli"),
    ("geneeskundig", "medical", "medisch", "medic", "medics"),
    ("evacuatie", "evacuation", "medevac", "afvoer"),
    ("verkeer", "traffic", "road", "weg", "wegen"),
    ("ijzel", "ice", "icy", "gladheid", "glad"),
    ("stof", "dust", "zand", "sand"),
    ("generator", "generators", "aggregaat", "stroom", "power"),
    ("uitdroging", "dehydration", "dorst"),
]

# Heads and modifiers of common military compounds, longest first.
COMPOUND_PARTS = sorted(
    {
        "munitie",
        "opslag",
        "voertuig",
        "container",
        "wapen",
        "ontsteker",
        "brandstof",
        "brand",
        "hitte",
        "koude",
        "water",
        "weg",
        "verkeer",
        "oefen",
        "oefening",
        "schiet",
        "lucht",
        "zee",
        "zand",
        "stof",
        "licht",
        "nacht",
        "patrouille",
        "konvooi",
        "kamp",
        "basis",
        "veld",
        "berging",
        "depot",
        "bunker",
        "tent",
        "koeling",
        "stroom",
        "genees",
        "gewonden",
        "afvoer",
        "heli",
        "helikopter",
        "verbinding",
        "radio",
        "terrein",
        "grens",
        "post",
        "wacht",
        "springstof",
        "explosieven",
        "mijn",
        "beveiliging",
        "veiligheid",
        "plan",
        "procedure",
    },
    key=len,
    reverse=True,
)

_CANON: dict[str, str] = {}


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem(word: str) -> str:
    """A light Dutch stem: plural, adjective and verb endings, undoubled end."""
    w = word
    if w in _CANON:
        return w
    for suffix in ("heden", "ingen", "eren", "ende", "en", "es", "s", "e"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            if suffix == "heden":
                w += "heid"
            elif suffix == "ingen":
                w += "ing"
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "aeiou":
        w = w[:-1]
    return w


def _build_canon() -> None:
    for group in SYNONYMS:
        key = group[0]
        for word in group:
            _CANON[word] = key
            _CANON.setdefault(_fold(word), key)


_build_canon()
_CANON_BY_STEM = {stem(w): key for w, key in list(_CANON.items())}


def canonical(word: str) -> str | None:
    """The thesaurus key of a word, if it belongs to a group."""
    return _CANON.get(word) or _CANON_BY_STEM.get(stem(word))


def compound_parts(word: str) -> list[str]:
    """Split a compound that starts or ends with a known part (one split)."""
    if len(word) < 7:
        return []
    for part in COMPOUND_PARTS:
        if word.startswith(part) and len(word) - len(part) >= 3:
            rest = word[len(part) :]
            if rest.startswith("s") and len(rest) > 4:  # verbindingsofficier
                rest = rest[1:]
            return [part, rest]
        if word.endswith(part) and len(word) - len(part) >= 3:
            head = word[: -len(part)]
            if head.endswith("s") and len(head) > 4:
                head = head[:-1]
            return [head, part]
    return []


def words(text: str) -> list[str]:
    """Lower-case words without diacritics."""
    return [_fold(w) for w in _WORD.findall(text or "")]


def index_terms(text: str) -> str:
    """The ``terms`` column: stems, compound parts and thesaurus keys."""
    seen: dict[str, None] = {}
    for word in words(text):
        if len(word) > MAX_WORD_CHARS:
            continue
        seen[stem(word)] = None
        key = canonical(word)
        if key:
            seen[key] = None
        for part in compound_parts(word):
            seen[stem(part)] = None
            part_key = canonical(part)
            if part_key:
                seen[part_key] = None
    return " ".join(seen)


@dataclass
class QueryWord:
    """One word of a query with the forms that may match it."""

    word: str
    alternatives: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)


def parse_query(raw: str) -> list[QueryWord]:
    """Safe query words: letters and digits only, no stop words, bounded."""
    result: list[QueryWord] = []
    seen: set[str] = set()
    for word in words((raw or "")[:MAX_QUERY_CHARS]):
        word = word[:MAX_WORD_CHARS]
        if word in STOPWORDS or word in seen or len(word) < 2:
            continue
        seen.add(word)
        alternatives = [word]
        for form in (stem(word), canonical(word)):
            if form and form not in alternatives:
                alternatives.append(form)
        parts = []
        for part in compound_parts(word):
            parts.append(canonical(part) or stem(part))
        result.append(QueryWord(word, alternatives, parts))
        if len(result) >= MAX_QUERY_WORDS:
            break
    return result


def fts5_query(query: list[QueryWord], *, match_all: bool = True) -> str:
    """An FTS5 MATCH expression; every token is a quoted plain word."""

    def quote(token: str) -> str:
        return '"' + token.replace('"', "") + '"'

    groups = []
    for qw in query:
        options = [quote(a) for a in qw.alternatives]
        if len(qw.parts) > 1:
            options.append("(" + " AND ".join(quote(p) for p in qw.parts) + ")")
        groups.append("(" + " OR ".join(options) + ")")
    return (" AND " if match_all else " OR ").join(groups)


def tsquery_parts(query: list[QueryWord]) -> list[tuple[str, str]]:
    """Per query word: (the word for the Dutch/English parsers, a 'simple'
    tsquery of its stems, key and compound parts). Tokens are letters and
    digits only, so the text is valid tsquery syntax."""
    result = []
    for qw in query:
        options = list(qw.alternatives)
        if len(qw.parts) > 1:
            options.append("(" + " & ".join(qw.parts) + ")")
        result.append((qw.word, " | ".join(options)))
    return result
