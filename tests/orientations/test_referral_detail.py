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
        client.get(url(world.referral))
