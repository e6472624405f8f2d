"""The public page cache: anonymous GET pages of the directory and the pathways.

A page is stored under its full URL and its `HX-Request` header, tagged with the
content version read *before* it was rendered. Any save or delete of a content
model (directory, pathways) replaces the version, so every stored page becomes
stale at once, on every app server sharing the cache.

The commune a visitor chose travels in a small cookie of its own
(`services_directory/visitor.py`), whose value joins the key: a page is kept once per
commune at most.

What is never stored: requests carrying a session cookie (staff, or a visitor
with a session of their own), responses that set a cookie, use a CSP nonce,
refuse caching (`never_cache`, `private`), vary on anything but the headers in
the key, or are not a 200. Pages outside the public namespaces are never stored.

CSRF: every page carries a token (htmx reads it from `<body hx-headers>`).
A stored page carries a sentinel instead of the first visitor's token, and each
visitor gets a fresh token of their own in its place.

Opening statuses ("ouvert maintenant") are computed to the minute, so an entry
never outlives the minute it was rendered in, nor PUBLIC_CACHE_SECONDS (give or
take GRACE_SECONDS while one process renders it again). A view whose every word about
now says when it changes (services_directory/until.py: the directory's results) is
kept until the first such change instead, midnight at the latest.

Each process also keeps its last pages in memory and re-reads the shared content
version at most once a second: a hit then costs no database query, and a change
shows on every app server within a second. Nothing is lost when a process dies.
While the shared cache cannot be read (the database is down), the pages a process
holds are still served until they expire; the others get the friendly 503 page.
"""

import hashlib
import logging
import re
import threading
import time
from collections import OrderedDict

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

# Django's own unmasking, private: should it ever move, a loud ImportError at start-up is
# better than a token of one visitor left in a page served to the others.
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import cc_delim_re
from django_htmx.middleware import HtmxDetails

from services_directory import until, versions, visitor
from services_directory.htmx import wants_partial
from services_directory.signals import directory_changed

from . import outage

logger = logging.getLogger("passerelles")

CACHED_NAMESPACES = frozenset({"portal", "services_directory", "pathways"})
CONTENT_APPS = versions.CONTENT_APPS
# Counters and anonymous feedback that no public page shows: no reason to refresh pages.
NOT_CONTENT = frozenset(
    {
        "pathways.pathwaystat",
        "pathways.pathwayfeedback",
        "services_directory.errorreport",
        "services_directory.outgoingmessage",
    }
)
VERSION_KEY = versions.VERSION_KEY
CSRF_SENTINEL = b"__passerelles_csrf_token_7c1e__"
HIT_HEADER = "X-Public-Cache"
MAX_URL_LENGTH = 2000
# What the key already accounts for: Cookie (no session cookie is ever cached),
# Accept-Language (the language is the URL's: French at the root, /en/… and so on), and
# the htmx headers: the key tells
# the partial an htmx swap gets from the whole page (a history restore gets the page).
ALLOWED_VARY = frozenset(
    {"cookie", "accept-language", "hx-request", "hx-history-restore-request", "accept-encoding"}
)
# Every masked CSRF token is 64 letters or digits.
TOKEN_RE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
NOT_STORED_HEADERS = frozenset({"content-length", "set-cookie", "date", "expires"})
# The in-process copy: how many pages (about 50 KB each) a process keeps (the shared
# version is trusted for versions.TRUST_SECONDS).
LOCAL_PAGES = 200
# When a page expires (each minute), one process renders it again while the others
# serve their copy for at most this many seconds more: a search over 50,000 services is
# then rendered once, not by every worker at the same instant.
GRACE_SECONDS = 10


class _LocalCopy:
    """This process's most recent pages; the content version is `versions`' copy."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        versions.local.reset()
        self.pages: OrderedDict[str, dict] = OrderedDict()

    @property
    def version(self) -> str | None:
        return versions.local.version

    @property
    def version_read_at(self) -> float:
        return versions.local.read_at

    @version_read_at.setter
    def version_read_at(self, value: float) -> None:
        versions.local.read_at = value

    def version_is_fresh(self) -> bool:
        return versions.is_fresh()

    def set_version(self, version: str) -> None:
        versions.seen(version)  # pages of another version are dropped as they are read

    def get(self, key: str) -> tuple[dict | None, bool]:
        """(entry, expired): an expired entry is kept GRACE_SECONDS, never across versions."""
        now = time.time()
        with self.lock:
            entry = self.pages.get(key)
            if entry is None:
                return None, False
            if entry["version"] != self.version or entry["expires"] + GRACE_SECONDS <= now:
                del self.pages[key]
                return None, False
            self.pages.move_to_end(key)
            return entry, entry["expires"] <= now

    def put(self, key: str, entry: dict) -> None:
        with self.lock:
            self.pages[key] = entry
            self.pages.move_to_end(key)
            while len(self.pages) > LOCAL_PAGES:
                self.pages.popitem(last=False)


local = _LocalCopy()


def bump_content_version(**kwargs) -> None:
    """Make every stored page stale. Connected to the content models' signals."""
    try:
        versions.bump()
    except Exception as error:
        # The content is saved; only the pages other processes hold stay as they were
        # until they expire (a minute at most).
        logger.warning("public page cache: could not mark the stored pages stale: %s", error)
        outage.of_cache().failed(error)


