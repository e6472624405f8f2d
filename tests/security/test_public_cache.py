"""The public page cache: hits, misses, invalidation, and never a leak between visitors."""

import contextlib
import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from portal import caching
from services_directory import versions
from tests.factories import make_commune, make_place, make_service, make_territory
from tests.pathways.factories import make_pathway

TOKEN = re.compile(r'"x-csrftoken": "([A-Za-z0-9]{64})"')


@pytest.fixture(autouse=True)
def cache_on(monkeypatch):
    # Each test is a fresh process: nothing in memory from the previous test's database.
    caching.local.clear()
    # A still clock, in the middle of a minute (entries expire at the minute's end), and a
    # shared version trusted until a test says otherwise: no test depends on how fast the
    # machine runs or on when it started.
    monkeypatch.setattr(versions, "TRUST_SECONDS", 3600.0)
    with (
        time_machine.travel("2026-11-30 10:00:20+01:00", tick=False),
        override_settings(PUBLIC_CACHE_SECONDS=300),
    ):
        yield
    caching.local.clear()


@pytest.fixture
def service(db):
    make_territory(name="Communauté de communes Yonne Nord")
    place = make_place(commune=make_commune(name="Sergines"))
    return make_service(name="Relais Petite Enfance", slug="relais-petite-enfance", places=[place])


def cache_state(response) -> str | None:
    return response.headers.get(caching.HIT_HEADER)


def test_it_serves_the_second_anonymous_visit_from_the_cache(client, service):
    url = reverse("services_directory:search")
    first = client.get(url)
    second = Client().get(url)
    assert (cache_state(first), cache_state(second)) == ("miss", "hit")
    assert "Relais Petite Enfance" in second.text
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["X-Frame-Options"] == "DENY"


def test_it_answers_a_hit_from_memory_without_a_query(client, service, django_assert_num_queries):
    url = service.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(0):
        assert cache_state(Client().get(url)) == "hit"


def test_another_process_reads_the_shared_page_with_one_query(
    client, service, django_assert_num_queries
):
    url = service.get_absolute_url()
    client.get(url)
    caching.local.clear()
    with django_assert_num_queries(1):
        assert cache_state(Client().get(url)) == "hit"


def test_another_app_server_sees_a_change_within_a_second(client, service):
    url = service.get_absolute_url()
    client.get(url)
    # Another server bumped the shared version: this one trusts its copy for a second.
    cache.set(caching.VERSION_KEY, "changed-elsewhere", None)
    assert cache_state(client.get(url)) == "hit"
    caching.local.version_read_at -= versions.TRUST_SECONDS
    assert cache_state(client.get(url)) == "miss"


def test_it_keys_on_the_query_string_and_the_htmx_header(client, service):
    url = reverse("services_directory:search")
    client.get(url + "?q=relais")
    assert cache_state(client.get(url + "?q=enfance")) == "miss"
    partial = client.get(url + "?q=relais", headers={"HX-Request": "true"})
    assert cache_state(partial) == "miss"
    assert "<html" not in partial.text
    assert cache_state(client.get(url + "?q=relais", headers={"HX-Request": "true"})) == "hit"
    assert "<html" in client.get(url + "?q=relais").text


def test_a_page_without_a_post_form_gives_a_new_visitor_no_csrf_cookie(service):
    url = reverse("services_directory:search")
    Client().get(url)
    cached = Client().get(url)
    assert cache_state(cached) == "hit"
    assert "csrftoken" not in cached.cookies
    assert "x-csrftoken" not in cached.text


def test_every_visitor_gets_their_own_csrf_token_and_it_works(service):
    # A page with a form that posts (the "did this help?" form) carries a token.
    url = make_pathway(slug="premier-enfant").get_absolute_url()
    first_visitor, second_visitor = Client(), Client(enforce_csrf_checks=True)
    first_token = TOKEN.search(first_visitor.get(url).text).group(1)
    cached = second_visitor.get(url)
    assert cache_state(cached) == "hit"
    second_token = TOKEN.search(cached.text).group(1)
    assert second_token != first_token
    assert caching.CSRF_SENTINEL.decode() not in cached.text
    assert "csrftoken" in cached.cookies
    # The token from the cached page is accepted with this visitor's own cookie.
    login = second_visitor.post(
        reverse("portal:login"),
        {"username": "inconnu", "password": "faux", "csrfmiddlewaretoken": second_token},
    )
    assert login.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in login.text


def test_it_never_serves_or_stores_pages_for_logged_in_staff(client, service):
    url = reverse("services_directory:search")
    Client().get(url)
    staff = get_user_model().objects.create_user("conseillere", password="x-Secret-2025")
    client.force_login(staff)
    response = client.get(url)
    assert cache_state(response) is None
    assert "Se déconnecter" in response.text
    assert "Se déconnecter" not in Client().get(url).text


