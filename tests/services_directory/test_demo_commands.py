"""The demo directory and `generate_demo`: a realistic territory, and a large synthetic one."""

import copy
import importlib
import io
import re

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from portal.management.commands.load_demo import read
from services_directory import demo
from services_directory import hours as hours_lib
from services_directory.models import (
    Commune,
    ItinerantStop,
    Notice,
    OpeningSlot,
    Partner,
    Place,
    Referent,
    Sector,
    Service,
    ServicePlace,
    ServiceSearch,
    Territory,
)
from services_directory.search import analyse

pytestmark = pytest.mark.django_db

SEED_MIGRATION = "services_directory.migrations.0003_seed_sectors_needs_languages"
PHONE = re.compile(r"^03 53 73 \d\d \d\d$")  # the numbers ARCEP reserves for fiction
EMAIL = re.compile(r"@([a-z0-9-]+\.)*example\.org$")
DATA = read("directory")


def _ensure_seeded_reference_data() -> None:
    """Transactional tests elsewhere flush the database, seeded rows included."""
    if not Sector.objects.filter(slug="petite-enfance").exists():
        importlib.import_module(SEED_MIGRATION).forward(django_apps, None)


@pytest.fixture
def seeded(db):
    _ensure_seeded_reference_data()


@pytest.fixture(scope="module")
def demo_directory(django_db_setup, django_db_blocker):
    """The demo directory, committed once for this module: a load takes seconds.

    Tests still run in their own rolled-back transaction on top of it; teardown removes
    exactly what the loader created so that no other module sees it.
    """
    with django_db_blocker.unblock():
        _ensure_seeded_reference_data()
        demo.load(DATA)
    yield
    with django_db_blocker.unblock():
        Service.objects.filter(slug__in=[item["slug"] for item in DATA["services"]]).delete()
        partners = [item["slug"] for item in DATA["partners"]]
        Referent.objects.filter(partner__slug__in=partners).delete()
        communes = Commune.objects.filter(insee_code__in=_demo_insee_codes())
        Place.objects.filter(commune__in=communes).delete()
        Partner.objects.filter(slug__in=partners).delete()
        communes.delete()
        Territory.objects.filter(name=DATA["territory"]["name"]).delete()


def _demo_insee_codes() -> list[str]:
    return [commune["insee_code"] for commune in DATA["communes"]]


def _snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Territory, Commune, Partner, Place, Service, ServicePlace, Referent)
    } | {
        "slots": OpeningSlot.objects.count(),
        "stops": ItinerantStop.objects.count(),
        "search": sorted(Service.objects.values_list("slug", "search_text")),
    }


def test_it_loads_the_demo_territory_and_a_second_run_changes_nothing(demo_directory):
    first = _snapshot()
    out = io.StringIO()

    demo.load(DATA, out)

    assert _snapshot() == first
    territory = Territory.objects.get(name=DATA["territory"]["name"])
    assert territory.is_demo
    assert f"{len(DATA['services'])} services publiés" in out.getvalue()


def test_it_covers_every_sector_modality_and_theme(demo_directory):
    published = Service.objects.published()

    assert published.count() >= 60
    for sector in Sector.objects.all():
        assert published.filter(sectors=sector).exists(), sector.name
    assert published.filter(itinerant=True, stops__isnull=False).distinct().count() >= 2
    assert ItinerantStop.objects.filter(date__isnull=False).exists()
    assert ItinerantStop.objects.filter(schedule="Tu[2] 09:00-12:00").exists()
    assert published.filter(collective=True).count() >= 5
    assert published.filter(open_saturday=True).count() >= 5
    assert published.filter(open_evening=True).count() >= 5
    assert published.filter(open_lunchtime=True).exists()
    assert published.filter(serves_whole_territory=False).exists()
    assert set(Referent.objects.values_list("theme", flat=True)) == set(Referent.Theme.values)
    assert Referent.objects.filter(is_relay_person=True).exists()
    assert Referent.objects.filter(visibility=Referent.Visibility.PROFESSIONALS).exists()
    # The admin's "à vérifier" list and the closure banner have something to show.
    assert Service.objects.to_verify().exists()
    today = timezone.localdate()
    assert (
        Notice.objects.current(today).filter(kind=Notice.Kind.CLOSURE, start__lte=today).exists()
    )
    assert Notice.objects.current(today).filter(kind=Notice.Kind.HOURS, start__lte=today).exists()
    assert all(service.what_we_dont_do for service in published)


