"""The 1×1 image that counts a view, even when the page came from the public cache."""

import time_machine
from django.urls import reverse

from pathways.models import Pathway, PathwayStat
from services_directory import versions
from tests.pathways.factories import make_pathway


@time_machine.travel("2026-11-30 10:00:00+01:00", tick=False)
def test_it_counts_a_view_and_answers_an_image(client, territory):
    url = reverse("pathways:seen", args=[territory.pathway.slug])
    for _ in range(2):
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/gif"
    assert response.content.startswith(b"GIF89a")
    assert "no-store" in response["Cache-Control"]
    assert PathwayStat.objects.get(pathway=territory.pathway).views == 2
    assert not response.cookies


def test_it_does_not_count_drafts(client, db):
    draft = make_pathway(status=Pathway.Status.DRAFT)
    assert client.get(reverse("pathways:seen", args=[draft.slug])).status_code == 404
    assert not PathwayStat.objects.exists()


def test_it_refuses_a_post(client, territory):
    assert client.post(reverse("pathways:seen", args=[territory.pathway.slug])).status_code == 405


@time_machine.travel("2026-11-30 10:00:20+01:00", tick=False)
def test_a_view_served_from_the_public_cache_is_counted(client, territory, settings, monkeypatch):
    settings.PUBLIC_CACHE_SECONDS = 60
    monkeypatch.setattr(versions, "TRUST_SECONDS", 3600.0)
    page = reverse("pathways:detail", args=[territory.pathway.slug])
    first, second = client.get(page), client.get(page)
    assert second.get("X-Public-Cache") == "hit", "the page is served from the cache"
    for response in (first, second):
        image = reverse("pathways:seen", args=[territory.pathway.slug])
        assert f'src="{image}"' in response.content.decode()
        client.get(image)
    assert PathwayStat.objects.get().views == 2
