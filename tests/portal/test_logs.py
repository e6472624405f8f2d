"""What the portal writes to its logs for each request, and the JSON format."""

import json
import logging
import sys

from portal.logs import JsonFormatter


def request_lines(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "passerelles.request"]


def test_a_request_line_has_the_route_but_no_query_string(client, directory, caplog):
    caplog.set_level(logging.INFO)
    client.get("/annuaire/?q=Camille+Dupont+06+12+34+56+78&commune=sergines")
    [line] = request_lines(caplog)
    assert line.getMessage().startswith("GET /annuaire/ 200 ")
    assert line.getMessage().endswith(" ms")
    assert "Camille" not in caplog.text
    assert "?" not in caplog.text


def test_a_follow_up_token_never_reaches_the_logs(client, world, caplog):
    caplog.set_level(logging.INFO)
    token = world.referral.token
    client.get(f"/suivi/{token}/")
    client.get("/suivi/not-a-real-token/")
    assert [line.getMessage().split()[:3] for line in request_lines(caplog)] == [
        ["GET", "/suivi/<str:token>/", "200"],
        ["GET", "/suivi/<str:token>/", "404"],
    ]
    assert token not in caplog.text
    assert "not-a-real-token" not in caplog.text


def test_an_unknown_address_is_logged_without_its_path(client, db, caplog):
    caplog.set_level(logging.INFO)
    client.get("/camille-dupont/")
    [line] = request_lines(caplog)
    assert line.getMessage().split()[:3] == ["GET", "-", "404"]
    assert "camille" not in caplog.text


def test_load_balancer_probes_are_not_logged(client, db, caplog):
    caplog.set_level(logging.INFO)
    client.get("/healthz")
    assert request_lines(caplog) == []


def test_json_lines_carry_the_extra_fields_and_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord(
        "passerelles.request", logging.ERROR, __file__, 1, "%s %s", ("GET", "/"), exc_info
    )
    record.status, record.route, record.request = 500, "/", object()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "GET /"
    assert (entry["level"], entry["logger"]) == ("ERROR", "passerelles.request")
    assert (entry["status"], entry["route"]) == (500, "/")
    assert "request" not in entry  # not a plain value
    assert entry["exception"].startswith("Traceback") and "ValueError: boom" in entry["exception"]
    assert entry["time"].endswith("+00:00")
