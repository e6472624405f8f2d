import uuid

from django.core import mail
from django.urls import reverse

from orientations.models import Actor, AuditLog, Origin, Referral, ReferralContact
from pathways.models import Pathway, PathwayStat
from services_directory import outbox
from services_directory.models import OutgoingMessage
from tests.factories import make_service
from tests.personas import make_partner_staff

URL = reverse("orientations:referral_new")


def form_data(world, **overrides) -> dict:
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "services": [world.service.pk],
        "commune": world.commune.pk,
        "age_band": "0-2",
        "situation": "parent_isole",
        "needs": [world.need.pk],
        "origin": Origin.PETITE_ENFANCE,
        "kind": Referral.Kind.ORIENTATION,
    }
    data.update(overrides)
    return data


def test_it_shows_the_form_with_the_chosen_services_ticked(client, world):
    client.force_login(world.adviser_a)
    response = client.get(URL, {"service": world.service.pk, "commune": world.commune.slug})
    content = response.content.decode()
    assert response.status_code == 200
    assert f'value="{world.service.pk}" id="id_services_0" checked' in content
    assert "Accord recueilli le" in content
    assert "90 jours" in content  # the retention period is shown with the consent


def test_it_records_an_orientation_without_identity(client, world):
    client.force_login(world.adviser_a)
    response = client.post(URL, form_data(world))
    referral = Referral.objects.exclude(pk=world.referral.pk).get()
    assert response.status_code == 302
    assert response.url == reverse("orientations:handout", args=[referral.batch])
    assert referral.status == Referral.Status.PROPOSED
    assert referral.from_partner == world.partner_a
    assert referral.to_partner == world.partner_c
    assert referral.origin == Origin.PETITE_ENFANCE
    assert list(referral.needs.all()) == [world.need]
    assert not ReferralContact.objects.filter(referral=referral).exists()
    assert referral.events.get().to_status == Referral.Status.PROPOSED
    assert AuditLog.objects.filter(referral=referral, action="create").exists()


def test_it_creates_one_orientation_per_chosen_service(client, world):
    other = make_service(name="Crèche", needs=[world.need])
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world, services=[world.service.pk, other.pk]))
    batch = Referral.objects.exclude(pk=world.referral.pk)
    assert batch.count() == 2
    assert len({referral.batch for referral in batch}) == 1


def test_a_double_submit_creates_one_orientation(client, world):
    client.force_login(world.adviser_a)
    data = form_data(world)
    first = client.post(URL, data)
    second = client.post(URL, data)
    assert Referral.objects.count() == 2  # the world's one, and this one
    assert first.url == second.url


def test_it_refuses_a_mise_en_relation_without_consent(client, world):
    client.force_login(world.adviser_a)
    data = form_data(world, kind=Referral.Kind.CONNECTION, name="Alex Dupont", phone="0612345678")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "Une mise en relation demande l&#x27;accord de la personne" in response.content.decode()
    assert Referral.objects.count() == 1
    # Nothing typed is lost.
    assert 'value="Alex Dupont"' in response.content.decode()


def test_it_refuses_contact_details_without_consent(client, world):
    client.force_login(world.adviser_a)
    response = client.post(URL, form_data(world, name="Alex Dupont"))
    assert response.status_code == 400
    assert "Sans l&#x27;accord de la personne" in response.content.decode()
    assert Referral.objects.count() == 1


def test_it_stores_contact_details_with_the_consent(client, world):
    client.force_login(world.adviser_a)
    data = form_data(
        world,
        kind=Referral.Kind.CONNECTION,
        consent="on",
        name="Alex Dupont",
        phone="06 12 34 56 78",
    )
    client.post(URL, data)
    referral = Referral.objects.exclude(pk=world.referral.pk).get()
    assert referral.status == Referral.Status.SENT
    contact = referral.contact
    assert contact.name == "Alex Dupont"
    assert "90 jours" in contact.consent_text
    assert contact.consent_at is not None


def test_it_closes_an_information_at_once(client, world):
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world, kind=Referral.Kind.INFORMATION))
    referral = Referral.objects.exclude(pk=world.referral.pk).get()
    assert referral.status == Referral.Status.INFORMED
    assert referral.closed_at is not None


def test_it_links_a_reorientation_to_the_previous_one(client, world):
    world.referral.move_to(Referral.Status.REFUSED, reason="complet", actor=Actor.RECEIVER)
    other = make_service(name="Crèche", needs=[world.need])
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world, services=[other.pk], previous=world.referral.pk))
    new = Referral.objects.get(service=other)
    world.referral.refresh_from_db()
    assert new.previous == world.referral
    assert world.referral.reoriented is True


def test_it_ignores_a_previous_orientation_of_another_partner(client, world):
    world.referral.move_to(Referral.Status.REFUSED, reason="complet", actor=Actor.RECEIVER)
    client.force_login(world.adviser_b)
    client.post(URL, form_data(world, previous=world.referral.pk))
    new = Referral.objects.get(from_partner=world.partner_b)
    assert new.previous is None


def test_it_emails_the_fiche_without_keeping_the_address(client, world, mailoutbox):
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world, send_to="famille@example.org"))
    outbox.send_due()
    (message,) = [m for m in mailoutbox if m.to == ["famille@example.org"]]
    assert "Relais Petite Enfance" in message.body
    assert "/suivi/" in message.body
    assert not ReferralContact.objects.filter(email="famille@example.org").exists()
    assert not AuditLog.objects.filter(detail__contains="famille@example.org").exists()


