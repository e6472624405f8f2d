"""/espace-pro/mes-services/<pk>/: editing a sheet. Practical information is published at
once; what the service does and who it is for waits for the coordination."""

import datetime as dt

import time_machine

from services_directory.models import ItinerantStop, Notice, Service, ServiceChange
from tests.factories import make_place

NOW = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def url(world) -> str:
    return f"/espace-pro/mes-services/{world.service.pk}/"


def sheet_data(client, world, **changes) -> dict:
    """The form as the page shows it, with some fields changed."""
    form = client.get(url(world)).context["sheet"]
    data = {}
    for field in form.form:
        value = field.value()
        if value is None or value is False:
            continue
        data[field.html_name] = "on" if value is True else value
    for _prefix, _title, formset in form.inlines:
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = formset.management_form[name].value()
        for subform in formset.forms:
            for field in subform:
                value = field.value()
                if value not in (None, False, ""):
                    data[field.html_name] = value
    data.update(changes)
    return data


@time_machine.travel(NOW, tick=False)
def test_practical_changes_are_published_at_once_and_audited(client, world):
    client.force_login(world.partner_staff)
    data = sheet_data(
        client,
        world,
        phone="03 86 00 00 09",
        **{
            "horaires-0-opening_hours": "Mo-Fr 09:00-12:00; We 14:00-17:00",
            # A dated notice, in the sheet's empty row for a new one.
            "avis-0-kind": "closure",
            "avis-0-reason": "congés",
            "avis-0-text": "Le relais est fermé pendant les vacances de Noël.",
            "avis-0-start": "2026-11-30",
            "avis-0-end": "2027-01-02",
        },
    )

    response = client.post(url(world), data)

    assert response.status_code == 302, response.context["sheet"].form.errors
    service = Service.objects.get(pk=world.service.pk)
    notice = Notice.objects.get(service=service)
    assert (notice.kind, notice.reason) == (Notice.Kind.CLOSURE, "congés")
    assert (notice.start, notice.end) == (dt.date(2026, 11, 30), dt.date(2027, 1, 2))
    assert service.phone == "03 86 00 00 09"
    assert service.verified_on == dt.date(2026, 11, 30)
    assert service.service_places.get().opening_hours == "Mo-Fr 09:00-12:00; We 14:00-17:00"
    assert service.open_saturday is False
    change = ServiceChange.objects.get()
    assert change.kind == ServiceChange.Kind.PRACTICAL
    assert change.status == ServiceChange.Status.APPLIED
    assert change.author == world.partner_staff
    assert change.changes["phone"] == ["03 86 00 00 01", "03 86 00 00 09"]
    assert any(key.startswith("Avis datés") for key in change.changes)
    assert any(key.startswith("Horaires de chaque lieu — ") for key in change.changes)
    # Closed from today: the public reads it, and the hours filters drop the service.
    page = client.get(f"/annuaire/{service.slug}/")
    assert "congés" in page.text
    assert "Fermé temporairement" in page.text


@time_machine.travel(NOW, tick=False)
def test_what_the_service_does_waits_for_the_coordination(client, world):
    client.force_login(world.partner_staff)
    data = sheet_data(
        client,
        world,
        what_we_do="Nous accompagnons aussi les parents qui embauchent une assistante maternelle.",
        audience="Parents et futurs parents",
    )

    response = client.post(url(world), data, follow=True)

    assert "après validation par la coordination" in response.text
    service = Service.objects.get(pk=world.service.pk)
    assert service.what_we_do == "Nous accueillons les familles."  # not published yet
    proposal = ServiceChange.objects.pending().get()
    assert proposal.kind == ServiceChange.Kind.CONTENT
    assert proposal.changes == {
        "what_we_do": [
            "Nous accueillons les familles.",
            "Nous accompagnons aussi les parents qui embauchent une assistante maternelle.",
        ],
        "audience": ["Familles", "Parents et futurs parents"],
    }
    page = client.get(url(world))
    assert "En attente de validation par la coordination" in page.text
    assert "Parents et futurs parents" in page.text


