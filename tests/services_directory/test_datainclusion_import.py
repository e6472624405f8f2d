"""Importing data·inclusion v1 files: validation, mapping, idempotence, local edits, dry run,
bad files, territory restriction and all-or-nothing writes."""

import datetime as dt
import json
from pathlib import Path

import pytest
import time_machine

from services_directory import datainclusion
from services_directory.datainclusion import ImportFileError, InputFile, import_records
from services_directory.models import (
    Commune,
    Need,
    Partner,
    Place,
    Service,
    ServicePlace,
    ServiceSearch,
    Territory,
)
from services_directory.text import normalize

FIXTURES = Path(__file__).parent / "fixtures" / "datainclusion"
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def files(*names: str) -> list[InputFile]:
    return [InputFile(name, (FIXTURES / name).read_bytes()) for name in names]


def fixture_files() -> list[InputFile]:
    return files("structures.json", "services.json")


@pytest.fixture
def territory(db):
    ccyn = Territory.objects.create(name="Communauté de communes Yonne Nord", siren="248900896")
    for code, slug, name, lat, lon in [
        ("89391", "sergines", "Sergines", 48.3428, 3.2622),
        ("89309", "pont-sur-yonne", "Pont-sur-Yonne", 48.2867, 3.2039),
        ("89255", "michery", "Michery", 48.3100, 3.2356),
    ]:
        Commune.objects.create(
            territory=ccyn,
            insee_code=code,
            slug=slug,
            name=name,
            postcode="89140",
            latitude=lat,
            longitude=lon,
        )
    return ccyn


def run(**kwargs):
    with time_machine.travel(NOW, tick=False):
        return import_records(fixture_files(), **kwargs)


def test_it_imports_valid_and_edge_records_and_rejects_the_invalid_ones(territory):
    report = run(dry_run=False)

    assert report.counts["services"] == {
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "rejected": 4,
        "outside": 1,
    }
    assert report.counts["structures"] == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "rejected": 2,
        "outside": 1,
    }
    reasons = {item["record"]: item["reason"] for item in report.rejected}
    assert reasons["services.json, enregistrement n° 8 (dora--mauvais-courriel)"] == (
        "« courriel » : adresse électronique invalide « pas-un-courriel »"
    )
    assert (
        "ne peut pas être dans le futur"
        in reasons["services.json, enregistrement n° 9 (dora--futur)"]
    )
    assert (
        "structure « dora--inconnue » introuvable"
        in reasons["services.json, enregistrement n° 10 (dora--orphelin)"]
    )
    assert (
        "`tous-publics` ne peut pas être utilisé avec d’autres valeurs"
        in reasons["services.json, enregistrement n° 11 (dora--publics-incoherents)"]
    )
    assert reasons["services.json, enregistrement n° 12"] == (
        "ce n'est pas un enregistrement (objet JSON ou ligne de tableau)"
    )
    assert (
        "champ obligatoire « nom » absent"
        in reasons["structures.json, enregistrement n° 4 (dora--sans-nom)"]
    )
    # Every imported object keeps its source and identifier.
    assert set(Service.objects.values_list("source", flat=True)) == {"dora"}
    assert Partner.objects.get(source_id="dora--rpe-sergines").source == "dora"
    assert not Service.objects.filter(source_id="dora--cs-sens-accueil").exists()


def test_it_maps_a_complete_service_to_our_fields(territory):
    run(dry_run=False)

    service = Service.objects.get(source="dora", source_id="dora--rpe-accueil")
    assert service.status == Service.Status.PUBLISHED
    assert service.summary == "Trouver un mode de garde pour votre enfant."
    assert service.what_we_do.startswith("Le relais vous informe sur les crèches")
    assert service.what_we_dont_do == "Nous n'attribuons pas les places en crèche."
    assert service.audience == "Parents d'enfants de moins de 6 ans."
    assert service.access_conditions == "Sur rendez-vous."
    assert service.document_list == ["Livret de famille", "Numéro d'allocataire CAF"]
    assert service.cost == Service.Cost.FREE
    assert service.walk_in and service.on_site and not service.remote
    assert service.serves_whole_territory
    assert service.verified_on == dt.date(2026, 6, 1)
    assert list(service.needs.values_list("slug", flat=True)) == ["faire-garder-mon-enfant"]
    assert list(service.sectors.values_list("slug", flat=True)) == ["petite-enfance"]
    service_place = service.service_places.get()
    assert service_place.opening_hours == "Tu,Th 09:00-12:00,14:00-17:00; PH off"
    assert service_place.place.commune.insee_code == "89391"
    assert service_place.place.address == "2 rue de l'Église"
    assert (service_place.place.latitude, service_place.place.longitude) == (48.3429, 3.2617)
    # The search knows it at once: derived data rebuilt at the end of the import.
    assert ServiceSearch.objects.filter(service=service).exists()
    assert service.open_saturday is False and f" {normalize('garde')} " in service.search_text
    partner = service.partner
    assert partner.name == "Relais Petite Enfance du Nord de l'Yonne"
    assert partner.kind == Partner.Kind.COMMUNE
    assert partner.commune.insee_code == "89391"


def test_edge_records_missing_bad_hours_unknown_thematique_and_an_address_outside(territory):
    report = run(dry_run=False)
    warnings = {item["record"]: item["warning"] for item in report.warnings}

    # Missing hours: the structure's hours and address are used.
    ateliers = Service.objects.get(source_id="dora--rpe-ateliers")
    place = ateliers.service_places.get()
    assert place.opening_hours == "Mo,We 09:00-12:00; PH off"
    assert set(ateliers.communes_served.values_list("insee_code", flat=True)) == {
        "89391",
        "89309",
    }
    assert not ateliers.serves_whole_territory
    # Bad hours: the service is imported without them, and it is said.
    permanence = Service.objects.get(source_id="dora--rpe-permanence")
    assert permanence.remote and not permanence.on_site
    assert not permanence.service_places.exists()
    assert "horaires illisibles, non importés : « lundi 9h-12h »" in warnings.values()
    # An unknown thématique is dropped with a warning; the known ones classify.
    mediation = Service.objects.get(source_id="dora--rpe-mediation")
    assert list(mediation.needs.values_list("slug", flat=True)) == ["conflit-familial-separation"]
    assert (
        "valeur(s) inconnue(s) de « thematiques », ignorée(s) : famille--nouvelle-thematique"
        in warnings.values()
    )
    assert mediation.cost == Service.Cost.INCOME
    assert mediation.cost_details == "barème national de la CAF."
    # A structure outside the territory whose service covers it: no place, its address said.
    caf = Service.objects.get(source_id="dora--caf-rdv")
    assert not caf.service_places.exists()
    assert caf.contact_details == "Accueil : 1 place de la Préfecture 89000 Auxerre"
    assert caf.serves_whole_territory and caf.cost == Service.Cost.UNKNOWN
    assert caf.appointment_url == "https://caf.example.org/rendez-vous"
    # No thématique of the mapping table: imported as a draft to classify.
    international = Service.objects.get(source_id="dora--rpe-international")
    assert international.status == Service.Status.DRAFT
    assert not ServiceSearch.objects.filter(service=international).exists()


def test_the_same_file_twice_changes_nothing(territory, django_assert_max_num_queries):
    run(dry_run=False)
    before = {
        service.pk: (service.updated_at, service.search_text) for service in Service.objects.all()
    }
    places = ServicePlace.objects.count()

    report = run(dry_run=False)

    assert report.counts["services"]["created"] == report.counts["services"]["updated"] == 0
    assert report.counts["services"]["unchanged"] == 6
    assert report.counts["structures"]["unchanged"] == 2
    assert not report.kept
    after = {s.pk: (s.updated_at, s.search_text) for s in Service.objects.all()}
    assert after == before
    assert ServicePlace.objects.count() == places
    assert Place.objects.filter(source="dora").count() == 2


def test_a_local_edit_survives_a_reimport_and_the_difference_is_reported(territory):
    run(dry_run=False)
    service = Service.objects.get(source_id="dora--rpe-accueil")
    service.phone = "03 53 73 00 00"  # the chargée de mission corrected it
    service.save()
    sp = service.service_places.get()
    ServicePlace.objects.filter(pk=sp.pk).update(opening_hours="Tu 09:00-12:00")
    # The producer changes the same phone and the summary.
    data = json.loads((FIXTURES / "services.json").read_text())
    data[0]["telephone"] = "03 53 73 99 99"
    data[0]["description"] = data[0]["description"].replace(
        "Trouver un mode de garde", "Choisir un mode de garde"
    )
    changed = [
        InputFile("structures.json", (FIXTURES / "structures.json").read_bytes()),
        InputFile("services.json", json.dumps(data).encode()),
    ]

    with time_machine.travel(NOW, tick=False):
        report = import_records(changed, dry_run=False)

    service.refresh_from_db()
    assert service.phone == "03 53 73 00 00"  # local edit kept
    assert service.summary == "Choisir un mode de garde pour votre enfant."  # file applied
    assert service.service_places.get().opening_hours == "Tu 09:00-12:00"
    kept = {(item["field"], item["local"], item["file"]) for item in report.as_dict()["kept"]}
    assert ("téléphone", "03 53 73 00 00", "03 53 73 99 99") in kept
    assert ("horaires", "Tu 09:00-12:00", "Tu,Th 09:00-12:00,14:00-17:00; PH off") in kept
    assert report.counts["services"]["updated"] == 1
    assert "Relais Petite Enfance : accueil des parents (dora--rpe-accueil) : summary" in (
        report.updated
    )


def test_a_dry_run_reports_and_writes_nothing(territory):
    report = run(dry_run=True)

    assert report.counts["services"]["created"] == 6
    assert report.counts["services"]["rejected"] == 4
    assert len(report.rejected) == 6
    assert not Service.objects.exists()
    assert not Partner.objects.exists()
    assert not Place.objects.exists()


def test_it_restricts_to_some_communes(territory):
    data = json.loads((FIXTURES / "services.json").read_text())
    data[0]["zone_eligibilite"] = ["89391"]  # Sergines only, where it is
    restricted = [*files("structures.json"), InputFile("services.json", json.dumps(data).encode())]
    with time_machine.travel(NOW, tick=False):
        report = import_records(restricted, dry_run=False, communes=["89309"])

    # Pont-sur-Yonne only: the workshops list it, the others cover the EPCI or the
    # département; the reception in Sergines for Sergines is left out, as is Sens.
    imported = set(Service.objects.values_list("source_id", flat=True))
    assert "dora--rpe-accueil" not in imported
    assert {"dora--rpe-ateliers", "dora--caf-rdv", "dora--rpe-mediation"} <= imported
    assert report.counts["services"]["outside"] == 2
    with pytest.raises(ImportFileError, match="Communes inconnues du territoire : 75056"):
        run(dry_run=True, communes=["75056"])
    with pytest.raises(ImportFileError, match="Aucun territoire de SIREN 200054781"):
        run(dry_run=True, epci="200054781")


def test_a_failure_while_writing_leaves_nothing_half_written(territory, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(datainclusion, "_write_related", broken)
    with pytest.raises(RuntimeError):
        run(dry_run=False)

    assert not Partner.objects.exists()
    assert not Place.objects.exists()
    assert not Service.objects.exists()


def test_it_reads_csv_files_with_list_cells_in_any_spelling(territory):
    with time_machine.travel(NOW, tick=False):
        report = import_records(files("structures.csv", "services.csv"), dry_run=False)

    assert report.counts["services"]["created"] == 2, report.rejected
    colis = Service.objects.get(source_id="soliguide--epicerie-colis")
    assert colis.cost == Service.Cost.PAID
    assert colis.cost_details == "Tarif à demander au service."
    assert colis.audience == "Bénéficiaires des minimas sociaux, Familles"
    assert list(colis.needs.values_list("slug", flat=True)) == ["aide-alimentaire"]
    assert colis.service_places.get().opening_hours == "Tu,Fr 14:00-18:00"
    budget = Service.objects.get(source_id="soliguide--epicerie-budget")
    assert budget.service_places.get().opening_hours == "Th[1] 14:00-16:00"
    assert budget.partner.kind == Partner.Kind.CCAS


# --- bad files: a clear French message, nothing written -----------------------------------


def bad_file_message(territory, name: str, content: bytes) -> str:
    with pytest.raises(ImportFileError) as error, time_machine.travel(NOW, tick=False):
        import_records([*files("structures.json"), InputFile(name, content)], dry_run=False)
    assert not Partner.objects.exists() and not Service.objects.exists()
    return str(error.value)


def test_a_file_that_is_not_json(territory):
    message = bad_file_message(territory, "services.json", b'[{"source": "dora", "id": ')
    assert message.startswith("« services.json » n'est pas un fichier JSON valide (ligne 1")


def test_a_file_in_another_encoding(territory):
    content = "source;id;nom\ndora;dora--1;Crèche municipale\n".encode("latin-1")
    message = bad_file_message(territory, "services.csv", content)
    assert "n'est pas un fichier texte encodé en UTF-8" in message
    assert "« CSV UTF-8 »" in message


def test_a_file_of_50_megabytes(territory, settings):
    content = b"[" + b" " * (50 * 1024 * 1024) + b"]"
    message = bad_file_message(territory, "services.json", content)
    assert message.startswith("« services.json » pèse 50 Mo : la limite est de 40 Mo.")


def test_a_file_of_schema_version_0(territory):
    record = {
        "source": "dora",
        "id": "dora--1",
        "structure_id": "dora--s",
        "nom": "Un service",
        "presentation_resume": "…",
        "types": ["accompagnement"],
        "profils": ["familles-enfants"],
        "zone_diffusion_type": "commune",
    }
    message = bad_file_message(territory, "services.json", json.dumps([record]).encode())
    assert message.startswith("« services.json » suit la version 0 du schéma data·inclusion")
    declared = json.dumps({"schema_version": "0.17", "items": []}).encode()
    assert "version 0.17" in bad_file_message(territory, "page.json", declared)


def test_a_file_that_is_neither_json_nor_csv(territory):
    message = bad_file_message(territory, "photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    assert "n'est pas un fichier texte encodé en UTF-8" in message
    message = bad_file_message(territory, "notes.txt", b"Bonjour, voici la liste")
    assert (
        message
        == "« notes.txt » n'est ni un fichier JSON ni un fichier CSV au format data·inclusion."
    )


def test_an_api_page_is_read_as_a_list_of_records(territory):
    page = {"items": json.loads((FIXTURES / "services.json").read_text())[:2], "total": 2}
    with time_machine.travel(NOW, tick=False):
        report = import_records(
            [*files("structures.json"), InputFile("page-1.json", json.dumps(page).encode())],
            dry_run=True,
        )
    assert report.counts["services"]["created"] == 2


def test_the_mapping_table_decides_needs_and_sectors(territory):
    periscolaire = Need.objects.get(slug="accueil-avant-apres-ecole")
    garde = Need.objects.get(slug="faire-garder-mon-enfant")
    garde.thematique_mappings.filter(thematique="famille--garde-denfants").update(
        direction="export"
    )
    periscolaire.thematique_mappings.filter(thematique="famille--garde-denfants").update(
        direction="both"
    )
    run(dry_run=False)

    service = Service.objects.get(source_id="dora--rpe-accueil")
    assert list(service.needs.all()) == [periscolaire]
    assert list(service.sectors.values_list("slug", flat=True)) == ["enfance"]
