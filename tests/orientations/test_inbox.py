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
