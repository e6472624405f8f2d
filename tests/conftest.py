import pytest
from django.utils import translation

from services_directory import search, versions
from services_directory.models import Language, Service
from tests import strict_templates
from tests.factories import (
    make_commune,
    make_need,
    make_partner,
    make_place,
    make_sector,
    make_service,
)

# Before any template engine exists: every test renders our templates strictly.
strict_templates.install()

# The modules whose tests take longest (seconds of one CI worker, PostgreSQL), run first: a
# long test started near the end leaves the other xdist worker idle, waiting for it. Not
# `--dist worksteal` for that: a worker that steals the end of the other's queue runs its
# transactional tests (which empty the tables, seeded rows included) before tests that need
# the seeded rows, and those fail. The default `--dist load` hands tests out in order.
LONGEST_FIRST = (
    "tests/security/test_fuzz_forms.py",  # 60 s: every form, fuzzed
    "tests/services_directory/test_search_evaluation.py",  # 35 s: 130 searches
    "tests/portal/test_demo_translations.py",  # 25 s: every demo text in 5 languages
    "tests/portal/test_migrate.py",  # 17 s: three migrations in a subprocess
)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Longest modules first, everything else in its usual order (a stable sort). Before
    pytest-django's own sort, which then puts the transactional tests last, as Django does."""
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))


@pytest.fixture(autouse=True)
def french_between_tests():
    """A request in another language leaves it active in the thread: each test starts in
    French, as a visitor at the root does."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def fresh_vocabulary():
    """Each test reads the search vocabulary of its own rows."""
    search.forget_vocabulary()
    yield
    search.forget_vocabulary()


@pytest.fixture(autouse=True)
def fresh_content_memo(monkeypatch):
    """What a process keeps under the content version (services_directory.versions) starts
    empty in each test, as its database does. The version is trusted for the whole test:
    no cache read lands in a test's query count; a content change still empties the memory
    (the signals), as in production. Tests of the shared version patch TRUST_SECONDS."""
    versions.local.reset()
    versions.seen("tests")
    monkeypatch.setattr(versions, "TRUST_SECONDS", float("inf"))
    yield
    versions.local.reset()


@pytest.fixture
def directory(db):
    """A small directory: two communes 20 km apart and services answering childcare."""
    near = make_commune(
        name="Pont-sur-Yonne", slug="pont-sur-yonne", latitude=48.285, longitude=3.200
    )
    far = make_commune(name="Sergines", slug="sergines", latitude=48.343, longitude=3.261)
    petite_enfance = make_sector(name="Petite Enfance", slug="petite-enfance", is_child_stage=True)
    jeunesse = make_sector(name="Jeunesse", slug="jeunesse", is_child_stage=True)
    garde = make_need(
        name="Garde d'enfant (test)",
        slug="garde",
        sector=petite_enfance,
        synonyms="crèche\nassistante maternelle\nRPE",
    )
    emploi = make_need(name="Emploi (test)", slug="emploi-test", sector=jeunesse)
    arabic, _created = Language.objects.get_or_create(code="ar", defaults={"name": "Arabe"})
    creche = make_service(
        name="Crèche Les Petits Loups",
        slug="creche-les-petits-loups",
        partner=make_partner(name="Commune de Sergines"),
        sectors=[petite_enfance],
        needs=[garde],
        age_min=0,
        age_max=3,
        cost=Service.Cost.INCOME,
        cost_details="Selon le quotient familial",
        places=[(make_place(commune=far), "Mo-Fr 07:30-18:30; PH off")],
    )
    rpe = make_service(
        name="Relais Petite Enfance",
        slug="relais-petite-enfance",
        summary="Informe sur les modes de garde et les assistantes maternelles.",
        sectors=[petite_enfance],
        needs=[garde],
        places=[(make_place(commune=near), "Tu,Th 09:00-12:00; Sa 09:00-12:00")],
        languages=[arabic],
    )
    mission_locale = make_service(
        name="Mission Locale",
        slug="mission-locale",
        summary="Emploi, formation et logement des 16-25 ans.",
        sectors=[jeunesse],
        needs=[emploi],
        age_of=Service.AgeOf.PERSON,
        age_min=16,
        age_max=25,
        itinerant=True,
        serves_whole_territory=False,
        places=[(make_place(commune=near), "Mo-Fr 09:00-12:30,13:30-19:00")],
    )
    mission_locale.communes_served.set([near])
    draft = make_service(
        name="Crèche en projet",
        slug="creche-en-projet",
        status=Service.Status.DRAFT,
        needs=[garde],
    )
    return {
        "near": near,
        "far": far,
        "petite_enfance": petite_enfance,
        "jeunesse": jeunesse,
        "garde": garde,
        "creche": creche,
        "rpe": rpe,
        "mission_locale": mission_locale,
        "draft": draft,
    }
