"""load_communes: the communes of an EPCI from the official files (a small fixture here)."""

import io
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from services_directory.demo.loader import checked, load_territory
from services_directory.models import Commune, Territory

COG = Path(__file__).parent / "fixtures" / "cog"
CCYN = "248900896"


def load(*args, epci_file=COG / "Intercommunalite_Metropole_au_01-01-2025.csv") -> str:
    out = io.StringIO()
    call_command(
        "load_communes",
        "--epci",
        CCYN,
        "--cog",
        str(COG / "v_commune_2025.csv"),
        "--epci-file",
        str(epci_file),
        "--coordinates",
        str(COG / "communes-france-2025.csv"),
        *args,
        stdout=out,
    )
    return out.getvalue()


def test_it_loads_the_territory_and_its_communes_in_one_command(db):
    output = load()

    assert "CC Yonne Nord : 15 communes — 15 créée(s), 0 mise(s) à jour" in output
    territory = Territory.objects.get()
    assert (territory.name, territory.siren) == ("CC Yonne Nord", CCYN)
    evry = Commune.objects.get(insee_code="89162")
    assert (evry.name, evry.slug, evry.postcode) == ("Évry", "evry", "89140")
    assert (evry.latitude, evry.longitude) == (48.265, 3.2578)
    # Another EPCI's commune and a delegated commune are not loaded.
    assert not Commune.objects.filter(insee_code__in=["89387", "89448"]).exists()


def test_it_is_idempotent_and_keeps_a_name_given_to_the_territory(db):
    load("--name", "Communauté de communes Yonne Nord")
    output = load("--name", "Communauté de communes Yonne Nord")
    assert "0 créée(s), 0 mise(s) à jour, 15 inchangée(s)" in output
    assert Territory.objects.get().name == "Communauté de communes Yonne Nord"


def test_it_reads_the_insee_workbook(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Composition_communale"
    sheet.append(["Intercommunalité - Métropole au 1er janvier 2025"])
    sheet.append(["Source : Insee, Code officiel géographique"])
    sheet.append([])
    sheet.append(["CODGEO", "LIBGEO", "EPCI", "LIBEPCI", "DEP", "REG"])
    sheet.append(["89309", "Pont-sur-Yonne", CCYN, "CC Yonne Nord", "89", "27"])
    sheet.append(["89387", "Sens", "248900334", "CA du Grand Sénonais", "89", "27"])
    path = tmp_path / "Intercommunalite_Metropole_au_01-01-2025.xlsx"
    workbook.save(path)

    load(epci_file=path)

    assert list(Commune.objects.values_list("insee_code", flat=True)) == ["89309"]


def test_the_demo_communes_match_the_official_files(db):
    directory = tomllib.loads((settings.DEMO_DATA_DIR / "directory.toml").read_text())
    load_territory(checked(directory))

    output = load("--check")

    assert "15 communes officielles ; aucune différence" in output
    assert Territory.objects.get().siren == CCYN


def test_the_check_finds_a_wrong_code_and_writes_nothing(db):
    load()
    # The demo's former codes, typed from memory.
    Commune.objects.filter(insee_code="89162").update(insee_code="89161")
    Commune.objects.filter(insee_code="89136").update(insee_code="89135", postcode="89100")

    output = load("--check")

    assert "Évry : code INSEE 89161 erroné, le code officiel est 89162." in output
    assert "Cuy : code INSEE 89135 erroné, le code officiel est 89136." in output
    assert "2 différence(s)" in output
    assert Commune.objects.filter(insee_code="89161").exists()


def test_a_missing_or_wrong_file_is_refused_in_french(db, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command(
            "load_communes",
            "--epci",
            CCYN,
            "--cog",
            "nulle-part.csv",
            "--epci-file",
            "x",
            "--coordinates",
            "y",
        )
    wrong = tmp_path / "composition.csv"
    wrong.write_text("code;nom\n89309;Pont-sur-Yonne\n", encoding="utf-8")
    with pytest.raises(CommandError, match="colonne du code commune introuvable"):
        load(epci_file=wrong)
    with pytest.raises(CommandError, match="n'est pas un SIREN"):
        call_command(
            "load_communes",
            "--epci",
            "2489",
            "--cog",
            "a",
            "--epci-file",
            "b",
            "--coordinates",
            "c",
        )
    assert not Commune.objects.exists()
