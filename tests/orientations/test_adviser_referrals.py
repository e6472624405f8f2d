from django.urls import reverse

from orientations.models import Actor, Referral
from tests.personas import make_referral

URL = reverse("orientations:adviser_referrals")


def test_it_lists_the_partners_orientations_and_the_ruptures_risk(client, world):
    refused = make_referral(service=world.service, from_partner=world.partner_a)
    refused.move_to(Referral.Status.REFUSED, reason="complet", actor=Actor.RECEIVER)
    make_referral(service=world.service, from_partner=world.partner_b)
    client.force_login(world.adviser_a)
    response = client.get(URL)
    content = response.content.decode()
    risk = content[content.index("Risque de rupture") : content.index("Toutes les orientations")]
    assert f"N° {refused.pk}" in risk
    assert f"N° {world.referral.pk}" not in risk
    assert f"?depuis={refused.pk}" in risk  # one click to re-orient
    assert content.count("<tr>") == 1 + 2  # header, then A's two: never partner B's


def test_it_drops_a_reoriented_one_from_the_risk_list(client, world):
    world.referral.move_to(Referral.Status.REFUSED, reason="complet", actor=Actor.RECEIVER)
    world.referral.reoriented = True
    world.referral.save()
    client.force_login(world.adviser_a)
    assert "Aucune orientation en risque de rupture" in client.get(URL).content.decode()


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _n in range(30):
        make_referral(service=world.service, from_partner=world.partner_a, status="expiree")
    client.force_login(world.adviser_a)
    with django_assert_max_num_queries(9):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.text.count('<li class="card risk">') == 30


def test_it_is_only_for_advisers(client, world):
    client.force_login(world.partner_staff)
    assert client.get(URL).status_code == 403
