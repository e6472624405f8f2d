from django.urls import reverse

from orientations.models import AuditLog, Referral


def url(token: str) -> str:
    return reverse("orientations:follow_up", args=[token])


def test_the_family_sees_the_service_without_logging_in(client, world):
    response = client.get(url(world.token))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Relais Petite Enfance" in content
    assert "Avez-vous pu être reçu" in content
    assert "Camille" not in content


def test_the_family_says_it_was_received_and_closes_the_loop(client, world):
    data = {"received": "oui", "satisfaction": "tres_bien", "clarity": "5"}
    response = client.post(url(world.token), data, follow=True)
    assert "Merci ! Votre réponse a bien été enregistrée." in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SUCCEEDED
    assert world.referral.answer.satisfaction == "tres_bien"
    event = world.referral.events.last()
    assert event.by_family and event.to_status == "aboutie"
    assert AuditLog.objects.filter(action="family_answer", referral=world.referral).exists()


def test_the_family_saying_no_makes_it_a_rupture(client, world):
    client.post(url(world.token), {"received": "non", "satisfaction": "pas_bien"})
    world.referral.refresh_from_db()
    assert Referral.objects.ruptures().filter(pk=world.referral.pk).exists()
    assert world.referral.status == Referral.Status.SENT


def test_the_family_may_change_its_answer(client, world):
    client.post(url(world.token), {"received": "pas_encore"})
    client.post(url(world.token), {"received": "oui"})
    world.referral.refresh_from_db()
    assert world.referral.family_received == "oui"


def test_a_tampered_token_is_a_404(client, world):
    for token in (world.token[:-1], world.token + "x", "A" * 11, "' OR '1'='1"):
        assert client.get(url(token)).status_code == 404
        assert client.post(url(token), {"received": "oui"}).status_code == 404


def test_a_bad_answer_is_explained(client, world):
    response = client.post(url(world.token), {"received": "peut-être", "clarity": "12"})
    assert response.status_code == 400
    assert "n&#x27;est pas un choix valide" in response.content.decode() or (
        "Sélectionnez un choix valide" in response.content.decode()
    )


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    # One more than before: the notices of the service (closures, changed hours).
    with django_assert_max_num_queries(7):
        client.get(url(world.token))
