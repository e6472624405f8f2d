from html import unescape

from django.test import Client
from django.urls import reverse

from pathways.models import Pathway, PathwayFeedback
from tests.pathways.factories import make_pathway


def _url(pathway):
    return reverse("pathways:feedback", args=[pathway.slug])


def test_it_stores_the_answer_and_thanks(client, territory):
    response = client.post(
        _url(territory.pathway), {"answer": "partly", "comment": "Il manque les horaires."}
    )
    assert response.status_code == 302
    assert response["Location"] == territory.pathway.get_absolute_url() + "#avis"
    feedback = PathwayFeedback.objects.get()
    assert (feedback.pathway, feedback.answer) == (territory.pathway, "partly")
    assert feedback.comment == "Il manque les horaires."

    page = client.get(response["Location"]).content.decode()
    assert "Merci : votre avis est enregistré." in page
    assert "Merci pour votre réponse" in page and 'name="answer"' not in page


def test_the_comment_is_optional(client, territory):
    client.post(_url(territory.pathway), {"answer": "yes"})
    assert PathwayFeedback.objects.get().comment == ""


def test_with_htmx_it_answers_the_thanks_in_place(client, territory):
    response = client.post(
        _url(territory.pathway), {"answer": "no"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="avis"')
    assert "Merci pour votre réponse" in html
    assert PathwayFeedback.objects.get().answer == "no"


def test_a_comment_too_long_is_explained_and_kept(client, territory):
    comment = "Très bien. " * 50  # 550 characters
    response = client.post(_url(territory.pathway), {"answer": "yes", "comment": comment})
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Votre commentaire est trop long : 500 caractères au plus (il en a 549)." in html
    assert comment.strip() in html, "what was typed is not lost"
    assert 'value="yes" id="id_answer_0" checked' in html
    assert "De la crèche à l'école maternelle" in html, "the whole page again"
    assert not PathwayFeedback.objects.exists()


def test_an_answer_is_required(client, territory):
    response = client.post(
        _url(territory.pathway), {"comment": "Rien"}, headers={"HX-Request": "true"}
    )
    html = unescape(response.content.decode())
    assert response.status_code == 400
    assert "Choisissez une réponse : oui, en partie ou non." in html
    assert 'role="alert"' in html
    assert not PathwayFeedback.objects.exists()


def test_a_tampered_answer_is_refused(client, territory):
    response = client.post(_url(territory.pathway), {"answer": "5 étoiles"})
    assert response.status_code == 400
    assert "Choisissez une réponse" in unescape(response.content.decode())
    assert not PathwayFeedback.objects.exists()


def test_it_is_protected_against_cross_site_posts(territory):
    client = Client(enforce_csrf_checks=True)
    response = client.post(_url(territory.pathway), {"answer": "yes"})
    assert response.status_code == 403
    assert not PathwayFeedback.objects.exists()


def test_a_real_form_with_its_token_goes_through(territory):
    client = Client(enforce_csrf_checks=True)
    page = client.get(territory.pathway.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    client.post(_url(territory.pathway), {"answer": "yes", "csrfmiddlewaretoken": token})
    assert PathwayFeedback.objects.count() == 1


def test_it_refuses_a_get(client, territory):
    assert client.get(_url(territory.pathway)).status_code == 405


def test_drafts_take_no_feedback(client, db):
    draft = make_pathway(status=Pathway.Status.DRAFT)
    assert client.post(_url(draft), {"answer": "yes"}).status_code == 404


def test_the_comment_s_advice_is_in_the_page_s_language(client, territory):
    slug = territory.pathway.slug
    english = unescape(client.get(f"/en/parcours/{slug}/").content.decode())
    assert "Do not write your name" in english and "N'écrivez ni votre nom" not in english
    french = unescape(client.get(f"/parcours/{slug}/").content.decode())
    assert "N'écrivez ni votre nom" in french
