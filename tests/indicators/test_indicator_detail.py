import pytest
from django.urls import reverse

from orientations.models import Origin, Referral
from tests.personas import make_adviser, make_coordinator

from .conftest import at, orient


@pytest.fixture
def coordinator(db):
    return make_coordinator()


def test_it_shows_the_definition_the_method_and_the_breakdowns(client, coordinator, frozen, place):
    orient(
        place,
        times=6,
        origin=Origin.ENFANCE,
        status=Referral.Status.SUCCEEDED,
        created=at(2026, 5, 4),
    )
    client.force_login(coordinator)

    response = client.get("/indicateurs/detail/sans-rupture/", {"periode": "2026-T2"})

    assert response.status_code == 200
    html = response.content.decode()
    assert '<h2 id="definition">Définition</h2>' in html
    assert "Mode de calcul" in html
    assert "Issue des orientations par origine" in html
    assert '<th scope="row">Enfance</th>' in html
    assert 'href="/indicateurs/detail/sans-rupture/par-origine.csv?periode=2026-T2"' in html


def test_it_lists_the_values_entered_by_hand(client, coordinator, frozen):
    from indicators.models import Indicator, ManualValue

    ManualValue.objects.create(
        indicator=Indicator.objects.get(slug="evaluation-qualitative"),
        period_start=at(2025, 1, 1).date(),
        period_end=at(2025, 12, 31).date(),
        value="3.5",
        comment="Bilan du comité technique",
        entered_by=coordinator,
    )
    client.force_login(coordinator)

    response = client.get("/indicateurs/detail/evaluation-qualitative/", {"periode": "2025"})

    html = response.content.decode()
    assert "Bilan du comité technique" in html
    assert "3,5" in html


def test_it_answers_404_for_an_unknown_indicator(client, coordinator):
    client.force_login(coordinator)

    assert client.get("/indicateurs/detail/inconnu/").status_code == 404


def test_it_refuses_an_adviser(client, db):
    client.force_login(make_adviser())

    assert client.get("/indicateurs/detail/sans-rupture/").status_code == 403


def test_it_keeps_working_with_a_bad_period(client, coordinator, frozen):
    client.force_login(coordinator)

    response = client.get("/indicateurs/detail/passerelles/", {"periode": "2026-T9"})

    assert response.status_code == 400
    assert "n&#x27;est pas une période connue" in response.content.decode()


def test_the_continuity_question_feeds_the_residents_feedback_indicator(client, frozen, place):
    answers = ["oui"] * 10 + ["en_partie"] * 5
    referrals = orient(place, times=15, created=at(2026, 5, 4))
    for referral, continuity in zip(referrals, answers, strict=True):
        follow_up = reverse("orientations:follow_up", args=[referral.token])
        client.post(follow_up, {"received": "pas_encore", "continuity": continuity})
    assert Referral.objects.filter(answer__continuity="oui").count() == 10
    client.force_login(make_coordinator())

    response = client.get("/indicateurs/detail/retours-habitants/", {"periode": "2026-T2"})

    html = response.content.decode()
    assert "Vous êtes-vous senti·e suivi·e ?" in html  # the method names the question
    assert "66,7&nbsp;%" in html  # 10 « Oui » out of 15 answers
    assert "Avez-vous pu être reçu" not in html  # the proxy is gone
