from html import unescape

from django.urls import reverse

from pathways.models import LifeMoment, Pathway
from tests.pathways.factories import make_pathway

URL = reverse("pathways:list")


def test_it_groups_the_pathways_by_life_moment(client, db):
    birth = LifeMoment.objects.get(slug="attendre-un-enfant")
    school = LifeMoment.objects.get(slug="ecole-periscolaire")
    make_pathway(title="Trouver une garde avant la naissance", life_moments=[birth])
    make_pathway(title="De la crèche à l'école", life_moments=[birth, school])
    html = unescape(client.get(URL).content.decode())

    birth_section = html[html.index('<h2 id="attendre-un-enfant">') : html.index('id="ecole-')]
    assert "Trouver une garde avant la naissance" in birth_section
    assert "De la crèche à l'école" in birth_section
    school_section = html[html.index('<h2 id="ecole-periscolaire">') :]
    assert "De la crèche à l'école" in school_section
    assert '<a href="#ecole-periscolaire">' in html
    assert 'id="vacances-loisirs"' not in html, "an empty moment is not shown"


def test_it_hides_drafts(client, db):
    make_pathway(title="Brouillon secret", status=Pathway.Status.DRAFT)
    assert "Brouillon secret" not in client.get(URL).content.decode()
    assert "Brouillon secret" not in client.get(URL + "?q=secret").content.decode()


def test_it_finds_pathways_by_the_words_families_use(client, territory):
    make_pathway(title="Premier emploi")
    html = unescape(client.get(URL + "?q=nounou").content.decode())
    assert "1 parcours pour « nounou »" in html
    assert "De la crèche à l'école maternelle" in html
    assert "Premier emploi" not in html


def test_it_says_when_nothing_matches_and_where_to_look(client, territory):
    html = unescape(client.get(URL + "?q=piscine").content.decode())
    assert "0 parcours pour « piscine »" in html
    assert "Aucun parcours ne correspond à ces mots." in html
    assert 'href="/annuaire/?q=piscine"' in html


def test_a_search_too_long_is_explained(client, territory):
    response = client.get(URL + "?q=" + "crèche" * 30)
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert "Votre recherche est trop longue (120 caractères au plus)." in html
    assert 'aria-invalid="true"' in html


def test_it_marks_a_passerelle(client, territory):
    html = client.get(URL).content.decode()
    assert "Passerelle : Petite Enfance → Enfance" in html


def test_htmx_gets_the_results_only(client, territory):
    response = client.get(URL + "?q=creche", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_it_says_so_when_nothing_is_published_yet(client, db):
    html = unescape(client.get(URL).content.decode())
    assert "Aucun parcours n'est encore publié." in html


def test_it_costs_the_same_queries_whatever_the_number_of_pathways(
    client, db, django_assert_max_num_queries
):
    for _ in range(15):
        make_pathway()
    with django_assert_max_num_queries(5):
        every = client.get(URL)
    client.get(URL + "?q=garde")  # the search vocabulary, read once per process
    # The pathways with their needs and sectors, the needs, the vocabulary's version.
    with django_assert_max_num_queries(6):
        found = client.get(URL + "?q=parcours")
    assert every.status_code == found.status_code == 200
    assert found.text.count('<li class="card">') == 15


def test_it_refuses_a_post(client, db):
    assert client.post(URL).status_code == 405


def test_in_another_language_it_reads_the_translations_once_per_model(
    client, db, django_assert_max_num_queries
):
    for _ in range(15):
        make_pathway()
    english = "/en" + URL
    client.get(english)  # the content types, read once per process
    # French's 5, then the translations of the moments, the pathways and their sectors.
    with django_assert_max_num_queries(8):
        every = client.get(english)
    client.get(english + "?q=garde")
    with django_assert_max_num_queries(8):
        found = client.get(english + "?q=parcours")
    assert every.status_code == found.status_code == 200
    assert found.text.count('<li class="card">') == 15
