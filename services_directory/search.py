"""The search engine: one reading of a query for every entry point.

The directory (`/annuaire/`), the counter (`/accueil/`), the guided orientation's free text
and the pathways' search all read a query with `analyse()`:

1. its meaningful words, folded and stemmed like the documents (`text.py`);
2. each word the directory does not know is corrected towards its vocabulary
   (`SearchTerm`): joined words are split ("haltegarderie"), typing mistakes corrected
   ("creshe" → "crèche") with RapidFuzz's Damerau-Levenshtein distance;
3. the needs the words point to, by their names and synonyms, weighted like a small
   TF-IDF over the needs (a word found in few needs counts more, a whole synonym more
   still): "nounou" points to « Faire garder mon enfant »;
4. whether the words or the needs point to danger (`safety.py`).

`ServiceSearchQuerySet.ranked()` then scores the documents in SQL, identically on SQLite
and PostgreSQL; `rank_pathways()` scores the published pathways in Python the same way.
"""

import math
import re
import threading
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from . import versions
from .models import NEED_POINTS, TITLE_POINTS, WORD_POINTS, Need, SearchTerm
from .safety import points_to_danger
from .text import STOPWORDS, fold, is_meaningful, query_tokens, query_words, singular, stem

# A word's weight out of 10 in the score: a word of the directory, a word many needs
# share ("aide", "enfant"), a word the directory does not know ("cherche", "fille").
KNOWN, COMMON, UNKNOWN = 10, 5, 3
# A word found in more than this share of the needs is common.
COMMON_SHARE = 0.12
# Needs kept: at least this share of the best need's score, at most MAX_NEEDS.
NEED_SHARE = 0.35
MAX_NEEDS = 4


@dataclass(frozen=True)
class Term:
    word: str  # folded, as understood (after correction)
    stem: str
    weight: int  # out of 10
    filters: bool  # does it pick candidates, or only add to their score?
    prefix: bool = False  # a word being typed: it starts words ("puericul")


@dataclass
class Query:
    text: str = ""
    terms: list[Term] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    needs: list[tuple[Need, float]] = field(default_factory=list)  # relevance 0..1
    danger: bool = False

    def __bool__(self) -> bool:
        return bool(self.terms or self.needs)

    @property
    def need_points(self) -> list[tuple[int, int]]:
        return [(need.pk, round(NEED_POINTS * relevance)) for need, relevance in self.needs]

    @property
    def matched_needs(self) -> list[Need]:
        return [need for need, _relevance in self.needs]

    @property
    def understood(self) -> str:
        """The query as typed, with each corrected word replaced: « crèche » for « creshe »."""
        if not self.corrections:
            return self.text
        fixes = dict(self.corrections)
        parts = re.split(r"(\W+)", self.text)
        return "".join(fixes.get(fold(part), part) for part in parts).strip()

    @property
    def stems(self) -> list[str]:
        return [term.stem for term in self.terms]


# --- the vocabulary: what a query word can be corrected towards ---------------------------


