"""A small territory with one passerelle pathway whose steps use every kind of "who"."""

from types import SimpleNamespace

import pytest

from services_directory.models import Need, Partner, Referent, Sector
from tests.factories import make_commune, make_partner, make_place, make_referent, make_service
from tests.pathways.factories import make_pathway, make_step

OFFICE = "Mo-Fr 09:00-12:00,13:30-17:00; PH off"


@pytest.fixture
def territory(db):
    """Pont-sur-Yonne, Michery (about 3 km away) and Villeneuve-la-Guyard (about 12 km)."""
    near = make_commune(
        name="Pont-sur-Yonne", slug="pont-sur-yonne", latitude=48.2856, longitude=3.2019
    )
    middle = make_commune(name="Michery", slug="michery", latitude=48.3119, longitude=3.2383)
    far = make_commune(
        name="Villeneuve-la-Guyard",
        slug="villeneuve-la-guyard",
        latitude=48.3406,
        longitude=3.0617,
    )
    petite_enfance = Sector.objects.get(slug="petite-enfance")
    enfance = Sector.objects.get(slug="enfance")
    garde = Need.objects.get(slug="faire-garder-mon-enfant")
    periscolaire = Need.objects.get(slug="accueil-avant-apres-ecole")
    creche_far = make_service(
        name="Crèche des Bords de Seine",
        slug="creche-loin",
        sectors=[petite_enfance],
        needs=[garde],
        age_min=0,
        age_max=3,
        places=[(make_place(commune=far), "Mo-Fr 07:30-18:30; PH off")],
    )
    creche_middle = make_service(
        name="Micro-crèche des Coquelicots",
        slug="creche-milieu",
        sectors=[petite_enfance],
        needs=[garde],
        age_min=0,
        age_max=3,
        places=[(make_place(commune=middle), "Mo-Fr 07:30-18:30; PH off")],
    )
    rpe = make_service(
        name="Relais Petite Enfance",
        slug="relais-petite-enfance",
        sectors=[petite_enfance],
        needs=[garde],
        phone="03 53 73 10 25",
        places=[(make_place(commune=near), OFFICE)],
    )
    periscolaire_service = make_service(
        name="Accueil périscolaire de Michery",
        slug="periscolaire-michery",
        sectors=[enfance],
        needs=[periscolaire],
        age_min=3,
        age_max=11,
        places=[(make_place(commune=middle), "Mo-Fr 07:00-08:30,16:30-18:45")],
    )
    france_services = make_partner(
        name="France Services Yonne Nord", kind=Partner.Kind.FRANCE_SERVICES
    )
    fs_far = make_service(
        name="France Services – Villeneuve",
        slug="fs-villeneuve",
        partner=france_services,
        places=[(make_place(commune=far), OFFICE)],
    )
    fs_near = make_service(
        name="France Services – Pont-sur-Yonne",
        slug="fs-pont",
        partner=france_services,
        places=[(make_place(commune=near), OFFICE)],
    )
    referent = make_referent(
        theme=Referent.Theme.PETITE_ENFANCE,
        role="Animatrice du Relais Petite Enfance",
        phone="03 53 73 10 26",
    )
    hidden_referent = make_referent(
        theme=Referent.Theme.PETITE_ENFANCE,
        role="Référente réservée aux professionnels",
        visibility=Referent.Visibility.PROFESSIONALS,
    )
    pathway = make_pathway(
        title="De la crèche à l'école maternelle",
        slug="de-la-creche-a-l-ecole",
        summary="Votre enfant aura 3 ans : l'école, le périscolaire, les mercredis.",
        sectors=[petite_enfance, enfance],
        needs=[garde, periscolaire],
        age_min=2,
        age_max=3,
        steps=0,
    )
    steps = [
        make_step(
            pathway,
            title="Rencontrer le Relais Petite Enfance",
            service=rpe,
            when="Dès le 4e mois de grossesse",
            what_falc="Allez au Relais.\nOn vous aide.",
            fallback="Appelez le service Petite Enfance au 03 53 73 10 20.",
        ),
        make_step(pathway, title="Demander une place en crèche", need=garde, when="Avant juin"),
        make_step(
            pathway,
            title="Faire la démarche CAF",
            partner_kind=Partner.Kind.FRANCE_SERVICES,
            documents="Numéro d'allocataire\nRIB",
        ),
        make_step(
            pathway, title="Appeler la référente", referent_theme=Referent.Theme.PETITE_ENFANCE
        ),
        make_step(pathway, title="Inscrire au périscolaire", need=periscolaire, when="À 3 ans"),
    ]
    pathway.refresh_derived()
    return SimpleNamespace(
        near=near,
        middle=middle,
        far=far,
        petite_enfance=petite_enfance,
        enfance=enfance,
        garde=garde,
        periscolaire=periscolaire,
        creche_far=creche_far,
        creche_middle=creche_middle,
        rpe=rpe,
        periscolaire_service=periscolaire_service,
        fs_far=fs_far,
        fs_near=fs_near,
        referent=referent,
        hidden_referent=hidden_referent,
        pathway=pathway,
        steps=steps,
    )
