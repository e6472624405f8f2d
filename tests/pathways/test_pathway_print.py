import time_machine
from django.urls import reverse

from pathways.models import Pathway, PathwayStat
from tests.pathways.factories import make_pathway


def _url(pathway, query=""):
    return reverse("pathways:print", args=[pathway.slug]) + query


def test_it_prints_every_step_with_who_to_contact(client, territory):
    response = client.get(_url(territory.pathway, "?commune=pont-sur-yonne"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="print-page"' in html
    for step in territory.steps:
        assert step.title in html
    assert "commune : Pont-sur-Yonne" in html
    assert "Relais Petite Enfance" in html and "03 53 73 10 25" in html
    assert "Numéro d'allocataire, RIB" in html.replace("&#x27;", "'")
    assert "Ctrl + P" in html


@time_machine.travel("2026-11-30 10:00:00+01:00", tick=False)
def test_it_counts_a_print_every_time(client, territory):
    client.get(_url(territory.pathway))
    response = client.get(_url(territory.pathway))
    assert PathwayStat.objects.get(pathway=territory.pathway).prints == 2
    assert "no-store" in response["Cache-Control"], "never served from a cache: always counted"


def test_it_carries_a_qr_code_back_to_the_live_page(client, territory):
    html = client.get(_url(territory.pathway, "?commune=michery")).content.decode()
    assert '<svg role="img" viewBox=' in html and "Code QR du parcours" in html
    assert "http://testserver/parcours/de-la-creche-a-l-ecole/?commune=michery" in html


def test_a_draft_cannot_be_printed(client, db):
    draft = make_pathway(status=Pathway.Status.DRAFT)
    assert client.get(_url(draft)).status_code == 404
    assert not PathwayStat.objects.exists()


def test_it_refuses_a_post(client, territory):
    assert client.post(_url(territory.pathway)).status_code == 405