class Vocabulary:
    def __init__(self, rows):
        # Folded word -> how to show it (with its accents: "crèche").
        self.labels = dict(rows)
        self.words = sorted(self.labels)
        self.stems = {stem(word) for word in self.words}
        self.sorted_stems = sorted(self.stems)
        # What a mistyped word is compared with: each word, its singular ("vacance" for
        # "vacanse") and how it sounds ("ortofonist" for "ortofoniste"), back to the word.
        self.forms: dict[str, str] = {}
        for word in self.words:
            for form in (word, singular(word)):
                self.forms.setdefault(form, word)
        self.form_list = sorted(self.forms)
        self.sounds: dict[str, str] = {}
        for word in self.words:
            self.sounds.setdefault(sounds_like(word), word)

    def knows(self, token: str) -> bool:
        return token in self.stems

    def starts(self, token: str) -> bool:
        """A word being typed: some known stem starts with it."""
        position = bisect_left(self.sorted_stems, token)
        return position < len(self.sorted_stems) and self.sorted_stems[position].startswith(token)

    def split(self, word: str) -> list[str] | None:
        """Joined words: 'aideauxdevoirs' -> ['aide', 'aux', 'devoirs'], fewest pieces."""
        if len(word) < 6:
            return None
        best: list[list[str] | None] = [None] * (len(word) + 1)
        best[0] = []
        for end in range(1, len(word) + 1):
            for start in range(max(0, end - 20), end):
                piece = word[start:end]
                if best[start] is None or not (piece in self.labels or piece in STOPWORDS):
                    continue
                if len(piece) < 2 and piece not in STOPWORDS:
                    continue
                candidate = [*best[start], piece]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
        pieces = best[len(word)]
        if not pieces or len(pieces) < 2:
            return None
        if sum(1 for piece in pieces if piece not in STOPWORDS) < 2:
            return None
        return pieces

    def closest(self, word: str) -> str | None:
        """The known word nearest a mistyped one, if near enough for its length."""
        if len(word) < 4 or not word.isalpha():
            return None
        # Stricter than usual: a real word the directory does not know ("collège") must
        # not become another one ("colère").
        allowed = 1 if len(word) < 8 else 2 if len(word) < 12 else 3
        found = process.extract(
            word, self.form_list, scorer=DamerauLevenshtein.distance, score_cutoff=allowed, limit=8
        )
        if found:
            # Same distance: the same first letter, then the closest length.
            found.sort(
                key=lambda item: (item[1], item[0][0] != word[0], abs(len(item[0]) - len(word)))
            )
            return self.forms[found[0][0]]
        # Written as it sounds ("ortofoniste"): only an exact match of how words sound,
        # and not for short words, which sound alike too easily ("fille", "fin").
        if len(word) >= 6:
            return self.sounds.get(sounds_like(word))
        return None

    def label(self, word: str) -> str:
        return self.labels.get(word, word)


_SOUNDS = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        (r"ph", "f"),
        (r"th", "t"),
        (r"rh", "r"),
        (r"qu", "k"),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"g(?=[eiy])", "j"),
        (r"y", "i"),
        (r"eau|au", "o"),
        (r"ai|ei", "e"),
        (r"h", ""),
        (r"z", "s"),
        (r"(.)\1+", r"\1"),
        (r"(?<=..)(es|e|s|t|x)$", ""),
    ]
]


def sounds_like(word: str) -> str:
    """A rough French phonetic key: 'orthophoniste' and 'ortofoniste' sound alike."""
    for pattern, replacement in _SOUNDS:
        word = pattern.sub(replacement, word)
    return word


_vocabulary_lock = threading.Lock()
_vocabulary_cache: dict = {}


def forget_vocabulary() -> None:
    """Drop this process's copy (tests roll back rows whose ids SQLite then reuses)."""
    with _vocabulary_lock:
        _vocabulary_cache.clear()


def vocabulary() -> Vocabulary:
    """This process's copy of the vocabulary, read again when the table changed."""
    fingerprint = SearchTerm.objects.fingerprint()
    with _vocabulary_lock:
        if _vocabulary_cache.get("fingerprint") != fingerprint:
            rows = SearchTerm.objects.values_list("word", "label")
            _vocabulary_cache["vocabulary"] = Vocabulary(rows)
            _vocabulary_cache["fingerprint"] = fingerprint
        return _vocabulary_cache["vocabulary"]


# --- the needs: which ones the words point to -----------------------------------------------


