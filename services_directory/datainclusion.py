"""data·inclusion schema v1: read the national files into the directory, and publish ours.

Import (`import_records`): files → records → each validated by the package's own models
(`data_inclusion.schema.v1`) → mapped to our partners, places and services → compared with
what the database holds → written in one transaction with bulk operations (or only reported,
for a dry run). Rules:

- upsert by (source, id): every imported object keeps the producer's `source` and `id`;
- idempotent: the same file twice changes nothing;
- local edits win: each object keeps the values the last import wrote (`imported_values`);
  a field whose value differs from them was edited here and is left alone, the difference
  with the file is reported;
- a bad record is rejected with its reason and never stops the others; a bad *file* (not
  JSON, not UTF-8, too big, schema version 0) stops everything before anything is written;
- only what concerns the territory is imported (its communes, or some of them): a record
  is kept when its address is in a chosen commune, or when its `zone_eligibilite` covers one
  (the commune's code, its département, the territory's EPCI).

Export (`export_structures`, `export_services`): the published directory as v1 records,
which tests validate one by one with the package's models.

The mapping between their fields and ours is documented in docs/datainclusion.md.
"""

import csv
import datetime as dt
import io
import json
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pydantic
from data_inclusion.schema import v1
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from . import hours as hours_lib
from .models import (
    Commune,
    ImportFile,
    ImportRun,
    Need,
    Partner,
    Place,
    Sector,
    Service,
    ServicePlace,
    Territory,
    ThematiqueMapping,
    update_rows,
)
from .signals import directory_changed

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1"
# Fields only version 0 of the schema had: a file carrying them is refused as a whole.
V0_FIELDS = frozenset(
    {
        "typologie",
        "antenne",
        "presentation_resume",
        "presentation_detail",
        "zone_diffusion_type",
        "zone_diffusion_code",
        "profils",
        "prise_rdv",
        "modes_orientation_beneficiaire",
        "modes_orientation_accompagnateur",
        "labels_nationaux",
    }
)
# v1 fields holding a list (CSV cells: "a,b", ["a","b"] or {a,b}).
LIST_FIELDS = frozenset(
    {
        "thematiques",
        "publics",
        "modes_accueil",
        "zone_eligibilite",
        "modes_mobilisation",
        "mobilisable_par",
        "reseaux_porteurs",
    }
)
# List fields whose values come from an enumeration of the package: an unknown value is
# dropped with a warning (a newer producer than our package), the record still imported.
ENUM_FIELDS = {
    "thematiques": v1.Thematique,
    "publics": v1.Public,
    "modes_accueil": v1.ModeAccueil,
    "modes_mobilisation": v1.ModeMobilisation,
    "mobilisable_par": v1.PersonneMobilisatrice,
    "reseaux_porteurs": v1.ReseauPorteur,
}
WHOLE_COUNTRY = frozenset({"france", "99100"})
DONT_DO = "Ce que nous ne faisons pas :"
DOCUMENTS = "Documents à apporter :"
INCOME = "Selon les revenus :"

# Our kinds of structure ↔ data·inclusion's networks (reseaux_porteurs).
KIND_BY_NETWORK = {
    "caf": Partner.Kind.CAF,
    "mutualite-sociale-agricole": Partner.Kind.CAF,
    "mission-locale": Partner.Kind.MISSION_LOCALE,
    "france-travail": Partner.Kind.FRANCE_TRAVAIL,
    "france-service": Partner.Kind.FRANCE_SERVICES,
    "msap": Partner.Kind.FRANCE_SERVICES,
    "ccas-cias": Partner.Kind.CCAS,
    "communes": Partner.Kind.COMMUNE,
    "departements": Partner.Kind.DEPARTEMENT,
    "maisons-des-solidarites": Partner.Kind.DEPARTEMENT,
    "mdph": Partner.Kind.DEPARTEMENT,
    "maison-departementale-de-lautonomie": Partner.Kind.DEPARTEMENT,
    "ase": Partner.Kind.DEPARTEMENT,
    "cms": Partner.Kind.DEPARTEMENT,
    "cpam": Partner.Kind.HEALTH,
    "cmp": Partner.Kind.HEALTH,
    "csapa": Partner.Kind.HEALTH,
    "caarud": Partner.Kind.HEALTH,
    "restos-du-coeur": Partner.Kind.ASSOCIATION,
    "secours-populaire": Partner.Kind.ASSOCIATION,
    "croix-rouge": Partner.Kind.ASSOCIATION,
    "emmaus": Partner.Kind.ASSOCIATION,
    "banques-alimentaires": Partner.Kind.ASSOCIATION,
    "fcsf": Partner.Kind.ASSOCIATION,
    "mjc": Partner.Kind.ASSOCIATION,
    "unaf": Partner.Kind.ASSOCIATION,
    "cidff": Partner.Kind.ASSOCIATION,
    "apprentis-dauteuil": Partner.Kind.ASSOCIATION,
}
NETWORK_BY_KIND = {
    Partner.Kind.COMMUNE: "communes",
    Partner.Kind.INTERCOMMUNALITY: "communes",
    Partner.Kind.CAF: "caf",
    Partner.Kind.DEPARTEMENT: "departements",
    Partner.Kind.MISSION_LOCALE: "mission-locale",
    Partner.Kind.FRANCE_TRAVAIL: "france-travail",
    Partner.Kind.FRANCE_SERVICES: "france-service",
    Partner.Kind.CCAS: "ccas-cias",
}
# Who a service of ours is for, in data·inclusion's words, by sector (product data).
PUBLICS_BY_SECTOR = {
    "petite-enfance": "familles",
    "enfance": "familles",
    "parentalite": "familles",
    "jeunesse": "jeunes",
    "handicap": "personnes-en-situation-de-handicap",
}


class ImportFileError(Exception):
    """A file that cannot be read at all: the import stops before writing anything."""


# --- reading files -------------------------------------------------------------------------


@dataclass
class InputFile:
    name: str
    content: bytes


@dataclass
class RawRecord:
    file: str
    position: int  # 1-based, in its file
    data: object

    @property
    def label(self) -> str:
        ident = self.data.get("id") if isinstance(self.data, dict) else None
        where = f"{self.file}, enregistrement n° {self.position}"
        return f"{where} ({ident})" if ident else where


def max_bytes() -> int:
    return settings.DATAINCLUSION_MAX_FILE_MB * 1024 * 1024


def read_files(files: Iterable[InputFile]) -> tuple[list[RawRecord], list[RawRecord]]:
    """(structures, services) of every file; a service is a record with a `structure_id`."""
    structures, services = [], []
    for file in files:
        for record in _records_of(file):
            is_service = isinstance(record.data, dict) and "structure_id" in record.data
            (services if is_service else structures).append(record)
    return structures, services


