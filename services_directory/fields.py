"""A text column of normalised words, searched word by word.

The values are space-separated words made of letters and digits only (see text.normalize), with a
space at both ends. Two lookups take a list of such words:

- `startwords`: every given word starts a word of the column ("crech" finds "creche");
- `haswords`: every given word is a whole word of the column ("s3" does not find "s30");
- `startsany` and `hasany`: the same, for at least one of the given words (a sentence's
  words, a query's needs).

On PostgreSQL the column is a `tsvector`: the words are its lexemes as written (the text is
already normalised, so no dictionary is applied), stored once, so neither an index recheck
nor a sequential scan has to parse text again. The lookups compile to `@@` full-text
queries, which the GIN index of migration 0005 serves: one index scan answers words and
filters together. Elsewhere (SQLite) the column is text and the lookups compile to one LIKE
per word, which is exact at the sizes served. Values are written as plain strings on both
(PostgreSQL casts them); read back on PostgreSQL they come in tsvector's quoted form.
"""

import re

from django.conf import settings
from django.db import models

# Letters and digits of any script (text.fold keeps "عمل" and "робота"): none of them is
# syntax for LIKE (% and _) nor for a tsquery.
_WORD = re.compile(r"^[^\W_]+$")


def _checked(words) -> list[str]:
    words = list(words)
    if not words:
        raise ValueError("a word lookup needs at least one word")
    for word in words:
        # Normalised words only: nothing that LIKE or tsquery would read as syntax.
        if not _WORD.match(word):
            raise ValueError(f"not a normalised word: {word!r}")
    return words


class _WordsLookup(models.Lookup):
    prefix = False
    any = False

    def get_prep_lookup(self):
        return _checked(self.rhs)

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        end = "%" if self.prefix else " %"
        joiner = " OR " if self.any else " AND "
        conditions = joiner.join(f"{lhs} LIKE %s" for _word in self.rhs)
        params = [f"% {word}{end}" for word in self.rhs]
        return f"({conditions})", [*lhs_params, *params]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        suffix = ":*" if self.prefix else ""
        joiner = " | " if self.any else " & "
        query = joiner.join(f"{word}{suffix}" for word in self.rhs)
        return f"{lhs} @@ %s::tsquery", [*lhs_params, query]


class SearchWordsField(models.TextField):
    description = "Normalised words, searched word by word"

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "tsvector"
        return super().db_type(connection)


@SearchWordsField.register_lookup
class StartWords(_WordsLookup):
    lookup_name = "startwords"
    prefix = True


@SearchWordsField.register_lookup
class HasWords(_WordsLookup):
    lookup_name = "haswords"
    prefix = False


@SearchWordsField.register_lookup
class StartsAny(_WordsLookup):
    lookup_name = "startsany"
    prefix = True
    any = True


@SearchWordsField.register_lookup
class HasAny(_WordsLookup):
    lookup_name = "hasany"
    prefix = False
    any = True


def author_field(verbose_name, **kwargs) -> models.ForeignKey:
    """Who did something (created, moved, answered, entered): a staff account, kept apart
    from the record's life (the record stays when the account goes), never a reverse name."""
    kwargs.setdefault("blank", True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )
