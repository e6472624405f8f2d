"""Publishing the directory as data·inclusion v1, and the round trip demo → export →
import into an empty database."""

import datetime as dt
import json
import tomllib

import pytest
import time_machine
from data_inclusion.schema import v1
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from orientations.models import Referral, UnmetNeed
from pathways.models import Pathway
from services_directory import datainclusion
from services_directory.datainclusion import InputFile, export_services, export_structures
from services_directory.demo.loader import checked, load_territory
from services_directory.models import (
    Commune,
    Partner,
    Place,
    Referent,
    Service,
    ServicePlace,
    StaffProfile,
    Territory,
)
from tests.factories import make_partner, make_service
from tests.snapshots import build_once

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def demo(db):
    with time_machine.travel(NOW, tick=False):
        build_once("load_demo at NOW", lambda: call_command("load_demo", verbosity=0))


def validated(records, model) -> list:
    """Each record through the package's model, one by one: every error is shown."""
    problems = []
    for record in records:
        try:
            model.model_validate(record)
        except Exception as error:  # pydantic.ValidationError
            problems.append(f"{record['id']}: {error}")
    assert not problems, "\n".join(problems)
    return records


@time_machine.travel(NOW, tick=False)
def test_every_exported_record_validates_with_the_package_models(demo):
    structures = validated(export_structures(), v1.Structure)
    services = validated(export_services(), v1.Service)

    assert len(services) == Service.objects.published().count() == 64
    assert {record["source"] for record in services} == {"passerelles-248900896"}
    ids = {record["id"] for record in structures}
    assert all(record["structure_id"] in ids for record in services)
    creche = next(r for r in services if r["nom"] == "Multi-accueil Les Petits Mousses")
    service = Service.objects.get(name="Multi-accueil Les Petits Mousses")
    assert creche["date_maj"] == service.verified_on.isoformat()
    assert creche["thematiques"] == ["famille--garde-denfants"]
    assert creche["horaires_accueil"] == "Mo-Fr 07:30-18:30; PH off"
    assert creche["frais"] == "payant"
    assert creche["frais_precisions"].startswith("Selon les revenus :")
    assert creche["zone_eligibilite"] == ["248900896"]
    assert creche["lien_source"] == f"{settings.SITE_ROOT}/annuaire/{service.slug}/"


@time_machine.travel(NOW, tick=False)
def test_drafts_and_archived_services_and_their_lone_partners_are_not_published(db):
    published = make_service(name="Point Info Famille")
    make_service(name="Projet", status=Service.Status.DRAFT, partner=make_partner(name="Seul"))
    make_service(name="Fermé", status=Service.Status.ARCHIVED, partner=published.partner)

    assert [r["nom"] for r in export_services()] == ["Point Info Famille"]
    assert [r["nom"] for r in export_structures()] == [published.partner.name]


@time_machine.travel(NOW, tick=False)
def test_date_maj_is_the_last_check_and_never_in_the_future(db):
    checked_on = make_service(verified_on=dt.date(2026, 9, 1))
    never = make_service(verified_on=None)
    records = {r["id"]: r for r in validated(export_services(), v1.Service)}

    assert records[f"passerelles--service-{checked_on.pk}"]["date_maj"] == "2026-09-01"
    assert records[f"passerelles--service-{never.pk}"]["date_maj"] == "2026-11-30"


def test_the_csv_has_the_schema_columns_and_lists_joined(demo):
    with time_machine.travel(NOW, tick=False):
        text = datainclusion.to_csv(export_services(), datainclusion.SERVICE_EXPORT_COLUMNS)
    header, first = text.splitlines()[:2]
    assert header.split(",")[:4] == ["source", "structure_id", "id", "nom"]
    assert "famille--garde-denfants" in text


def empty_the_database():
    """Everything the demo created, in an order its protections allow."""
    for model in (
        Referral,
        UnmetNeed,
        Pathway,
        StaffProfile,
        Referent,
        Service,
        Place,
        Partner,
        Commune,
        Territory,
    ):
        model.objects.all().delete()
    get_user_model().objects.all().delete()


def _published():
    rows = {}
    for service in Service.objects.published().select_related("partner"):
        first = service.service_places.select_related("place__commune").order_by("pk").first()
        rows[service.name] = (
            service.partner.name,
            service.summary,
            service.what_we_do,
            service.what_we_dont_do,
            service.audience,
            service.access_conditions,
            service.documents,
            service.cost,
            service.cost_details,
            service.phone,
            service.email,
            service.walk_in,
            service.serves_whole_territory,
            sorted(service.communes_served.values_list("insee_code", flat=True)),
            service.verified_on,
            (first.place.commune.insee_code, first.place.address, first.opening_hours)
            if first
            else None,
        )
    return rows


def test_the_demo_exported_then_imported_into_an_empty_database_gives_the_same_services(demo):
    with time_machine.travel(NOW, tick=False):
        structures, services = export_structures(), export_services()
        before = _published()
        # An empty database: only the territory's communes (load_communes would give them)
        # and the product data of the migrations (sectors, needs, thématiques table).
        empty_the_database()
        directory = tomllib.loads((settings.DEMO_DATA_DIR / "directory.toml").read_text())
        load_territory(checked(directory))
        assert not Service.objects.exists() and not Partner.objects.exists()

        report = datainclusion.import_records(
            [
                InputFile("structures.json", json.dumps(structures).encode()),
                InputFile("services.json", json.dumps(services).encode()),
            ],
            dry_run=False,
        )

        assert report.counts["services"]["created"] == 64
        assert not report.rejected and not report.warnings
        assert _published() == before
        # And publishing it again gives the very same records: a fixed point.
        assert export_services() == services
        assert export_structures() == structures
    assert Place.objects.count() and ServicePlace.objects.count()
