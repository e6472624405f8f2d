"""« Signaler une erreur »: an anonymous form on every service page."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from services_directory.models import ErrorReport, OutgoingMessage, Territory


def url(service) -> str:
    return reverse("services_directory:report_error", args=[service.slug])


@pytest.fixture(autouse=True)
def fresh_counters(db):
    cache.clear()
    yield
    cache.clear()


def test_every_service_page_links_to_the_form(client, directory):
    text = client.get(directory["rpe"].get_absolute_url()).text
    assert f'href="{url(directory["rpe"])}"' in text
    assert "Signaler une erreur" in text


def test_the_form_asks_nothing_personal(client, directory):
    response = client.get(url(directory["rpe"]))
    assert response.status_code == 200
    text = response.text
    assert "Qu&#x27;est-ce qui n&#x27;est pas juste ?" in text or "Qu'est-ce qui" in text
    assert "Les horaires ou les dates" in text
    for field in ('name="email"', 'name="name"', 'name="phone"', 'type="email"'):
        assert field not in text


def test_a_report_is_queued_and_the_coordinator_is_told(client, directory, settings):
    Territory.objects.update(contact_email="coordination@example.org")
    settings.OUTBOX_SEND_AT_ONCE = False
    response = client.post(
        url(directory["rpe"]),
        {"topic": "hours", "comment": "Le mardi, c'est fermé le matin."},
        follow=True,
    )
    assert "Merci : votre signalement est envoyé." in response.text
    report = ErrorReport.objects.get()
    assert report.service == directory["rpe"]
    assert report.topic == "hours"
    assert report.status == ErrorReport.Status.NEW
    message = OutgoingMessage.objects.get(kind="error_report")
    assert message.to == "coordination@example.org"
    assert "Relais Petite Enfance" in message.subject
    assert f"/admin/services_directory/errorreport/{report.pk}/change/" in message.body
    # The visitor's words stay in the admin: nothing they typed travels by e-mail.
    assert "fermé le matin" not in message.body


def test_the_reports_address_can_be_set(client, directory, settings):
    settings.REPORTS_EMAIL = "signalements@example.org"
    client.post(url(directory["rpe"]), {"topic": "contact"})
    assert OutgoingMessage.objects.get().to == "signalements@example.org"


def test_htmx_gets_the_thanks_in_place(client, directory):
    response = client.post(
        url(directory["rpe"]), {"topic": "place"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="signaler"')
    assert "Merci : votre signalement est envoyé." in response.text


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"topic": "n'importe quoi"},
        {"topic": "<script>alert(1)</script>"},
        {"topic": "h" * 5000},
    ],
)
def test_a_missing_or_tampered_topic_gets_a_french_message(client, directory, data):
    response = client.post(url(directory["rpe"]), data)
    assert response.status_code == 400
    assert "Choisissez ce qui n" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert not ErrorReport.objects.exists()


def test_a_10_kb_text_is_refused_and_comes_back(client, directory):
    text = "Les horaires sont faux. " * 430  # about 10 KB
    response = client.post(url(directory["rpe"]), {"topic": "hours", "comment": text})
    assert response.status_code == 400
    assert "Votre texte est trop long : 1000 caractères au plus" in response.text
    assert text.strip() in response.text  # nothing lost
    assert not ErrorReport.objects.exists()


@pytest.mark.parametrize(
    "comment",
    [
        "<script>alert('x')</script>",
        "'; DROP TABLE services_directory_service; --",
        "{{ settings.SECRET_KEY }} {% debug %}",
        "\u202eévitez\u200b les caractères invisibles",
        "émojis 👶🏽 et ÆŒ",
    ],
)
def test_hostile_text_is_stored_as_text_and_escaped(client, directory, admin_client, comment):
    response = client.post(url(directory["rpe"]), {"topic": "other", "comment": comment})
    assert response.status_code == 302
    report = ErrorReport.objects.get()
    assert report.comment == comment.strip()
    page = admin_client.get(
        reverse("admin:services_directory_errorreport_change", args=[report.pk])
    )
    assert page.status_code == 200
    assert "<script>alert(" not in page.text


def test_a_nul_character_is_refused_with_a_message(client, directory):
    response = client.post(url(directory["rpe"]), {"topic": "other", "comment": "a\x00b"})
    assert response.status_code == 400
    assert "caractère invisible interdit" in response.text


def test_a_flood_gets_a_429_in_french_and_keeps_the_text(client, directory, settings):
    settings.ERROR_REPORTS_PER_HOUR = 3
    for _ in range(3):
        assert client.post(url(directory["rpe"]), {"topic": "hours"}).status_code == 302
    response = client.post(url(directory["rpe"]), {"topic": "hours", "comment": "Encore moi"})
    assert response.status_code == 429
    assert "réessayez dans une heure" in response.text
    assert "Encore moi" in response.text
    assert ErrorReport.objects.count() == 3
    # Another connection is not blocked.
    other = client.post(url(directory["rpe"]), {"topic": "hours"}, REMOTE_ADDR="10.0.0.2")
    assert other.status_code == 302


def test_the_rate_limit_stores_no_address(client, directory, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client.post(url(directory["rpe"]), {"topic": "hours"}, REMOTE_ADDR="192.0.2.44")
    keys = list(cache._cache.keys())
    assert keys and not any("192.0.2.44" in key for key in keys)


def test_a_draft_service_has_no_form(client, directory):
    assert client.get(url(directory["draft"])).status_code == 404
    assert client.post(url(directory["draft"]), {"topic": "hours"}).status_code == 404


def test_other_methods_are_refused(client, directory):
    assert client.put(url(directory["rpe"])).status_code == 405


def test_the_coordinator_closes_a_report_and_marks_the_service_verified(admin_client, directory):
    report = ErrorReport.objects.create(service=directory["rpe"], topic="hours")
    change = reverse("admin:services_directory_errorreport_change", args=[report.pk])
    response = admin_client.post(
        change, {"status": "closed", "resolution": "Horaires corrigés.", "mark_verified": "on"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ErrorReport.Status.CLOSED
    assert report.closed_at is not None
    assert report.resolution == "Horaires corrigés."
    directory["rpe"].refresh_from_db()
    assert directory["rpe"].verified_on is not None


def test_the_queue_closes_several_reports_at_once(admin_client, directory):
    reports = [ErrorReport.objects.create(service=directory["rpe"], topic="hours") for _ in "ab"]
    changelist = reverse("admin:services_directory_errorreport_changelist")
    assert "Relais Petite Enfance" in admin_client.get(changelist).text
    admin_client.post(
        changelist,
        {"action": "close", "_selected_action": [report.pk for report in reports]},
    )
    assert not ErrorReport.objects.pending().exists()
    directory["rpe"].refresh_from_db()
    assert directory["rpe"].verified_on is None  # closing alone does not say "checked"
