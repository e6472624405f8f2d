import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("passerelles")


class DatabaseUnavailableMiddleware:
    """Answer a friendly 503 when the database is down, instead of a 500.

    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the portal
    recovers by itself as soon as PostgreSQL is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("database unavailable: %s", exception)
        html = render_to_string("503.html", {"request": request})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "10"
        return response
