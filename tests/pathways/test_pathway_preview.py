from django.contrib.auth import get_user_model
from django.urls import reverse

from pathways.models import Pathway, PathwayStat
from tests.pathways.factories import make_pathway


def _staff(**kwargs):
    kwargs.setdefault("is_staff", True)
    return get_user_model().objects.create(username="chargee@example.org", **kwargs)


def test_staff_preview_a_draft_as_the_public_will_see_it(client, db):
    draft = make_pathway(title="Parcours en cours", status=Pathway.Status.DRAFT)
    client.force_login(_staff())
    response = client.get(reverse("pathways:preview", args=[draft.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Parcours en cours" in html
    assert "ce parcours est un brouillon, le public ne le voit pas" in html
    assert 'name="answer"' not in html, "no feedback on a preview"
    assert not PathwayStat.objects.exists()


def test_the_public_cannot_preview(client, db):
    draft = make_pathway(status=Pathway.Status.DRAFT)
    response = client.get(reverse("pathways:preview", args=[draft.slug]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_professionals_without_admin_access_cannot_preview(client, db):
    draft = make_pathway(status=Pathway.Status.DRAFT)
    client.force_login(_staff(is_staff=False))
    response = client.get(reverse("pathways:preview", args=[draft.slug]))
    assert response.status_code == 403


def test_preview_of_an_unknown_pathway_is_not_found(client, db):
    client.force_login(_staff())
    assert client.get(reverse("pathways:preview", args=["inconnu"])).status_code == 404
