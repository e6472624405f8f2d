"""Walk the portal like a visitor would, and list every URL pattern it declares.

The crawler follows the links a page shows (and nothing else), so a page that is
not linked from anywhere is not visited: the URL-pattern list is there to notice.
"""

import re
import uuid
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RoutePattern

SKIPPED_PREFIXES = ("/static/", "/admin/", "/media/")
CANDIDATE_VALUES = ["inconnu", "1", str(uuid.UUID(int=1))]


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""


@dataclass
class Field:
    tag: str
    attrs: dict[str, str | None]
    options: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.attrs["name"]

    @property
    def type(self) -> str:
        return self.tag if self.tag != "input" else (self.attrs.get("type") or "text")


@dataclass
class ParsedPage:
    links: list[str] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)


class _Parser(HTMLParser):
    """Collects links, every element with its attributes, inline script text and forms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._script: Element | None = None
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element = Element(tag, attributes)
        self.page.elements.append(element)
        # The language switcher (hreflang) leads to the same pages in another language:
        # the crawl stays in the language it started in.
        if tag == "a" and attributes.get("href") and not attributes.get("hreflang"):
            self.page.links.append(attributes["href"])
        if tag == "script":
            self._script = element
        if tag == "form":
            self._form = {
                "method": (attributes.get("method") or "get").lower(),
                "action": attributes.get("action") or "",
                "fields": [],
            }
            self.page.forms.append(self._form)
        in_form = self._form is not None
        if in_form and tag in ("input", "select", "textarea") and attributes.get("name"):
            self._form["fields"].append(Field(tag, attributes))
        if in_form and tag == "option" and self._form["fields"]:
            self._form["fields"][-1].options.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "form":
            self._form = None

    def handle_data(self, data):
        if self._script is not None:
            self._script.text += data


def parse(html: str) -> ParsedPage:
    parser = _Parser()
    parser.feed(html)
    return parser.page


# In the admin, the list and the form of each model: where custom admin code displays values.
ADMIN_PAGES = re.compile(r"^/admin/(\w+/\w+/((\d+|[\w-]+)/change/)?)?(\?.*)?$")


def _local(href: str, current: str, admin: bool = False) -> str | None:
    href, _fragment = urldefrag(href)
    if not href or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if href.startswith("?"):
        href = urlsplit(current).path + href
    elif not href.startswith("/"):
        return None
    if admin and ADMIN_PAGES.match(href):
        return href
    return None if href.startswith(SKIPPED_PREFIXES) else href


DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".gif", ".png", ".svg", ".pdf")


def _signature(url: str, by: str) -> str:
    path = urlsplit(url).path
    # The admin has a page per row: one or two of each kind say all about its escaping.
    if by == "path" and not path.startswith("/admin/"):
        return path
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return f"{match.namespace}:{match.url_name}"


def crawl(
    client,
    starts,
    *,
    limit: int = 250,
    per: int = 3,
    by: str = "path",
    downloads: bool = False,
    admin: bool = False,
) -> dict:
    """GET every page reachable from `starts` by links; returns {url: response}.

    At most `per` URLs are fetched for each path (by="path") or for each URL
    pattern (by="route"): filters, pagination and one page per indicator multiply
    URLs without adding new templates. Downloads and the admin's lists and forms
    are followed only on request.
    """
    responses, seen_per = {}, {}
    queue = deque(starts)
    while queue and len(responses) < limit:
        url = queue.popleft()
        signature = _signature(url, by)
        allowed = 1 if url.startswith("/admin/") else per
        if url in responses or seen_per.get(signature, 0) >= allowed:
            continue
        if not downloads and urlsplit(url).path.endswith(DOWNLOAD_SUFFIXES):
            continue
        seen_per[signature] = seen_per.get(signature, 0) + 1
        response = client.get(url)
        responses[url] = response
        if response.status_code in (301, 302, 303) and response.get("Location"):
            target = _local(response["Location"], url, admin)
            if target:
                queue.append(target)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        for href in parse(response.content.decode()).links:
            target = _local(href, url, admin)
            if target and target not in responses:
                queue.append(target)
    return responses


@dataclass
class Route:
    name: str  # namespaced, e.g. "orientations:referral"
    route: str  # e.g. "espace-pro/orientations/<int:pk>/"
    pattern: URLPattern

    def sample_path(self) -> str:
        """A path this pattern matches, with placeholder values for its parameters."""
        path = self.route
        for converter_name, parameter in self.pattern.pattern.converters.items():
            value = sample_value(parameter)
            path = _replace_parameter(path, converter_name, value)
        return "/" + path


def sample_value(converter) -> str:
    """A value the converter accepts: a placeholder, or the first word of its choices."""
    candidates = [*CANDIDATE_VALUES, converter.regex.split("|")[0]]
    for candidate in candidates:
        if re.fullmatch(converter.regex, candidate):
            return candidate
    raise ValueError(f"no sample value for the converter {converter!r}")


def _replace_parameter(route: str, name: str, value: str) -> str:
    start = route.index("<")
    while start != -1:
        end = route.index(">", start)
        inner = route[start + 1 : end]
        if inner.split(":")[-1] == name:
            return route[:start] + value + route[end + 1 :]
        start = route.find("<", end)
    raise ValueError(f"{name} is not a parameter of {route}")


def project_routes() -> list[Route]:
    """Every URL pattern of the project's own apps (the admin is Django's, tested apart)."""
    found: list[Route] = []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner or namespace)
            elif isinstance(entry, URLPattern) and isinstance(entry.pattern, RoutePattern):
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                found.append(Route(name, prefix + str(entry.pattern), entry))

    walk(get_resolver().url_patterns, "", "")
    return found