def _records_of(file: InputFile) -> list[RawRecord]:
    name = file.name
    if len(file.content) > max_bytes():
        raise ImportFileError(
            f"« {name} » pèse {len(file.content) / 1024 / 1024:.0f} Mo : la limite est de "
            f"{settings.DATAINCLUSION_MAX_FILE_MB} Mo. Téléchargez un fichier limité à votre "
            "département (l'API data·inclusion filtre par code_departement), ou découpez-le."
        )
    if not file.content.strip():
        raise ImportFileError(f"« {name} » est vide.")
    try:
        text = file.content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"« {name} » n'est pas un fichier texte encodé en UTF-8 (caractère illisible à "
            f"l'octet {error.start}). Enregistrez-le en UTF-8 : dans un tableur, choisissez "
            "« CSV UTF-8 »."
        ) from None
    stripped = text.lstrip()
    if name.lower().endswith(".json") or stripped[:1] in ("[", "{"):
        items = _json_items(name, text)
    elif name.lower().endswith(".csv") or _looks_like_csv(stripped):
        items = _csv_items(name, text)
    else:
        raise ImportFileError(
            f"« {name} » n'est ni un fichier JSON ni un fichier CSV au format data·inclusion."
        )
    records = [RawRecord(name, position, item) for position, item in enumerate(items, 1)]
    _refuse_other_versions(name, records)
    return records


def _json_items(name: str, text: str) -> list:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"« {name} » n'est pas un fichier JSON valide (ligne {error.lineno}, colonne "
            f"{error.colno}) : le fichier est peut-être tronqué, ou ce n'est pas un export "
            "data·inclusion."
        ) from None
    if isinstance(data, dict):
        version = str(data.get("schema_version") or data.get("version") or SCHEMA_VERSION)
        if not version.startswith(SCHEMA_VERSION):
            raise _other_version(name, version)
        # A page of the API ({"items": […], "total": …}) or both lists in one file.
        if isinstance(data.get("items"), list):
            return data["items"]
        if isinstance(data.get("structures"), list) or isinstance(data.get("services"), list):
            return [*data.get("structures", []), *data.get("services", [])]
    if isinstance(data, list):
        return data
    raise ImportFileError(
        f"« {name} » : une liste d'enregistrements data·inclusion (structures ou services) "
        "est attendue."
    )


def _looks_like_csv(text: str) -> bool:
    header = text.split("\n", 1)[0]
    return "id" in re.split(r"[;,]", header)


def _csv_items(name: str, text: str) -> list[dict]:
    header = text.split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = set(reader.fieldnames or [])
    if not {"source", "id", "nom"} <= columns:
        raise ImportFileError(
            f"« {name} » : les colonnes « source », « id » et « nom » du format "
            "data·inclusion sont absentes de la première ligne."
        )
    items = []
    for row in reader:
        item = {}
        for key, value in row.items():
            if key is None:  # more cells than columns
                continue
            value = (value or "").strip()
            if value == "":
                continue
            item[key] = _csv_list(value) if key in LIST_FIELDS else value
        items.append(item)
    return items


def _csv_list(value: str) -> list[str]:
    if value.startswith("["):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [str(item) for item in parsed]
    value = value.strip("{}[]")
    return [item.strip().strip("\"'") for item in value.split(",") if item.strip()]


def _other_version(name: str, version: str) -> ImportFileError:
    return ImportFileError(
        f"« {name} » suit la version {version} du schéma data·inclusion ; Passerelles lit la "
        f"version {SCHEMA_VERSION}. Téléchargez l'export en version {SCHEMA_VERSION} "
        "(API /api/v1/, ou fichiers « v1 » du jeu de données national)."
    )


def _refuse_other_versions(name: str, records: list[RawRecord]) -> None:
    for record in records[:20]:
        if isinstance(record.data, dict) and len(V0_FIELDS & record.data.keys()) >= 2:
            raise _other_version(name, "0")


# --- validating records with the package's models --------------------------------------------


def _french(error: dict) -> str:
    """A pydantic error of the package's models, in French."""
    where = ".".join(str(part) for part in error.get("loc", ())) or "enregistrement"
    kind = error.get("type", "")
    value = str(error.get("input", ""))[:60]
    if kind == "missing":
        return f"champ obligatoire « {where} » absent"
    if kind == "string_too_short":
        least = error.get("ctx", {}).get("min_length")
        return f"« {where} » trop court ({least} caractères au moins)"
    if kind == "string_too_long":
        return (
            f"« {where} » trop long ({error.get('ctx', {}).get('max_length')} caractères au plus)"
        )
    if kind == "string_pattern_mismatch":
        return f"« {where} » : format invalide « {value} »"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"« {where} » : date invalide « {value} »"
    if kind.startswith("url"):
        return f"« {where} » : adresse web invalide « {value} »"
    if kind == "enum":
        return f"« {where} » : valeur inconnue « {value} »"
    if kind in ("too_short",):
        return f"« {where} » : liste vide"
    if kind == "value_error":
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        if "email" in message:
            return f"« {where} » : adresse électronique invalide « {value} »"
        return f"« {where} » : {message}"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return f"« {where} » : type de valeur inattendu « {value} »"
    return f"« {where} » : {error.get('msg', kind)}"


@dataclass
class Checked:
    """A record after validation: the package's model, the cleaned raw values, warnings."""

    raw: RawRecord
    model: object = None
    data: dict = field(default_factory=dict)
    reason: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.data.get("source", ""), self.data.get("id", ""))


def _checked(raw: RawRecord, model) -> Checked:
    result = Checked(raw)
    if not isinstance(raw.data, dict):
        result.reason = "ce n'est pas un enregistrement (objet JSON ou ligne de tableau)"
        return result
    data = {key: value for key, value in raw.data.items() if value not in ("", None)}
    for name, enum in ENUM_FIELDS.items():
        if name not in data:
            continue
        values = data[name] if isinstance(data[name], list) else [data[name]]
        known = {item.value for item in enum}
        unknown = [str(value) for value in values if value not in known]
        if unknown:
            result.warnings.append(
                f"valeur(s) inconnue(s) de « {name} », ignorée(s) : {', '.join(unknown)}"
            )
        kept = [value for value in values if value in known]
        if kept:
            data[name] = kept
        else:
            del data[name]
    try:
        result.model = model.model_validate(data, context={"ignore_warnings": True})
    except pydantic.ValidationError as error:
        result.reason = " ; ".join(_french(item) for item in error.errors()[:4])
        result.model = None
    result.data = data
    return result


