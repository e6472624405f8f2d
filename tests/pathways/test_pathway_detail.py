import datetime as dt
import re
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways import nearest, remembered
from pathways.models import Pathway, PathwayStat
from services_directory.models import Need, Notice, Service
from tests.pathways.factories import make_pathway, make_step

TUESDAY_10AM = "2025-05-06 10:00 +02:00"


def _url(pathway, **params):
    url = reverse("pathways:detail", args=[pathway.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_it_shows_every_step_in_order(client, territory):
    response = client.get(_url(territory.pathway))
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'id="etape-{n}"') for n in range(1, 6)]
    assert positions == sorted(positions)
    for step in territory.steps:
        assert step.title in html
    assert "Dès le 4e mois de grossesse" in html
    assert "Passerelle" in html and "Petite Enfance → Enfance" in html


@time_machine.travel(TUESDAY_10AM, tick=False)
def test_it_shows_the_nearest_services_of_the_commune_with_their_hours(client, territory):
    response = client.get(_url(territory.pathway, commune="pont-sur-yonne"))
    html = response.content.decode()
    assert "Services affichés pour la commune : Pont-sur-Yonne." in html
    step_2 = html[html.index('id="etape-2"') : html.index('id="etape-3"')]
    assert step_2.index("Relais Petite Enfance") < step_2.index("Micro-crèche des Coquelicots")
    assert step_2.index("Micro-crèche des Coquelicots") < step_2.index("Crèche des Bords de Seine")
    assert '<p class="status-open">Ouvert · ferme à 12 h</p>' in html
    assert "dans votre commune" in step_2


def test_it_remembers_the_commune_for_the_next_pages(client, territory):
    client.get(_url(territory.pathway, commune="villeneuve-la-guyard"))
    response = client.get(_url(territory.pathway))
    assert "Services affichés pour la commune : Villeneuve-la-Guyard." in response.content.decode()
    response = client.get(_url(territory.pathway, commune=""))
    assert "Services affichés" not in response.content.decode()


def test_it_explains_an_unknown_commune_and_shows_the_steps_anyway(client, territory):
    response = client.get(_url(territory.pathway, commune="atlantide"))
    assert response.status_code == 200
    assert "Cette commune n'est pas sur la liste" in unescape(response.content.decode())
    assert "Demander une place en crèche" in response.content.decode()


@pytest.mark.parametrize("commune", ["pont-sur-yonne\x00", "%27%22<script>", "x" * 3000])
def test_a_tampered_commune_is_only_unknown(client, territory, commune):
    response = client.get(_url(territory.pathway, commune=commune))
    assert response.status_code == 200
    assert "Cette commune n'est pas sur la liste" in unescape(response.content.decode())


def test_it_invites_to_choose_a_commune_when_none_is_chosen(client, territory):
    response = client.get(_url(territory.pathway))
    assert "Choisissez votre commune" not in response.content.decode()  # examples are shown
    assert "Par exemple :" in response.content.decode()


def test_it_shows_the_alternative_instead_of_a_withdrawn_service(client, territory):
    territory.rpe.status = Service.Status.ARCHIVED
    territory.rpe.save()
    response = client.get(_url(territory.pathway, commune="pont-sur-yonne"))
    html = response.content.decode()
    step_1 = html[html.index('id="etape-1"') : html.index('id="etape-2"')]
    assert "n'est plus proposé" in step_1
    assert "Appelez le service Petite Enfance au 03 53 73 10 20." in step_1
    assert territory.rpe.get_absolute_url() not in html


def test_it_draws_the_diagram_with_every_step_and_its_text_equivalent(client, territory):
    html = unescape(client.get(_url(territory.pathway)).content.decode())
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="img"' in svg and 'aria-labelledby="dg-title dg-desc"' in svg
    assert "<title id=\"dg-title\">Schéma d'orientation : De la crèche à l'école maternelle" in svg
    assert "5 étapes dans l'ordre" in svg
    assert len(re.findall("<rect ", svg)) == 5
    assert len(re.findall("<line ", svg)) == 4  # the arrows between the boxes
    assert "style=" not in svg
    caption = html[html.index("<figcaption>") : html.index("</figcaption>")]
    # Titles are wrapped over several <text> lines: read them back as one text.
    titles = " ".join(re.findall(r'class="dg-title">([^<]*)</text>', svg))
    for number, step in enumerate(territory.steps, start=1):
        assert f"{number}. {step.title}" in titles
        assert f'<a href="#etape-{number}">{step.title}</a>' in caption


def test_in_arabic_the_diagram_writes_from_the_right_edge_of_each_box(client, territory):
    svg = client.get("/ar" + _url(territory.pathway)).content.decode()
    svg = svg[svg.index("<svg") : svg.index("</svg>")]
    texts = re.findall(r"<text [^>]*>", svg)
    assert texts
    # Anchored at the box's right edge, the text starts there and runs leftwards: "end"
    # in a right-to-left text is its left end, which ran the words out of the box.
    for text in texts:
        assert 'direction="rtl"' in text and 'text-anchor="start"' in text


