"""/widget/: the services for a commune and a need, in an <iframe> on another site."""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from portal import caching


def widget(client, directory, **params):
    query = {"commune": directory["near"].slug, "besoin": directory["garde"].slug} | params
    return client.get("/widget/", query)


def test_it_lists_the_services_for_a_commune_and_a_need_nearest_first(client, directory):
    response = widget(client, directory)

    assert response.status_code == 200
    text = response.text
    assert "Garde d&#x27;enfant (test)" in text and "près de Pont-sur-Yonne" in text
    # The Relais is in Pont-sur-Yonne, the crèche 7 km away in Sergines.
    assert text.index("Relais Petite Enfance") < text.index("Crèche Les Petits Loups")
    assert "Mission Locale" not in text
    assert '<base target="_blank">' in text
    assert 'href="/annuaire/?commune=pont-sur-yonne&amp;besoin=garde"' in text


def test_it_can_be_framed_by_any_site_and_sets_no_cookie_nor_script(client, directory):
    response = widget(client, directory)

    assert "X-Frame-Options" not in response.headers
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors *" in policy
    assert "script-src 'self'" in policy
    assert not response.cookies
    assert "<script" not in response.text
    assert "csrf" not in response.text.lower()
    # Every other page still refuses to be framed.
    assert client.get("/annuaire/").headers["X-Frame-Options"] == "DENY"


def test_it_stays_frameable_when_served_from_the_public_cache(client, directory):
    caching.local.clear()
    with override_settings(PUBLIC_CACHE_SECONDS=300):
        first = widget(client, directory)
        second = widget(client, directory)
    caching.local.clear()
    assert first["X-Public-Cache"] == "miss" and second["X-Public-Cache"] == "hit"
    assert "X-Frame-Options" not in second.headers
    assert "frame-ancestors *" in second.headers["Content-Security-Policy"]


def test_a_stale_parameter_is_explained_and_the_rest_still_applies(client, directory):
    response = widget(client, directory, commune="commune-disparue")

    assert response.status_code == 400
    assert "n'est plus valable" in response.text
    assert "Relais Petite Enfance" in response.text


@pytest.fixture
def coordinator_client(client, db):
    from tests.personas import make_coordinator

    client.force_login(make_coordinator())
    return client


def test_the_admin_generates_the_snippet_to_paste(coordinator_client, directory):
    response = coordinator_client.get(
        "/admin/services_directory/territory/widget/",
        {"commune": "pont-sur-yonne", "besoin": "garde", "secteur": "", "hauteur": "400"},
    )

    assert response.status_code == 200
    assert (
        "&lt;iframe src=&quot;http://127.0.0.1:8000/widget/?commune=pont-sur-yonne&amp;amp;"
        "besoin=garde&quot;"
    ) in response.text
    assert "height=&quot;400&quot;" in response.text
    assert '<iframe src="/widget/?commune=pont-sur-yonne&amp;besoin=garde"' in response.text


def test_the_snippet_tool_is_for_the_admin_only(client, directory):
    user = get_user_model().objects.create_user("visiteur", password="x")
    client.force_login(user)
    response = client.get("/admin/services_directory/territory/widget/")
    assert response.status_code == 302


def test_its_queries_do_not_grow_with_the_results(
    client, directory, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):
        widget(client, directory)


def test_the_admin_generates_the_snippet_in_another_language(coordinator_client, directory):
    from tests.factories import make_translation

    make_translation(directory["garde"], "name", "en", "Childcare")
    response = coordinator_client.get(
        "/admin/services_directory/territory/widget/",
        {"commune": "pont-sur-yonne", "besoin": "garde", "hauteur": "400", "langue": "en"},
    )
    assert response.status_code == 200
    assert "http://127.0.0.1:8000/en/widget/?commune=pont-sur-yonne" in response.text
    assert "title=&quot;Services — Childcare — Pont-sur-Yonne — Passerelles&quot;" in response.text
    assert 'name="langue"' in response.text and "العربيّة" in response.text