def test_a_corrected_insee_code_updates_the_commune_already_loaded(demo_directory):
    # Évry was 89161 in the demo data (typed from memory); the COG says 89162.
    Commune.objects.filter(slug="evry").update(insee_code="89161")

    demo.load(DATA, io.StringIO())

    evry = Commune.objects.get(slug="evry")
    assert evry.insee_code == "89162"
    assert not Commune.objects.filter(insee_code="89161").exists()


def test_it_uses_real_communes_and_only_fictitious_contacts(demo_directory):

    codes = list(Commune.objects.values_list("insee_code", flat=True))
    assert len(codes) >= 15
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"89\d{3}", code) for code in codes)
    assert Commune.objects.get(insee_code="89309").name == "Pont-sur-Yonne"

    phones = [
        *Service.objects.exclude(phone="").values_list("phone", flat=True),
        *Partner.objects.values_list("phone", flat=True),
        *Referent.objects.exclude(phone="").values_list("phone", flat=True),
    ]
    emails = [
        *Service.objects.exclude(email="").values_list("email", flat=True),
        *Partner.objects.values_list("email", flat=True),
        *Referent.objects.exclude(email="").values_list("email", flat=True),
    ]
    assert phones and all(PHONE.match(phone) for phone in phones)
    assert emails and all(EMAIL.search(email) for email in emails)


def test_it_only_uses_hours_that_parse_and_stops_that_come_round(demo_directory):

    for service_place in ServicePlace.objects.exclude(opening_hours=""):
        hours_lib.validate(service_place.opening_hours)
        assert service_place.week_table(), service_place
    for stop in ItinerantStop.objects.all():
        stop.full_clean()
        assert stop.next_dates(), stop


def test_it_finds_demo_services_by_the_words_families_use(demo_directory):
    published = Service.objects.published()

    def found(query):
        documents = ServiceSearch.objects.ranked(analyse(query))
        return set(published.filter(pk__in=documents.values("pk")).values_list("slug", flat=True))

    assert "relais-petite-enfance" in found("assistantes maternelles")
    assert "multi-accueil-les-petits-mousses" in found("creche")
    assert "alsh-les-castors-mercredis" in found("centre aéré")
    assert "bus-france-services" in found("France Connect")
    assert "mediation-familiale" in found("pension alimentaire")


def _with(change) -> dict:
    """A deep copy of the demo directory's data, changed by `change`."""
    data = copy.deepcopy(DATA)
    change(data)
    return data


def _rename(record: dict, old: str, new: str) -> None:
    record[new] = record.pop(old)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: _rename(data["services"][1], "verified_days_ago", "verifed_days_ago"),
            "Démonstration, service n° 2 « multi-accueil-les-lucioles » : clé inconnue "
            "« verifed_days_ago » (vouliez-vous dire « verified_days_ago » ?).",
        ),
        (
            lambda data: _rename(data["services"][0]["places"][0], "hours", "horaires"),
            "Démonstration, service « multi-accueil-les-petits-mousses », lieu n° 1 "
            "« psy-petite-enfance » : clé inconnue « horaires » (vouliez-vous dire « hours » ?).",
        ),
        (
            lambda data: data["services"][0].update(documents="Carte Vitale"),
            "Démonstration, service n° 1 « multi-accueil-les-petits-mousses » : « documents » "
            "doit être une liste.",
        ),
        (
            lambda data: data["places"]["psy-cms"].pop("name"),
            "Démonstration, lieu « psy-cms » : clé obligatoire absente « name ».",
        ),
        (
            lambda data: data.pop("referents"),
            "Démonstration, annuaire (directory.toml) : clé obligatoire absente « referents ».",
        ),
    ],
)
def test_a_typo_in_the_data_is_refused_with_the_record_named_and_nothing_written(
    seeded, change, message
):
    before = _snapshot()

    with pytest.raises(CommandError) as refused:
        demo.load(_with(change))

    assert str(refused.value) == message
    assert _snapshot() == before


def _derived(service: Service):
    slots = sorted(
        service.opening_slots.values_list(
            "weekday", "opens", "closes", "closed_on_public_holidays"
        )
    )
    return (service.open_saturday, service.open_evening, service.open_lunchtime, slots)