def checked_hours(expression: str | None) -> tuple[str, str]:
    """(hours to store, warning): the one place where imported opening hours are checked
    (with the same rules as the admin's, in hours.py)."""
    expression = (expression or "").strip()
    if not expression:
        return "", ""
    if len(expression) > ServicePlace._meta.get_field("opening_hours").max_length:
        return "", "horaires trop longs, non importés"
    try:
        hours_lib.validate(expression)
    except ValidationError:
        return "", f"horaires illisibles, non importés : « {expression[:80]} »"
    return expression, ""


# --- the territory -------------------------------------------------------------------------


def departement_of(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


@dataclass
class Scope:
    """The communes an import concerns: all the territory's, or some of them."""

    territory: Territory | None
    communes: dict[str, Commune]  # INSEE code → commune, the chosen ones
    all_communes: dict[str, Commune]  # every commune of the territory

    @classmethod
    def of(cls, insee_codes: Iterable[str] = (), epci: str = "") -> "Scope":
        territory = Territory.objects.current()
        everything = {commune.insee_code: commune for commune in Commune.objects.all()}
        if epci and (territory is None or territory.siren != epci):
            raise ImportFileError(
                f"Aucun territoire de SIREN {epci} : chargez ses communes d'abord "
                "(manage.py load_communes)."
            )
        codes = [code.strip() for code in insee_codes if code.strip()]
        unknown = sorted(set(codes) - everything.keys())
        if unknown:
            raise ImportFileError("Communes inconnues du territoire : " + ", ".join(unknown) + ".")
        chosen = {code: everything[code] for code in codes} if codes else dict(everything)
        return cls(territory, chosen, everything)

    @property
    def whole_codes(self) -> set[str]:
        """Codes of a zone that covers every commune of the territory."""
        codes = set(WHOLE_COUNTRY)
        departements = {departement_of(code) for code in self.all_communes}
        if len(departements) == 1:
            codes |= departements
        if self.territory and self.territory.siren:
            codes.add(self.territory.siren)
        return codes

    def covering(self) -> set[str]:
        """Zone codes that cover at least one chosen commune ('france' excepted: national
        services would flood a local directory)."""
        codes = set(self.communes)
        codes |= {departement_of(code) for code in self.communes}
        if self.territory and self.territory.siren:
            codes.add(self.territory.siren)
        return codes

    def served(self, zone: list[str] | None, address_commune: Commune | None):
        """(serves the whole territory, communes served) from `zone_eligibilite`."""
        if not zone or set(zone) & self.whole_codes:
            return True, []
        served = sorted({self.all_communes[code].pk for code in zone if code in self.all_communes})
        if len(served) == len(self.all_communes):
            return True, []
        if not served and address_commune is not None:
            served = [address_commune.pk]
        return False, served


# --- mapping a record to our fields --------------------------------------------------------


def describe(summary: str, what_we_do: str, what_we_dont_do: str) -> str:
    """Our three texts as one data·inclusion description (read back by split_description)."""
    parts = [_text(summary), _text(what_we_do)]
    if _text(what_we_dont_do):
        parts.append(f"{DONT_DO} {_text(what_we_dont_do)}")
    return "\n\n".join(part for part in parts if part)


def split_description(text: str) -> tuple[str, str, str]:
    """(summary, what we do, what we don't do) from a description: its first paragraph is
    the summary when it is short, "Ce que nous ne faisons pas : …" the last one."""
    paragraphs = [part.strip() for part in _text(text).split("\n\n") if part.strip()]
    dont = ""
    if len(paragraphs) > 1 and paragraphs[-1].startswith(DONT_DO):
        dont = paragraphs.pop().removeprefix(DONT_DO).strip()
    if len(paragraphs) > 1 and 15 <= len(paragraphs[0]) <= 255:
        return paragraphs[0], "\n\n".join(paragraphs[1:]), dont
    body = "\n\n".join(paragraphs)
    return _first_sentence(body), body, dont


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.replace("\n", " "))
    sentence = match.group(1) if match else text.replace("\n", " ")
    return sentence if len(sentence) <= 255 else sentence[:254].rstrip() + "…"


def _text(value) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def conditions(access_conditions: str, documents: str) -> str:
    """Our access conditions and documents as one data·inclusion conditions_acces."""
    lines = [line.strip() for line in (documents or "").splitlines() if line.strip()]
    parts = [_text(access_conditions)]
    if lines:
        parts.append("\n".join([DOCUMENTS, *(f"- {line}" for line in lines)]))
    return "\n\n".join(part for part in parts if part)


def split_conditions(text: str) -> tuple[str, str]:
    paragraphs = [part.strip() for part in _text(text).split("\n\n") if part.strip()]
    documents = ""
    if paragraphs and paragraphs[-1].startswith(DOCUMENTS):
        lines = paragraphs.pop().splitlines()[1:]
        documents = "\n".join(line.strip().removeprefix("- ").strip() for line in lines)
    return "\n\n".join(paragraphs), documents


def _clip(value, length: int) -> str:
    value = _text(value)
    return value if len(value) <= length else value[: length - 1].rstrip() + "…"


def _address(data: dict) -> str:
    parts = [_text(data.get("adresse")), _text(data.get("complement_adresse"))]
    return ", ".join(part for part in parts if part)


def _url(value, warnings: list[str], what: str) -> str:
    value = _text(value)
    if len(value) > 200:
        warnings.append(f"{what} trop long, non importé")
        return ""
    return value


@dataclass
class Mapping:
    """The thématiques table, read once per import."""

    needs: dict[str, int]  # thématique → need pk (import)
    sectors: dict[str, int]  # thématique → sector pk (import)
    need_sector: dict[int, int]

    @classmethod
    def load(cls) -> "Mapping":
        need_sector = dict(Need.objects.values_list("pk", "sector_id"))
        needs, sectors = {}, {}
        for row in ThematiqueMapping.objects.for_import():
            if row.need_id:
                needs[row.thematique] = row.need_id
            sector = row.sector_id or need_sector.get(row.need_id)
            if sector:
                sectors[row.thematique] = sector
        return cls(needs, sectors, need_sector)

    def classify(self, thematiques) -> tuple[list[int], list[int]]:
        values = [str(getattr(item, "value", item)) for item in thematiques or []]
        needs = sorted({self.needs[value] for value in values if value in self.needs})
        sectors = sorted({self.sectors[value] for value in values if value in self.sectors})
        return needs, sectors


