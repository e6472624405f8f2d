from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from . import outage


class DatabaseUnavailableMiddleware:
    """Answer a friendly 503 when the database is down, instead of a 500.

    Django reconnects on the next request (CONN_HEALTH_CHECKS), so the portal
    recovers by itself as soon as PostgreSQL is back. The outage is logged once
    (portal.outage), not once per request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Only while this process believes the database down: is it back?
        if (
            outage.database.is_down
            and not getattr(request, "database_failed", False)
            and connection.connection is not None
            and connection.is_usable()
        ):
            outage.database.succeeded()
        return response

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        outage.database_failed(request, exception)
        html = render_to_string("503.html", {"request": request})
        response = HttpResponse(html, status=503)
        response["Retry-After"] = "10"
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's, without building the policy again for a response that has it.

    A page replayed from the public page cache carries the header it was stored with;
    django-csp never replaces a header already there, but built the policy anyway (about a
    tenth of a cache hit). No report-only policy is configured, so nothing else is skipped.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if HEADER in response and not getattr(
            settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None
        ):
            # As django-csp does: a nonce asked for after the header is written is an error.
            if getattr(request, "_csp_nonce", None) is None:
                request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
            return response
        return super().process_response(request, response)