def bump_after_migrate(plan=None, **kwargs) -> None:
    """One bump once migrations that may have changed content have all run.

    Data migrations write through historical models, which bump nothing: on a fresh
    database the cache table does not exist yet while they run.
    """
    if any(migration.app_label in CONTENT_APPS for migration, _backwards in plan or []):
        bump_content_version()


def _on_content_change(sender, **kwargs) -> None:
    meta = sender._meta
    if (
        meta.app_label not in CONTENT_APPS
        or meta.label_lower in NOT_CONTENT
        or meta.apps is not global_apps  # a historical model, in a migration
    ):
        return
    # What this process keeps of the content (versions.remembered) is dropped at once,
    # the page cache and the other processes follow at the commit.
    versions.forget()
    # After the commit, or a page rendered from the old rows could be stored under the
    # new version; and once per transaction, so an import of 50,000 services bumps once.
    # (Django drops the callback with a rolled-back savepoint, so the check stays exact.)
    connection = transaction.get_connection()
    pending = getattr(connection, "run_on_commit", [])
    if not any(entry[1] is bump_content_version for entry in pending):
        transaction.on_commit(bump_content_version, robust=True)


def _on_m2m_change(sender, action, **kwargs) -> None:
    if action.startswith("post_"):
        _on_content_change(kwargs["model"])
        _on_content_change(kwargs["instance"].__class__)


post_save.connect(_on_content_change, dispatch_uid="public-cache-save")
# Bulk writes (imports) send no post_save: the directory says so itself.
directory_changed.connect(_on_content_change, dispatch_uid="public-cache-bulk")
post_delete.connect(_on_content_change, dispatch_uid="public-cache-delete")
m2m_changed.connect(_on_m2m_change, dispatch_uid="public-cache-m2m")


_routes: dict = {}
ROUTES_KEPT = 5000


def _route(path: str):
    """`resolve(path)` (None for no route), kept per language and path: resolving the
    URL patterns was a third of a hit. A hit only reads the route; a miss is resolved
    again by Django's handler. Emptied when full (a crawl of every service page)."""
    key = (translation.get_language(), path)
    try:
        return _routes[key]
    except KeyError:
        pass
    try:
        match = resolve(path)
    except Resolver404:
        match = None
    if len(_routes) >= ROUTES_KEPT:
        _routes.clear()
    _routes[key] = match
    return match


def page_key(request: HttpRequest) -> str:
    htmx = wants_partial(request)
    # What build_absolute_uri() gives for this request, at half its cost.
    url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    # The commune the visitor chose (a cookie, not a session): one copy per commune.
    commune = visitor.cookie_slug(request)
    # The URL's prefix already tells the language; said again so that no other way of
    # choosing a language could ever serve one language's page to another.
    language = translation.get_language()
    digest = hashlib.sha256(f"{url}|{htmx}|{commune}|{language}".encode()).hexdigest()
    return f"public-pages:page:{digest}"


def _current_version() -> str:
    return versions.read_shared()


def _seconds_to_keep(response: HttpResponse | None = None) -> int:
    """Until the end of the minute (statuses are computed to the minute), or, for a view
    whose every word about now tells when it changes (services_directory.until), until
    the first such change; never more than PUBLIC_CACHE_SECONDS. 0: not to be stored."""
    noted = until.seconds_true(response) if response is not None else None
    if noted is None:
        return max(1, min(settings.PUBLIC_CACHE_SECONDS, 60 - int(time.time()) % 60))
    return min(settings.PUBLIC_CACHE_SECONDS, noted)


