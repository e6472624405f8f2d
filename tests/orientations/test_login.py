import pytest
from django.urls import reverse

from tests.personas import PASSWORD

LOGIN = reverse("portal:login")


def test_it_shows_a_french_login_page(client, db):
    response = client.get(LOGIN)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Connexion des professionnels" in content
    assert 'autocomplete="current-password"' in content


def test_an_adviser_logs_in_and_lands_on_the_counter(client, world):
    response = client.post(
        LOGIN, {"username": world.adviser_a.username, "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("orientations:counter")


def test_a_wrong_password_is_explained(client, world):
    response = client.post(LOGIN, {"username": world.adviser_a.username, "password": "non"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_five_failures_lock_the_account_for_15_minutes(client, world):
    for _n in range(5):
        client.post(LOGIN, {"username": world.adviser_a.username, "password": "mauvais"})
    response = client.post(LOGIN, {"username": world.adviser_a.username, "password": PASSWORD})
    assert response.status_code == 429
    content = response.content.decode()
    assert "Connexion bloquée pour un moment" in content
    assert "15 minutes" in content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logout_ends_the_session_on_the_server(client, world):
    client.post(LOGIN, {"username": world.adviser_a.username, "password": PASSWORD})
    old_cookie = client.cookies["sessionid"].value
    assert client.get(reverse("orientations:counter")).status_code == 200
    assert client.post(reverse("portal:logout")).status_code == 302
    # Replaying the old cookie does not bring the session back.
    client.cookies["sessionid"] = old_cookie
    response = client.get(reverse("orientations:counter"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_logout_requires_post(client, world):
    client.force_login(world.adviser_a)
    assert client.get(reverse("portal:logout")).status_code == 405
