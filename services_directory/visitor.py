"""The commune a visitor chose, kept across the directory, the pathways and the guided
orientation, without a session.

It lives in a small cookie of its own (a slug, for the browser session only, never read
by JavaScript). A session would take the visitor out of the public page cache for good
(`portal/caching.py` never serves or stores a request with a session cookie); this cookie
instead joins the cache key, and a territory has a few dozen communes, so the cache keeps
one copy of a page per commune at most. `?commune=` in a URL always wins over the cookie,
so a shared link shows what its author saw; `?commune=` left empty forgets the commune.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.cache import patch_vary_headers

from .forms import looks_like_slug
from .models import Commune

COOKIE = "commune"


def cookie_slug(request: HttpRequest) -> str:
    """The commune slug the cookie carries, if it looks like one ("" otherwise)."""
    value = request.COOKIES.get(COOKIE, "")
    return value if value and looks_like_slug(value) else ""


def params_with_commune(request: HttpRequest) -> QueryDict:
    """The GET parameters, with the remembered commune when the URL names none."""
    params = request.GET.copy()
    if "commune" not in params and cookie_slug(request):
        params["commune"] = cookie_slug(request)
    return params


def remembered_commune(request: HttpRequest) -> Commune | None:
    slug = cookie_slug(request)
    return Commune.objects.filter(slug=slug).first() if slug else None


def remember(request: HttpRequest, response: HttpResponse, commune: Commune | None) -> None:
    """Keep the commune the URL chose (or forget it when the URL chose none), and tell
    caches that the page depends on the cookie."""
    patch_vary_headers(response, ["Cookie"])
    if "commune" not in request.GET:
        return
    slug = commune.slug if commune else ""
    if slug == cookie_slug(request):
        return
    if slug:
        response.set_cookie(
            COOKIE,
            slug,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(COOKIE, samesite="Lax")
