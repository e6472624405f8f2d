"""A small rate limit for anonymous forms, that stores nothing about the visitor.

The counter lives in the cache (shared by every app server) under a keyed hash of the
visitor's address and the day, and expires with the period: no address is written
anywhere, and the hash cannot be turned back into one without the secret key.
"""

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from .models import visitor_key


def client_address(request: HttpRequest) -> str:
    """The visitor's address: behind N proxies (AXES_PROXY_COUNT), the Nth address from
    the right of X-Forwarded-For, which the visitor cannot forge; else REMOTE_ADDR."""
    proxies = getattr(settings, "AXES_IPWARE_PROXY_COUNT", None) or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= proxies:
            return addresses[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def allow(request: HttpRequest, scope: str, limit: int, period: int = 3600) -> bool:
    """Count one more attempt for this visitor in `scope`; False past `limit` a `period`."""
    key = f"throttle:{scope}:{visitor_key(client_address(request), timezone.localdate())}"
    cache.add(key, 0, period)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, period)
        count = 1
    return count <= limit