def test_the_diagram_wraps_long_titles(client, territory):
    pathway = make_pathway(steps=1)
    make_step(pathway, title="Déposer le dossier de demande d'aide humaine auprès de la MDPH")
    svg = client.get(_url(pathway)).content.decode()
    assert '<text x="16" y="30" class="dg-title">2. Déposer le dossier de demande' not in svg
    assert "auprès de la MDPH</text>" in svg


def test_it_offers_the_easy_to_read_version_in_plain_words(client, territory):
    html = client.get(_url(territory.pathway)).content.decode()
    assert "FALC" not in html  # no jargon
    assert "Version facile à lire</a>" in html
    assert f'href="{_url(territory.pathway)}?lecture=facile"' in html
    assert "<p>Allez au Relais.<br>On vous aide.</p>" not in html  # the usual text only


def test_the_easy_to_read_version_shows_that_text_first(client, territory):
    html = client.get(_url(territory.pathway, lecture="facile")).content.decode()
    step = html[html.index('id="etape-1"') : html.index('id="etape-2"')]
    easy = step.index("<p>Allez au Relais.<br>On vous aide.</p>")
    assert easy < step.index("Lire le texte habituel")
    assert "Revenir à la version habituelle" in html
    assert "Vous lisez la version facile à lire." in html


def test_the_easy_to_read_choice_is_carried_on_links_not_in_a_cookie(client, territory):
    alone = client.get(_url(territory.pathway, lecture="facile"))
    assert "sessionid" not in alone.cookies  # the public page cache keeps serving it
    response = client.get(_url(territory.pathway, lecture="facile", commune="pont-sur-yonne"))
    html = unescape(response.content.decode())
    assert '<input type="hidden" name="lecture" value="facile">' in html  # the commune form
    print_url = reverse("pathways:print", args=[territory.pathway.slug])
    assert f'href="{print_url}?commune=pont-sur-yonne&lecture=facile"' in html
    assert f'href="{reverse("pathways:list")}?lecture=facile"' in html  # the breadcrumb
    toggle = f'href="{_url(territory.pathway)}?commune=pont-sur-yonne"'
    assert toggle in html  # back to the usual version, the commune kept
    listing = client.get(reverse("pathways:list"), {"lecture": "facile"}).content.decode()
    assert f'{_url(territory.pathway)}?lecture=facile"' in listing


@pytest.mark.parametrize("status", [Pathway.Status.DRAFT])
def test_a_draft_is_not_found(client, db, status):
    pathway = make_pathway(status=status)
    assert client.get(_url(pathway)).status_code == 404


def test_an_unknown_pathway_is_not_found(client, db):
    assert client.get("/parcours/n-existe-pas/").status_code == 404


def test_it_refuses_a_post(client, territory):
    assert client.post(_url(territory.pathway)).status_code == 405


def test_htmx_gets_the_steps_only(client, territory):
    response = client.get(
        _url(territory.pathway, commune="michery"), headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="etapes"')
    assert "<html" not in html and "Michery" in html
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client, territory):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get(_url(territory.pathway), headers=headers)
    assert "<html" in response.content.decode()


def test_it_does_not_count_a_view_itself(client, territory):
    # The page's 1×1 image counts it, so that a page served from cache counts too.
    html = client.get(_url(territory.pathway)).content.decode()
    assert not PathwayStat.objects.exists()
    assert f'src="{reverse("pathways:seen", args=[territory.pathway.slug])}"' in html


def test_it_has_no_inline_script_or_style(client, territory):
    html = client.get(_url(territory.pathway, commune="pont-sur-yonne")).content.decode()
    assert "style=" not in html and "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "hx-on" not in html


@pytest.mark.parametrize("count", [2, 12])
def test_it_costs_the_same_queries_whatever_the_number_of_steps(
    client, territory, count, django_assert_max_num_queries
):
    pathway = make_pathway(steps=0, sectors=[territory.petite_enfance, territory.enfance])
    for n in range(count):
        make_step(pathway, service=territory.rpe if n % 3 == 0 else None, need=territory.garde)
        make_step(pathway, partner_kind="france_services", referent_theme="petite_enfance")
    client.get(_url(pathway, commune="pont-sur-yonne"))
    with django_assert_max_num_queries(18):
        response = client.get(_url(pathway))
    assert response.content.decode().count('class="step"') == 2 * count


def test_a_closed_service_shows_closed_in_the_steps(client, territory):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        Notice.objects.create(
            service=Service.objects.get(slug="creche-milieu"),
            kind=Notice.Kind.CLOSURE,
            reason="travaux",
            start=dt.date(2026, 11, 28),
            end=dt.date(2026, 12, 12),
        )
        html = unescape(client.get(_url(territory.pathway, commune="michery")).content.decode())
    step_2 = html[html.index('id="etape-2"') : html.index('id="etape-3"')]
    assert "Fermé temporairement jusqu'au 12 décembre — travaux" in step_2