@dataclass
class NeedIndex:
    needs: list[Need]
    phrases: list[list[tuple[str, ...]]]  # per need: each name or synonym, as stems
    counts: list[Counter]  # per need: how often each stem appears in its phrases
    idf: dict[str, float]

    def common(self, token: str) -> bool:
        shared = sum(1 for counts in self.counts if token in counts)
        return bool(self.needs) and shared / len(self.needs) > COMMON_SHARE

    def knows(self, token: str) -> bool:
        return token in self.idf

    def completions(self, start: str, limit: int = 3) -> list[str]:
        found = sorted(token for token in self.idf if token.startswith(start))
        return found if len(found) <= limit else []

    def rank(self, tokens: list[str]) -> list[tuple[Need, float]]:
        """The needs these stems point to, best first, with their relevance (best = 1)."""
        asked = set(tokens)
        scored = []
        for position, (need, phrases, counts) in enumerate(
            zip(self.needs, self.phrases, self.counts, strict=True)
        ):
            score = 0.0
            for token in asked.intersection(counts):
                score += self.idf[token] * (1 + 0.25 * (min(counts[token], 5) - 1))
            # A whole name or synonym found in the query ("pension alimentaire") counts again.
            for phrase in phrases:
                if phrase and asked.issuperset(phrase):
                    score += sum(self.idf[token] for token in phrase)
            if score:
                scored.append((-score, position, need))
        if not scored:
            return []
        scored.sort()
        best = -scored[0][0]
        return [
            (need, round(-score / best, 3))
            for score, _position, need in scored[:MAX_NEEDS]
            if -score >= NEED_SHARE * best
        ]


def _need_texts(need: Need) -> tuple:
    # The reviewed names and synonyms in every language count as synonyms: "childcare",
    # "çocuk bakımı" and "garde d'enfant" reach the same services whatever the page's
    # language (a family may type its own language on a French page).
    return (need.pk, need.name, f"{need.synonyms}\n{need.other_words}")


@lru_cache(maxsize=8)
def _index_of(texts: tuple) -> tuple:
    phrases, counts = [], []
    for _pk, name, synonyms in texts:
        lines = [name, *[line for line in synonyms.splitlines() if line.strip()]]
        # Once each: a word several languages share ("alternance", "CAF") must not weigh
        # a need several times over.
        need_phrases = list(dict.fromkeys(tuple(query_tokens(line)) for line in lines))
        phrases.append(need_phrases)
        counts.append(Counter(token for phrase in need_phrases for token in phrase))
    document_frequency = Counter(token for need_counts in counts for token in need_counts)
    total = max(1, len(texts))
    idf = {token: math.log(1 + total / df) for token, df in document_frequency.items()}
    return phrases, counts, idf


def need_index(needs=None) -> NeedIndex:
    """The needs with their words, analysed once per version of their texts; without
    `needs`, read once per content version (services_directory.versions)."""
    if needs is None:
        return versions.remembered(
            ("need-index",),
            lambda: need_index(list(Need.objects.select_related("sector"))),
            per_language=False,
        )
    phrases, counts, idf = _index_of(tuple(_need_texts(need) for need in needs))
    return NeedIndex(needs=needs, phrases=phrases, counts=counts, idf=idf)


# --- reading a query ------------------------------------------------------------------------


