import pytest

from tests.personas import make_coordinator, make_partner_staff


@pytest.fixture
def logged_in(client, db):
    client.force_login(make_coordinator())
    return client


def test_it_prints_an_evaluation_report_for_the_steering_committee(logged_in, frozen):
    response = logged_in.get("/indicateurs/rapport/", {"periode": "2025"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapport d'évaluation — année 2025" in html
    assert "Parcours d&#x27;accueil et d&#x27;orientation des familles et des jeunes" in html
    assert "Résultats attendus" in html
    assert "Observatoire des besoins" in html
    assert "/static/css/indicators.css" in html  # with its print rules


def test_it_refuses_the_report_to_partner_staff(client, db):
    client.force_login(make_partner_staff())

    assert client.get("/indicateurs/rapport/").status_code == 403


def test_it_shows_the_observatory_of_needs(logged_in, frozen):
    response = logged_in.get("/indicateurs/observatoire/", {"periode": "2026-T2"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Communes sans aucun service publié pour un besoin" in html
    assert "Besoins non couverts par commune et par secteur" in html
