"""What the portal writes to its logs: one line per request, outages once, JSON on demand.

Request lines name the route (`/suivi/<str:token>/`), never the path a visitor asked for:
a path can carry a follow-up token or a fiche's identifier, and the query string a search
typed by a family. No address, no user agent, no account either.
"""

import json
import logging
import time
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

request_logger = logging.getLogger("passerelles.request")

# What every LogRecord carries; anything else was passed through `extra=`.
_STANDARD = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors (LOG_FORMAT=json)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in record.__dict__.items():
            # Plain values only: django.request passes the request object itself.
            if key not in _STANDARD and isinstance(value, str | int | float | bool | None):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class SkipServiceUnavailable(logging.Filter):
    """Drops django.request's line for each 503: the outage itself is logged once."""

    def filter(self, record: logging.LogRecord) -> bool:
        return getattr(record, "status_code", None) != 503


def route_of(request: HttpRequest) -> str:
    match = request.resolver_match
    return f"/{match.route}" if match is not None else "-"


class RequestLogMiddleware:
    """One INFO line per request: method, route, status and milliseconds.

    Successful /healthz probes are not logged: the load balancer sends one every few seconds.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        milliseconds = round((time.perf_counter() - started) * 1000)
        route = route_of(request)
        if route == "/healthz" and response.status_code == 200:
            return response
        request_logger.info(
            "%s %s %s %s ms",
            request.method,
            route,
            response.status_code,
            milliseconds,
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": milliseconds,
            },
        )
        return response