def structure_values(checked: Checked, scope: Scope) -> dict:
    data, warnings = checked.data, checked.warnings
    commune = scope.all_communes.get(data.get("code_insee", ""))
    networks = [str(value) for value in data.get("reseaux_porteurs", [])]
    kind = next((KIND_BY_NETWORK[n] for n in networks if n in KIND_BY_NETWORK), None)
    phone = _text(data.get("telephone"))
    if len(phone) > 30:
        warnings.append("téléphone trop long, non importé")
        phone = ""
    return {
        "name": _clip(data["nom"], 200),
        "description": _text(data.get("description")),
        "phone": phone,
        "email": _text(data.get("courriel")),
        "website": _url(data.get("site_web"), warnings, "site_web"),
        "address": _clip(_address(data), 255),
        "commune": commune.pk if commune else None,
        "kind": kind or Partner.Kind.OTHER,
    }


def service_values(checked: Checked, structure: dict, scope: Scope, mapping: Mapping) -> dict:
    """Our fields for a service record; `structure` is its structure's raw data (for the
    hours and the address a service leaves out)."""
    data, model, warnings = checked.data, checked.model, checked.warnings
    summary, what_we_do, what_we_dont_do = split_description(data["description"])
    access, documents = split_conditions(data.get("conditions_acces", ""))
    publics = sorted(str(value) for value in data.get("publics", []))
    labels = {item.value: item.label for item in v1.Public}
    audience = _text(data.get("publics_precisions")) or (
        ", ".join(labels[value] for value in publics) if publics else "Tous publics"
    )
    frais = data.get("frais")
    precisions = _text(data.get("frais_precisions"))
    if frais == "gratuit":
        cost, cost_details = Service.Cost.FREE, precisions
    elif frais == "payant" and precisions.startswith(INCOME):
        cost, cost_details = Service.Cost.INCOME, precisions.removeprefix(INCOME).strip()
    elif frais == "payant":
        cost, cost_details = Service.Cost.PAID, precisions or "Tarif à demander au service."
    else:
        cost, cost_details = Service.Cost.UNKNOWN, precisions
    modes = {str(value) for value in data.get("modes_accueil", [])}
    mobilisation = {str(value) for value in data.get("modes_mobilisation", [])}
    own_address = bool(data.get("code_insee") or data.get("adresse"))
    place_data = data if own_address else structure
    commune = scope.all_communes.get(place_data.get("code_insee", ""))
    hours, warning = checked_hours(
        data.get("horaires_accueil") or structure.get("horaires_accueil")
    )
    if warning:
        warnings.append(warning)
    contact = _text(data.get("mobilisation_precisions"))
    if commune is None and _address(place_data):
        town = f"{_text(place_data.get('code_postal'))} {_text(place_data.get('commune'))}"
        where = f"Accueil : {_address(place_data)} {town.strip()}".strip()
        contact = "; ".join(part for part in [contact, where] if part)
    whole, communes = scope.served(data.get("zone_eligibilite"), commune)
    needs, sectors = mapping.classify(model.thematiques)
    if not sectors:
        warnings.append(
            "aucune thématique connue de la table de correspondance : brouillon à classer"
        )
    phone = _text(data.get("telephone"))
    if len(phone) > 30:
        warnings.append("téléphone trop long, non importé")
        phone = ""
    values = {
        "name": _clip(data["nom"], 200),
        "summary": summary,
        "what_we_do": what_we_do,
        "what_we_dont_do": what_we_dont_do,
        "audience": _clip(audience, 255),
        "access_conditions": access,
        "documents": documents,
        "cost": cost,
        "cost_details": _clip(cost_details, 255),
        "phone": phone,
        "email": _text(data.get("courriel")),
        "website": _url(data.get("lien_source"), warnings, "lien_source"),
        "appointment_url": _url(data.get("lien_mobilisation"), warnings, "lien_mobilisation"),
        "walk_in": "se-presenter" in mobilisation,
        "contact_details": _clip(contact, 255),
        "on_site": "en-presentiel" in modes or (not modes and commune is not None),
        "remote": "a-distance" in modes,
        "serves_whole_territory": whole,
        "communes_served": communes,
        "needs": needs,
        "sectors": sectors,
        "hours": hours,
    }
    # What only the source knows, published again as it came (see export_services).
    values["_source"] = {
        "thematiques": sorted(str(getattr(t, "value", t)) for t in model.thematiques or []),
        "publics": publics,
        "lien_source": _text(data.get("lien_source")),
    }
    return values


def place_values(data: dict, name: str, scope: Scope) -> dict | None:
    commune = scope.all_communes.get(data.get("code_insee", ""))
    if commune is None:
        return None
    latitude, longitude = data.get("latitude"), data.get("longitude")
    try:
        latitude, longitude = float(latitude), float(longitude)
    except (TypeError, ValueError):
        latitude, longitude = commune.latitude, commune.longitude
    return {
        "name": _clip(name, 200),
        "address": _clip(_address(data) or commune.name, 255),
        "commune": commune.pk,
        "latitude": latitude,
        "longitude": longitude,
    }


# --- comparing with the database -----------------------------------------------------------

MISSING = object()
# Fields kept beside the object rather than on its row.
RELATED = frozenset({"needs", "sectors", "communes_served", "place", "hours"})
PARTNER_FIELDS = ["name", "description", "phone", "email", "website", "address", "commune", "kind"]
PLACE_FIELDS = ["name", "address", "commune", "latitude", "longitude"]
SERVICE_FIELDS = [
    "name",
    "summary",
    "what_we_do",
    "what_we_dont_do",
    "audience",
    "access_conditions",
    "documents",
    "cost",
    "cost_details",
    "phone",
    "email",
    "website",
    "appointment_url",
    "walk_in",
    "contact_details",
    "on_site",
    "remote",
    "serves_whole_territory",
    "communes_served",
    "needs",
    "sectors",
    "place",
    "hours",
]


def merge(obj, values: dict, fields: list[str], report: "Report", label: str) -> list[str]:
    """Set on `obj` the fields the file changes and nobody edited here; return them.

    A field whose current value differs from what the last import wrote was edited here:
    it stays, and the difference with the file is reported. The new snapshot is the file's.
    """
    last = obj.imported_values or {}
    changed = []
    for name in fields:
        new, current = values[name], _value_of(obj, name)
        previous = last.get(name, MISSING)
        if previous is MISSING or current == previous:
            if new != current:
                _set(obj, name, new)
                changed.append(name)
        elif new != current:
            report.kept.append(
                {"object": label, "field": _label(obj, name), "local": current, "file": new}
            )
    snapshot = {name: values[name] for name in fields}
    if "_source" in values:
        snapshot["_source"] = values["_source"]
    obj.snapshot_changed = snapshot != last
    obj.imported_values = snapshot
    return changed


