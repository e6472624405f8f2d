from django.urls import reverse

from orientations.models import Referral


def url(referral) -> str:
    return reverse("orientations:referral_answer", args=[referral.pk])


def test_the_adviser_records_what_the_family_said(client, world):
    client.force_login(world.adviser_a)
    response = client.post(url(world.referral), {"received": "oui", "clarity": "4"}, follow=True)
    assert "Le retour de la famille est enregistré" in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SUCCEEDED
    assert world.referral.answer.clarity == 4
    assert world.referral.answer.recorded_by == world.adviser_a


def test_the_receiving_partner_cannot_answer_for_the_family(client, world):
    client.force_login(world.partner_staff)
    assert client.post(url(world.referral), {"received": "oui"}).status_code == 403


def test_it_explains_a_missing_answer(client, world):
    client.force_login(world.adviser_a)
    response = client.post(url(world.referral), {"clarity": "9"}, follow=True)
    assert "Dites-nous si vous avez pu être reçu" in response.content.decode()


def test_the_adviser_notes_whether_the_family_felt_followed(client, world):
    client.force_login(world.adviser_a)
    client.post(url(world.referral), {"received": "oui", "continuity": "non"})

    world.referral.refresh_from_db()
    assert world.referral.answer.continuity == "non"
    detail = client.get(reverse("orientations:referral", args=[world.referral.pk]))
    assert "senti·e suivi·e : Non, j&#x27;ai dû tout répéter" in detail.content.decode()
