import pytest
from django.urls import reverse

from tests.factories import make_territory


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("portal:legal_notice", "Mentions légales"),
        ("portal:accessibility", "Déclaration d'accessibilité"),
        ("portal:personal_data", "Données personnelles"),
    ],
)
def test_legal_pages_render_with_the_territory(client, db, name, heading):
    make_territory(name="Communauté de communes Yonne Nord", contact_email="contact@example.org")
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert f"<h1>{heading}</h1>" in response.text
    assert "Communauté de communes Yonne Nord" in response.text


def test_every_page_has_the_shell_a_screen_reader_needs(client, db):
    make_territory(name="CC Yonne Nord", is_demo=True)
    response = client.get(reverse("portal:home"))
    assert '<html lang="fr">' in response.text
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in response.text
    assert '<main id="contenu"' in response.text
    assert "Démonstration" in response.text
    # No form of the home page posts: no CSRF token, no cookie (see base.html).
    assert "x-csrftoken" not in response.text
    assert "csrftoken" not in response.cookies


def test_home_offers_search_and_entry_points_by_sector_and_need(client, directory):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "Que cherchez-vous ?" in response.text
    assert 'href="/annuaire/?secteur=petite-enfance"' in response.text
    assert 'href="/annuaire/?besoin=garde"' in response.text
    assert reverse("pathways:orient") in response.text


def test_unknown_page_is_a_french_404(client, db):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_home_lists_life_moments_that_have_published_pathways(client, db):
    from pathways.models import LifeMoment, Pathway

    moment = LifeMoment.objects.order_by("position").first()
    empty = LifeMoment.objects.exclude(pk=moment.pk).order_by("position").first()
    pathway = Pathway.objects.create(title="Trouver une garde", slug="garde", status="published")
    pathway.life_moments.set([moment])
    response = client.get(reverse("portal:home"))
    assert f'href="/parcours/#{moment.slug}"' in response.text
    assert f'href="/parcours/#{empty.slug}"' not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/healthz",
        "/annuaire/",
        "/annuaire/relais-petite-enfance/",
        "/parcours/",
        "/orienter/",
        "/donnees/",
        "/widget/",
    ],
)
def test_head_is_answered_wherever_get_is(client, directory, path):
    """Uptime monitors, load balancers and link checkers ask with HEAD."""
    response = client.head(path)
    assert response.status_code == 200, path
    assert not response.content
