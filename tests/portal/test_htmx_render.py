"""Every view that swaps content with htmx: the partial equals its region of the page, and a
history restore (Back after a swap) gets the whole page (services_directory/htmx.py)."""

import pytest
from django.urls import reverse

from tests.htmx import assert_history_restore_gets_the_page, assert_swap_matches_page
from tests.security.conftest import build_everything

# (name, persona or None, URL of the world, target, swap)
SWAPS = [
    ("directory", None, lambda w: reverse("services_directory:search") + "?q=relais",
     "#resultats", "innerHTML"),
    ("directory, a page of it", None,
     lambda w: reverse("services_directory:search") + "?commune=" + w.commune.slug,
     "#resultats", "innerHTML"),
    ("directory, words of danger (the emergency box out of band)", None,
     lambda w: reverse("services_directory:search") + "?q=mon+conjoint+me+frappe",
     "#resultats", "innerHTML"),
    ("counter", "adviser_a", lambda w: reverse("orientations:counter") + "?q=relais",
     "#resultats", "innerHTML"),
    ("counter, words of danger", "adviser_a",
     lambda w: reverse("orientations:counter") + "?q=mon+conjoint+me+frappe",
     "#resultats", "innerHTML"),
    ("dashboard", "coordinator", lambda w: reverse("indicators:dashboard") + "?periode=2026",
     "#resultats", "innerHTML"),
    ("pathways", None, lambda w: reverse("pathways:list") + "?q=garder", "#results", "outerHTML"),
    ("pathways, by life moment", None, lambda w: reverse("pathways:list"), "#results",
     "outerHTML"),
    ("a pathway", None, lambda w: w.pathway.get_absolute_url() + "?commune=" + w.commune.slug,
     "#etapes", "outerHTML"),
    ("a pathway's preview", "coordinator",
     lambda w: reverse("pathways:preview", args=[w.pathway.slug]), "#etapes", "outerHTML"),
    ("guided orientation, first question", None, lambda w: reverse("pathways:orient"),
     "#guide", "outerHTML"),
    ("guided orientation, the answer", None,
     lambda w: reverse("pathways:orient")
     + f"?profil=parent&age=2&besoin={w.need.slug}&commune={w.commune.slug}",
     "#guide", "outerHTML"),
]  # fmt: skip


@pytest.fixture
def everything(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_everything()


@pytest.mark.parametrize(
    ("name", "persona", "url", "target", "swap"), SWAPS, ids=[s[0] for s in SWAPS]
)
def test_the_partial_is_its_region_of_the_page(
    client, everything, name, persona, url, target, swap
):
    if persona:
        client.force_login(getattr(everything, persona))
    assert_swap_matches_page(client, url(everything), target=target, swap=swap)


@pytest.mark.parametrize(
    ("name", "persona", "url", "target", "swap"), SWAPS, ids=[s[0] for s in SWAPS]
)
def test_back_after_a_swap_gets_the_whole_page(
    client, everything, name, persona, url, target, swap
):
    if persona:
        client.force_login(getattr(everything, persona))
    assert_history_restore_gets_the_page(client, url(everything))


def test_a_refused_feedback_swaps_in_the_same_form_as_the_page_shows(client, everything):
    url = reverse("pathways:feedback", args=[everything.pathway.slug])
    bad = {"answer": "peut-etre", "comment": "Il manque les horaires."}
    assert_swap_matches_page(
        client, url, target="#avis", swap="outerHTML", method="post", data=bad
    )