@time_machine.travel(NOW, tick=False)
def test_a_new_proposal_replaces_the_one_still_waiting(client, world):
    client.force_login(world.partner_staff)
    client.post(url(world), sheet_data(client, world, audience="Parents"))
    client.post(url(world), sheet_data(client, world, audience="Parents et grands-parents"))

    statuses = dict(ServiceChange.objects.values_list("changes__audience__1", "status"))
    assert statuses == {
        "Parents": ServiceChange.Status.SUPERSEDED,
        "Parents et grands-parents": ServiceChange.Status.PENDING,
    }


def test_unreadable_hours_are_explained_and_nothing_is_saved(client, world):
    client.force_login(world.partner_staff)
    data = sheet_data(client, world, phone="03 86 99 99 99")
    data["horaires-0-opening_hours"] = "lundi de 9h à 12h"

    response = client.post(url(world), data)

    assert response.status_code == 400
    # The hours' check of the admin and the importers: in French, with where it goes wrong.
    assert "Horaires illisibles à partir du caractère 1" in response.text
    assert "Une information est à corriger" in response.text
    world.service.refresh_from_db()
    assert world.service.phone == "03 86 00 00 01"
    assert not ServiceChange.objects.exists()


def test_a_paid_service_needs_its_price(client, world):
    client.force_login(world.partner_staff)
    data = sheet_data(client, world, cost="paid", cost_details="")

    response = client.post(url(world), data)

    assert response.status_code == 400
    assert "Précisez le coût" in response.text
    assert not ServiceChange.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_itinerant_stops_are_added_and_removed(client, world):
    stop_place = make_place(name="Salle des fêtes de Michery")
    client.force_login(world.partner_staff)
    data = sheet_data(
        client,
        world,
        **{
            "passages-0-place": stop_place.pk,
            "passages-0-schedule": "Tu[2] 09:00-12:00",
            "passages-0-schedule_label": "le 2e mardi du mois, de 9 h à 12 h",
        },
    )

    assert client.post(url(world), data).status_code == 302
    stop = ItinerantStop.objects.get()
    assert stop.schedule == "Tu[2] 09:00-12:00"

    data = sheet_data(client, world, **{"passages-0-DELETE": "on"})
    assert client.post(url(world), data).status_code == 302
    assert not ItinerantStop.objects.exists()
    assert ServiceChange.objects.filter(kind=ServiceChange.Kind.PRACTICAL).count() == 2


def test_another_partners_sheet_is_not_found(client, world):
    client.force_login(world.adviser_b)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {"phone": "1"}).status_code == 404


def test_a_phone_that_rings_nobody_is_refused_and_the_input_kept(client, world):
    client.force_login(world.partner_staff)
    data = sheet_data(client, world, phone="pas un numéro")

    response = client.post(url(world), data)

    assert response.status_code == 400
    assert "Ce numéro de téléphone n&#x27;est pas valide" in response.text
    assert 'value="pas un numéro"' in response.text
    world.service.refresh_from_db()
    assert world.service.phone == "03 86 00 00 01"


@time_machine.travel(NOW, tick=False)
def test_a_sheet_claiming_thousands_of_rows_is_checked_on_a_few_hundred(client, world):
    # TOTAL_FORMS comes from the browser: a forged 100,000 must not make the server check
    # and write again 1,000 rows per list, each with its list of places.
    client.force_login(world.partner_staff)
    data = sheet_data(client, world, **{"passages-TOTAL_FORMS": "100000"})
    response = client.post(url(world), data)
    # Refused with Django's own message, the page written again with at most 200 rows.
    assert response.status_code == 400
    assert "au plus 200" in response.content.decode()
    stops = {prefix: formset for prefix, _title, formset in response.context["sheet"].inlines}
    assert len(stops["passages"].forms) <= 200
    assert not ItinerantStop.objects.filter(service=world.service).exists()
