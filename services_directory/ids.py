"""Primary keys read from a request (a query string, a form, the session): the one rule.

Only ASCII digits (str.isdigit() also accepts "²" or "٣", which int() refuses or reads
otherwise) and no larger than a 64-bit integer (SQLite raises OverflowError beyond it,
PostgreSQL a DataError): anything else is no key at all, never a 500.
"""

MAX_PK = 2**63 - 1


def pk_or_none(value) -> int | None:
    text = str(value if value is not None else "").strip()
    if not (text.isascii() and text.isdigit()):
        return None
    pk = int(text)
    return pk if 0 < pk <= MAX_PK else None


def pks(values, limit: int | None = None) -> list[int]:
    """The valid keys among `values`, in order, at most `limit` of them."""
    found = [pk for pk in (pk_or_none(value) for value in values) if pk is not None]
    return found[:limit] if limit is not None else found
