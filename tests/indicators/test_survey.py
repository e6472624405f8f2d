import datetime as dt

import pytest

from indicators.models import ProfessionalResponse, ProfessionalSurvey
from tests.personas import make_adviser, make_coordinator, make_partner_staff

URL = "/indicateurs/questionnaire/"


@pytest.fixture
def campaign(frozen):
    return ProfessionalSurvey.objects.create(
        title="Questionnaire de juin", opens_on=dt.date(2026, 6, 1), closes_on=dt.date(2026, 6, 30)
    )


def test_it_lets_an_adviser_answer_once(client, campaign):
    adviser = make_adviser()
    client.force_login(adviser)

    page = client.get(URL)
    response = client.post(URL, {"readability": "4", "coordination": "3", "comment": "Clair."})

    assert "Questionnaire de juin" in page.content.decode()
    assert response.status_code == 302
    answer = ProfessionalResponse.objects.get()
    assert (answer.survey, answer.respondent, answer.readability) == (campaign, adviser, 4)
    assert "Vous avez répondu à ce questionnaire" in client.get(URL).content.decode()


def test_it_keeps_one_answer_on_a_double_submit(client, campaign):
    client.force_login(make_partner_staff())

    client.post(URL, {"readability": "4", "coordination": "3"})
    client.post(URL, {"readability": "1", "coordination": "1"})

    assert ProfessionalResponse.objects.get().readability == 4


def test_it_explains_a_missing_answer(client, campaign):
    client.force_login(make_adviser())

    response = client.post(URL, {"readability": "9"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez une note de 1 à 5." in html
    assert "Choisissez une note de 1 à 5 pour la coordination." in html
    assert not ProfessionalResponse.objects.exists()


def test_it_says_when_no_questionnaire_is_open(client, frozen):
    client.force_login(make_adviser())

    response = client.get(URL)

    assert "Aucun questionnaire n'est ouvert en ce moment." in response.content.decode()
    assert client.post(URL, {"readability": "4", "coordination": "3"}).status_code == 302
    assert not ProfessionalResponse.objects.exists()


def test_it_is_for_advisers_and_partner_staff_only(client, campaign):
    client.force_login(make_coordinator())

    assert client.get(URL).status_code == 403


def test_it_counts_the_professionals_invited_by_default(campaign):
    make_adviser()
    make_partner_staff()
    make_coordinator()

    survey = ProfessionalSurvey.objects.create(
        title="Autre", opens_on=dt.date(2026, 9, 1), closes_on=dt.date(2026, 9, 30)
    )

    assert survey.invited_count == 2
