"""The chargée de mission's hours field: a preview as the public sees it, the overriding-rule
warning, the parser's error in French; and the reachability check before publishing."""

import datetime as dt
from html import unescape

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from services_directory.models import Notice, Service
from tests.factories import make_partner, make_place, make_sector, make_service
from tests.services_directory.test_admin import ADD_URL, service_form

PREVIEW = reverse("admin:services_directory_hours_preview")
TUESDAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def chargee(client, db):
    get_user_model().objects.create_superuser("chargee", "c@example.org", "pw-2026-x!")
    return login(client)


def login(client):
    """Log in at the test's (possibly frozen) time: sessions last 8 hours."""
    client.force_login(get_user_model().objects.get(username="chargee"))
    return client


@time_machine.travel(TUESDAY, tick=False)
def test_the_preview_shows_the_public_week_table_and_warns_about_a_replaced_day(chargee):
    login(chargee)
    response = chargee.get(
        PREVIEW, {"service_places-0-opening_hours": "Mo-Fr 09:00-12:00; We 14:00-17:00"}
    )
    text = unescape(response.text)
    assert response.status_code == 200
    assert (
        "La règle « We 14:00-17:00 » remplace les horaires donnés avant pour le mercredi" in text
    )
    assert "« Mo-Fr 09:00-12:00; We 09:00-12:00,14:00-17:00 »" in text
    assert "Aujourd'hui" in text and "mardi 1er décembre" in text
    assert "Mercredi 2 décembre</th>" in text
    wednesday = text[text.index("Mercredi 2 décembre") :]
    assert wednesday.index("de 14 h à 17 h") < wednesday.index("Jeudi")


@time_machine.travel(TUESDAY, tick=False)
def test_the_preview_says_a_monthly_rule_and_school_holidays_in_plain_french(chargee):
    login(chargee)
    text = unescape(
        chargee.get(PREVIEW, {"x-opening_hours": "Sa[1] 09:00-12:00; SH Mo-Fr 08:00-18:00"}).text
    )
    assert "Le 1er samedi du mois, de 9 h à 12 h" in text
    assert "Pendant les vacances scolaires, du lundi au vendredi, de 8 h à 18 h." in text
    assert "Vacances de Noël : du 19 décembre au 3 janvier 2027." in text


def test_the_preview_gives_the_error_in_french_with_its_position(chargee):
    text = unescape(chargee.get(PREVIEW, {"x-opening_hours": "Mo-Fr 09:00-12:00 ; Sq 10:00"}).text)
    assert "Horaires illisibles à partir du caractère 21 (« Sq 10:00 »)" in text
    assert "expected" not in text


def test_the_preview_is_for_staff_only(client, db):
    response = client.get(PREVIEW, {"x-opening_hours": "Mo 09:00-12:00"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_change_page_shows_the_preview_without_javascript(chargee):
    service = make_service(places=[(make_place(), "Mo-Fr 09:00-12:00; We 14:00-17:00")])
    change = reverse("admin:services_directory_service_change", args=[service.pk])
    text = unescape(chargee.get(change).text)
    assert 'class="hours-preview"' in text
    assert "remplace les horaires donnés avant pour le mercredi" in text
    assert f'hx-get="{PREVIEW}"' in text
    assert "django_htmx/htmx-2.min.js" in text


def test_saving_hours_that_replace_a_day_saves_and_warns(chargee):
    data = service_form(
        make_partner(), make_sector(), make_place(), "Mo-Fr 09:00-12:00; We 14:00-17:00"
    )
    response = chargee.post(ADD_URL, data, follow=True)
    assert Service.objects.filter(slug="pij").exists()
    assert "remplace les horaires donnés avant pour le mercredi" in unescape(response.text)


def test_a_service_nobody_can_reach_is_not_published(chargee):
    data = service_form(make_partner(), make_sector(), make_place(), "Mo 09:00-12:00")
    data["phone"] = ""
    response = chargee.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Un service publié doit pouvoir être joint" in unescape(response.text)
    assert not Service.objects.exists()


def test_a_walk_in_only_service_is_published_with_a_warning(chargee):
    data = service_form(make_partner(), make_sector(), make_place(), "Mo 09:00-12:00")
    data["phone"] = ""
    data["walk_in"] = "on"
    response = chargee.post(ADD_URL, data, follow=True)
    assert Service.objects.get(slug="pij").is_public
    assert "Ce service n'a ni téléphone, ni courriel, ni lien." in unescape(response.text)


def test_the_publish_action_refuses_an_unreachable_service(chargee):
    service = make_service(status=Service.Status.DRAFT, phone="", walk_in=False)
    changelist = reverse("admin:services_directory_service_changelist")
    response = chargee.post(
        changelist, {"action": "publish", "_selected_action": [service.pk]}, follow=True
    )
    service.refresh_from_db()
    assert service.status == Service.Status.DRAFT
    assert "n'est pas publié : Un service publié doit pouvoir être joint" in unescape(
        response.text
    )


@time_machine.travel(TUESDAY, tick=False)
def test_a_notice_is_added_from_the_service_page(chargee):
    login(chargee)
    service = make_service(phone="03 86 00 00 00", places=[(make_place(), "Mo-Fr 09:00-17:00")])
    data = service_form(
        service.partner,
        service.sectors.first(),
        service.nearest_place(None).place,
        "Mo-Fr 09:00-17:00",
    )
    data.update(
        {
            "slug": service.slug,
            "name": service.name,
            "service_places-INITIAL_FORMS": "1",
            "service_places-0-id": service.nearest_place(None).pk,
            "service_places-0-service": service.pk,
            "notices-TOTAL_FORMS": "1",
            "notices-0-kind": "hours",
            "notices-0-start": "2026-12-01",
            "notices-0-end": "2026-12-04",
            "notices-0-reason": "inventaire",
            "notices-0-opening_hours": "Mo-Fr 14:00-16:00",
        }
    )
    change = reverse("admin:services_directory_service_change", args=[service.pk])
    response = chargee.post(change, data)
    assert response.status_code == 302, unescape(response.text)[:3000]
    notice = Notice.objects.get()
    assert notice.kind == Notice.Kind.HOURS and notice.service == service
    text = chargee.get(service.get_absolute_url()).text
    assert "Horaires modifiés du 1er décembre au 4 décembre — inventaire" in text
