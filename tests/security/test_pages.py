"""Every page a visitor or a professional can reach: a strict CSP, nothing inline,
and reading it (GET) changes nothing the portal holds."""

import pytest
from django.apps import apps

from tests.security.conftest import CRAWLING_PERSONAS, logged_in, start_urls
from tests.security.crawl import crawl, parse

# Rows a GET may legitimately write: the session itself, login attempts, the page
# cache, the read audit trail (who displayed personal data, required by the RGPD)
# and the anonymous consultation counters of pathways.
WRITTEN_BY_READS = {
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "orientations.auditlog",
    "pathways.pathwaystat",
}


def database_snapshot() -> dict[str, list[tuple]]:
    snapshot = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in WRITTEN_BY_READS or not model._meta.managed:
            continue
        snapshot[label] = list(model.objects.order_by("pk").values_list())
    return snapshot


def changed_tables(before: dict, after: dict) -> list[str]:
    return [label for label in before if before[label] != after[label]]


# Inline data blocks are not executed, and CSP does not need to allow them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


def inline_code(html: str) -> list[str]:
    """What a strict CSP would block, or what would need 'unsafe-inline' to work."""
    found = []
    for element in parse(html).elements:
        attrs = element.attrs
        is_data = (attrs.get("type") or "").lower() in DATA_SCRIPT_TYPES
        if element.tag == "script" and not attrs.get("src") and not is_data:
            found.append(f"inline <script>: {element.text.strip()[:80]!r}")
        if element.tag == "style":
            found.append("inline <style> element")
        for name, value in attrs.items():
            if name == "style":
                found.append(f"style attribute on <{element.tag}>: {value!r}")
            if name.startswith("on") or name.startswith(("hx-on", "data-hx-on")):
                found.append(f"event handler attribute {name} on <{element.tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                found.append(f"javascript: URL on <{element.tag}>")
    return found


def test_the_policy_allows_only_our_own_scripts_and_styles(client, db):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (p.strip() for p in policy.split(";")) if part
    )
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.parametrize("persona", CRAWLING_PERSONAS)
def test_every_page_has_the_policy_nothing_inline_and_reading_changes_nothing(
    client, everything, persona
):
    client = logged_in(client, everything, persona)
    before = database_snapshot()
    responses = crawl(client, start_urls(everything), by="route", per=2, downloads=True)
    assert not changed_tables(before, database_snapshot()), f"a GET as {persona} wrote"
    pages = {
        url: response
        for url, response in responses.items()
        if response.get("Content-Type", "").startswith("text/html")
    }
    assert len(pages) >= 8, f"the crawl as {persona} reached too few pages: {list(pages)}"
    problems = []
    for url, response in pages.items():
        if "Content-Security-Policy" not in response.headers:
            problems.append(f"{url}: no Content-Security-Policy header")
        problems += [f"{url}: {problem}" for problem in inline_code(response.text)]
    assert not problems, "\n".join(problems)
