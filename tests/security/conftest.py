"""A portal with something on every page, and the places a visitor of each kind starts from."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import ProfessionalSurvey
from orientations.models import FamilyAnswer, Referral, UnmetNeed
from pathways.models import PathwayFeedback
from services_directory import access
from services_directory.models import FreshnessRequest
from tests.factories import make_territory
from tests.pathways.factories import make_pathway, make_step
from tests.personas import login_as, make_world
from tests.security.crawl import project_routes

# Personas with pages of their own (a second adviser, or the family, add none).
CRAWLING_PERSONAS = ["anonymous", "adviser_a", "partner_staff", "coordinator", "admin"]


def build_everything():
    """The personas' world, plus a pathway, feedback, an answered and an unmet need."""
    make_territory(name="Communauté de communes Yonne Nord", short_name="CC Yonne Nord")
    world = make_world()
    world.pathway = make_pathway(
        title="Faire garder mon enfant", slug="faire-garder-mon-enfant", needs=[world.need]
    )
    make_step(world.pathway, title="Contacter le relais", service=world.service)
    world.referral.pathway = world.pathway
    world.referral.save(update_fields=["pathway"])
    world.referral.move_to(
        Referral.Status.ACCEPTED, by=world.partner_staff, note="Rendez-vous fixé au relais."
    )
    world.referral.record_family_answer(
        # "Not received": the orientation shows on the risk-of-rupture lists too.
        received=FamilyAnswer.Received.NO,
        satisfaction=FamilyAnswer.Satisfaction.AVERAGE,
        clarity=3,
    )
    world.referral.refresh_from_db()
    world.feedback = PathwayFeedback.objects.create(
        pathway=world.pathway,
        answer=PathwayFeedback.Answer.PARTLY,
        comment="Il manque les horaires du samedi.",
    )
    today = timezone.localdate()
    world.survey = ProfessionalSurvey.objects.create(
        title="Lisibilité des parcours", opens_on=today, closes_on=today + dt.timedelta(days=30)
    )
    asked = FreshnessRequest.objects.create(service=world.service, sent_to="rpe.c@example.org")
    world.sheet_token = access.sheet_link_token(asked)
    world.unmet = UnmetNeed.objects.create(
        partner=world.partner_a,
        commune=world.commune,
        need=world.need,
        reason=UnmetNeed.Reason.TOO_FAR,
        created_by=world.adviser_a,
    )
    return world


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Seven personas per test: the production hasher would take seconds each time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def everything(db):
    return build_everything()


def start_urls(world) -> list[str]:
    """Every page without a parameter, and one of each page about an object."""
    urls = [
        "/" + route.route
        for route in project_routes()
        if not route.pattern.pattern.converters and route.name != "portal:logout"
    ]
    urls += [
        world.service.get_absolute_url(),
        world.service.partner.get_absolute_url(),
        world.pathway.get_absolute_url(),
        reverse("pathways:print", args=[world.pathway.slug]),
        reverse("orientations:referral", args=[world.referral.pk]),
        reverse("orientations:handout", args=[world.referral.batch]),
        reverse("orientations:follow_up", args=[world.token]),
    ]
    return urls


def logged_in(client, world, persona: str):
    return login_as(client, world, persona)
