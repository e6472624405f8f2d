"""The chargée de mission edits, validates and publishes pathways in the admin."""

from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from pathways.models import LifeMoment, Pathway, Step
from services_directory.models import Need, Sector
from services_directory.search import analyse
from tests.pathways.factories import make_pathway

CHANGELIST = reverse("admin:pathways_pathway_changelist")
ADD = reverse("admin:pathways_pathway_add")


@pytest.fixture
def admin_client(client, db):
    # No password: hashing one takes a second, and force_login does not need it.
    user = get_user_model().objects.create(
        username="chargee",
        first_name="Camille",
        last_name="Martin",
        is_staff=True,
        is_superuser=True,
    )
    client.force_login(user)
    return client


def _step(index: int, **fields) -> dict:
    data = {
        "position": index + 1,
        "title": f"Étape {index + 1}",
        "what": "Appelez.",
        "what_falc": "Appelez le service.",
    }
    data.update(fields)
    return {f"steps-{index}-{name}": value for name, value in data.items()}


def _form(status: str, *steps: dict) -> dict:
    data = {
        "title": "Trouver une garde",
        "slug": "trouver-une-garde",
        "summary": "Vous cherchez une garde.",
        "audience": "Parents",
        "for_parents": "on",
        "life_moments": [LifeMoment.objects.first().pk],
        "sectors": [Sector.objects.get(slug="petite-enfance").pk],
        "needs": [Need.objects.get(slug="faire-garder-mon-enfant").pk],
        "status": status,
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": "0",
    }
    for step in steps:
        data.update(step)
    return data


def test_it_refuses_to_publish_a_pathway_of_one_step(admin_client):
    data = _form("published", _step(0, referent_theme="handicap"))
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Ce parcours ne peut pas être publié :" in html
    assert "Un parcours publié doit avoir au moins 2 étapes." in html
    assert not Pathway.objects.exists()


def test_it_refuses_a_step_that_does_not_say_who(admin_client):
    data = _form("draft", _step(0, referent_theme="handicap"), _step(1))
    response = admin_client.post(ADD, data)
    assert "Dites à qui s'adresser" in unescape(response.content.decode())
    assert not Pathway.objects.exists()


def test_it_publishes_a_complete_pathway_and_indexes_its_steps(admin_client):
    garde = Need.objects.get(slug="faire-garder-mon-enfant")
    data = _form(
        "published",
        _step(1, title="Demander une place", need=garde.pk),
        _step(0, title="Rencontrer le Relais", referent_theme="petite_enfance"),
    )
    response = admin_client.post(ADD, data)
    assert response.status_code == 302
    pathway = Pathway.objects.get()
    assert pathway.is_published
    assert [step.title for step in pathway.steps.all()] == [
        "Rencontrer le Relais",
        "Demander une place",
    ]
    assert Pathway.objects.matching(analyse("nounou")) == [pathway]


def test_a_draft_may_be_saved_unfinished(admin_client):
    response = admin_client.post(ADD, _form("draft", _step(0, referent_theme="handicap")))
    assert response.status_code == 302
    assert Pathway.objects.get().steps.count() == 1


def test_the_publish_action_explains_what_is_missing(admin_client):
    complete = make_pathway(status=Pathway.Status.DRAFT, steps=2)
    incomplete = make_pathway(title="Parcours à finir", status=Pathway.Status.DRAFT, steps=1)
    response = admin_client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [complete.pk, incomplete.pk]},
        follow=True,
    )
    html = unescape(response.content.decode())
    assert "« Parcours à finir » n'est pas publié : Un parcours publié doit avoir" in html
    assert "1 parcours publié." in html
    complete.refresh_from_db()
    incomplete.refresh_from_db()
    assert complete.is_published and not incomplete.is_published


def test_the_unpublish_action(admin_client):
    pathway = make_pathway()
    admin_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [pathway.pk]})
    pathway.refresh_from_db()
    assert pathway.status == Pathway.Status.DRAFT


def test_validating_records_the_day_and_who(admin_client):
    pathway = make_pathway()
    admin_client.post(CHANGELIST, {"action": "validate_today", "_selected_action": [pathway.pk]})
    pathway.refresh_from_db()
    assert pathway.validated_by == "Camille Martin"
    assert list(Pathway.objects.formalised()) == [pathway]


def test_pathways_to_review_stand_out(admin_client):
    flagged = make_pathway(title="Parcours signalé", needs_review=True)
    make_pathway(title="Parcours en ordre")
    html = admin_client.get(CHANGELIST + "?needs_review__exact=1").content.decode()
    assert "Parcours signalé" in html and "Parcours en ordre" not in html
    admin_client.post(CHANGELIST, {"action": "mark_reviewed", "_selected_action": [flagged.pk]})
    flagged.refresh_from_db()
    assert not flagged.needs_review


def test_the_list_links_to_the_preview(admin_client):
    pathway = make_pathway(status=Pathway.Status.DRAFT)
    html = admin_client.get(CHANGELIST).content.decode()
    assert reverse("pathways:preview", args=[pathway.slug]) in html


def test_the_change_form_shows_the_steps_in_order(admin_client):
    pathway = make_pathway(steps=3)
    Step.objects.filter(pathway=pathway, position=1).update(position=9, title="Dernière")
    html = admin_client.get(reverse("admin:pathways_pathway_change", args=[pathway.pk]))
    html = html.content.decode()
    assert html.index('value="Dernière"') > html.index('name="steps-1-title"')


def test_it_refuses_to_publish_a_step_without_its_easy_to_read_version(admin_client):
    garde = Need.objects.get(slug="faire-garder-mon-enfant")
    data = _form(
        "published",
        _step(0, title="Rencontrer le Relais", referent_theme="petite_enfance"),
        _step(1, title="Demander une place", need=garde.pk, what_falc=""),
    )
    response = admin_client.post(ADD, data)
    html = unescape(response.content.decode())
    assert "L'étape 2 doit avoir sa version facile à lire." in html
    assert not Pathway.objects.exists()
