from django.urls import reverse

from orientations.models import Referral
from tests.factories import make_service
from tests.personas import make_partner_staff, make_referral

URL = reverse("orientations:inbox")


def test_it_lists_orientations_addressed_to_the_partner(client, world):
    elsewhere = make_referral(service=make_service(name="Mission Locale"))
    client.force_login(world.partner_staff)
    content = client.get(URL).content.decode()
    assert f"N° {world.referral.pk}" in content
    assert f"N° {elsewhere.pk}" not in content
    assert "À traiter (1)" in content
    assert "Camille" not in content  # contact details only on the audited detail page


def test_it_hides_information_only_records(client, world):
    info = make_referral(service=world.service, kind="information", status="informee")
    client.force_login(world.partner_staff)
    assert f"N° {info.pk}" not in client.get(URL, {"onglet": "closes"}).content.decode()


def test_it_accepts_from_the_inbox_and_comes_back(client, world):
    client.force_login(world.partner_staff)
    response = client.post(
        reverse("orientations:referral_move", args=[world.referral.pk]),
        {"status": "acceptee", "next": URL},
    )
    assert response.url == URL
    content = client.get(URL, {"onglet": "en-cours"}).content.decode()
    assert f"N° {world.referral.pk}" in content
    assert "Prendre en charge" in content


def test_it_survives_a_bad_tab_and_page(client, world):
    client.force_login(world.partner_staff)
    response = client.get(URL, {"onglet": "n-importe", "page": "zz"})
    assert response.status_code == 200


def test_staff_of_another_partner_see_nothing_of_it(client, world):
    client.force_login(make_partner_staff())
    assert f"N° {world.referral.pk}" not in client.get(URL).content.decode()


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    for _n in range(40):
        make_referral(service=world.service, needs=[world.need], status=Referral.Status.SENT)
    client.force_login(world.partner_staff)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert response.content.decode().count("Accepter") == 25


def test_it_is_only_for_partner_staff(client, world):
    for persona in (world.adviser_a, world.coordinator, world.admin):
        client.force_login(persona)
        assert client.get(URL).status_code == 403


def test_staff_choose_each_message_or_a_daily_summary(client, world):
    notify = reverse("orientations:inbox_notify")
    client.force_login(world.partner_staff)
    content = client.get(reverse("orientations:inbox")).content.decode()
    assert "Comment être prévenu" in content
    client.post(notify, {"notify": "daily"})
    world.partner_staff.staff_profile.refresh_from_db()
    assert world.partner_staff.staff_profile.notify == "daily"
    response = client.post(notify, {"notify": "jamais"}, follow=True)
    assert "Choisissez une des deux façons" in response.content.decode()
    for persona in (world.adviser_a, world.coordinator, world.no_role):
        client.force_login(persona)
        assert client.post(notify, {"notify": "each"}).status_code == 403


def test_staff_of_partner_q_never_sees_partner_ps_orientations(client, world):
    client.force_login(world.other_staff)
    content = client.get(reverse("orientations:inbox")).content.decode()
    assert "Relais Petite Enfance" not in content
    assert "Aucune orientation ici." in content


def test_an_orientation_the_partner_itself_sent_is_not_in_its_inbox(client, world):
    sent = make_referral(from_partner=world.partner_c)
    client.force_login(world.partner_staff)
    content = client.get(reverse("orientations:inbox")).content.decode()
    assert f"N° {sent.pk} " not in content


def test_it_links_to_the_counter_and_the_questionnaire(client, world):
    client.force_login(world.partner_staff)
    content = client.get(reverse("orientations:inbox")).content.decode()
    assert reverse("orientations:counter") in content
    assert reverse("indicators:survey") in content
