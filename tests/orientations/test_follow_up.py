from django.urls import reverse

from orientations.models import AuditLog, Referral
from services_directory.models import OutgoingMessage
from tests.factories import make_service
from tests.personas import make_referral


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
    # The visit's orientations, their answers, the notices, stops and sessions of their
    # services (closures, changed hours): the same count for one or three services.
    with django_assert_max_num_queries(9):
        response = client.get(url(world.token))
    assert response.status_code == 200
    assert "Relais Petite Enfance" in response.text
    assert "03 86 00 00 01" in response.text


def test_the_family_says_whether_it_felt_followed(client, world):
    page = client.get(url(world.token)).content.decode()
    assert "Vous êtes-vous senti·e suivi·e ?" in page
    assert "Non, j&#x27;ai dû tout répéter" in page

    client.post(url(world.token), {"received": "oui", "continuity": "en_partie"})

    world.referral.refresh_from_db()
    assert world.referral.answer.continuity == "en_partie"
    # The page remembers the answer, so the family can change it.
    assert 'value="en_partie" required' not in client.get(url(world.token)).content.decode()
    assert 'value="en_partie"' in client.get(url(world.token)).content.decode()


def test_an_unknown_continuity_answer_is_explained(client, world):
    response = client.post(url(world.token), {"received": "oui", "continuity": "bof"})

    assert response.status_code == 400
    assert "bof" in response.content.decode()


# --- the status in plain words, and help when it failed ---------------------------------


def test_it_shows_the_status_in_plain_words(client, world):
    content = client.get(url(world.token)).content.decode()
    assert "Le service a été prévenu." in content
    world.referral.move_to("prise_en_charge", by=world.partner_staff)
    content = client.get(url(world.token)).content.decode()
    assert "Le service s&#x27;occupe de vous." in content


def test_after_a_refusal_it_says_what_to_do_with_the_counters_phone(client, world):
    world.partner_a.phone = "03 86 11 22 33"
    world.partner_a.save()
    world.referral.move_to("refusee", by=world.partner_staff, reason="complet")
    content = client.get(url(world.token)).content.decode()
    assert "Le service ne peut pas vous recevoir." in content
    assert "Plus de place" in content
    assert "Que faire maintenant ?" in content
    assert "03 86 11 22 33" in content
    assert "Rappelez-moi" in content
    # The page does not contradict itself by asking whether they were received…
    assert "Avez-vous pu être reçu" not in content
    # …but still welcomes their opinion.
    client.post(url(world.token), {"orientation": world.referral.pk, "clarity": "2"})
    world.referral.refresh_from_db()
    assert world.referral.answer.clarity == 2
    assert world.referral.status == Referral.Status.REFUSED


def test_saying_no_brings_the_help_box(client, world):
    assert "Que faire maintenant" not in client.get(url(world.token)).content.decode()
    client.post(url(world.token), {"received": "non"})
    content = client.get(url(world.token)).content.decode()
    assert "Vous nous avez dit ne pas avoir été reçu." in content
    assert "Que faire maintenant ?" in content


def test_call_me_back_puts_it_first_and_tells_the_adviser(client, world):
    world.referral.move_to("expiree", actor="system")
    callback = reverse("orientations:follow_up_callback", args=[world.token])
    response = client.post(
        callback, {"orientation": world.referral.pk, "phone": "07 00 00 00 01"}, follow=True
    )
    assert "va vous rappeler" in response.content.decode()
    assert "on va vous appeler" in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.callback_requested_at is not None
    assert world.referral.contact.phone == "07 00 00 00 01"
    message = OutgoingMessage.objects.get(kind="referral_callback")
    assert message.to == world.adviser_a.email
    assert "07 00" not in message.body and "Camille" not in message.body
    assert AuditLog.objects.filter(action="callback", referral=world.referral).exists()
    # Asked twice: one message.
    client.post(callback, {"orientation": world.referral.pk})
    assert OutgoingMessage.objects.filter(kind="referral_callback").count() == 1


def test_call_me_back_is_only_offered_when_it_failed(client, world):
    callback = reverse("orientations:follow_up_callback", args=[world.token])
    assert client.post(callback, {"orientation": world.referral.pk}).status_code == 404
    assert client.get(callback).status_code == 405


def test_a_bad_phone_is_explained(client, world):
    world.referral.move_to("expiree", actor="system")
    callback = reverse("orientations:follow_up_callback", args=[world.token])
    response = client.post(
        callback, {"orientation": world.referral.pk, "phone": "12"}, follow=True
    )
    assert "Ce numéro de téléphone n&#x27;est pas valide, par exemple" in response.content.decode()
    world.referral.refresh_from_db()
    assert world.referral.callback_requested_at is None


def test_an_information_only_sheet_asks_whether_it_helped(client, world):
    info = make_referral(service=world.service, from_partner=world.partner_a, kind="information")
    content = client.get(url(info.token)).content.decode()
    assert "Ces informations vous ont-elles aidé ?" in content
    assert "Avez-vous pu être reçu" not in content
    client.post(url(info.token), {"helped": "oui"})
    info.refresh_from_db()
    assert info.answer.helped == "oui" and info.answer.received == ""


def test_one_link_for_a_visit_answers_stay_per_orientation(client, world):
    other = make_referral(
        service=make_service(name="Mission Locale"),
        from_partner=world.partner_a,
        batch=world.referral.batch,
    )
    content = client.get(url(world.token)).content.decode()
    assert "Vos 2 orientations" in content
    assert "Relais Petite Enfance" in content and "Mission Locale" in content
    client.post(url(world.token), {"orientation": other.pk, "received": "oui"})
    other.refresh_from_db()
    world.referral.refresh_from_db()
    assert other.family_received == "oui"
    assert world.referral.family_received == ""


def test_it_refuses_an_orientation_of_another_visit(client, world):
    stranger = make_referral(service=world.service, from_partner=world.partner_b)
    response = client.post(url(world.token), {"orientation": stranger.pk, "received": "non"})
    assert response.status_code == 404
    stranger.refresh_from_db()
    assert stranger.family_received == ""


def test_it_is_never_stored_by_a_browser(client, world):
    assert "no-store" in client.get(url(world.token))["Cache-Control"]
