"""/donnees/: the published directory as data·inclusion v1 files, under an open licence."""

import datetime as dt
import json

import time_machine
from data_inclusion.schema import v1

from services_directory.models import Service
from tests.factories import make_service

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def test_the_page_states_the_licence_and_links_the_stable_files(client, db):
    make_service(name="Relais Petite Enfance")
    response = client.get("/donnees/")

    assert response.status_code == 200
    assert "Licence Ouverte / Open Licence version 2.0" in response.text
    for url in (
        "/donnees/structures.json",
        "/donnees/structures.csv",
        "/donnees/services.json",
        "/donnees/services.csv",
    ):
        assert f'href="{url}"' in response.text
    assert "L'annuaire publie 1 service de 1 structure(s)" in response.text


@time_machine.travel(NOW, tick=False)
def test_the_json_files_are_valid_v1_records_readable_from_any_site(client, db):
    make_service(name="Relais Petite Enfance", verified_on=dt.date(2026, 10, 1))
    make_service(name="Projet", status=Service.Status.DRAFT)

    response = client.get("/donnees/services.json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    records = json.loads(response.content)
    assert [record["nom"] for record in records] == ["Relais Petite Enfance"]
    assert records[0]["date_maj"] == "2026-10-01"
    v1.Service.model_validate(records[0])
    structures = json.loads(client.get("/donnees/structures.json").content)
    v1.Structure.model_validate(structures[0])


@time_machine.travel(NOW, tick=False)
def test_the_csv_opens_in_a_spreadsheet(client, db):
    make_service(name="Crèche « Les Lucioles »")
    response = client.get("/donnees/services.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="services.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffsource,structure_id,id,nom,")
    assert "Crèche « Les Lucioles »" in text


def test_an_unknown_file_is_not_found(client, db):
    assert client.get("/donnees/orientations.json").status_code == 404
    assert client.get("/donnees/services.xlsx").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_files_cost_the_same_queries_for_2_or_12_services(client, db):
    def queries_for_services_json():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get("/donnees/services.json").status_code == 200
            assert client.get("/donnees/structures.json").status_code == 200
        return len(captured)

    for n in range(2):
        make_service(name=f"Service {n}")
    few = queries_for_services_json()
    for n in range(10):
        make_service(name=f"Autre service {n}")
    assert queries_for_services_json() == few
