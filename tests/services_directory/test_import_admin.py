"""Importing data·inclusion files from the admin: upload, progress, report, then for good."""

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from services_directory import datainclusion
from services_directory.models import Commune, ImportFile, ImportRun, Service, Territory
from tests.personas import make_coordinator

FIXTURES = Path(__file__).parent / "fixtures" / "datainclusion"
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)
ADD = "/admin/services_directory/importrun/add/"


@pytest.fixture
def coordinator_client(client, db):
    territory = Territory.objects.create(name="CC Yonne Nord", siren="248900896")
    Commune.objects.create(
        territory=territory,
        insee_code="89391",
        slug="sergines",
        name="Sergines",
        postcode="89140",
        latitude=48.34,
        longitude=3.26,
    )
    client.force_login(make_coordinator())
    return client


def uploads(*names):
    return [
        SimpleUploadedFile(name, (FIXTURES / name).read_bytes(), "application/json")
        for name in names
    ]


@time_machine.travel(NOW, tick=False)
def test_a_dry_run_shows_its_report_then_imports_for_good_in_one_click(coordinator_client):
    page = coordinator_client.get(ADD)
    assert "Commencez par une simulation" in page.text

    response = coordinator_client.post(
        ADD, {"files": uploads("structures.json", "services.json"), "dry_run": "on"}, follow=True
    )

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE and run.dry_run
    text = response.text
    assert (
        "Simulation : rien n&#x27;est enregistré." in text
        or "Simulation : rien n'est enregistré." in text
    )
    assert "champ obligatoire « nom » absent" in text
    assert "horaires illisibles, non importés" in text
    assert not Service.objects.exists()

    response = coordinator_client.post(
        f"/admin/services_directory/importrun/{run.pk}/change/", {"_for_good": "1"}, follow=True
    )

    real = ImportRun.objects.exclude(pk=run.pk).get()
    assert real.status == ImportRun.Status.DONE and not real.dry_run
    assert Service.objects.filter(source="dora").count() == 6
    assert "Import pour de bon." in response.text
    # The files of a run imported for good are not kept.
    assert not ImportFile.objects.filter(run=real).exists()


@time_machine.travel(NOW, tick=False)
def test_a_bad_file_fails_the_run_with_a_french_message_and_writes_nothing(coordinator_client):
    bad = SimpleUploadedFile("services.json", b'[{"source": "dora",', "application/json")

    response = coordinator_client.post(ADD, {"files": [bad]}, follow=True)

    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert (
        "n&#x27;est pas un fichier JSON valide" in response.text
        or "n'est pas un fichier JSON valide" in response.text
    )
    assert not Service.objects.exists()


def test_a_file_over_the_limit_is_refused_before_anything(coordinator_client, settings):
    settings.DATAINCLUSION_MAX_FILE_MB = 1
    big = SimpleUploadedFile("services.json", b"[" + b" " * (2 * 1024 * 1024) + b"]")

    response = coordinator_client.post(ADD, {"files": [big]})

    assert "« services.json » pèse 2 Mo : la limite est de 1 Mo." in response.text
    assert not ImportRun.objects.exists()


def test_a_running_import_shows_its_progress_and_refreshes_itself(coordinator_client):
    run = datainclusion.new_run([("services.json", b"[]")], dry_run=True, communes=[])
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING,
        stage="Vérification des enregistrements",
        done=2500,
        total=10000,
    )

    response = coordinator_client.get(f"/admin/services_directory/importrun/{run.pk}/change/")

    assert '<meta http-equiv="refresh" content="2">' in response.text
    assert "Vérification des enregistrements : 2500 / 10000 (25 %)" in response.text
    assert '<progress max="10000" value="2500">' in response.text


def test_an_import_whose_process_died_says_so(coordinator_client):
    run = datainclusion.new_run([("services.json", b"[]")], dry_run=False, communes=[])
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.RUNNING,
        updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )
    response = coordinator_client.get(f"/admin/services_directory/importrun/{run.pk}/change/")
    assert (
        "Cet import s&#x27;est interrompu" in response.text
        or "Cet import s'est interrompu" in response.text
    )
    assert "http-equiv" not in response.text


def test_partners_cannot_import(client, db):
    from tests.personas import make_partner_staff

    client.force_login(make_partner_staff())
    response = client.get(ADD)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
