"""The keys a demo data record may have: a typo in a data file must fail, not be ignored.

Each app's demo loader describes its records as {key: default}, REQUIRED marking the keys
every record must give; the pathways' and indicators' loaders import these checks from here.
"""

import difflib

from django.core.management.base import CommandError

REQUIRED = object()
# What a default says about the values its key accepts, most specific first (a bool is an
# int): `documents = "Carte Vitale"` would otherwise become one line per letter.
KINDS = [
    (bool, "true ou false"),
    (int, "un nombre entier"),
    (str, "un texte"),
    (list, "une liste"),
]


def record(item, what: str, schema: dict) -> dict:
    """`item` with the keys it leaves out set to their defaults.

    `what` names the record in the error, which lists every unknown key (with the closest
    known one, the likely intended spelling), every missing required key and every value of
    the wrong kind.
    """
    if not isinstance(item, dict):
        raise CommandError(f"Démonstration, {what} : une table TOML est attendue.")
    problems = []
    for key in sorted(item.keys() - schema.keys()):
        close = difflib.get_close_matches(key, schema.keys(), n=1)
        hint = f" (vouliez-vous dire « {close[0]} » ?)" if close else ""
        problems.append(f"clé inconnue « {key} »{hint}")
    for key, default in schema.items():
        if default is REQUIRED and key not in item:
            problems.append(f"clé obligatoire absente « {key} »")
        kind = next((kind for kind in KINDS if isinstance(default, kind[0])), None)
        if key in item and kind and not isinstance(item[key], kind[0]):
            problems.append(f"« {key} » doit être {kind[1]}")
    if problems:
        raise CommandError(f"Démonstration, {what} : {' ; '.join(problems)}.")
    return {key: item.get(key, default) for key, default in schema.items()}


def records(items, kind: str, schema: dict, label: str | None = "slug") -> list[dict]:
    """Every record of a list, each named by its position and its `label` key if it has one."""
    if not isinstance(items, list):
        raise CommandError(f"Démonstration, {kind} : une liste de tables TOML est attendue.")
    checked = []
    for position, item in enumerate(items, start=1):
        name = f"{kind} n° {position}"
        if label and isinstance(item, dict) and label in item:
            name += f" « {item[label]} »"
        checked.append(record(item, name, schema))
    return checked
