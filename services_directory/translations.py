"""What a family reads in its language: the one home of the content-translation rule.

A page in another language than French shows, field by field, the reviewed translation of
today's French (`ContentTranslation.is_shown`, django-parler's rows of a
`TranslatableText`); otherwise the French text, marked « (en
français) » in the page's language and with `lang="fr"`, never a silent mix. French pages
read the models' own columns and run no query here.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from .models import ContentTranslation

SOURCE_LANGUAGE = "fr"
# The cache each object carries: {language: {field: ContentTranslation}}.
CACHE_ATTRIBUTE = "_content_translations"


@dataclass(frozen=True)
class Shown:
    """The text to show, the language it is in, and whether it is French standing in."""

    text: str
    language: str
    fallback: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


def other_languages() -> list[str]:
    """The configured languages a translation can be in (every one but French)."""
    return [code for code, _name in settings.LANGUAGES if code != SOURCE_LANGUAGE]


def translatable_models() -> list:
    return [model for model in apps.get_models() if getattr(model, "translatable_fields", ())]


def attach(objects: Iterable, language: str | None = None) -> None:
    """Read the translations of many objects (of one model or several) in one query per
    model, so that a list of cards costs no query per card."""
    language = language or translation.get_language()
    if language == SOURCE_LANGUAGE:
        return
    by_model = defaultdict(list)
    for obj in objects:
        if obj is not None and language not in getattr(obj, CACHE_ATTRIBUTE, {}):
            by_model[type(obj)].append(obj)
    for model, objs in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        found = defaultdict(dict)
        for row in ContentTranslation.objects.filter(
            master__content_type=content_type,
            master__object_id__in=[obj.pk for obj in objs],
            language_code=language,
        ).select_related("master"):
            found[row.object_id][row.field] = row
        for obj in objs:
            cache = getattr(obj, CACHE_ATTRIBUTE, None)
            if cache is None:
                cache = {}
                setattr(obj, CACHE_ATTRIBUTE, cache)
            cache[language] = found.get(obj.pk, {})


def shown(obj, field: str, language: str | None = None) -> Shown:
    """The value of `obj.field` to show in `language` (the active one by default)."""
    language = language or translation.get_language()
    french = getattr(obj, field) or ""
    if language == SOURCE_LANGUAGE or not french:
        return Shown(french, SOURCE_LANGUAGE, False)
    if field not in obj.translatable_fields:
        raise ValueError(f"{type(obj).__name__}.{field} is not translatable")
    if language not in getattr(obj, CACHE_ATTRIBUTE, {}):
        # The object's siblings on the page (the cards of a list) are read with it: one
        # query for them all, and none when what shows them is kept ({% remember %}).
        attach(getattr(obj, "translation_batch", None) or [obj], language)
    row = getattr(obj, CACHE_ATTRIBUTE)[language].get(field)
    if row is not None and row.is_shown(french):
        return Shown(row.text, language, False)
    return Shown(french, SOURCE_LANGUAGE, True)


def coverage(*objects) -> dict[str, dict[str, int]]:
    """Per language, how many of the objects' non-empty French fields have a translation
    shown (reviewed), one waiting for a review (or for a new review after the French
    changed), or none (the admin's summary; a pathway counts with its steps)."""
    result = {
        language: {"reviewed": 0, "to_review": 0, "missing": 0} for language in other_languages()
    }
    # Every object's translations, in one query per model (a pathway counts all its steps).
    by_type = defaultdict(set)
    for obj in objects:
        by_type[ContentType.objects.get_for_model(obj).pk].add(obj.pk)
    found = defaultdict(lambda: defaultdict(dict))
    for content_type_id, ids in by_type.items():
        for row in ContentTranslation.objects.filter(
            master__content_type_id=content_type_id, master__object_id__in=ids
        ).select_related("master"):
            found[(content_type_id, row.object_id)][row.language_code][row.field] = row
    for obj in objects:
        french = {f: getattr(obj, f) or "" for f in obj.translatable_fields}
        rows = found[(ContentType.objects.get_for_model(obj).pk, obj.pk)]
        for language, counts in result.items():
            for field, text in french.items():
                if not text:
                    continue
                row = rows[language].get(field)
                if row is None or not row.text:
                    counts["missing"] += 1
                elif row.is_shown(text):
                    counts["reviewed"] += 1
                else:
                    counts["to_review"] += 1
    return result