def _value_of(obj, name: str):
    if name == "commune":
        return obj.commune_id
    if name in RELATED:
        return obj.related_values.get(name)
    return getattr(obj, name)


def _set(obj, name: str, value) -> None:
    if name == "commune":
        obj.commune_id = value
    elif name in RELATED:
        obj.related_values[name] = value
    else:
        setattr(obj, name, value)


def _label(obj, name: str) -> str:
    names = {"hours": "horaires", "place": "lieu d'accueil"}
    if name in names:
        return names[name]
    return str(obj._meta.get_field(name).verbose_name)


@dataclass
class Report:
    """What an import did (or would do, for a dry run)."""

    dry_run: bool = True
    counts: dict = field(
        default_factory=lambda: {
            kind: dict.fromkeys(["created", "updated", "unchanged", "rejected", "outside"], 0)
            for kind in ("structures", "services")
        }
    )
    rejected: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)

    LIMIT = 500  # items listed per kind in a stored report (the counts stay exact)

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    def as_dict(self) -> dict:
        names = _names_of_related()
        return {
            "dry_run": self.dry_run,
            "counts": self.counts,
            "rejected": self.rejected[: self.LIMIT],
            "warnings": self.warnings[: self.LIMIT],
            "kept": [
                {key: _printable(value, names) for key, value in item.items()}
                for item in self.kept[: self.LIMIT]
            ],
            "created": self.created[: self.LIMIT],
            "updated": self.updated[: self.LIMIT],
            "more": {
                name: max(0, len(getattr(self, name)) - self.LIMIT)
                for name in ("rejected", "warnings", "kept", "created", "updated")
            },
        }


def _names_of_related() -> dict:
    return {
        "needs": dict(Need.objects.values_list("pk", "name")),
        "sectors": dict(Sector.objects.values_list("pk", "name")),
        "communes": dict(Commune.objects.values_list("pk", "name")),
    }


def _printable(value, names: dict):
    if isinstance(value, list):
        every = {**names["communes"], **names["sectors"], **names["needs"]}
        return ", ".join(str(every.get(item, item)) for item in value) or "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    return "—" if value in (None, "") else value


Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


def import_records(
    files: list[InputFile],
    *,
    dry_run: bool = True,
    communes: Iterable[str] = (),
    epci: str = "",
    progress: Progress = _no_progress,
) -> Report:
    """Import data·inclusion v1 files; raise ImportFileError for a file that cannot be read.

    Everything is written in one transaction (nothing when a dry run, or when anything
    fails); the search's derived data is rebuilt once, at the end, for the services written.
    """
    progress("Lecture des fichiers", 0, 0)
    raw_structures, raw_services = read_files(files)
    scope = Scope.of(communes, epci)
    report = Report(dry_run=dry_run)
    importer = _Importer(scope, report, progress, len(raw_structures) + len(raw_services))
    importer.check(raw_structures, raw_services)
    if dry_run:
        importer.plan()
    else:
        # Compared and written in one transaction: what is compared is what is written.
        progress("Comparaison et enregistrement", importer.total, importer.total)
        with transaction.atomic():
            importer.plan()
            importer.write()
        directory_changed.send(sender=Service)
    progress("Terminé", importer.total, importer.total)
    return report


def _existing(model, keys) -> dict:
    """Imported objects of `model` by (source, id), a few queries for thousands of keys."""
    by_source = defaultdict(list)
    for source, ident in keys:
        by_source[source].append(ident)
    found = {}
    for source, idents in by_source.items():
        for start in range(0, len(idents), 500):
            for obj in model.objects.filter(
                source=source, source_id__in=idents[start : start + 500]
            ):
                found[(obj.source, obj.source_id)] = obj
    return found


