"""A small territory for the journeys: built with the factories, in well under a second.

The sectors and needs are those the migrations seed (restored for each browser
test by serialized rollback); the people are the personas of the counter tests.
"""

from types import SimpleNamespace

from orientations.models import Origin, Referral
from pathways.models import LifeMoment
from services_directory.models import Need, Partner, Referent, Sector, Service
from tests.factories import make_commune, make_partner, make_place, make_service, make_territory
from tests.pathways.factories import make_pathway, make_step
from tests.personas import (
    PASSWORD,
    make_adviser,
    make_coordinator,
    make_partner_staff,
    make_referral,
)

WEEKDAYS = "Mo-Fr 08:30-12:00,13:30-18:00"
USERNAMES = {
    "adviser": "conseillere@example.org",
    "partner_staff": "rpe@example.org",
    "coordinator": "coordination@example.org",
}


def log_in(page, persona: str, password: str = PASSWORD) -> None:
    """Through the login form, as a person would."""
    page.goto("/connexion/")
    page.get_by_label("Identifiant ou courriel").fill(USERNAMES[persona])
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/connexion/" not in url)


def build_territory() -> SimpleNamespace:
    make_territory(name="Communauté de communes Yonne Nord", short_name="CC Yonne Nord")
    pont = make_commune(
        name="Pont-sur-Yonne", slug="pont-sur-yonne", insee_code="89309", latitude=48.285
    )
    sergines = make_commune(
        name="Sergines", slug="sergines", insee_code="89392", latitude=48.343, longitude=3.261
    )
    garde = Need.objects.get(slug="faire-garder-mon-enfant")
    petite_enfance = Sector.objects.get(slug="petite-enfance")
    france_services = make_partner(
        name="France Services Yonne Nord", kind=Partner.Kind.FRANCE_SERVICES
    )
    ccyn = make_partner(name="CCYN — service Petite Enfance", kind=Partner.Kind.INTERCOMMUNALITY)
    commune_sergines = make_partner(name="Commune de Sergines", kind=Partner.Kind.COMMUNE)
    rpe = make_service(
        name="Relais Petite Enfance",
        slug="relais-petite-enfance",
        partner=ccyn,
        summary="Informe les parents sur tous les modes de garde et les assistantes maternelles.",
        what_we_do="Nous vous aidons à trouver une assistante maternelle ou une place en crèche.",
        what_we_dont_do="Nous n'attribuons pas les places en crèche.",
        phone="03 86 00 00 01",
        walk_in=True,
        sectors=[petite_enfance],
        needs=[garde],
        places=[(make_place(commune=pont, name="Maison de l'enfance"), WEEKDAYS)],
    )
    creche = make_service(
        name="Crèche Les Petits Loups",
        slug="creche-les-petits-loups",
        partner=commune_sergines,
        summary="Accueil collectif des enfants de 10 semaines à 3 ans.",
        age_min=0,
        age_max=3,
        cost=Service.Cost.INCOME,
        phone="03 86 00 00 02",
        sectors=[petite_enfance],
        needs=[garde],
        places=[(make_place(commune=sergines, name="Crèche de Sergines"), "Mo-Fr 07:30-18:30")],
    )
    pathway = make_pathway(
        title="Faire garder mon enfant",
        slug="faire-garder-mon-enfant",
        summary="Trouver un mode de garde, de la grossesse à l'entrée à l'école.",
        steps=0,
        sectors=[petite_enfance],
        needs=[garde],
        life_moments=[LifeMoment.objects.order_by("position").first()],
        age_min=0,
        age_max=3,
    )
    make_step(
        pathway,
        title="S'informer sur les modes de garde",
        what="Le relais vous présente les crèches et les assistantes maternelles.",
        when="Dès le 4e mois de grossesse",
        service=rpe,
    )
    make_step(pathway, title="Demander une place", what="Déposez une demande.", need=garde)
    pathway.refresh_derived()
    Referent.objects.create(
        partner=france_services,
        theme=Referent.Theme.PETITE_ENFANCE,
        role="Référente petite enfance",
        phone="03 86 00 00 09",
    )
    adviser = make_adviser(france_services, username=USERNAMES["adviser"])
    world = SimpleNamespace(
        password=PASSWORD,
        pont=pont,
        sergines=sergines,
        garde=garde,
        france_services=france_services,
        rpe=rpe,
        creche=creche,
        pathway=pathway,
        adviser=adviser,
        partner_staff=make_partner_staff(ccyn, username=USERNAMES["partner_staff"]),
        coordinator=make_coordinator(username=USERNAMES["coordinator"]),
    )
    # An orientation the crèche refused: it is on the adviser's risk-of-rupture list.
    world.refused = make_referral(
        service=creche,
        from_partner=france_services,
        commune=sergines,
        needs=[garde],
        origin=Origin.PETITE_ENFANCE,
        created_by=adviser,
        status=Referral.Status.REFUSED,
    )
    return world
