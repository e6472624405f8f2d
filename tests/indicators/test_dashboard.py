import html
import re

import pytest
from django.contrib.auth.models import Permission

from orientations.models import Referral
from services_directory.models import Commune, Territory
from tests.personas import make_admin, make_adviser, make_coordinator, make_partner_staff

from .conftest import at, orient

URL = "/indicateurs/"


@pytest.fixture
def coordinator(db):
    return make_coordinator(username="coordination@example.org")


def test_it_shows_every_indicator_of_the_convention(client, coordinator, frozen):
    client.force_login(coordinator)

    response = client.get(URL)

    assert response.status_code == 200
    assert "Sécuriser les parcours des publics fragilisés" in response.content.decode()
    for name in [
        "Nombre de parcours d&#x27;accueil et d&#x27;orientation formalisés",
        "Taux de satisfaction des familles et des jeunes sur l&#x27;orientation reçue",
        "Nombre de passerelles entre les services Petite Enfance, Enfance, Jeunesse",
        "Nombre de personnes-relais et référents thématiques mobilisés",
    ]:
        assert name in response.content.decode()
    assert "Période : année 2026" in response.content.decode()


def test_it_shows_a_value_its_trend_and_an_svg_chart_with_its_data(
    client, coordinator, frozen, place
):
    orient(place, times=7, status=Referral.Status.SUCCEEDED, created=at(2026, 5, 4))
    orient(place, times=5, status=Referral.Status.SUCCEEDED, created=at(2025, 5, 4))
    client.force_login(coordinator)

    response = client.get(URL, {"periode": "2026"})

    html = response.content.decode()
    assert 'id="ind-sans-rupture"' in html
    assert "En hausse : +2 par rapport à la période précédente (année 2025)." in html
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert "Données du graphique" in html
    assert "style=" not in html  # the Content-Security-Policy forbids inline styles


def test_it_masks_fewer_than_five_people(client, coordinator, frozen, place):
    orient(place, times=3, status=Referral.Status.SUCCEEDED, created=at(2026, 5, 4))
    client.force_login(coordinator)

    response = client.get(URL, {"periode": "2026-05"})

    assert "secret statistique" in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ({"periode": "2026-13"}, "Le mois doit être compris entre 01 et 12."),
        ({"periode": "demain"}, "« demain » n&#x27;est pas une période connue."),
        ({"periode": "1850"}, "L&#x27;année doit être comprise entre 2000 et 2100."),
        (
            {"periode": "perso", "du": "2026-05-10", "au": "2026-05-01"},
            "La date de fin (01/05/2026) est avant la date de début (10/05/2026).",
        ),
        ({"periode": "perso", "du": "2026-05-10"}, "Indiquez la date de début et la date de fin"),
        ({"periode": "perso", "du": "hier", "au": "2026-05-01"}, "Date de début non comprise"),
        ({"secteur": "cuisine"}, "« cuisine » n&#x27;est pas un secteur connu : filtre ignoré."),
        ({"periode": "x" * 10_000}, "n&#x27;est pas une période connue"),
    ],
)
def test_it_explains_bad_filters_in_french_and_shows_the_rest(
    client, coordinator, frozen, query, message
):
    client.force_login(coordinator)

    response = client.get(URL, query)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Taux de satisfaction" in html  # the dashboard is still there, with defaults


def test_it_refuses_a_commune_of_another_territory(client, coordinator, frozen, place):
    elsewhere = Territory.objects.create(name="Autre communauté")
    Commune.objects.create(
        territory=elsewhere,
        insee_code="21001",
        name="Ailleurs",
        slug="ailleurs",
        postcode="21000",
        latitude=47.3,
        longitude=5.0,
    )
    client.force_login(coordinator)

    response = client.get(URL, {"commune": "ailleurs", "periode": "2026-T2"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "« ailleurs » n&#x27;est pas une commune du territoire : filtre ignoré." in html
    assert "2e trimestre 2026" in html  # the valid part of the choice is kept


def test_it_applies_a_commune_and_says_which_indicators_ignore_it(
    client, coordinator, frozen, place
):
    client.force_login(coordinator)

    response = client.get(URL, {"commune": place.commune.slug, "periode": "2026"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "commune : Pont-sur-Yonne" in html
    assert "Filtre sans effet sur cet indicateur : commune." in html


def test_it_answers_htmx_with_the_results_only(client, coordinator, frozen):
    client.force_login(coordinator)

    response = client.get(URL, {"periode": "2026-T1"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert "<html" not in html and "Taux de satisfaction" in html
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize("persona", ["adviser", "partner_staff", "plain"])
def test_it_refuses_everyone_but_the_coordinator(client, db, persona):
    from tests.personas import make_user

    user = {"adviser": make_adviser, "partner_staff": make_partner_staff, "plain": make_user}[
        persona
    ]()
    client.force_login(user)

    assert client.get(URL).status_code == 403


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")


def test_it_opens_read_only_to_a_partner_given_the_permission(client, frozen):
    staff = make_partner_staff()
    staff.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client.force_login(staff)

    assert client.get(URL).status_code == 200


def test_it_opens_to_administrators(client, frozen):
    client.force_login(make_admin())

    assert client.get(URL).status_code == 200


def test_it_refuses_post(client, coordinator):
    client.force_login(coordinator)

    assert client.post(URL).status_code == 405


def test_its_queries_do_not_grow_with_the_data(
    client, coordinator, frozen, place, django_assert_max_num_queries
):
    client.force_login(coordinator)
    orient(place, times=2, status=Referral.Status.SUCCEEDED, created=at(2026, 5, 4))
    with django_assert_max_num_queries(45) as small:
        few = client.get(URL)
    orient(place, times=40, status=Referral.Status.SUCCEEDED, created=at(2026, 3, 4))
    orient(place, times=40, status=Referral.Status.EXPIRED, created=at(2026, 2, 4))
    with django_assert_max_num_queries(len(small.captured_queries)):
        many = client.get(URL)
    assert few.status_code == many.status_code == 200
    # The figures did follow the data: 2 then 42 orientations reached their service.
    assert 'id="ind-sans-rupture"' in many.text
    assert _headline(few, "sans-rupture").startswith("< 5")
    assert _headline(many, "sans-rupture") == "42 (année 2026)"


def _headline(response, slug: str) -> str:
    """The big figure of one indicator's card, as read on the page."""
    card = response.text.split(f'id="ind-{slug}"', 1)[1]
    value = card.split('<p class="ind-value">', 1)[1].split("</p>", 1)[0]
    text = html.unescape(re.sub(r"<[^>]+>", "", value)).replace("\xa0", " ")
    return text.strip()


def test_a_rate_over_a_hidden_number_of_answers_says_so(client, coordinator, frozen, place):
    # 3 answers: the rate and its base are hidden, the page still renders.
    orient(place, times=3, created=at(2026, 5, 4), answer={"received": "oui", "continuity": "oui"})
    client.force_login(coordinator)

    response = client.get(URL, {"periode": "2026-T2"})

    assert response.status_code == 200
    html = response.content.decode()
    card = html[html.index('id="ind-retours-habitants"') :][:1200]
    assert 'sur <span class="masked">&lt;&nbsp;5' in card
    assert "aucune réponse" not in card
