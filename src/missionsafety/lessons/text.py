"""Words for the search index: a light Dutch stemmer, compound parts and the
bilingual safety thesaurus (``thesaurus.json``), applied the same way to
indexed text and queries.

The databases stem too (SQLite FTS5 with the Porter stemmer for English,
PostgreSQL with its Dutch and English snowball stemmers). What they miss is
Dutch compounds ("munitieopslag" is one word) and the fact that a Dutch
observation should answer an English question. So every indexed text also
gets a ``terms`` column made here:

- every word, lower-cased, without diacritics, lightly stemmed for Dutch
  (plural and verb endings: containers → container, opgeslagen → opslag);
- the parts of compounds that start or end with a common military head word
  (munitieopslag → munitie + opslag, zeecontainer → zee + container);
- one shared key for each thesaurus group of Dutch and English words and
  phrases that mean the same (munitie, ammunition, ammo → ``munitie``;
  ijzel, gladheid, black ice → ``ijzel``).

A query word (or thesaurus phrase) then matches when any of its forms
match: itself, its stem, or the key of one of its groups — so a query is
expanded with its whole group by one token per group, at most
``MAX_GROUPS_PER_WORD`` of them, instead of by every variant. The parts of
a compound must all match. Queries are reduced to plain words: operators,
quotes and FTS syntax never reach the database as syntax.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

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

THESAURUS_FILE = Path(__file__).with_name("thesaurus.json")
# A word may belong to a few groups ("missing": loss and lost item); a query
# word is expanded with at most this many group keys.
MAX_GROUPS_PER_WORD = 3
# Longest phrase of the thesaurus, in words ("loading and unloading").
MAX_PHRASE_WORDS = 4


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


def load_groups(path: Path = THESAURUS_FILE) -> list[tuple[str, ...]]:
    """The thesaurus groups, each as its terms (folded, words joined by one
    space), Dutch first: the first term names the group."""
    data = json.loads(path.read_text(encoding="utf-8"))
    groups = []
    for group in data["groups"]:
        terms: dict[str, None] = {}
        for term in [*group.get("nl", []), *group.get("en", [])]:
            folded = " ".join(words(term))
            if folded:
                terms[folded] = None
        if terms:
            groups.append(tuple(terms))
    return groups


def group_key(group: tuple[str, ...]) -> str:
    """The token that stands for a group in the index: its first term
    without spaces (``ijzel``, ``hotwash``)."""
    return group[0].replace(" ", "")


# word or phrase → the keys of its groups
_CANON: dict[str, list[str]] = {}
_CANON_BY_STEM: dict[str, list[str]] = {}
SYNONYMS: list[tuple[str, ...]] = []


def _add(table: dict[str, list[str]], term: str, key: str) -> None:
    keys = table.setdefault(term, [])
    if key not in keys and len(keys) < MAX_GROUPS_PER_WORD:
        keys.append(key)


def _build_canon() -> None:
    SYNONYMS[:] = load_groups()
    for group in SYNONYMS:
        key = group_key(group)
        for term in group:
            _add(_CANON, term, key)
    for term, keys in list(_CANON.items()):
        stemmed = " ".join(stem(w) for w in term.split())
        for key in keys:
            _add(_CANON_BY_STEM, stemmed, key)


def canonical_keys(term: str) -> list[str]:
    """The thesaurus keys of a word or phrase (folded, single spaces)."""
    found = _CANON.get(term)
    if found:
        return found
    return _CANON_BY_STEM.get(" ".join(stem(w) for w in term.split()), [])


def canonical(word: str) -> str | None:
    """The first thesaurus key of a word, if it belongs to a group."""
    keys = canonical_keys(word)
    return keys[0] if keys else None


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


def _phrases_at(found: list[str], i: int) -> list[tuple[int, list[str]]]:
    """Thesaurus phrases that start at word ``i``, longest first:
    (number of words, keys)."""
    if found[i] not in _PHRASE_FIRST and stem(found[i]) not in _PHRASE_FIRST:
        return []
    result = []
    for n in range(min(MAX_PHRASE_WORDS, len(found) - i), 1, -1):
        keys = canonical_keys(" ".join(found[i : i + n]))
        if keys:
            result.append((n, keys))
    return result


def index_terms(text: str) -> str:
    """The ``terms`` column: stems, compound parts and thesaurus keys (of
    words and of phrases such as "black ice")."""
    seen: dict[str, None] = {}
    found = words(text)
    for i, word in enumerate(found):
        if len(word) > MAX_WORD_CHARS:
            continue
        seen[stem(word)] = None
        for key in canonical_keys(word):
            seen[key] = None
        for _n, keys in _phrases_at(found, i):
            for key in keys:
                seen[key] = None
        for part in compound_parts(word):
            seen[stem(part)] = None
            for key in canonical_keys(part):
                seen[key] = None
    return " ".join(seen)


@dataclass
class QueryWord:
    """One word (or thesaurus phrase) of a query with the forms that may
    match it: itself, its stem and the keys of its thesaurus groups, which
    every indexed text carries for each of the group's terms in either
    language; ``phrase`` holds the words of a multi-word term."""

    word: str
    alternatives: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    phrase: list[str] = field(default_factory=list)


def parse_query(raw: str) -> list[QueryWord]:
    """Safe query words: letters and digits only, no stop words, bounded.
    A thesaurus phrase ("black ice", "ammunition storage") is one query word."""
    result: list[QueryWord] = []
    seen: set[str] = set()
    found = [w[:MAX_WORD_CHARS] for w in words((raw or "")[:MAX_QUERY_CHARS])]
    i = 0
    while i < len(found) and len(result) < MAX_QUERY_WORDS:
        phrases = _phrases_at(found, i)
        if phrases:
            n, keys = phrases[0]
            phrase = found[i : i + n]
            text = " ".join(phrase)
            i += n
            if text not in seen:
                seen.add(text)
                # Or its words, each in any of its forms (munitie opgeslagen
                # answers "ammunition storage").
                parts = [
                    canonical(w) or stem(w)
                    for w in phrase
                    if w not in STOPWORDS and len(w) > 1
                ]
                result.append(QueryWord(text, list(keys), parts, phrase))
            continue
        word = found[i]
        i += 1
        if word in STOPWORDS or word in seen or len(word) < 2:
            continue
        seen.add(word)
        alternatives = [word]
        for form in (stem(word), *canonical_keys(word)):
            if form and form not in alternatives:
                alternatives.append(form)
        parts = []
        for part in compound_parts(word):
            parts.append(canonical(part) or stem(part))
        result.append(QueryWord(word, alternatives, parts))
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
        if qw.phrase:
            options.append(quote(" ".join(qw.phrase)))
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
        if qw.phrase:
            # ``terms`` holds each stem once, without positions: all words.
            options.append("(" + " & ".join(stem(w) for w in qw.phrase) + ")")
        result.append((qw.word, " | ".join(options)))
    return result


_build_canon()
# First words of the thesaurus phrases (and their stems): only there is a
# phrase looked for.
_PHRASE_FIRST = {
    form
    for term in [*_CANON, *_CANON_BY_STEM]
    if " " in term
    for form in (term.split()[0], stem(term.split()[0]))
}
