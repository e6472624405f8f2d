"""The search document (ServiceSearch) follows its service: what families and advisers
search is what the directory says, on SQLite and on PostgreSQL alike."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from services_directory.models import Service, ServiceSearch
from tests.factories import (
    make_commune,
    make_language,
    make_need,
    make_place,
    make_service,
)

pytestmark = pytest.mark.django_db
URL = reverse("services_directory:search")


def found(client, **params) -> set[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return {service.name for service in response.context["page"].object_list}


def test_only_published_services_have_a_document():
    published = make_service()
    draft = make_service(status=Service.Status.DRAFT)
    assert ServiceSearch.objects.filter(pk=published.pk).exists()
    assert not ServiceSearch.objects.filter(pk=draft.pk).exists()


def test_publishing_and_archiving_update_the_search_at_once(client):
    service = make_service(name="Ludothèque Les Dés", status=Service.Status.DRAFT)
    assert found(client, q="ludotheque") == set()
    service.status = Service.Status.PUBLISHED
    service.save()
    assert found(client, q="ludotheque") == {"Ludothèque Les Dés"}
    service.status = Service.Status.ARCHIVED
    service.save(update_fields=["status"])
    assert found(client, q="ludotheque") == set()


def test_renaming_a_service_changes_its_place_in_the_list(client):
    first = make_service(name="Atelier A")
    make_service(name="Atelier B")
    first.name = "Atelier C"
    first.save()
    response = client.get(URL, {"q": "atelier"})
    assert [s.name for s in response.context["page"].object_list] == ["Atelier B", "Atelier C"]


def test_a_filter_value_matches_whole_ids_only():
    # Sector 3 must not find services of sector 30: facet words are matched whole.
    three, thirty = make_service(), make_service()
    ServiceSearch.objects.filter(pk=three.pk).update(facets=" s3 c1 ")
    ServiceSearch.objects.filter(pk=thirty.pk).update(facets=" s30 c1 ")
    assert list(ServiceSearch.objects.filter(facets__haswords=["s3"])) == [three.search_document]
    assert ServiceSearch.objects.filter(facets__haswords=["s3", "c1"]).count() == 1
    assert ServiceSearch.objects.filter(facets__haswords=["s3", "c2"]).count() == 0
    assert ServiceSearch.objects.filter(facets__startwords=["s3"]).count() == 2


def test_a_result_matching_every_word_comes_first(client):
    make_service(name="Aide alimentaire")
    make_service(name="Aide aux devoirs")
    response = client.get(reverse("services_directory:search"), {"q": "aide devoirs"})
    assert [s.name for s in response.context["page"].object_list][0] == "Aide aux devoirs"


def test_a_word_being_typed_matches_word_starts_not_the_middle_of_words(client):
    make_service(name="Espace Jeunes")
    assert found(client, q="espa") == {"Espace Jeunes"}
    assert found(client, q="ace") == set()


def test_need_language_and_commune_changes_reach_the_search(client):
    need = make_need(name="Garde", synonyms="")
    language = make_language(code="uk", name="ukrainien")
    service = make_service(name="Crèche Arc-en-ciel", needs=[need], languages=[language])
    assert found(client, besoin=need.slug, langue="uk") == {"Crèche Arc-en-ciel"}
    need.synonyms = "nounou"
    need.save()
    assert found(client, q="nounou") == {"Crèche Arc-en-ciel"}
    # A commune created later is served by whole-territory services.
    newcomer = make_commune(name="Nouvelle commune")
    assert found(client, commune=newcomer.slug) == {"Crèche Arc-en-ciel"}
    service.serves_whole_territory = False
    service.save()
    service.refresh_derived()
    assert found(client, commune=newcomer.slug) == set()


def test_moving_a_place_updates_the_words(client):
    home, other = make_commune(name="Villeneuve"), make_commune(name="Chaumot")
    place = make_place(commune=home)
    make_service(name="PMI", places=[place])
    assert found(client, q="villeneuve") == {"PMI"}
    place.commune = other
    place.save()
    assert found(client, q="chaumot") == {"PMI"}


def test_rebuild_search_command_rebuilds_every_document(client):
    make_service(name="Point Info Jeunesse")
    ServiceSearch.objects.all().delete()
    assert found(client, q="jeunesse") == set()
    out = io.StringIO()
    call_command("rebuild_search", stdout=out)
    assert "1 services publiés indexés" in out.getvalue()
    assert found(client, q="jeunesse") == {"Point Info Jeunesse"}


def test_a_word_lookup_refuses_anything_but_normalised_words():
    with pytest.raises(ValueError):
        list(ServiceSearch.objects.filter(words__startwords=["c'est%"]))
    with pytest.raises(ValueError):
        list(ServiceSearch.objects.filter(facets__haswords=[]))
