import io

import pytest
from openpyxl import load_workbook

from orientations.models import Origin
from tests.personas import make_adviser, make_coordinator

from .conftest import at, orient


@pytest.fixture
def logged_in(client, db):
    client.force_login(make_coordinator())
    return client


@pytest.fixture
def origins(frozen, place):
    orient(place, times=7, origin=Origin.PETITE_ENFANCE, created=at(2026, 5, 4))
    orient(place, times=2, origin=Origin.JEUNESSE, created=at(2026, 5, 4))
    orient(place, times=6, origin=Origin.FRANCE_SERVICES, created=at(2026, 5, 4))
    return place


def test_it_exports_a_table_as_csv_for_a_french_spreadsheet(logged_in, origins):
    response = logged_in.get(
        "/indicateurs/detail/origine-orientations/par-origine.csv", {"periode": "2026-T2"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="par-origine_2026-T2.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffOrigine;Orientations;Part\r\n")
    lines = text.splitlines()
    assert "Petite Enfance;7;46,7" in lines
    # 2 young people are hidden, and so is the next smallest cell (6), or 15 − 7 would tell.
    assert "Jeunesse;< 5;< 5" in lines
    assert "France Services;< 5;< 5" in lines
    assert "Total;15;" in lines


def test_it_exports_the_same_table_as_xlsx(logged_in, origins):
    response = logged_in.get(
        "/indicateurs/detail/origine-orientations/par-origine.xlsx", {"periode": "2026-T2"}
    )

    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Données"].iter_rows(values_only=True))
    assert rows[0] == ("Origine", "Orientations", "Part")
    assert ("Petite Enfance", 7, 46.7) in rows
    assert ("Jeunesse", "< 5", "< 5") in rows
    about = dict(workbook["À propos"].iter_rows(values_only=True))
    assert about["Période"] == "2e trimestre 2026"


def test_it_exports_the_whole_dashboard(logged_in, origins):
    response = logged_in.get("/indicateurs/tableau-de-bord.csv", {"periode": "2026-T2"})

    lines = response.content.decode("utf-8").splitlines()
    assert lines[0].startswith("\ufeffFiche action;Indicateur;Unité;2e trimestre 2026;")
    origin_line = next(line for line in lines if "Origine de l'orientation" in line)
    assert ";nombre;15;0;" in origin_line


def test_it_exports_the_chart_data_and_the_observatory(logged_in, origins):
    chart = logged_in.get(
        "/indicateurs/detail/origine-orientations/serie.csv", {"periode": "2026-T2"}
    )
    gaps = logged_in.get("/indicateurs/observatoire/communes-sans-service.xlsx")

    assert "mai 2026;15" in chart.content.decode("utf-8")
    assert gaps.status_code == 200
    load_workbook(io.BytesIO(gaps.content))


@pytest.mark.parametrize(
    "url",
    [
        "/indicateurs/detail/origine-orientations/inconnue.csv",
        "/indicateurs/detail/inconnu/par-origine.csv",
        "/indicateurs/detail/origine-orientations/par-origine.pdf",
        "/indicateurs/observatoire/inconnue.xlsx",
    ],
)
def test_it_answers_404_for_an_unknown_table_or_format(logged_in, url):
    assert logged_in.get(url).status_code == 404


def test_it_refuses_exports_to_an_adviser(client, db):
    client.force_login(make_adviser())

    assert client.get("/indicateurs/tableau-de-bord.csv").status_code == 403
    assert client.get("/indicateurs/observatoire/evolution.csv").status_code == 403


def test_it_exports_with_a_bad_period_using_the_default_one(logged_in, frozen):
    response = logged_in.get("/indicateurs/tableau-de-bord.csv", {"periode": "n'importe quoi"})

    assert response.status_code == 200
    assert "Année 2026" in response.content.decode("utf-8")