def analyse(text: str, *, needs: NeedIndex | None = None) -> Query:
    """Read a query as the directory understands it (see the module's docstring)."""
    query = Query(text=(text or "").strip())
    typed = query_words(query.text)
    if not typed:
        query.danger = points_to_danger(query.text)
        return query
    index = needs or need_index()
    known_words = vocabulary()
    understood: list[tuple[str, bool, bool]] = []  # (folded word, known, being typed)
    for word in typed:
        token = stem(word)
        if index.knows(token) or known_words.knows(token):
            understood.append((word, True, False))
            continue
        if len(token) >= 4 and known_words.starts(token):
            understood.append((word, True, True))  # a word being typed: "puericul"
            continue
        pieces = known_words.split(word)
        if pieces:
            query.corrections.append((word, " ".join(known_words.label(p) for p in pieces)))
            understood += [(piece, True, False) for piece in pieces if is_meaningful(piece)]
            continue
        closest = known_words.closest(word)
        if closest:
            query.corrections.append((word, known_words.label(closest)))
            understood.append((closest, True, False))
            continue
        understood.append((word, False, False))

    any_known = any(known for _word, known, _typing in understood)
    specific = any(known and not index.common(stem(word)) for word, known, _typing in understood)
    seen = set()
    for word, known, typing in understood:
        token = stem(word)
        if token in seen:
            continue
        seen.add(token)
        if not known:
            weight, filters = UNKNOWN, not any_known
        elif index.common(token):
            weight, filters = COMMON, not specific
        else:
            weight, filters = KNOWN, True
        query.terms.append(
            Term(word=word, stem=token, weight=weight, filters=filters, prefix=typing)
        )
    asked = []
    for term in query.terms:
        if term.weight <= UNKNOWN:
            continue
        asked.append(term.stem)
        if term.prefix:  # "nouno" while typing "nounou": the needs' words it starts
            asked += index.completions(term.stem)
    query.needs = index.rank(asked)
    query.danger = points_to_danger(query.text, query.matched_needs) or points_to_danger(
        " ".join(term.word for term in query.terms)
    )
    return query


# --- explaining and ranking outside the documents -------------------------------------------


def explain(services, query: Query) -> None:
    """Set `service.why` when the name does not say why a result is there: the need of the
    query it answers ("Répond au besoin : Faire garder mon enfant"). Needs prefetched."""
    matched = {need.pk: need for need in query.matched_needs}
    for service in services:
        service.why = []
        if not matched:
            continue
        name = set(query_tokens(f"{service.name} {service.partner.name}"))
        if name.intersection(query.stems):
            continue
        service.why = [need for need in service.needs.all() if need.pk in matched]


def text_score(query: Query, *, title: str, text: str, need_ids=()) -> int:
    """The documents' score (ServiceSearchQuerySet.ranked), for objects scored in Python."""
    title_stems, stems = set(title.split()), set(text.split())
    score = 0
    for need_pk, points in query.need_points:
        if need_pk in need_ids:
            score += points
    for term in query.terms:
        title, anywhere = TITLE_POINTS * term.weight // 10, WORD_POINTS * term.weight // 10
        if term.stem in title_stems:
            score += title
        elif term.prefix and any(word.startswith(term.stem) for word in title_stems):
            score += title // 2
        if term.stem in stems:
            score += anywhere
        elif term.prefix and any(word.startswith(term.stem) for word in stems):
            score += anywhere // 2
    return score


# --- what else to offer: other apps' pages, the closest needs -------------------------------

# Other apps (the pathways) offer their pages for a query; the directory shows them without
# importing those apps (the import graph goes one way: pathways -> services_directory).
_related_finders = []


def register_related(finder) -> None:
    """`finder(query: Query, limit: int) -> list[(title, url)]`, registered once at start."""
    if finder not in _related_finders:
        _related_finders.append(finder)


def related_pages(query: Query, limit: int = 2) -> list[tuple[str, str]]:
    if not query:
        return []
    pages = []
    for finder in _related_finders:
        pages += finder(query, limit)
    return pages[:limit]


def closest_needs(query: Query, index: NeedIndex | None = None, limit: int = 4) -> list[Need]:
    """The needs to propose when little matches: those the words point to, else the
    needs whose name or synonyms look most like the words typed."""
    if query.needs:
        return query.matched_needs[:limit]
    typed = " ".join(query_words(query.text))
    if not typed:
        return []
    index = index or need_index()
    choices = {}
    for need in index.needs:
        for line in [need.name, *need.synonym_list, *need.other_word_list]:
            choices.setdefault(fold(line), need)
    found = process.extract(typed, list(choices), scorer=fuzz.WRatio, score_cutoff=75, limit=12)
    needs = []
    for phrase, _score, _index in found:
        if choices[phrase] not in needs:
            needs.append(choices[phrase])
    return needs[:limit]
