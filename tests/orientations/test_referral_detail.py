from django.urls import reverse

from orientations.models import Actor, AuditLog, Referral


def url(referral) -> str:
    return reverse("orientations:referral", args=[referral.pk])


def test_the_adviser_sees_the_contact_details_and_it_is_logged(client, world):
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert "Camille Martin" in content
    entry = AuditLog.objects.get(action=AuditLog.Action.VIEW_PERSONAL)
    assert (entry.user, entry.referral) == (world.adviser_a, world.referral)


def test_the_receiving_partner_sees_the_contact_details(client, world):
    client.force_login(world.partner_staff)
    content = client.get(url(world.referral)).content.decode()
    assert "06 12 34 56 78" in content
    assert AuditLog.objects.filter(user=world.partner_staff, action="view_personal").exists()


def test_the_coordinator_never_sees_personal_data(client, world):
    world.referral.move_to(
        Referral.Status.ACCEPTED, by=world.partner_staff, note="Rappeler Camille"
    )
    client.force_login(world.coordinator)
    response = client.get(url(world.referral))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Relais Petite Enfance" in content
    for secret in (
        "Camille",
        "06 12 34 56 78",
        "camille@example.org",
        world.partner_staff.username,
    ):
        assert secret not in content
    assert not AuditLog.objects.filter(action="view_personal").exists()


def test_another_partners_adviser_gets_a_404(client, world):
    client.force_login(world.adviser_b)
    assert client.get(url(world.referral)).status_code == 404


def test_it_offers_only_the_moves_this_person_may_make(client, world):
    client.force_login(world.partner_staff)
    content = client.get(url(world.referral)).content.decode()
    assert 'value="acceptee"' in content
    assert 'value="sans_suite"' not in content  # the adviser's move
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert 'value="sans_suite"' in content
    assert 'value="acceptee"' not in content


def test_it_offers_a_reorientation_when_it_failed(client, world):
    world.referral.move_to(Referral.Status.EXPIRED, actor=Actor.SYSTEM)
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert f"?depuis={world.referral.pk}" in content


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for status in ("acceptee", "prise_en_charge", "aboutie"):
        world.referral.move_to(status, by=world.partner_staff)
    client.force_login(world.partner_staff)
    with django_assert_max_num_queries(16):
        response = client.get(url(world.referral))
    assert response.status_code == 200
    assert "Camille Martin" in response.text
    for status in ("Acceptée", "Prise en charge", "Aboutie"):
        assert status in response.text


def test_the_partner_opening_it_is_vue_for_the_adviser(client, world):
    client.force_login(world.adviser_a)
    assert "pas encore vue par le partenaire" in client.get(url(world.referral)).content.decode()
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SENT  # the sender's opening changes nothing
    client.force_login(world.partner_staff)
    client.get(url(world.referral))
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert "Vue par le partenaire" in content
    assert "vue par le partenaire le" in content


def test_the_coordinator_opening_it_changes_nothing(client, world):
    client.force_login(world.coordinator)
    client.get(url(world.referral))
    world.referral.refresh_from_db()
    assert world.referral.status == Referral.Status.SENT and world.referral.seen_at is None


def test_the_sender_can_reprint_the_sheet_and_find_the_family_link(client, world):
    client.force_login(world.adviser_a)
    content = client.get(url(world.referral)).content.decode()
    assert reverse("orientations:handout", args=[world.referral.batch]) in content
    assert "Réimprimer la fiche" in content
    assert f"/suivi/{world.referral.token}/" in content
    # The receiver needs neither: the family's link is the family's.
    client.force_login(world.partner_staff)
    content = client.get(url(world.referral)).content.decode()
    assert "Réimprimer la fiche" not in content
    assert world.referral.token not in content


def test_the_adviser_marks_a_callback_done(client, world):
    world.referral.move_to("expiree", actor=Actor.SYSTEM)
    world.referral.request_callback()
    client.force_login(world.adviser_a)
    assert "La famille demande à être rappelée" in client.get(url(world.referral)).content.decode()
    done = reverse("orientations:referral_callback_done", args=[world.referral.pk])
    for persona in (world.partner_staff, world.coordinator):
        client.force_login(persona)
        assert client.post(done).status_code == 403
    client.force_login(world.adviser_b)
    assert client.post(done).status_code == 404
    client.force_login(world.adviser_a)
    client.post(done)
    world.referral.refresh_from_db()
    assert world.referral.callback_requested_at is None


def test_staff_of_another_partner_gets_a_404(client, world):
    client.force_login(world.other_staff)
    assert client.get(url(world.referral)).status_code == 404
    world.referral.refresh_from_db()
    assert world.referral.seen_at is None


def test_a_roleless_account_gets_a_403(client, world):
    client.force_login(world.no_role)
    assert client.get(url(world.referral)).status_code == 403


def test_it_is_never_stored_by_a_browser(client, world):
    client.force_login(world.partner_staff)
    assert "no-store" in client.get(url(world.referral))["Cache-Control"]
