"""Page weight budget: each public page ≤ 30 KB gzip-compressed in total, all from our host."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

BUDGET_BYTES = 30 * 1024
# Alternate links (hreflang) name the page in other languages; a browser loads none of them.
ASSET = re.compile(
    r'<(?:script[^>]+src|link(?![^>]*rel="alternate")[^>]+href|img[^>]+src)="([^"]+)"'
)


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def page_weight(client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    html = response.content
    total = gzipped(html)
    assets = ASSET.findall(html.decode())
    for asset in assets:
        if asset.startswith("data:"):
            continue  # inline: already counted in the HTML
        assert asset.startswith("/"), f"{url} loads {asset} from another host"
        path = finders.find(asset.removeprefix("/static/"))
        assert path, f"{asset} is not one of our static files"
        with open(path, "rb") as handle:
            total += gzipped(handle.read())
    return total, assets


@pytest.mark.parametrize("url_name", ["home", "search", "search_in_danger", "service"])
def test_public_pages_fit_the_budget(client, directory, url_name):
    url = {
        "home": reverse("portal:home"),
        "search": reverse("services_directory:search") + "?q=creche",
        # The emergency box and the quick exit's script count too.
        "search_in_danger": reverse("services_directory:search") + "?q=il+me+frappe",
        "service": directory["rpe"].get_absolute_url(),
    }[url_name]
    total, assets = page_weight(client, url)
    assert any(asset.endswith(".js") for asset in assets), "htmx is counted"
    assert total <= BUDGET_BYTES, f"{url} weighs {total} bytes compressed"


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("url_name", ["home", "search", "service"])
def test_pages_in_other_languages_fit_the_budget(client, directory, language, url_name):
    with translation.override(language):
        url = {
            "home": reverse("portal:home"),
            "search": reverse("services_directory:search") + "?q=creche",
            "service": directory["rpe"].get_absolute_url(),
        }[url_name]
    assert url.startswith(f"/{language}/")
    total, _assets = page_weight(client, url)
    assert total <= BUDGET_BYTES, f"{url} weighs {total} bytes compressed"
