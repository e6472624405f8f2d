"""Search normalisation shared by the index (Service.search_text) and the queries.

Both sides go through the same functions, so "Crèches" in a service and
"creche" typed by a family meet on "creche".
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Letters NFKD does not take apart: "sœur" must meet "soeur", "Restos du cœur" "coeur".
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
STOPWORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
        "mon",
        "ma",
        "mes",
        "son",
        "sa",
        "ses",
        "je",
        "j",
        "me",
        "m",
        "nous",
        "vous",
        "on",
        "qui",
        "que",
        "quoi",
        "est",
    ]
)
MAX_QUERY_TOKENS = 12


def fold(text: str) -> str:
    """Lowercase, strip accents and punctuation: 'Crèche d’Été' -> 'creche d ete'."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower().translate(_LIGATURES))
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", ascii_text).strip()


def singular(word: str) -> str:
    """A crude French singular, good enough when both sides use it."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"
    if len(word) > 3 and word[-1] in "sx":
        return word[:-1]
    return word


def normalize(text: str) -> str:
    return " ".join(singular(word) for word in fold(text).split())


def query_tokens(query: str) -> list[str]:
    """The distinct meaningful words of a query, in order, at most MAX_QUERY_TOKENS."""
    tokens: list[str] = []
    for word in normalize(query).split():
        if word in STOPWORDS or len(word) < 2 or word in tokens:
            continue
        tokens.append(word)
    return tokens[:MAX_QUERY_TOKENS]