class PublicPageCacheMiddleware:
    """Place it right after CsrfViewMiddleware: hits then get a fresh CSRF cookie.

    A hit is answered on the way in, before the middleware below this one: what they
    add to a response (X-Frame-Options, the Content-Security-Policy, Vary) was stored
    with the page, and what they prepare for a view (the user, messages, log-in
    lockouts) has no use for an anonymous page served as it was stored. They ran for
    nothing on every hit, about a tenth of it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        hit = self._hit(request)
        if hit is not None:
            return hit
        response = self.get_response(request)
        version = getattr(request, "_public_cache_version", None)
        if version is not None and self._storable(request, response):
            self._store(request, response, version)
        return response

    def _hit(self, request: HttpRequest) -> HttpResponse | None:
        """The stored page, or None; a miss to store notes the version it was read at."""
        if request.method not in ("GET", "HEAD") or settings.PUBLIC_CACHE_SECONDS <= 0:
            return None
        # The route, as the handler would find it after us (the request log names it).
        request.resolver_match = _route(request.path_info)
        if request.resolver_match is None:
            return None
        if not self._cacheable_request(request):
            return None
        if getattr(request, "htmx", None) is None:  # HtmxMiddleware comes after us
            request.htmx = HtmxDetails(request)
        key = page_key(request)
        fresh = local.version_is_fresh()
        if fresh:
            entry, expired = local.get(key)
            if entry is not None and (not expired or not self._claim_refresh(key)):
                return self._replay(request, entry)
        try:
            # One query: the page, and the shared version when ours is over a second old.
            found = cache.get_many([key] if fresh else [key, VERSION_KEY])
            if not fresh:
                local.set_version(found.get(VERSION_KEY) or _current_version())
        except Exception as error:
            # The database (or Redis) is down: a page this process still holds is served
            # as it was; anything else is a miss, and the view answers (or the 503 page).
            outage.of_cache().failed(error)
            entry, _expired = local.get(key)
            return self._replay(request, entry) if entry is not None else None
        outage.of_cache().succeeded()
        version = local.version
        entry = found.get(key)
        if entry is not None and entry["version"] == version and entry["expires"] > time.time():
            local.put(key, entry)
            return self._replay(request, entry)
        if request.method == "GET":
            request._public_cache_version = version
        return None

    def _claim_refresh(self, key: str) -> bool:
        """True for the one process that renders an expired page again (for a while)."""
        try:
            return cache.add(f"{key}:refresh", 1, GRACE_SECONDS)
        except Exception:
            return False  # the shared cache is down: keep serving the copy

    def _cacheable_request(self, request: HttpRequest) -> bool:
        match = request.resolver_match
        return (
            request.method in ("GET", "HEAD")
            and settings.PUBLIC_CACHE_SECONDS > 0
            and match is not None
            and bool(match.namespaces)
            and match.namespaces[0] in CACHED_NAMESPACES
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
            and len(request.get_full_path()) <= MAX_URL_LENGTH
        )

    def _storable(self, request: HttpRequest, response: HttpResponse) -> bool:
        session = getattr(request, "session", None)
        cache_control = response.get("Cache-Control", "").lower()
        vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        nonce = getattr(request, "csp_nonce", None)
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not (session is not None and session.modified)
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
            and vary <= ALLOWED_VARY
            and not nonce  # a lazy nonce is falsy until a template has used it
        )

    def _store(self, request: HttpRequest, response: HttpResponse, version: str) -> None:
        content = response.content
        secret = request.META.get("CSRF_COOKIE")
        if secret:

            def hide(match: re.Match) -> bytes:
                token = match.group().decode()
                return CSRF_SENTINEL if _unmask_cipher_token(token) == secret else match.group()

            content = TOKEN_RE.sub(hide, content)
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in NOT_STORED_HEADERS and name != HIT_HEADER
        ]
        seconds = _seconds_to_keep(response)
        if seconds < 1:
            return
        entry = {
            "version": version,
            "content": content,
            "headers": headers,
            "expires": time.time() + seconds,
            # A page made to be framed (the widget) stays so when replayed: the
            # clickjacking middleware reads this flag, not a header.
            "frameable": getattr(response, "xframe_options_exempt", False),
        }
        key = page_key(request)
        try:
            cache.set(key, entry, seconds)
        except Exception as error:
            outage.of_cache().failed(error)
            return
        local.put(key, entry)
        response[HIT_HEADER] = "miss"

    def _replay(self, request: HttpRequest, entry: dict) -> HttpResponse:
        content = entry["content"]
        if CSRF_SENTINEL in content:
            content = content.replace(CSRF_SENTINEL, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in entry["headers"]:
            response[name] = value
        response[HIT_HEADER] = "hit"
        response.xframe_options_exempt = entry.get("frameable", False)
        return response