def test_it_generates_searchable_services_with_the_same_derived_data_as_the_model(
    demo_directory,
):
    out = io.StringIO()
    call_command("generate_demo", "--services", "300", "--seed", "3", stdout=out)

    generated = Service.objects.published().filter(slug__startswith="synth-3-")
    assert generated.count() == 300
    assert "300 services synthétiques" in out.getvalue()
    # Every generated service lies in the demo territory's communes.
    assert (
        not ServicePlace.objects.filter(service__in=generated)
        .exclude(place__commune__insee_code__in=_demo_insee_codes())
        .exists()
    )

    # One in three, spread over the run: the bulk text must equal the model's own. The
    # model reads a service's places in database order (no ORDER BY), so with several
    # places only the words, not their order, are comparable.
    for service in list(generated.select_related("partner").order_by("pk"))[::3]:
        expected = service.build_search_text()
        if service.service_places.count() == 1:
            assert service.search_text == expected, service.slug
        else:
            assert sorted(service.search_text.split()) == sorted(expected.split()), service.slug

    with_hours = list(generated.filter(opening_slots__isnull=False).distinct())
    assert 50 <= len(with_hours) <= 150  # about 30 %
    assert any(service.open_saturday for service in with_hours)
    assert any(service.open_evening for service in with_hours)
    for service in [*with_hours[:30], *generated.filter(opening_slots__isnull=True)[:10]]:
        before = _derived(service)
        service.refresh_derived()
        service.refresh_from_db()
        assert _derived(service) == before, service.slug

    sample = generated.order_by("pk").first()
    need = sample.needs.first()
    words = need.synonym_list[0] if need.synonyms else need.name
    assert ServiceSearch.objects.ranked(analyse(words)).filter(pk=sample.pk).exists()


def test_it_loads_the_demo_directory_first_when_it_is_missing(seeded, settings, tmp_path):
    # A one-commune demo directory, where `load_demo` would read it.
    (tmp_path / "directory.toml").write_text(
        """
        partners = []
        services = []
        referents = []
        places = {}

        [territory]
        name = "Territoire d'essai"

        [[communes]]
        slug = "commune-test"
        name = "Commune test"
        insee_code = "89999"
        postcode = "89000"
        latitude = 48.0
        longitude = 3.0
        """,
        encoding="utf-8",
    )
    settings.DEMO_DATA_DIR = tmp_path
    out = io.StringIO()

    call_command("generate_demo", "--services", "5", "--seed", "6", stdout=out)

    assert "chargement de l'annuaire" in out.getvalue()
    assert Territory.objects.get(name="Territoire d'essai").is_demo
    generated = Service.objects.filter(slug__startswith="synth-6-")
    assert generated.count() == 5
    assert set(generated.values_list("service_places__place__commune__insee_code", flat=True)) == {
        "89999"
    }


def test_it_replaces_what_the_same_seed_generated_before(demo_directory):
    call_command("generate_demo", "--services", "60", "--seed", "4", stdout=io.StringIO())
    counts = (Service.objects.count(), Place.objects.count(), Partner.objects.count())
    first_slugs = set(Service.objects.filter(slug__startswith="synth-4-").values_list("slug"))

    out = io.StringIO()
    call_command("generate_demo", "--services", "60", "--seed", "4", stdout=out)

    assert (Service.objects.count(), Place.objects.count(), Partner.objects.count()) == counts
    assert set(Service.objects.filter(slug__startswith="synth-4-").values_list("slug")) == (
        first_slugs
    )
    assert "graine 4 remplacées" in out.getvalue()


@pytest.mark.parametrize("arguments", [["--services", "0"], ["--services", "10", "--seed", "-1"]])
def test_it_refuses_a_meaningless_request_in_french(arguments):
    before = Service.objects.count()

    with pytest.raises(CommandError, match="doit être"):
        call_command("generate_demo", *arguments, stdout=io.StringIO())

    assert Service.objects.count() == before


def test_the_import_checks_hours_like_the_admin(seeded):
    def hours(value):
        return lambda data: data["services"][0]["places"][0].update(hours=value)

    with pytest.raises(CommandError) as refused:
        demo.load(_with(hours("Lu-Ve 9h-12h")))
    assert str(refused.value).startswith(
        "Démonstration, service « multi-accueil-les-petits-mousses », lieu psy-petite-enfance : "
        "Horaires illisibles à partir du caractère 1"
    )
    out = io.StringIO()
    demo.load(_with(hours("Mo-Fr 09:00-12:00; We 14:00-17:00")), out)
    assert "La règle « We 14:00-17:00 » remplace les horaires donnés avant" in out.getvalue()
