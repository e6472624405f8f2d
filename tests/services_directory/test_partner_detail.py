from django.urls import reverse

from services_directory.models import Referent, Service
from tests.factories import make_referent


def test_it_lists_the_partners_published_services_and_public_referents(client, directory):
    partner = directory["creche"].partner
    make_service_draft = directory["draft"]
    make_service_draft.partner = partner
    make_service_draft.save()
    make_referent(
        partner=partner, role="Référente petite enfance", theme=Referent.Theme.PETITE_ENFANCE
    )
    make_referent(
        partner=partner, role="Coordinatrice interne", visibility=Referent.Visibility.PROFESSIONALS
    )
    response = client.get(reverse("services_directory:partner", args=[partner.slug]))
    assert response.status_code == 200
    assert "Crèche Les Petits Loups" in response.text
    assert "Crèche en projet" not in response.text
    assert "Référente petite enfance" in response.text
    assert "Coordinatrice interne" not in response.text
    assert Service.objects.filter(partner=partner).count() == 2


def test_unknown_partner_is_404(client, db):
    assert client.get("/partenaires/inconnu/").status_code == 404
