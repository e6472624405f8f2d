"""Text analysis shared by the search documents and the queries: one folding, one stemming.

Both sides go through the same functions, in Python, whatever the database: "Crèches" in
a service and "creche" typed by a family meet on "crech", "divorcé" and "divorce" on
"divorc". The words are first folded (lower case, no accents, no punctuation), then reduced
by the Snowball French stemmer (PyStemmer: the same C library as PostgreSQL's `french_stem`
dictionary), so PostgreSQL stores in its `tsvector`s exactly the lexemes SQLite searches
with LIKE: both answer the same.
"""

import re
import unicodedata
from functools import lru_cache

import Stemmer

# Letters of every script are kept (a family types "عمل" or "робота" as well as "job"):
# anything that is not a letter or a digit separates words.
_NON_WORD = re.compile(r"[\W_]+")
# Letters NFKD does not take apart: "sœur" must meet "soeur", "Restos du cœur" "coeur".
# Turkish "ı" too: "bakımı" typed without a Turkish keyboard is "bakimi".
_LIGATURES = str.maketrans(
    {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i"}
)
_STEMMER = Stemmer.Stemmer("french")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say nothing about the need: articles, pronouns, and the everyday phrasing
# around it ("je cherche…", "comment faire pour…", SMS spellings).
STOPWORDS = _word_set(
    """
    a ai aie ais ait alors as au aucun aussi autre aux avais avait avec avez avoir avons ayant
    bcp bjr bonjour c ca car ce ceci cela celle celui ces cet cette chez chercher cherche
    cherchons chui comment d dans de des dois doit donc du elle elles en encore es est et etc
    etes etre eu eux faire fais fait faut il ils j jai je jsuis l la le les leur leurs lui m
    ma mais me meme merci mes moi mon n ne ni nos notre nous on ont ou oui par pas peu peut
    peuvent peux pour pourquoi pouvez pr qu quand que quel quelle quelles quels qui quoi
    recherche s sa sais savoir se ses si sil slt son sont souhaite stp suis sur svp t ta te
    tes toi ton tres trop trouver tu un une vais veut veux voila voudrais vos votre vous vs y
    aimerais besoin quelqu quelqun quelquun ki ke koi ds tous tout toute toutes an ans mois
    plus rien jamais toujours vraiment beaucoup
    """
)
MAX_QUERY_TOKENS = 12

# Acronyms families type: a word is never stemmed into one of them ("café" must not
# become "caf", "payer" not "pai"), it keeps its own form instead.
ACRONYMS = _word_set(
    """
    aah aeeh aesh alsh ants apa apl aripa ase asf bafa c2s caf camsp ccas cej cfa clas cmi cmp
    cmu cpam cpf cv eaje fle fsl hlm ist jaf laep mdph msa paej pai paje pch pij pmi pps ram
    reaap rpe rqth rsa sessad tad tsa
    """
)


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation: 'Crèche d’Été' -> 'creche d ete'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower().translate(_LIGATURES))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", ascii_text).strip()


def singular(word: str) -> str:
    """A crude French singular, before the stemmer (which keeps "emplois", "ados")."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of one folded word: 'separees' -> 'separ', 'creches' -> 'crech'."""
    if word.isdigit() or word in ACRONYMS:
        return word
    base = singular(word)
    # Folding took the accent off "séparée", "divorcée": without it the stemmer would only
    # drop one "e" ("separe"), where "séparé" gives "separ".
    if len(base) > 4 and base.endswith("ee"):
        base = base[:-1]
    stemmed = _STEMMER.stemWord(base)
    return base if stemmed in ACRONYMS else stemmed


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return fold(text).split()


def normalize(text: str) -> str:
    """What a search document stores: every word of the text, stemmed, in order."""
    return " ".join(stem(word) for word in words(text))


def is_meaningful(word: str) -> bool:
    """Not a stop word, not a lone letter, not an age or a day ("17 ans", "le 3")."""
    if word in STOPWORDS or len(word) < 2:
        return False
    return not (word.isdigit() and len(word) < 3)


def query_words(query: str) -> list[str]:
    """The distinct meaningful folded words of a query, in order, at most MAX_QUERY_TOKENS."""
    found: list[str] = []
    for word in words(query):
        if is_meaningful(word) and word not in found:
            found.append(word)
    return found[:MAX_QUERY_TOKENS]


def query_tokens(query: str) -> list[str]:
    """The distinct stems of the meaningful words of a query, in order."""
    tokens: list[str] = []
    for word in query_words(query):
        token = stem(word)
        if token not in tokens:
            tokens.append(token)
    return tokens