# Invalidation happens after the commit: these tests commit for real.
def test_it_shows_a_changed_service_at_once(client, transactional_db, service):
    url = service.get_absolute_url()
    client.get(url)
    service.summary = "Nouveaux horaires d'accueil des assistantes maternelles."
    service.save()
    response = client.get(url)
    assert cache_state(response) == "miss"
    assert "Nouveaux horaires" in response.text


def test_it_forgets_a_deleted_service(client, transactional_db, service):
    url = reverse("services_directory:search")
    assert "Relais Petite Enfance" in client.get(url).text
    service.service_places.all().delete()
    service.delete()
    assert "Relais Petite Enfance" not in client.get(url).text


def test_it_keeps_the_pages_when_only_a_rolled_back_change_happened(
    client, transactional_db, service
):
    url = service.get_absolute_url()
    client.get(url)
    with contextlib.suppress(RuntimeError), transaction.atomic():
        service.summary = "Jamais enregistré"
        service.save()
        raise RuntimeError("annulé")
    assert cache_state(client.get(url)) == "hit"


def test_it_bumps_the_version_once_per_transaction(transactional_db, service, monkeypatch):
    bumps = []
    monkeypatch.setattr(caching, "bump_content_version", lambda: bumps.append(1))
    with transaction.atomic():
        for summary in ("Un", "Deux", "Trois"):
            service.summary = summary
            service.save()
        service.needs.clear()
    assert bumps == [1]


def test_it_never_outlives_the_minute_of_an_opening_status(client, service):
    url = service.get_absolute_url()
    with time_machine.travel("2025-03-04 08:59:30+01:00", tick=False):
        client.get(url)
        assert cache_state(client.get(url)) == "hit"
    with time_machine.travel("2025-03-04 09:00:05+01:00", tick=False):
        assert cache_state(client.get(url)) == "miss"


@pytest.fixture
def closing_soon(db):
    """Open on Tuesdays until 10:30 (2025-03-04 is a Tuesday)."""
    make_territory(name="Communauté de communes Yonne Nord")
    place = make_place(commune=make_commune(name="Sergines"))
    return make_service(name="Relais Petite Enfance", places=[(place, "Tu 08:00-10:30")])


def test_the_directory_keeps_its_page_until_a_card_changes(client, closing_soon):
    # Every word about now on a card says when it changes (services_directory/until.py):
    # the page is kept past the minute, until the place closes.
    url = reverse("services_directory:search")
    with time_machine.travel("2025-03-04 10:26:30+01:00", tick=False):
        assert "ferme à 10" in client.get(url).text
    with time_machine.travel("2025-03-04 10:29:50+01:00", tick=False):
        assert cache_state(client.get(url)) == "hit"
    with time_machine.travel("2025-03-04 10:30:01+01:00", tick=False):
        response = client.get(url)
    assert cache_state(response) == "miss"
    assert "ferme à 10" not in response.text


def test_the_directory_keeps_its_page_until_midnight_at_most(client, closing_soon, settings):
    settings.PUBLIC_CACHE_SECONDS = 24 * 3600
    url = reverse("services_directory:search")
    with time_machine.travel("2025-03-04 22:00:00+01:00", tick=False):
        assert "demain" not in client.get(url).text  # « ouvre mardi à 8 h »
    with time_machine.travel("2025-03-04 23:59:00+01:00", tick=False):
        assert cache_state(client.get(url)) == "hit"
    with time_machine.travel("2025-03-05 00:00:01+01:00", tick=False):
        assert cache_state(client.get(url)) == "miss"


def test_services_open_right_now_keep_the_minute_rule(client, closing_soon):
    url = reverse("services_directory:search") + "?ouvert=on"
    with time_machine.travel("2025-03-04 10:20:30+01:00", tick=False):
        client.get(url)
    with time_machine.travel("2025-03-04 10:21:05+01:00", tick=False):
        assert cache_state(client.get(url)) == "miss"


def test_it_does_not_store_missing_pages_or_login_pages(client, service):
    for url in ("/annuaire/service-inconnu/", reverse("portal:login")):
        client.get(url)
        assert cache_state(client.get(url)) is None


def test_it_does_not_store_a_response_that_sets_a_cookie(db):
    def view(request):
        response = HttpResponse("<p>Bonjour</p>")
        response.set_cookie("preference", "grand-texte")
        return response

    request = RequestFactory().get("/")
    assert not caching.PublicPageCacheMiddleware(view)._storable(request, view(request))


