"""/healthz, for the load balancer: the database and the shared cache."""

import datetime as dt

import pytest
import time_machine
from django.db import OperationalError, connections

from portal import outage, views
from services_directory.models import OutgoingMessage


@pytest.fixture(autouse=True)
def no_outage_in_progress(monkeypatch):
    monkeypatch.setattr(outage.database, "since", None)
    monkeypatch.setattr(outage._shared_cache, "since", None)


def test_it_reports_the_database_and_the_cache(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "oldest_unsent_message": None,
    }
    assert "no-cache" in response["Cache-Control"]


def test_it_tells_how_long_the_oldest_message_has_waited(client, db):
    written = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(written, tick=False):
        OutgoingMessage.objects.queue(to="a@example.org", subject="s", body="b", kind="k")
    with time_machine.travel(written + dt.timedelta(minutes=12), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["oldest_unsent_message"] == 720


def test_it_answers_503_when_the_database_is_down(client, db, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refused)
    monkeypatch.setattr(connections["default"], "is_usable", lambda: False)
    response = client.get("/healthz")
    assert response.status_code == 503
    # The cache is the database's table here: down with it.
    assert response.json() == {
        "status": "error",
        "database": "unreachable",
        "cache": "unreachable",
        "oldest_unsent_message": None,
    }
    assert outage.database.is_down


class BrokenRedis:
    def set(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to cache.internal:6379. Connection refused.")

    get = set


def test_a_shared_cache_down_keeps_the_server_in_the_pool(client, db, monkeypatch, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr(views, "cache", BrokenRedis())
    response = client.get("/healthz")
    # Every server shares the cache: taking them all out would stop the portal for nothing.
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unreachable",
        "oldest_unsent_message": None,
    }
    assert outage._shared_cache.is_down and not outage.database.is_down


def test_it_refuses_other_methods(client, db):
    assert client.post("/healthz").status_code == 405
