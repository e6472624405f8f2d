"""Official communes: the communes of an EPCI from the INSEE's files, with their postcode
and coordinates, so that setting up a real territory takes one command.

Three files the coordination downloads (nothing is fetched from the network):

1. the Code officiel géographique's list of communes, `v_commune_<année>.csv`
   (insee.fr, « Code officiel géographique au 1er janvier ») — columns TYPECOM, COM, LIBELLE;
2. the composition of the EPCI, `Intercommunalite_Metropole_au_01-01-<année>.xlsx`
   (insee.fr, « Intercommunalité – Métropole »), sheet « Composition_communale », or that
   sheet saved as CSV — columns CODGEO, EPCI (and LIBEPCI, the EPCI's name);
3. postcodes and coordinates: `communes-france-<année>.csv` (data.gouv.fr, « Communes et
   villes de France ») — columns code_insee, code_postal, latitude_mairie/longitude_mairie
   (or latitude_centre/longitude_centre) — or La Poste's « Base officielle des codes
   postaux » (code_commune_insee, code_postal, _geopoint « lat,lon »).

Columns are found by name (several spellings accepted), CSV separators by sniffing, so a
file saved again from a spreadsheet still reads.
"""

import csv
import io
import math
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from openpyxl import load_workbook

from .models import Commune, Territory

INSEE = ["COM", "CODGEO", "code_insee", "code_commune_insee", "#Code_commune_INSEE", "insee"]
NAME = ["LIBELLE", "LIBGEO", "nom_standard", "nom_de_la_commune", "nom"]
EPCI = ["EPCI", "epci_code", "siren_epci"]
EPCI_NAME = ["LIBEPCI", "epci_nom"]
POSTCODE = ["code_postal", "Code_postal", "codes_postaux", "postcode"]
LATITUDE = ["latitude_mairie", "latitude_centre", "latitude", "lat"]
LONGITUDE = ["longitude_mairie", "longitude_centre", "longitude", "lon"]
POINT = ["_geopoint", "coordonnees_gps", "geo_point_2d", "Coordonnées GPS"]
# Further than this from the official centre, a commune's coordinates are reported.
DISTANCE_KM = 1.5


class CogError(Exception):
    """A file that cannot be used: nothing is written."""


@dataclass
class OfficialCommune:
    insee_code: str
    name: str
    postcode: str
    latitude: float
    longitude: float


