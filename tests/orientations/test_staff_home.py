import pytest
from django.urls import reverse

from tests.personas import make_user

URL = reverse("orientations:staff_home")


def test_it_sends_an_adviser_to_the_counter(client, world):
    client.force_login(world.adviser_a)
    assert client.get(URL).url == reverse("orientations:counter")


def test_it_sends_partner_staff_to_their_inbox(client, world):
    client.force_login(world.partner_staff)
    assert client.get(URL).url == reverse("orientations:inbox")


def test_it_sends_the_coordinator_to_the_indicators(client, world):
    client.force_login(world.coordinator)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url in ("/indicateurs/", reverse("admin:index"))


def test_it_sends_an_admin_to_the_admin(client, world):
    client.force_login(world.admin)
    assert client.get(URL).url == reverse("admin:index")


@pytest.mark.django_db
def test_it_explains_an_account_without_a_role(client):
    client.force_login(make_user())
    response = client.get(URL)
    assert response.status_code == 403
    assert "pas encore de rôle" in response.content.decode()


@pytest.mark.django_db
def test_it_asks_anonymous_visitors_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("portal:login"))


def test_it_refuses_post(client, world):
    client.force_login(world.adviser_a)
    assert client.post(URL).status_code == 405
