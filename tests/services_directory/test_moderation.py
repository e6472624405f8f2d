"""The coordination's queue: changes of what a service does or who it is for, validated or
refused in the admin, with the differences shown."""

import pytest

from services_directory.models import Service, ServiceChange, ServiceSearch
from services_directory.search import analyse


@pytest.fixture
def proposal(world):
    return ServiceChange.objects.propose(
        world.service,
        {
            "what_we_do": [
                "Nous accueillons les familles.",
                "Nous accueillons les familles et les assistantes maternelles.",
            ],
            "summary": ["Un service pour les familles.", "Le relais des parents et des nounous."],
        },
        by=world.partner_staff,
    )


def change_url(change) -> str:
    return f"/admin/services_directory/servicechange/{change.pk}/change/"


def test_the_queue_lists_what_waits_first(client, world, proposal):
    client.force_login(world.coordinator)

    response = client.get("/admin/services_directory/servicechange/", follow=True)

    assert response.redirect_chain[-1][0].endswith("?status__exact=pending")
    assert "Relais Petite Enfance" in response.text
    assert "à valider" in response.text


def test_the_change_page_shows_the_differences(client, world, proposal):
    client.force_login(world.coordinator)

    response = client.get(change_url(proposal))

    assert response.status_code == 200
    text = response.text
    assert "ce que nous faisons" in text
    assert "<del>familles.</del> <ins>familles et les assistantes maternelles.</ins>" in text
    assert 'name="_accept"' in text and 'name="_reject"' in text


def test_validating_publishes_the_change_and_refreshes_the_search(client, world, proposal):
    client.force_login(world.coordinator)

    response = client.post(change_url(proposal), {"_accept": "1"}, follow=True)

    assert "Modification validée" in response.text
    service = Service.objects.get(pk=world.service.pk)
    assert service.what_we_do == "Nous accueillons les familles et les assistantes maternelles."
    assert service.summary == "Le relais des parents et des nounous."
    assert ServiceSearch.objects.ranked(analyse("nounou")).filter(service=service).exists()
    proposal.refresh_from_db()
    assert proposal.status == ServiceChange.Status.ACCEPTED
    assert proposal.decided_by == world.coordinator


def test_refusing_keeps_the_published_sheet_and_notes_why(client, world, proposal):
    client.force_login(world.coordinator)

    client.post(
        change_url(proposal), {"_reject": "1", "decision_note": "Ce n'est pas notre rôle."}
    )

    proposal.refresh_from_db()
    assert proposal.status == ServiceChange.Status.REJECTED
    assert proposal.decision_note == "Ce n'est pas notre rôle."
    assert Service.objects.get(pk=world.service.pk).what_we_do == "Nous accueillons les familles."


def test_a_decided_change_cannot_be_decided_again(client, world, proposal):
    proposal.reject(world.coordinator)
    client.force_login(world.coordinator)

    response = client.post(change_url(proposal), {"_accept": "1"}, follow=True)

    assert (
        "n&#x27;est plus en attente" in response.text or "n'est plus en attente" in response.text
    )
    assert Service.objects.get(pk=world.service.pk).what_we_do == "Nous accueillons les familles."


@pytest.mark.parametrize("persona", ["partner_staff", "adviser_a"])
def test_partners_cannot_decide(client, world, proposal, persona):
    client.force_login(getattr(world, persona))
    response = client.post(change_url(proposal), {"_accept": "1"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    proposal.refresh_from_db()
    assert proposal.status == ServiceChange.Status.PENDING


def test_the_partner_reads_the_coordinations_answer_on_its_sheet(client, world, proposal):
    proposal.reject(world.coordinator, "Ce n'est pas notre rôle : voyez la PMI.")
    client.force_login(world.partner_staff)

    response = client.get(f"/espace-pro/mes-services/{world.service.pk}/")

    assert "Votre demande de changement a été refusée le" in response.text
    assert "Message de la coordination : « Ce n&#x27;est pas notre rôle : voyez la PMI. »" in (
        response.text
    )