def test_a_pathway_answering_a_need_of_danger_shows_the_emergency_numbers_first(client, db):
    violences = Need.objects.get(slug="violences-intrafamiliales")
    pathway = make_pathway(title="Violences dans le couple ou la famille", needs=[violences])
    html = client.get(_url(pathway)).content.decode()
    assert html.index('class="emergency"') < html.index('id="etapes"')
    assert 'href="tel:3919"' in html and "Quitter ce site rapidement" in html
    calm = make_pathway(title="Trouver un mode de garde")
    assert 'class="emergency"' not in client.get(_url(calm)).content.decode()


def test_the_pathways_search_reads_words_of_danger_too(client, db):
    html = client.get(reverse("pathways:list"), {"q": "mon mari me frappe"}).content.decode()
    assert 'class="emergency"' in html


# --- what the page keeps per content version (pathways/remembered.py, {% remember %}) ----


def _without_csrf_tokens(html: str) -> str:
    """Each response masks the CSRF token anew: the rest of the page must not change."""
    html = re.sub(r'"x-csrftoken": "[^"]+"', "", html)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@time_machine.travel(TUESDAY_10AM, tick=False)
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_a_second_render_reads_fewer_queries_and_shows_the_same_page(client, territory, prefix):
    url = prefix + _url(territory.pathway, commune="pont-sur-yonne")
    with CaptureQueriesContext(connection) as first:
        first_html = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        second_html = client.get(url).content.decode()
    # Everything read is content, kept per content version (the notices, stops and
    # sessions too, per day); what today says (statuses, notices in force) is worked out
    # again from it at each render.
    assert len(second) == 0 < len(first), [q["sql"] for q in second]
    assert _without_csrf_tokens(second_html) == _without_csrf_tokens(first_html)


def test_a_step_saved_shows_at_once(client, territory):
    client.get(_url(territory.pathway, commune="pont-sur-yonne"))
    step = territory.steps[1]
    step.title = "Demander une place en micro-crèche"
    step.save()
    html = unescape(client.get(_url(territory.pathway, commune="pont-sur-yonne")).content.decode())
    assert "Demander une place en crèche" not in html
    assert "Étape 2</span> Demander une place en micro-crèche</h3>" in html
    assert '<a href="#etape-2">Demander une place en micro-crèche</a>' in html  # the diagram


def test_a_service_withdrawn_after_a_render_is_no_longer_named(client, territory):
    client.get(_url(territory.pathway, commune="pont-sur-yonne"))
    territory.rpe.status = Service.Status.ARCHIVED
    territory.rpe.save()
    html = client.get(_url(territory.pathway, commune="pont-sur-yonne")).content.decode()
    assert "n'est plus proposé" in html
    assert territory.rpe.get_absolute_url() not in html


def test_the_opening_status_is_read_at_each_render(client, territory):
    url = _url(territory.pathway, commune="pont-sur-yonne")
    with time_machine.travel(TUESDAY_10AM, tick=False):
        client.get(url)
    with time_machine.travel("2025-05-06 12:30 +02:00", tick=False):
        html = client.get(url).content.decode()
    step_1 = html[html.index('id="etape-1"') : html.index('id="etape-2"')]
    assert "status-open" not in step_1
    assert "Fermé" in step_1


def test_a_notice_is_shown_the_day_it_starts_without_any_change(client, territory):
    Notice.objects.create(
        service=territory.creche_middle,
        kind=Notice.Kind.CLOSURE,
        reason="travaux",
        start=dt.date(2025, 5, 7),
        end=dt.date(2025, 5, 20),
    )
    url = _url(territory.pathway, commune="michery")
    with time_machine.travel("2025-05-01 10:00 +02:00", tick=False):
        before = unescape(client.get(url).content.decode())
    with time_machine.travel("2025-05-07 10:00 +02:00", tick=False):
        after = unescape(client.get(url).content.decode())
    assert "Fermé temporairement" not in before
    assert "Fermé temporairement jusqu'au 20 mai — travaux" in after


def test_what_one_commune_sees_never_shows_for_another_or_none(client, territory):
    html = client.get(_url(territory.pathway, commune="pont-sur-yonne")).content.decode()
    assert "dans votre commune" in html
    far = client.get(_url(territory.pathway, commune="villeneuve-la-guyard")).content.decode()
    step_2 = far[far.index('id="etape-2"') : far.index('id="etape-3"')]
    assert step_2.index("Crèche des Bords de Seine") < step_2.index("Relais Petite Enfance")
    anywhere = client.get(_url(territory.pathway, commune="")).content.decode()
    assert "dans votre commune" not in anywhere and " km" not in anywhere
    assert '<option value="pont-sur-yonne" selected>' not in anywhere


def test_a_render_leaves_what_is_kept_unchanged(client, territory):
    client.get(_url(territory.pathway, commune="michery"))
    page = remembered.published_pathway_page(territory.pathway.slug)
    choice = nearest.remembered_choice(page.pathway.pk, page.steps, commune=territory.middle)
    # The requests noted their services on copies of the kept steps and rows.
    assert not any(hasattr(step, "nearby") for step in page.steps)
    assert not any(hasattr(service, "status_now") for service in choice.services.values())