def test_it_counts_a_handed_out_pathway(client, world):
    pathway = Pathway.objects.create(
        title="Garde", slug="garde", summary="s", audience="a", status=Pathway.Status.PUBLISHED
    )
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world, pathway=pathway.pk))
    assert PathwayStat.objects.get(pathway=pathway).handouts == 1


def test_it_explains_a_service_that_is_no_longer_available(client, world):
    client.force_login(world.adviser_a)
    response = client.post(URL, form_data(world, services=["999999"]))
    assert response.status_code == 400
    assert "Choisissez au moins un service" in response.content.decode() or (
        "plus disponible" in response.content.decode()
    )


def test_it_survives_garbage(client, world):
    client.force_login(world.adviser_a)
    data = form_data(world, idempotency_key="pas-un-uuid", needs=["x"], origin="lune", kind="?")
    response = client.post(URL, data)
    assert response.status_code == 400
    assert Referral.objects.count() == 1


def test_it_is_for_those_who_orient(client, world):
    for persona in (world.coordinator, world.admin):
        client.force_login(persona)
        assert client.post(URL, form_data(world)).status_code == 403
    assert Referral.objects.count() == 1


def test_it_sends_the_family_no_mail_unless_asked(client, world):
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world))
    assert not OutgoingMessage.objects.filter(kind="handout").exists()
    outbox.send_due()
    assert [m.to for m in mail.outbox] == [[world.partner_staff.email]]  # the partner only


def test_the_form_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    services = [make_service(name=f"Crèche {n}", needs=[world.need]) for n in range(8)]
    client.force_login(world.adviser_a)
    with django_assert_max_num_queries(16):
        params = {"service": [s.pk for s in services], "besoin": world.need.slug}
        response = client.get(URL, params)
    assert response.content.decode().count('name="services"') == 8


# --- the receiving partner is told at once ------------------------------------------------


def test_the_receiving_partner_is_told_at_once_with_its_answer_link(client, world):
    client.force_login(world.adviser_a)
    client.post(
        URL,
        form_data(
            world, kind=Referral.Kind.CONNECTION, consent="on", name="Léa B", phone="0612345678"
        ),
    )
    referral = Referral.objects.exclude(pk=world.referral.pk).get()
    message = OutgoingMessage.objects.get(kind="referral_new")
    assert message.to == world.partner_staff.email
    assert f"/partenaire/reponse/{referral.pk}/" in message.body
    assert "Léa" not in message.body and "0612345678" not in message.body
    assert "Nouvelle orientation n°" in message.subject


def test_a_partner_without_account_is_told_at_the_services_address(client, world):
    world.partner_staff.staff_profile.delete()
    world.service.email = "rpe@example.org"
    world.service.save()
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world))
    assert OutgoingMessage.objects.get(kind="referral_new").to == "rpe@example.org"


def test_staff_who_prefer_the_daily_summary_get_no_message_now(client, world):
    profile = world.partner_staff.staff_profile
    profile.notify = "daily"
    profile.save()
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world))
    assert not OutgoingMessage.objects.filter(kind="referral_new").exists()


def test_an_information_only_orientation_tells_nobody(client, world):
    client.force_login(world.adviser_a)
    client.post(URL, form_data(world, kind=Referral.Kind.INFORMATION))
    assert not OutgoingMessage.objects.exists()


# --- partners orient too ---------------------------------------------------------------


def test_a_partners_staff_orients_with_its_own_sector_as_origin(client, world, directory):
    rpe = directory["rpe"]
    staff = make_partner_staff(rpe.partner)
    client.force_login(staff)
    content = client.get(URL, {"service": directory["mission_locale"].pk}).content.decode()
    assert 'name="origin" value="petite_enfance"' in content
    assert "(votre service)" in content
    data = form_data(
        world, services=[directory["mission_locale"].pk], origin=Origin.PETITE_ENFANCE
    )
    assert client.post(URL, data).status_code == 302
    referral = Referral.objects.get(service=directory["mission_locale"])
    assert (referral.from_partner, referral.origin) == (rpe.partner, Origin.PETITE_ENFANCE)
    # Another origin than its own is refused.
    refused = client.post(URL, form_data(world, services=[rpe.pk], origin=Origin.JEUNESSE))
    assert refused.status_code == 400
    assert "Choisissez une option valide" in refused.content.decode() or (
        "n’est pas un choix valide" in refused.content.decode()
        or "Sélectionnez un choix valide" in refused.content.decode()
    )


def test_a_france_services_adviser_has_its_origin_ticked(client, world):
    client.force_login(world.adviser_a)
    content = client.get(URL, {"service": world.service.pk}).content.decode()
    assert 'value="france_services" required id="id_origin_4" checked' in content


def test_the_form_is_never_stored_by_a_browser(client, world):
    client.force_login(world.adviser_a)
    assert "no-store" in client.get(URL, {"service": world.service.pk})["Cache-Control"]


def test_the_family_language_is_asked_french_by_default_and_kept(client, world):
    client.force_login(world.adviser_a)
    content = client.get(URL, {"service": world.service.pk}).text
    assert '<option value="fr" selected>français</option>' in content
    assert '<option value="ar">العربيّة</option>' in content
    client.post(URL, form_data(world, family_language="tr"))
    client.post(URL, form_data(world, services=[make_service(needs=[world.need]).pk]))
    languages = Referral.objects.exclude(pk=world.referral.pk).order_by("pk")
    assert [r.family_language for r in languages] == ["tr", "fr"]


def test_a_family_language_not_offered_is_refused(client, world):
    client.force_login(world.adviser_a)
    response = client.post(URL, form_data(world, family_language="xx"))
    assert response.status_code == 400
    assert not Referral.objects.exclude(pk=world.referral.pk).exists()
