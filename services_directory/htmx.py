"""Page or partial: the one way a view answers htmx (every app uses it).

A page declares its swappable regions with `{% partialdef name inline %}`; an htmx request
gets only the region it swaps. A history restore is the exception: after an htmx swap,
Back asks for the page again with `HX-Request` *and* `HX-History-Restore-Request`
(htmx's history cache is off, see base.html), and htmx puts the answer in `<body>`, so
it must get the whole page.
"""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

HTMX_HEADERS = ("HX-Request", "HX-History-Restore-Request")

# For views that answer with render_page: caches (ours and the browser's) keep the page,
# the partial and the restored page apart.
vary_on_htmx = vary_on_headers(*HTMX_HEADERS)


# The parameter the live search's typing element adds (hx-vals, in the directory's and
# the counter's templates): a request of its own, so the page cache keeps it apart from
# the sent search, whose answer carries the history's address (HX-Push-Url).
TYPING = "frappe"


def wants_partial(request: HttpRequest) -> bool:
    if "HTTP_HX_REQUEST" not in request.META:
        return False  # most requests: answered without building request.headers
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def render_page(
    request: HttpRequest, template: str, context: dict, *, partial: str, status: int = 200
) -> HttpResponse:
    """The whole `template`, or only its `partial` when htmx swaps that region."""
    if wants_partial(request):
        template = f"{template}#{partial}"
    return render(request, template, context, status=status)


def typing(request: HttpRequest) -> bool:
    """One of the requests htmx sends while the words are still being typed."""
    return wants_partial(request) and request.GET.get(TYPING) == "1"


def set_history_url(request: HttpRequest, response: HttpResponse) -> None:
    """The address a sent live search leaves in the browser's history and in a shared
    link: without the empty fields a GET form sends. Words still being typed leave the
    history alone (the typing element says hx-push-url="false"): Back never walks through
    "c", "cr", "cre"…, nor finds the words of a page left with « Quitter ce site »."""
    if not wants_partial(request) or request.method != "GET" or typing(request):
        return
    params = [
        (name, value) for name, values in request.GET.lists() for value in values if value.strip()
    ]
    url = request.path + (f"?{urlencode(params)}" if params else "")
    response["HX-Push-Url"] = url