def _rows(path: Path) -> list[dict]:
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")  # INSEE's older files are in Windows-1252
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(path: Path) -> list[dict]:
    """The INSEE's workbook: the sheet with a CODGEO column, its header after a few title
    lines."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets = sorted(workbook.worksheets, key=lambda s: s.title != "Composition_communale")
        for sheet in sheets:
            rows = sheet.iter_rows(values_only=True)
            for header in rows:
                names = [str(cell).strip() if cell is not None else "" for cell in header]
                if "CODGEO" in names:
                    return [
                        {
                            name: "" if value is None else str(value)
                            for name, value in zip(names, row, strict=False)
                        }
                        for row in rows
                    ]
    finally:
        workbook.close()
    raise CogError(f"« {path.name} » : aucune feuille n'a de colonne CODGEO.")


def _column(
    rows: list[dict], names: list[str], path: Path, what: str, required=True
) -> str | None:
    columns = rows[0].keys() if rows else []
    for name in names:
        if name in columns:
            return name
    if required:
        raise CogError(
            f"« {path.name} » : colonne {what} introuvable (attendu : {', '.join(names)})."
        )
    return None


def read_epci(path: Path, siren: str) -> tuple[str, list[str]]:
    """(the EPCI's name, its communes' INSEE codes) from the composition file."""
    rows = _rows(path)
    code, epci = _column(rows, INSEE, path, "du code commune"), _column(rows, EPCI, path, "EPCI")
    label = _column(rows, EPCI_NAME, path, "du nom de l'EPCI", required=False)
    members = [row for row in rows if (row.get(epci) or "").strip() == siren]
    if not members:
        raise CogError(f"« {path.name} » : aucune commune de l'EPCI {siren}.")
    name = (members[0].get(label) or "").strip() if label else ""
    return name, sorted({row[code].strip().zfill(5) for row in members})


def read_names(path: Path) -> dict[str, str]:
    """INSEE code → official name, communes only (not the delegated or associated ones)."""
    rows = _rows(path)
    code, name = _column(rows, INSEE, path, "COM"), _column(rows, NAME, path, "LIBELLE")
    kind = "TYPECOM" if rows and "TYPECOM" in rows[0] else None
    return {
        row[code].strip(): row[name].strip()
        for row in rows
        if row.get(code) and (kind is None or row[kind].strip() == "COM")
    }


def read_coordinates(path: Path) -> dict[str, tuple[str, float, float]]:
    """INSEE code → (postcode, latitude, longitude); a commune with several postcodes keeps
    its first one."""
    rows = _rows(path)
    code = _column(rows, INSEE, path, "du code INSEE")
    postcode = _column(rows, POSTCODE, path, "du code postal")
    latitude = _column(rows, LATITUDE, path, "latitude", required=False)
    longitude = _column(rows, LONGITUDE, path, "longitude", required=False)
    point = _column(rows, POINT, path, "des coordonnées", required=not (latitude and longitude))
    found = {}
    for row in rows:
        insee = (row.get(code) or "").strip().zfill(5)
        if not insee.strip("0") or insee in found:
            continue
        try:
            if latitude and longitude and row.get(latitude) and row.get(longitude):
                lat, lon = float(row[latitude]), float(row[longitude])
            else:
                lat, lon = (float(part) for part in row[point].split(","))
        except (TypeError, ValueError, KeyError):
            continue
        first_postcode = (row.get(postcode) or "").replace("[", "").split(",")[0].strip(" '\"")
        found[insee] = (first_postcode.zfill(5), lat, lon)
    return found


def official_communes(
    siren: str, cog: Path, epci_file: Path, coordinates: Path
) -> tuple[str, list[OfficialCommune]]:
    epci_name, codes = read_epci(epci_file, siren)
    names = read_names(cog)
    places = read_coordinates(coordinates)
    missing = [code for code in codes if code not in names or code not in places]
    if missing:
        raise CogError(
            "Communes de l'EPCI absentes des autres fichiers (noms ou coordonnées) : "
            + ", ".join(missing)
            + ". Les trois fichiers sont-ils de la même année ?"
        )
    communes = [OfficialCommune(code, names[code], *places[code]) for code in codes]
    return epci_name, communes


def km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    dy = (a_lat - b_lat) * 111.2
    dx = (a_lon - b_lon) * 111.2 * math.cos(math.radians(a_lat))
    return math.hypot(dx, dy)


def differences(communes: list[OfficialCommune]) -> list[str]:
    """What the database says differently from the official files (nothing is written)."""
    by_code = {commune.insee_code: commune for commune in communes}
    by_name = {slugify(commune.name): commune for commune in communes}
    problems = []
    for commune in Commune.objects.order_by("name"):
        official = by_code.get(commune.insee_code)
        if official is None:
            same_name = by_name.get(slugify(commune.name))
            if same_name:
                problems.append(
                    f"{commune.name} : code INSEE {commune.insee_code} erroné, le code officiel "
                    f"est {same_name.insee_code}."
                )
            else:
                problems.append(
                    f"{commune.name} ({commune.insee_code}) n'appartient pas à l'EPCI selon "
                    "les fichiers officiels."
                )
            continue
        if slugify(commune.name) != slugify(official.name):
            problems.append(
                f"{commune.insee_code} : nom « {commune.name} », officiel « {official.name} »."
            )
        if commune.postcode != official.postcode:
            problems.append(
                f"{commune.name} : code postal {commune.postcode}, officiel {official.postcode}."
            )
        distance = km(commune.latitude, commune.longitude, official.latitude, official.longitude)
        if distance > DISTANCE_KM:
            problems.append(
                f"{commune.name} : coordonnées à {distance:.1f} km de celles du fichier."
            )
    return problems


@transaction.atomic
def load(siren: str, epci_name: str, communes: list[OfficialCommune], name: str = "") -> dict:
    """Create or update the territory and its communes (by INSEE code): counts."""
    territory = Territory.objects.filter(siren=siren).first() or Territory.objects.current()
    if territory is None:
        territory = Territory(name=name or epci_name or f"EPCI {siren}")
    territory.siren = siren
    if name:
        territory.name = name
    territory.save()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    slugs = set(Commune.objects.values_list("slug", flat=True))
    for official in communes:
        commune = Commune.objects.filter(insee_code=official.insee_code).first()
        if commune is None:
            base = slugify(official.name) or official.insee_code
            slug = base if base not in slugs else f"{base}-{official.insee_code}"
            slugs.add(slug)
            commune = Commune(insee_code=official.insee_code, slug=slug)
            counts["created"] += 1
        else:
            same = (
                commune.territory_id == territory.pk
                and commune.name == official.name
                and commune.postcode == official.postcode
                and commune.latitude == official.latitude
                and commune.longitude == official.longitude
            )
            counts["unchanged" if same else "updated"] += 1
            if same:
                continue
        commune.territory = territory
        commune.name = official.name
        commune.postcode = official.postcode
        commune.latitude, commune.longitude = official.latitude, official.longitude
        commune.save()  # distances to services follow (Commune.save)
    return counts
