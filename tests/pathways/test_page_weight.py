"""Each public page of the pathways ≤ 30 KB compressed, everything it loads included."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import translation

from tests.pathways.factories import make_step

BUDGET_BYTES = 30 * 1024
# Alternate links (hreflang) name the page in other languages; a browser loads none of them.
ASSET = re.compile(
    r'<(?:script[^>]+src|link(?![^>]*rel="alternate")[^>]+href|img[^>]+src)="([^"]+)"'
)


def _gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def _weight(client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    total = _gzipped(response.content)
    assets = ASSET.findall(response.content.decode())
    for asset in assets:
        if asset.startswith("data:"):
            continue  # inline: already counted in the HTML
        assert asset.startswith("/"), f"{url} loads {asset} from another host"
        if asset.startswith("/static/"):
            with open(finders.find(asset.removeprefix("/static/")), "rb") as handle:
                total += _gzipped(handle.read())
        else:  # the view-counting image
            total += _gzipped(client.get(asset).content)
    return total, assets


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
@pytest.mark.parametrize(
    "page",
    ["list", "detail", "print", "orient", "orient-need", "orient-results"],
)
def test_public_pages_fit_the_budget(client, territory, page, language):
    # In English or Arabic without translations, every text is French marked as such:
    # the heaviest case.
    # A long pathway, as the biggest real ones: twelve steps, every field filled in.
    for n in range(7):
        make_step(
            territory.pathway,
            title=f"Étape supplémentaire numéro {n} avec un titre assez long",
            need=territory.garde,
            what="Prenez rendez-vous et apportez vos papiers. " * 6,
            what_falc="Appelez.\nVenez avec vos papiers.\n" * 3,
            documents="Livret de famille\nJustificatif de domicile\nCarnet de santé",
            expected="Vous recevez une réponse par courrier. " * 3,
            fallback="Appelez la coordinatrice au 03 53 73 10 70. " * 2,
            when="Avant le 1er juin",
            delay="Sous 15 jours",
        )
    slug = territory.pathway.slug
    translation.activate(language)
    url = {
        "list": reverse("pathways:list"),
        "detail": reverse("pathways:detail", args=[slug]) + "?commune=pont-sur-yonne",
        "print": reverse("pathways:print", args=[slug]) + "?commune=pont-sur-yonne",
        "orient": reverse("pathways:orient"),
        "orient-need": reverse("pathways:orient") + "?profil=parent&age=2",
        "orient-results": reverse("pathways:orient")
        + "?profil=parent&age=2&besoin=faire-garder-mon-enfant&commune=michery",
    }[page]
    translation.deactivate()
    total, assets = _weight(client, url)
    assert any(asset.endswith(".js") for asset in assets), "htmx is counted"
    assert any(asset.endswith("pathways.css") for asset in assets)
    assert total <= BUDGET_BYTES, f"{url} weighs {total} bytes compressed"
