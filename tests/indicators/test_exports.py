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
    assert text.startswith("\ufeffOrigine;Orientations;Part;Secret statistique\r\n")
    lines = text.splitlines()
    assert "Petite Enfance;7;46,7;" in lines
    # 2 young people are hidden (« < 5 »), and so is the next smallest cell (6), with its
    # own mark, or 15 − 7 would tell. Numeric columns stay empty: the marks have a column.
    assert "Jeunesse;;;Orientations : < 5, Part : s" in lines
    assert "France Services;;;Orientations : s, Part : s" in lines
    assert "Total;15;;" in lines


def test_it_exports_the_same_table_as_xlsx(logged_in, origins):
    response = logged_in.get(
        "/indicateurs/detail/origine-orientations/par-origine.xlsx", {"periode": "2026-T2"}
    )

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook["Données"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Origine", "Orientations", "Part", "Secret statistique")
    assert ("Petite Enfance", 7, 46.7, None) in rows
    assert ("Jeunesse", None, None, "Orientations : < 5, Part : s") in rows
    # Numbers are numbers, formatted; the header stays in view.
    assert sheet["B2"].data_type == "n" and sheet["B2"].number_format == "#,##0"
    assert sheet.freeze_panes == "B2"
    about = dict(workbook["À propos"].iter_rows(values_only=True))
    assert about["Période"] == "2e trimestre 2026"
    assert "secret par recoupement" in about["Secret statistique « s »"]


def test_it_exports_the_whole_dashboard_with_its_breakdowns(logged_in, origins):
    response = logged_in.get("/indicateurs/tableau-de-bord.csv", {"periode": "2026-T2"})

    lines = response.content.decode("utf-8").splitlines()
    assert lines[0] == (
        "\ufeffFiche action;Indicateur;Ventilation;Ligne;Mesure;Valeur;Secret statistique"
    )
    origin = [line for line in lines if "Origine de l'orientation" in line]
    assert any(";Ensemble;2e trimestre 2026;nombre;15;" in line for line in origin)
    assert any(";Par origine;Petite Enfance;Orientations;7;" in line for line in origin)
    assert any(";Par mois (ou par jour);mai 2026;" in line for line in origin)
    assert any("Par origine;Jeunesse;Orientations;;Valeur : < 5" in line for line in origin)


def test_the_dashboard_workbook_has_a_sheet_per_breakdown(logged_in, origins):
    response = logged_in.get("/indicateurs/tableau-de-bord.xlsx", {"periode": "2026-T2"})

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Synthèse",
        "Par mois (ou par jour)",
        "Par origine",
        "Par commune",
        "Par secteur",
        "À propos",
    ]
    synthesis = list(workbook["Synthèse"].iter_rows(values_only=True))
    origin = next(row for row in synthesis if row[1].startswith("Origine de l'orientation"))
    assert origin[3:6] == (15, 0, 15)  # value, previous period, trend: numbers
    by_commune = list(workbook["Par commune"].iter_rows(values_only=True))
    assert any(row[3] == "Pont-sur-Yonne" and row[5] == 15 for row in by_commune)
    about = dict(workbook["À propos"].iter_rows(values_only=True))
    assert "Nombre de situations orientées sans rupture vers les bons services" in about


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
    assert ";Ensemble;année 2026;" in response.content.decode("utf-8")
