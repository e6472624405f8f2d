"""A pathway whose step uses a withdrawn service is flagged « à revoir »."""

import pytest

from pathways.models import Pathway
from services_directory.models import Service
from tests.factories import make_service
from tests.pathways.factories import make_pathway, make_step

pytestmark = pytest.mark.django_db


def _pathway_using(service):
    pathway = make_pathway(steps=1)
    make_step(pathway, service=service)
    return pathway


@pytest.mark.parametrize("status", [Service.Status.ARCHIVED, Service.Status.DRAFT])
def test_it_flags_the_pathway_when_its_service_is_withdrawn(status):
    service = make_service(name="Crèche Les Lucioles")
    pathway = _pathway_using(service)
    untouched = make_pathway()

    service.status = status
    service.save()

    pathway.refresh_from_db()
    assert pathway.needs_review
    assert "Crèche Les Lucioles" in pathway.review_reason
    assert not Pathway.objects.get(pk=untouched.pk).needs_review


def test_it_does_not_flag_a_pathway_when_the_service_stays_published():
    service = make_service()
    pathway = _pathway_using(service)
    service.summary = "Nouveau texte."
    service.save()
    pathway.refresh_from_db()
    assert not pathway.needs_review


def test_it_flags_the_pathway_when_its_service_is_deleted():
    service = make_service(name="Halte-garderie")
    pathway = _pathway_using(service)
    service.delete()
    pathway.refresh_from_db()
    assert pathway.needs_review
    assert "supprimé" in pathway.review_reason
    assert pathway.steps.filter(service__isnull=True).count() == 2


def test_it_keeps_the_first_reason_until_someone_reviews():
    first, second = make_service(name="Premier"), make_service(name="Second")
    pathway = _pathway_using(first)
    make_step(pathway, service=second)
    for service in (first, second):
        service.status = Service.Status.ARCHIVED
        service.save()
    pathway.refresh_from_db()
    assert "Premier" in pathway.review_reason

    pathway.mark_reviewed()
    pathway.refresh_from_db()
    assert not pathway.needs_review and pathway.reviewed_on is not None