class _Importer:
    def __init__(self, scope: Scope, report: Report, progress: Progress, total: int):
        self.scope, self.report, self.progress, self.total = scope, report, progress, total
        self.done = 0
        self.mapping = Mapping.load()
        self.structures: dict[tuple, Checked] = {}
        self.services: list[tuple[Checked, tuple]] = []

    def _tick(self) -> None:
        self.done += 1
        if self.done % 250 == 0 or self.done == self.total:
            self.progress("Vérification des enregistrements", self.done, self.total)

    def _reject(self, kind: str, checked: Checked) -> None:
        self.report.count(kind, "rejected")
        self.report.rejected.append({"record": checked.raw.label, "reason": checked.reason})

    # 1. Validation: every record on its own; a bad one is reported, the others go on.
    def check(self, raw_structures, raw_services) -> None:
        for raw in raw_structures:
            checked = _checked(raw, v1.Structure)
            self._tick()
            if not checked.reason and checked.key in self.structures:
                checked.reason = "identifiant en double dans les fichiers"
            if checked.reason:
                self._reject("structures", checked)
                continue
            self.structures[checked.key] = checked
        referred = {
            (str(raw.data.get("source", "")), str(raw.data.get("structure_id", "")))
            for raw in raw_services
            if isinstance(raw.data, dict)
        }
        self.known_partners = _existing(Partner, referred - self.structures.keys())
        covering = self.scope.covering()
        seen = set()
        for raw in raw_services:
            checked = _checked(raw, v1.Service)
            self._tick()
            if not checked.reason and checked.key in seen:
                checked.reason = "identifiant en double dans les fichiers"
            if checked.reason:
                self._reject("services", checked)
                continue
            seen.add(checked.key)
            structure_key = (checked.data["source"], checked.data["structure_id"])
            structure = self.structures.get(structure_key)
            if structure is None and structure_key not in self.known_partners:
                checked.reason = (
                    f"structure « {structure_key[1]} » introuvable (ni dans les fichiers, ni "
                    "importée auparavant)"
                )
                self._reject("services", checked)
                continue
            if not self._in_scope(checked.data, structure.data if structure else {}, covering):
                self.report.count("services", "outside")
                continue
            self.services.append((checked, structure_key))
        used = {key for _checked, key in self.services}
        self.structure_keys = [
            key
            for key, checked in self.structures.items()
            if key in used or checked.data.get("code_insee") in self.scope.communes
        ]
        self.report.counts["structures"]["outside"] += len(self.structures) - len(
            self.structure_keys
        )

    def _in_scope(self, data: dict, structure: dict, covering: set[str]) -> bool:
        own = data.get("code_insee") or data.get("adresse")
        code = data.get("code_insee") if own else structure.get("code_insee")
        if code in self.scope.communes:
            return True
        return bool(set(data.get("zone_eligibilite") or []) & covering)

    # 2. Planning: what each record changes. Nothing is written yet.
    def plan(self) -> None:
        self.progress("Comparaison avec l'annuaire", self.done, self.total)
        self._plan_partners()
        self._plan_places()
        self._plan_services()

    def _outcome(self, kind: str, created: bool, changed: list[str], name: str, checked) -> None:
        report = self.report
        for warning in checked.warnings:
            report.warnings.append({"record": checked.raw.label, "warning": warning})
        if created:
            report.count(kind, "created")
            report.created.append(f"{name} ({checked.key[1]})")
        elif changed:
            report.count(kind, "updated")
            report.updated.append(f"{name} ({checked.key[1]}) : {', '.join(changed)}")
        else:
            report.count(kind, "unchanged")

    def _plan_partners(self) -> None:
        existing = _existing(Partner, self.structure_keys)
        self.partners: dict[tuple, Partner] = dict(self.known_partners)
        self.partner_changes: dict[tuple, list[str]] = {}
        for key in self.structure_keys:
            checked = self.structures[key]
            values = structure_values(checked, self.scope)
            networks = sorted(str(n) for n in checked.data.get("reseaux_porteurs", []))
            values["_source"] = {
                "reseaux_porteurs": networks,
                "lien_source": _text(checked.data.get("lien_source")),
            }
            partner = existing.get(key)
            created = partner is None
            if created:
                partner = Partner(source=key[0], source_id=key[1])
            partner.related_values = {}
            changed = merge(partner, values, PARTNER_FIELDS, self.report, values["name"])
            self.partners[key] = partner
            self.partner_changes[key] = changed
            self._outcome("structures", created, changed, values["name"], checked)

    def _plan_places(self) -> None:
        """One place per address: a structure's (shared by its services that give none of
        their own) or a service's own. An address outside the territory makes no place."""
        self.planned: list[tuple[Checked, dict, tuple | None, tuple]] = []
        wanted: dict[tuple, dict] = {}
        for checked, structure_key in self.services:
            structure = self.structures.get(structure_key)
            structure_data = structure.data if structure else {}
            values = service_values(checked, structure_data, self.scope, self.mapping)
            own = bool(checked.data.get("code_insee") or checked.data.get("adresse"))
            data = checked.data if own else structure_data
            place = place_values(data, self.partners[structure_key].name, self.scope)
            modes = {str(mode) for mode in checked.data.get("modes_accueil", [])}
            if modes and "en-presentiel" not in modes and not own:
                # Only at a distance, without an address of its own: the structure's is
                # no place to go to (and there is no place to hold hours).
                place = None
                if values["hours"]:
                    checked.warnings.append(
                        "horaires non importés : service à distance, sans lieu"
                    )
                    values["hours"] = ""
            place_key = None
            if place is not None:
                place_key = (checked.key[0], checked.key[1] if own else structure_key[1])
                wanted[place_key] = place
            values["place"] = place_key[1] if place_key else None
            self.planned.append((checked, values, place_key, structure_key))
        existing = _existing(Place, wanted)
        self.places: dict[tuple, Place] = {}
        self.place_changes: dict[tuple, list[str]] = {}
        for key, values in wanted.items():
            place = existing.get(key)
            if place is None:
                place = Place(source=key[0], source_id=key[1])
            place.related_values = {}
            self.place_changes[key] = merge(
                place, values, PLACE_FIELDS, self.report, values["name"]
            )
            self.places[key] = place

    def _plan_services(self) -> None:
        existing = _existing(Service, [checked.key for checked, *_rest in self.planned])
        _load_related(existing.values())
        self.to_write: list[tuple[Service, list[str], tuple]] = []
        for checked, values, _place_key, structure_key in self.planned:
            service = existing.get(checked.key)
            created = service is None
            if created:
                service = Service(source=checked.key[0], source_id=checked.key[1])
                service.related_values = {}
                published = bool(values["sectors"])
                service.status = Service.Status.PUBLISHED if published else Service.Status.DRAFT
            changed = merge(service, values, SERVICE_FIELDS, self.report, values["name"])
            # The later check wins: a partner's "nothing changed" here, or the producer's.
            date_maj = checked.model.date_maj
            if service.verified_on is None or service.verified_on < date_maj:
                service.verified_on = date_maj
                if not created:
                    changed.append("verified_on")
            self.to_write.append((service, changed, structure_key))
            self._outcome("services", created, changed, values["name"], checked)

    # 3. Writing: bulk operations, in the caller's transaction.
    def write(self) -> None:
        self.progress("Enregistrement", self.total, self.total)
        _write(Partner, self.partners.values(), self.partner_changes)
        _write(Place, self.places.values(), self.place_changes)
        for service, _changed, structure_key in self.to_write:
            service.partner_id = self.partners[structure_key].pk
        _write(
            Service,
            [service for service, _changed, _key in self.to_write],
            {(s.source, s.source_id): changed for s, changed, _key in self.to_write},
        )
        touched = [
            service for service, changed, _key in self.to_write if service.was_created or changed
        ]
        _write_related(
            [s for s in touched if s.was_created or set(s.import_changes) & RELATED],
            self.places,
        )
        self.progress("Mise à jour de la recherche", self.total, self.total)
        Service.objects.filter(pk__in=[service.pk for service in touched]).refresh_derived()


# A service's many-to-many values an import writes: (name, through model, column).
_THROUGH = [
    ("needs", Service.needs.through, "need_id"),
    ("sectors", Service.sectors.through, "sector_id"),
    ("communes_served", Service.communes_served.through, "commune_id"),
]


def _load_related(services: Iterable[Service]) -> None:
    """The current needs, sectors, communes served, place and hours of imported services,
    for the comparison (a few queries, whatever their number)."""
    by_pk = {service.pk: service for service in services}
    for service in by_pk.values():
        service.related_values = {
            "needs": [],
            "sectors": [],
            "communes_served": [],
            "place": None,
            "hours": "",
        }
    ids = list(by_pk)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for name, through, column in _THROUGH:
            rows = through.objects.filter(service_id__in=chunk).values_list("service_id", column)
            for service_id, value in rows.order_by("service_id", column):
                by_pk[service_id].related_values[name].append(value)
        rows = (
            ServicePlace.objects.filter(service_id__in=chunk)
            .exclude(place__source="")
            .values_list("service_id", "place__source_id", "opening_hours")
            .order_by("pk")
        )
        for service_id, place_key, hours in rows:
            values = by_pk[service_id].related_values
            if values["place"] is None:
                values["place"], values["hours"] = place_key, hours


