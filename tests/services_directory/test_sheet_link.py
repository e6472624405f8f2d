"""/fiche/<token>/: the signed link a freshness e-mail sends: confirm or edit one sheet,
without an account, while the link is valid."""

import datetime as dt

import time_machine
from django.core import signing

from services_directory import access
from services_directory.models import FreshnessRequest, Service, ServiceChange

SENT = dt.datetime(2026, 11, 2, 8, 0, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def link(world) -> tuple[FreshnessRequest, str]:
    with time_machine.travel(SENT, tick=False):
        asked = FreshnessRequest.objects.create(service=world.service, sent_to="rpe@example.org")
        return asked, access.sheet_link_token(asked)


@time_machine.travel(NOW, tick=False)
def test_the_link_opens_the_sheet_without_an_account(client, world):
    _asked, token = link(world)

    response = client.get(f"/fiche/{token}/")

    assert response.status_code == 200
    assert "Fiche « Relais Petite Enfance »" in response.text
    assert "Rien n&#x27;a changé" in response.text or "Rien n'a changé" in response.text
    assert "no-cache" in response["Cache-Control"]


@time_machine.travel(NOW, tick=False)
def test_nothing_changed_by_the_link_is_recorded_as_the_answer(client, world):
    asked, token = link(world)

    response = client.post(f"/fiche/{token}/rien-n-a-change/")

    assert "est marqué vérifié aujourd'hui" in response.text
    asked.refresh_from_db()
    assert asked.answer == FreshnessRequest.Answer.CONFIRMED
    assert asked.answered_at == NOW
    assert Service.objects.get(pk=world.service.pk).verified_on == dt.date(2026, 11, 30)
    change = ServiceChange.objects.get()
    assert change.link == asked and change.author is None
    assert change.author_label == "lien envoyé à rpe@example.org"


@time_machine.travel(NOW, tick=False)
def test_an_edit_by_the_link_is_applied_and_answers_the_request(client, world):
    asked, token = link(world)
    page = client.get(f"/fiche/{token}/")
    data = {
        "phone": "03 86 11 11 11",
        "name": world.service.name,
        "summary": world.service.summary,
        "what_we_do": world.service.what_we_do,
        "audience": world.service.audience,
        "age_of": world.service.age_of,
        "cost": world.service.cost,
    }
    for _prefix, _title, formset in page.context["sheet"].inlines:
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.forms:
            for field in form:
                if field.value() not in (None, "", False):
                    data[field.html_name] = field.value()

    response = client.post(f"/fiche/{token}/", data)

    assert response.status_code == 200, response.context["sheet"].form.errors
    assert "est enregistrée" in response.text
    asked.refresh_from_db()
    assert asked.answer == FreshnessRequest.Answer.EDITED
    assert Service.objects.get(pk=world.service.pk).phone == "03 86 11 11 11"
    assert ServiceChange.objects.get().link == asked


def test_a_forged_or_altered_link_opens_nothing(client, world):
    _asked, token = link(world)
    forged = signing.dumps({"r": 1, "s": world.service.pk}, salt="another-salt")
    for bad in (forged, token[:-2] + "xx", "n-importe-quoi", "a" * 5000):
        assert client.get(f"/fiche/{bad}/").status_code == 404
        assert client.post(f"/fiche/{bad}/rien-n-a-change/").status_code == 404
    assert not ServiceChange.objects.exists()


def test_a_link_older_than_its_validity_opens_nothing(client, world, settings):
    _asked, token = link(world)
    with time_machine.travel(SENT + dt.timedelta(days=settings.FRESHNESS_LINK_DAYS, hours=1)):
        assert client.get(f"/fiche/{token}/").status_code == 404


def test_a_link_to_an_archived_service_opens_nothing(client, world):
    _asked, token = link(world)
    Service.objects.filter(pk=world.service.pk).update(status=Service.Status.ARCHIVED)
    with time_machine.travel(NOW, tick=False):
        assert client.get(f"/fiche/{token}/").status_code == 404
