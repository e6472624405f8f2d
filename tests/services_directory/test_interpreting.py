"""« Interprétariat possible »: an option of a service, a badge and a filter."""

from django.urls import reverse

SEARCH = reverse("services_directory:search")


def test_the_filter_keeps_only_services_offering_an_interpreter(client, directory):
    rpe = directory["rpe"]
    rpe.interpreting = True
    rpe.save()
    response = client.get(SEARCH, {"interpretariat": "on"})
    slugs = [service.slug for service in response.context["page"].object_list]
    assert slugs == [rpe.slug]
    assert 'name="interpretariat"' in response.text


def test_without_the_filter_every_service_is_there(client, directory):
    response = client.get(SEARCH)
    assert len(response.context["page"].object_list) > 1


def test_the_service_page_says_it(client, directory):
    rpe = directory["rpe"]
    page = client.get(rpe.get_absolute_url())
    assert "Interprétariat possible" not in page.text
    rpe.interpreting = True
    rpe.save()
    page = client.get(rpe.get_absolute_url())
    assert '<li class="tag">Interprétariat possible</li>' in page.text
