"""While the database is down: the friendly 503 for everyone, and two log lines in all."""

import logging

import pytest
from django.db import OperationalError, connections

from portal import outage


@pytest.fixture
def clock(monkeypatch):
    """The outage's clock, moved by hand: seconds since an arbitrary start."""
    now = [1000.0]
    monkeypatch.setattr(outage, "monotonic", lambda: now[0])
    monkeypatch.setattr(outage.database, "since", None)
    return now


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as it does once PostgreSQL has stopped, until the returned `back()`."""
    connection = connections["default"]
    cursor, down = connection.cursor, [True]

    def refused_while_down(*args, **kwargs):
        if down[0]:
            raise OperationalError(
                'connection failed: connection to server at "127.0.0.1", port 5432 failed: '
                "Connection refused\n\tIs the server running on that host and accepting TCP/IP?"
            )
        return cursor(*args, **kwargs)

    monkeypatch.setattr(connection, "cursor", refused_while_down)
    monkeypatch.setattr(connection, "is_usable", lambda: not down[0])
    return lambda: down.__setitem__(0, False)


def test_an_outage_logs_one_warning_then_one_info_with_its_duration(
    client, directory, clock, database_down, caplog
):
    caplog.set_level(logging.DEBUG)
    for path in ["/", "/annuaire/?q=garde", "/parcours/", "/healthz", "/"]:
        response = client.get(path)
        assert response.status_code == 503
        clock[0] += 2
    assert "Le site est momentanément indisponible" in client.get("/").text
    database_down()  # PostgreSQL is back
    clock[0] = 1008.0
    assert client.get("/").status_code == 200
    assert client.get("/annuaire/").status_code == 200

    outage_lines = [r for r in caplog.records if r.name == "passerelles.outage"]
    assert [(r.levelname, r.getMessage().split(" (")[0]) for r in outage_lines] == [
        (
            "WARNING",
            "database unreachable: connection failed: connection to server at "
            '"127.0.0.1", port 5432 failed: Connection refused Is the server running on that '
            "host and accepting TCP/IP?",
        ),
        ("INFO", "database reachable again after 8.0 s"),
    ]
    # Nothing else above INFO, and no traceback anywhere.
    others = [r for r in caplog.records if r.name != "passerelles.outage"]
    assert [r.getMessage() for r in others if r.levelno > logging.INFO] == []
    assert [r for r in caplog.records if r.exc_info] == []


def test_a_second_outage_is_logged_again(client, directory, clock, monkeypatch, caplog):
    caplog.set_level(logging.INFO, logger="passerelles.outage")
    error = OperationalError("the database system is shutting down")
    outage.database.failed(error)
    clock[0] += 3
    outage.database.succeeded()
    outage.database.succeeded()
    outage.database.failed(error)
    outage.database.failed(error)
    assert [r.getMessage().split(" (")[0] for r in caplog.records] == [
        "database unreachable: the database system is shutting down",
        "database reachable again after 3.0 s",
        "database unreachable: the database system is shutting down",
    ]
