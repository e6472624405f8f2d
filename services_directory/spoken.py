"""The languages a family names in its own words: the one home of that reading.

« english », « arabe », « العربية », « türkçe » ask for the services where that language is
spoken; « traducteur », « interprète », « interpreter », « مترجم », or saying one does not
speak French (« je ne parle pas bien français », « no french »), ask for the services that
can call an interpreter. Each language of the directory is known by its French name (the
`Language` row), its English name, its own name, and its name in each language of the
portal (Django's catalogues): a family types the name it knows.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils import translation
from django.utils.translation import gettext

from .models import Language
from .text import fold

# Words that ask for an interpreter, in the portal's languages (folded when compared).
INTERPRETING_WORDS = {
    "traducteur", "traductrice", "traduction", "traduire", "interprete", "interpretes",
    "interpretariat", "interpreter", "interpreters", "interpreting", "translator",
    "translation", "translate", "tercuman", "cevirmen", "ceviri", "tradutor", "tradutora",
    "traducao", "interpretacao", "перекладач", "переклад", "перекладача",
    "مترجم", "ترجمة", "الترجمة", "مترجما",
}  # fmt: skip
# « Je ne parle pas (bien) français », « I don't speak French »: French named after a "not".
NEGATIONS = {
    "pas", "peu", "mal", "not", "dont", "don", "no", "little", "degil", "yok", "nao", "не", "لا",
}  # fmt: skip
# The rest of such a sentence, which the directory's words would not find anyway.
SPEAKING = NEGATIONS | {
    "je", "ne", "parle", "parler", "parlons", "bien", "tres", "speak", "speaking", "well",
    "very", "konusmuyorum", "konusamiyorum", "bilmiyorum", "falo", "говорю", "розмовляю",
    "أتكلم", "اتكلم", "أتحدث", "اتحدث",
}  # fmt: skip
FRENCH = "fr"
# The names are read once a while per process: the directory's languages change rarely.
KEEP_SECONDS = 300


@dataclass
class Named:
    languages: list[Language] = field(default_factory=list)
    interpreting: bool = False
    rest: str = ""  # the other words, for the engine

    def __bool__(self) -> bool:
        return bool(self.languages or self.interpreting)


_cache: dict = {"at": 0.0, "names": {}}


def language_names() -> dict[str, Language]:
    """Every folded name of every language of the directory."""
    if time.monotonic() - _cache["at"] < KEEP_SECONDS:
        return _cache["names"]
    names: dict[str, Language] = {}
    for language in Language.objects.all():
        found = {language.name}
        info = LANG_INFO.get(language.code)
        if info:
            found |= {info["name"], info["name_local"]}
            for code, _name in settings.LANGUAGES:
                with translation.override(code):
                    found.add(gettext(info["name"]))
        for name in found:
            if fold(name):
                names[fold(name)] = language
    _cache.update(at=time.monotonic(), names=names)
    return names


def named_in(text: str) -> Named:
    """The languages and the interpreter the words ask for, and the words left."""
    named = Named()
    names = language_names()
    words = fold(text).split()
    rest = []
    for position, word in enumerate(words):
        language = names.get(word)
        if word in INTERPRETING_WORDS:
            named.interpreting = True
        elif language is not None and language.code == FRENCH:
            if NEGATIONS & set(words[max(0, position - 4) : position]):
                named.interpreting = True  # « je ne parle pas bien français »
            else:
                rest.append(word)
        elif language is not None:
            if language not in named.languages:
                named.languages.append(language)
        else:
            rest.append(word)
    if named:
        # « Je ne parle pas » says nothing more once the interpreter is asked for.
        named.rest = " ".join(word for word in rest if word not in SPEAKING)
    else:
        named.rest = text
    return named