def test_the_page_still_answers_when_the_cache_is_down(client, service, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(caching.cache, "get_many", broken)
    response = client.get(reverse("services_directory:search"))
    assert response.status_code == 200
    assert "Relais Petite Enfance" in response.text


def test_a_page_in_memory_is_still_served_while_the_database_is_down(client, service, monkeypatch):
    url = service.get_absolute_url()
    client.get(url)

    def down(*args, **kwargs):
        raise ConnectionError("database down")

    monkeypatch.setattr(caching.cache, "get_many", down)
    caching.local.version_read_at -= versions.TRUST_SECONDS
    response = Client().get(url)
    assert cache_state(response) == "hit"
    assert "Relais Petite Enfance" in response.text


def test_a_visitor_with_a_message_to_read_gets_the_page_rendered_for_them(client, service):
    url = reverse("services_directory:search")
    Client().get(url)
    client.cookies["messages"] = "un message en attente"
    assert cache_state(client.get(url)) is None


def test_while_one_process_renders_an_expired_page_the_others_serve_theirs(client, service):
    url = service.get_absolute_url()
    with time_machine.travel("2025-03-04 08:59:30+01:00", tick=False):
        client.get(url)
    # Another worker claimed the refresh: this one keeps its copy a few seconds more.
    cache.add(f"{caching.page_key(RequestFactory().get(url))}:refresh", 1, 60)
    with time_machine.travel("2025-03-04 09:00:05+01:00", tick=False):
        assert cache_state(client.get(url)) == "hit"
    with time_machine.travel("2025-03-04 09:00:11+01:00", tick=False):
        assert cache_state(client.get(url)) == "miss"


def test_an_error_report_does_not_empty_the_cache(client, transactional_db, service, settings):
    # A visitor's report (and the e-mail it queues) changes nothing the public sees: a flood
    # of reports must not make every page render again.
    settings.REPORTS_EMAIL = "coordination@example.org"
    url = service.get_absolute_url()
    client.get(url)
    report = reverse("services_directory:report_error", args=[service.slug])
    assert Client().post(report, {"topic": "hours"}).status_code == 302
    assert cache_state(client.get(url)) == "hit"


def test_a_hit_is_answered_before_the_inner_middleware_and_logged_by_route(
    client, service, monkeypatch, caplog
):
    """The user, messages and log-in lockouts are never prepared for a stored page; the
    headers those middleware add were stored with it (the first test checks them)."""
    from django.contrib.messages.middleware import MessageMiddleware

    url = service.get_absolute_url()
    client.get(url)
    calls = []
    original = MessageMiddleware.process_request
    monkeypatch.setattr(
        MessageMiddleware,
        "process_request",
        lambda self, request: calls.append(request.path) or original(self, request),
    )
    with caplog.at_level("INFO", logger="passerelles.request"):
        hit = Client().get(url)
    assert cache_state(hit) == "hit"
    assert calls == []
    assert "GET /annuaire/<slug:slug>/ 200" in caplog.text
    # A miss still goes through them all.
    assert cache_state(Client().get(url + "?x=1")) == "miss"
    assert calls == [url]


def test_a_stop_under_way_does_not_keep_the_page_from_being_stored(db):
    from services_directory import until

    with time_machine.travel("2025-03-04 10:00:00+01:00", tick=False):

        @until.true_until_noted
        def view(request):
            until.note(dt.datetime(2025, 3, 4, 9, 0))  # began an hour ago
            until.note(dt.datetime(2025, 3, 4, 12, 0))  # ends at noon
            return HttpResponse("ok")

        assert until.seconds_true(view(RequestFactory().get("/"))) == 2 * 3600


def test_routes_kept_per_language_serve_each_language_its_own_page(client, service):
    path = reverse("services_directory:search")  # in French: the root's language
    for _round in range(2):
        for prefix, word in (("", "Annuaire"), ("/en", "Directory"), ("/ar", "الدليل")):
            response = Client().get(prefix + path)
            assert word in response.text
            assert response.headers["Content-Language"] == (prefix.strip("/") or "fr")
    assert cache_state(Client().get("/annuaire/nulle-part/")) is None


def test_a_card_whose_stop_is_under_way_is_kept_until_the_stop_ends(client, db):
    from services_directory.models import ItinerantStop

    make_territory(name="Communauté de communes Yonne Nord")
    place = make_place(commune=make_commune(name="Sergines"))
    bus = make_service(name="Bus France Services", itinerant=True)
    # Tuesdays 10:00–12:00: under way at 10:20, its start clipped to now by the schedule.
    ItinerantStop.objects.create(service=bus, place=place, schedule="Tu 10:00-12:00")
    url = reverse("services_directory:search")
    # The clock runs (tick): the card's « now » comes a little after the view's.
    with time_machine.travel("2025-03-04 10:20:30+01:00", tick=True):
        assert cache_state(client.get(url)) == "miss"
    with time_machine.travel("2025-03-04 10:24:00+01:00", tick=True):
        assert cache_state(client.get(url)) == "hit"
