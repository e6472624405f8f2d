import uuid

from django.urls import reverse

from orientations.models import UnmetNeed

URL = reverse("orientations:unmet_need_new")


def test_it_records_an_unmet_need(client, world):
    client.force_login(world.adviser_a)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "need": world.need.pk,
        "reason": "trop_loin",
        "commune": world.commune.pk,
        "age_band": "3-5",
    }
    response = client.post(URL, data, follow=True)
    assert "Besoin non couvert enregistré" in response.content.decode()
    unmet = UnmetNeed.objects.get()
    assert (unmet.need, unmet.commune, unmet.partner) == (
        world.need,
        world.commune,
        world.partner_a,
    )
    assert unmet.reason == UnmetNeed.Reason.TOO_FAR


def test_a_double_submit_records_it_once(client, world):
    client.force_login(world.adviser_a)
    data = {"idempotency_key": str(uuid.uuid4()), "need": world.need.pk, "reason": "cout"}
    client.post(URL, data)
    client.post(URL, data)
    assert UnmetNeed.objects.count() == 1


def test_it_prefills_from_the_search(client, world):
    client.force_login(world.adviser_a)
    content = client.get(URL, {"besoin": world.need.slug}).content.decode()
    assert f'<option value="{world.need.pk}" selected>' in content


def test_it_explains_missing_fields(client, world):
    client.force_login(world.adviser_a)
    response = client.post(URL, {"idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 400
    assert "Choisissez le besoin" in response.content.decode()
    assert "Choisissez une raison" in response.content.decode()


def test_it_is_only_for_advisers(client, world):
    client.force_login(world.coordinator)
    assert client.get(URL).status_code == 403


def test_it_runs_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.adviser_a)
    with django_assert_max_num_queries(12):
        response = client.get(URL, {"besoin": world.need.slug, "commune": world.commune.slug})
    # The form comes with the need and the commune of the search already chosen.
    assert response.status_code == 200
    assert f'<option value="{world.need.pk}" selected>' in response.text
    assert f'<option value="{world.commune.pk}" selected>' in response.text