def _write(model, objects, changes: dict) -> None:
    """Create the new objects (slugs chosen here, in memory) and save the changed fields
    and snapshots of the others."""
    objects = list(objects)
    new = [obj for obj in objects if obj.pk is None]
    for obj in objects:
        obj.was_created = obj.pk is None
        obj.import_changes = changes.get((obj.source, obj.source_id), [])
    if new and hasattr(model, "slug"):
        taken = set(model.objects.values_list("slug", flat=True))
        for obj in new:
            base = slugify(obj.name)[:190] or "element"
            slug, n = base, 2
            while slug in taken:
                slug, n = f"{base}-{n}", n + 1
            obj.slug = slug
            taken.add(slug)
    model.objects.bulk_create(new, batch_size=500)
    if any(obj.pk is None for obj in new):  # a backend that returns no ids
        found = _existing(model, [(obj.source, obj.source_id) for obj in new])
        for obj in new:
            obj.pk = found[(obj.source, obj.source_id)].pk
    updated = [
        obj
        for obj in objects
        if not obj.was_created and (obj.import_changes or obj.snapshot_changed)
    ]
    if not updated:
        return
    columns = {"imported_values"}
    columns |= {name for obj in updated for name in obj.import_changes if name not in RELATED}
    if model is Service:
        now = timezone.now()
        for obj in updated:
            obj.updated_at = now
        columns.add("updated_at")
    update_rows(model, updated, sorted(columns))


def _write_related(services: list[Service], places: dict) -> None:
    """Needs, sectors, communes served and the place with its hours, for services the
    import created or whose related values changed (their rows replaced in bulk)."""
    if not services:
        return
    ids = [service.pk for service in services]
    for name, model, column in _THROUGH:
        for start in range(0, len(ids), 500):
            stale = model.objects.filter(service_id__in=ids[start : start + 500])
            stale._raw_delete(stale.db)
        model.objects.bulk_create(
            [
                model(service_id=service.pk, **{column: value})
                for service in services
                for value in service.related_values.get(name) or []
            ],
            batch_size=1000,
        )
    for start in range(0, len(ids), 500):
        # Only the imported places: a place the coordination added by hand stays.
        ServicePlace.objects.filter(service_id__in=ids[start : start + 500]).exclude(
            place__source=""
        ).delete()
    links = []
    for service in services:
        place_id = service.related_values.get("place")
        place = places.get((service.source, place_id)) if place_id else None
        if place is not None:
            links.append(
                ServicePlace(
                    service_id=service.pk,
                    place_id=place.pk,
                    opening_hours=service.related_values.get("hours") or "",
                )
            )
    ServicePlace.objects.bulk_create(links, batch_size=1000)


# --- runs started in the admin ---------------------------------------------------------------


def new_run(files: list[tuple[str, bytes]], *, dry_run: bool, communes, by=None) -> ImportRun:
    """An import to run, with its files kept in the database (app servers keep none)."""
    with transaction.atomic():
        # Files are only kept for a dry run to be imported for good: not for long.
        week_ago = timezone.now() - dt.timedelta(days=7)
        ImportFile.objects.filter(run__created_at__lt=week_ago).delete()
        run = ImportRun.objects.create(
            dry_run=dry_run,
            communes=list(communes),
            created_by=by if getattr(by, "is_authenticated", False) else None,
            stage="En attente",
        )
        ImportFile.objects.bulk_create(
            [
                ImportFile(run=run, name=name[:255], content=content, size=len(content))
                for name, content in files
            ]
        )
    return run


def start(run: ImportRun) -> None:
    """Run the import in a thread of this process (its page shows the progress), or at
    once where background work is off (tests)."""
    if not settings.IMPORTS_IN_BACKGROUND:
        process(run.pk)
        return

    def in_thread():
        try:
            process(run.pk)
        finally:
            connection.close()

    transaction.on_commit(lambda: threading.Thread(target=in_thread, daemon=True).start())


