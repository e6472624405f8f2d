import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from services_directory.models import ItinerantStop, Notice, Service, ServiceSearch
from services_directory.search import analyse
from services_directory.text import normalize, query_tokens
from tests.factories import make_need, make_place, make_sector, make_service

pytestmark = pytest.mark.django_db


def test_normalize_folds_accents_case_and_stems():
    assert normalize("Crèches et Assistantes MATERNELLES") == "crech et assist maternel"
    assert normalize("divorcé divorcée divorce") == "divorc divorc divorc"
    assert normalize("séparée séparation") == "separ separ"
    assert normalize("emplois ados") == "emploi ado"  # plurals the stemmer keeps


def test_acronyms_are_not_stemmed_into():
    # "café" must not become "caf" (CAF), nor "payer" "pai" (PAI).
    assert normalize("Café des parents CAF") == "cafe de parent caf"
    assert normalize("payer") != normalize("PAI")


def test_query_tokens_drop_small_words_phrasing_and_repeats():
    assert query_tokens("une crèche pour la crèche de Sens") == ["crech", "sen"]
    assert query_tokens("je cherche une nounou pour ma fille de 3 ans") == ["nounou", "fill"]


def test_search_text_carries_the_service_s_own_words_and_sectors():
    need = make_need(name="Garde (test)", synonyms="crèche\nassistante maternelle")
    service = make_service(
        name="Relais Petite Enfance", needs=[need], sectors=[make_sector(name="Petite Enfance")]
    )
    assert " rel petit enfanc " in service.search_text
    # A need's words are matched at query time (search.py), found by the need's id.
    assert " assist maternel " not in service.search_text
    assert ServiceSearch.objects.filter(facets__haswords=[f"n{need.pk}"]).exists()


def test_changing_a_need_synonym_reaches_the_search_at_once():
    need = make_need(name="Garde", synonyms="")
    service = make_service(needs=[need])
    need.synonyms = "nounou"
    need.save()
    assert list(ServiceSearch.objects.ranked(analyse("nounou"))) == [service.search_document]


def test_hours_flags_are_derived_from_places():
    service = make_service(
        places=[
            (make_place(), "Mo-Fr 08:00-19:00; Sa 09:00-12:00"),
            (make_place(), "We 09:00-12:00"),
        ]
    )
    assert service.open_saturday
    assert service.open_evening
    assert service.open_lunchtime
    other = make_service(places=[(make_place(), "Mo-Fr 09:00-12:00,14:00-17:00")])
    assert (other.open_saturday, other.open_evening, other.open_lunchtime) == (False, False, False)


def test_open_at_respects_the_typical_week_and_public_holidays():
    service = make_service(places=[(make_place(), "Mo-Fr 09:00-17:00; PH off")])
    always = make_service(places=[(make_place(), "Mo-Su 09:00-17:00")])
    tuesday = dt.datetime(2026, 11, 24, 10, 0)
    assert set(Service.objects.open_at(tuesday)) == {service, always}
    assert set(Service.objects.open_at(tuesday.replace(hour=18))) == set()
    assert set(Service.objects.open_at(dt.datetime(2026, 7, 14, 10, 0))) == {always}


def test_age_range_must_be_ordered():
    service = make_service()
    service.age_min, service.age_max = 12, 3
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "âge maximum" in str(error.value)


def test_paid_service_needs_cost_details():
    service = make_service()
    service.cost = Service.Cost.PAID
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "Précisez le coût" in str(error.value)


def test_notice_is_active_only_between_its_dates():
    notice = Notice.objects.create(
        service=make_service(),
        kind=Notice.Kind.CLOSURE,
        start=dt.date(2026, 12, 20),
        end=dt.date(2027, 1, 3),
    )
    assert not notice.is_active(dt.date(2026, 12, 19))
    assert notice.is_active(dt.date(2026, 12, 20))
    assert notice.is_active(dt.date(2027, 1, 3))
    assert not notice.is_active(dt.date(2027, 1, 4))
    assert list(Notice.objects.current(dt.date(2027, 1, 3))) == [notice]
    assert not Notice.objects.current(dt.date(2027, 1, 4)).exists()


def test_a_published_service_must_be_reachable():
    service = make_service(phone="", email="", website="", walk_in=False)
    with pytest.raises(ValidationError) as error:
        service.full_clean()
    assert "Un service publié doit pouvoir être joint" in str(error.value)
    service.walk_in = True
    service.full_clean()  # walk-in only: the page says so
    assert service.walk_in_only


@pytest.mark.parametrize(
    ("kind", "hours", "text", "message"),
    [
        ("hours", "", "", "Donnez les horaires de la période."),
        ("closure", "Mo 09:00-12:00", "", "Des horaires ne vont qu'avec"),
        ("message", "", "", "Écrivez le message à afficher."),
        ("hours", "Jul Mo 09:00-12:00", "", "écrivez seulement des jours et des heures"),
    ],
)
def test_a_notice_is_checked(kind, hours, text, message):
    notice = Notice(
        service=make_service(),
        kind=kind,
        opening_hours=hours,
        text=text,
        start=dt.date(2026, 12, 1),
        end=dt.date(2026, 12, 2),
    )
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert message in str(error.value)


def test_services_not_verified_for_six_months_are_to_verify():
    today = dt.date(2026, 11, 22)
    fresh = make_service(verified_on=today - dt.timedelta(days=30))
    stale = make_service(verified_on=today - dt.timedelta(days=200))
    never = make_service(verified_on=None)
    to_verify = set(Service.objects.to_verify(today))
    assert stale in to_verify and never in to_verify and fresh not in to_verify


def test_recurring_stop_gives_the_second_tuesday_of_the_month():
    service = make_service(itinerant=True)
    stop = ItinerantStop.objects.create(
        service=service, place=make_place(), schedule="Tu[2] 09:00-12:00"
    )
    dates = stop.next_dates(dt.datetime(2026, 11, 22, 8, 0), limit=2)
    assert dates[0] == (dt.datetime(2026, 12, 8, 9, 0), dt.datetime(2026, 12, 8, 12, 0))
    assert dates[1][0].date() == dt.date(2027, 1, 12)


def test_a_stop_needs_a_date_or_a_schedule_not_both():
    stop = ItinerantStop(service=make_service(), place=make_place())
    with pytest.raises(ValidationError):
        stop.full_clean()
    stop.date, stop.schedule = dt.date(2026, 12, 1), "We 09:00-12:00"
    with pytest.raises(ValidationError):
        stop.full_clean()


def test_reach_follows_communes_served_places_and_new_communes():
    from services_directory.models import ServiceReach
    from tests.factories import make_commune

    home = make_commune(latitude=48.30, longitude=3.20)
    elsewhere = make_commune(latitude=48.40, longitude=3.20)
    local = make_service(serves_whole_territory=False, places=[make_place(commune=home)])
    local.communes_served.set([home])
    local.refresh_derived()
    everywhere = make_service(places=[make_place(commune=home)])
    assert set(ServiceReach.objects.filter(service=local).values_list("commune", flat=True)) == {
        home.pk
    }
    far = ServiceReach.objects.get(service=everywhere, commune=elsewhere)
    assert round(far.distance2**0.5, 1) == 11.1  # 0.1° of latitude
    newcomer = make_commune()
    assert ServiceReach.objects.filter(service=everywhere, commune=newcomer).exists()
    assert not ServiceReach.objects.filter(service=local, commune=newcomer).exists()