def process(run_id: int) -> None:
    """Run a waiting import and record its outcome; nothing is written when it fails."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.WAITING).update(
        status=ImportRun.Status.RUNNING, stage="Lecture des fichiers", updated_at=timezone.now()
    )
    if not claimed:
        return
    run = ImportRun.objects.get(pk=run_id)
    files = [InputFile(file.name, bytes(file.content)) for file in run.files.all()]
    shown = {"stage": "", "at": 0.0}

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if stage == shown["stage"] and now - shown["at"] < 1 and done < total:
            return
        shown.update(stage=stage, at=now)
        ImportRun.objects.filter(pk=run_id).update(
            stage=stage[:120], done=done, total=total, updated_at=timezone.now()
        )

    fields = {"finished_at": None}
    try:
        report = import_records(
            files, dry_run=run.dry_run, communes=run.communes, progress=progress
        )
    except ImportFileError as error:
        fields.update(status=ImportRun.Status.FAILED, error=str(error), stage="Fichier refusé")
    except Exception:
        logger.exception("data·inclusion import %s failed", run_id)
        fields.update(
            status=ImportRun.Status.FAILED,
            stage="Échec",
            error=(
                "Erreur inattendue pendant l'import : rien n'a été enregistré. L'équipe "
                "technique en trouvera le détail dans le journal du serveur."
            ),
        )
    else:
        fields.update(status=ImportRun.Status.DONE, report=report.as_dict(), stage="Terminé")
        if not run.dry_run:
            ImportFile.objects.filter(run_id=run_id).delete()
    fields["finished_at"] = timezone.now()
    fields["updated_at"] = fields["finished_at"]
    ImportRun.objects.filter(pk=run_id).update(**fields)


# --- export --------------------------------------------------------------------------------


def source_name() -> str:
    """The `source` of the records we publish: set once (DATAINCLUSION_SOURCE)."""
    if settings.DATAINCLUSION_SOURCE:
        return settings.DATAINCLUSION_SOURCE
    territory = Territory.objects.current()
    siren = territory.siren if territory else ""
    return f"passerelles-{siren}" if siren else "passerelles"


def _absolute(path: str) -> str:
    return f"{settings.SITE_ROOT}{path}"


def _date_maj(day: dt.date | None, fallback: dt.datetime) -> str:
    today = timezone.localdate()
    day = day or timezone.localtime(fallback).date()
    return min(max(day, dt.date(2000, 1, 1)), today).isoformat()


def _partner_key(partner: Partner, source: str) -> tuple[str, str]:
    if partner.source:
        return partner.source, partner.source_id
    return source, f"{source}--structure-{partner.pk}"


def _service_key(service: Service, source: str) -> tuple[str, str]:
    if service.source:
        return service.source, service.source_id
    return source, f"{source}--service-{service.pk}"


def _published_services():
    return (
        Service.objects.published()
        .select_related("partner__commune")
        .prefetch_related(
            "sectors",
            "needs",
            "communes_served",
            Prefetch(
                "service_places",
                queryset=ServicePlace.objects.select_related("place__commune").order_by("pk"),
            ),
        )
        .order_by("pk")
    )


def export_structures() -> list[dict]:
    """The partners of published services, as v1 structures."""
    source = source_name()
    latest: dict[int, dt.date | None] = {}
    for partner_id, verified_on in Service.objects.published().values_list(
        "partner_id", "verified_on"
    ):
        if verified_on and (latest.get(partner_id) is None or verified_on > latest[partner_id]):
            latest[partner_id] = verified_on
        latest.setdefault(partner_id, None)
    records = []
    for partner in Partner.objects.filter(pk__in=latest).select_related("commune").order_by("pk"):
        record_source, record_id = _partner_key(partner, source)
        commune = partner.commune
        original = (partner.imported_values or {}).get("_source", {}) if partner.source else {}
        page = partner.get_absolute_url()
        networks = original.get("reseaux_porteurs")
        if networks is None:
            networks = [NETWORK_BY_KIND[partner.kind]] if partner.kind in NETWORK_BY_KIND else []
        description = _text(partner.description)
        records.append(
            {
                "source": record_source,
                "id": record_id,
                "nom": _clip(partner.name, 150),
                "date_maj": _date_maj(latest[partner.pk], timezone.now()),
                "description": description if len(description) >= 5 else None,
                "lien_source": original.get("lien_source") or _absolute(page),
                "siret": None,
                "commune": commune.name if commune else None,
                "code_postal": commune.postcode if commune else None,
                "code_insee": commune.insee_code if commune else None,
                "adresse": partner.address or None,
                "complement_adresse": None,
                "longitude": None,
                "latitude": None,
                "telephone": partner.phone or None,
                "courriel": partner.email or None,
                "site_web": partner.website or None,
                "horaires_accueil": None,
                "accessibilite_lieu": None,
                "reseaux_porteurs": sorted(networks) or None,
            }
        )
    return records


def export_services() -> list[dict]:
    """The published services as v1 services (the first place's address and hours)."""
    source = source_name()
    territory = Territory.objects.current()
    all_codes = sorted(Commune.objects.values_list("insee_code", flat=True))
    thematiques_by_need = defaultdict(set)
    for need_id, thematique in ThematiqueMapping.objects.for_export().values_list(
        "need_id", "thematique"
    ):
        thematiques_by_need[need_id].add(thematique)
    records = []
    for service in _published_services():
        _partner_source, partner_id = _partner_key(service.partner, source)
        record_source, record_id = _service_key(service, source)
        imported = service.imported_values or {}
        needs = sorted(need.pk for need in service.needs.all())
        original = imported.get("_source", {})
        if original and imported.get("needs") == needs:
            thematiques = original.get("thematiques") or []
        else:
            thematiques = sorted({t for pk in needs for t in thematiques_by_need[pk]})
        if "publics" in original:
            publics = original["publics"]
        else:
            sector_slugs = {sector.slug for sector in service.sectors.all()}
            publics = sorted(
                {PUBLICS_BY_SECTOR[s] for s in sector_slugs if s in PUBLICS_BY_SECTOR}
            )
            publics = publics or ["tous-publics"]
        places = list(service.service_places.all())
        first = places[0] if places else None
        place = first.place if first else None
        if service.serves_whole_territory:
            zone = [territory.siren] if territory and territory.siren else all_codes
        else:
            zone = sorted(commune.insee_code for commune in service.communes_served.all())
        modes_accueil = sorted(
            [
                mode
                for flag, mode in (
                    (service.on_site or service.itinerant or service.collective, "en-presentiel"),
                    (service.remote, "a-distance"),
                )
                if flag
            ]
        )
        mobilisation = sorted(
            mode
            for flag, mode in (
                (service.walk_in, "se-presenter"),
                (service.phone, "telephoner"),
                (service.email, "envoyer-un-courriel"),
                (service.appointment_url, "utiliser-lien-mobilisation"),
            )
            if flag
        )
        if service.cost == Service.Cost.FREE:
            frais, precisions = "gratuit", service.cost_details
        elif service.cost == Service.Cost.INCOME:
            frais, precisions = "payant", f"{INCOME} {service.cost_details}".strip()
        elif service.cost == Service.Cost.PAID:
            frais, precisions = "payant", service.cost_details
        else:
            frais, precisions = None, service.cost_details
        lien_source = original.get("lien_source") if service.source else ""
        records.append(
            {
                "source": record_source,
                "structure_id": partner_id,
                "id": record_id,
                "nom": _clip(service.name, 150),
                "description": describe(
                    service.summary, service.what_we_do, service.what_we_dont_do
                ),
                "lien_source": lien_source or _absolute(service.get_absolute_url()),
                "date_maj": _date_maj(service.verified_on, service.created_at),
                "type": None,
                "thematiques": thematiques or None,
                "frais": frais,
                "frais_precisions": precisions or None,
                "publics": publics or None,
                "publics_precisions": service.audience or None,
                "conditions_acces": conditions(service.access_conditions, service.documents)
                or None,
                "commune": place.commune.name if place else None,
                "code_postal": place.commune.postcode if place else None,
                "code_insee": place.commune.insee_code if place else None,
                "adresse": place.address if place else None,
                "complement_adresse": None,
                "longitude": place.longitude if place else None,
                "latitude": place.latitude if place else None,
                "telephone": service.phone or None,
                "courriel": service.email or None,
                "modes_accueil": modes_accueil or None,
                "zone_eligibilite": zone or None,
                "contact_nom_prenom": None,
                "lien_mobilisation": service.appointment_url or None,
                "modes_mobilisation": mobilisation or None,
                "mobilisable_par": ["professionnels", "usagers"],
                "mobilisation_precisions": service.contact_details or None,
                "volume_horaire_hebdomadaire": None,
                "nombre_semaines": None,
                "horaires_accueil": (first.opening_hours if first else "") or None,
            }
        )
    return records


def to_csv(records: list[dict], columns: list[str]) -> str:
    """Records as CSV for a spreadsheet: lists as comma-separated values."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for record in records:
        row = []
        for column in columns:
            value = record.get(column)
            if isinstance(value, list):
                value = ",".join(str(item) for item in value)
            row.append("" if value is None else value)
        writer.writerow(row)
    return out.getvalue()


STRUCTURE_COLUMNS = list(v1.Structure.model_fields)
SERVICE_EXPORT_COLUMNS = list(v1.Service.model_fields)
