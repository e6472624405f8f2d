"""The guided orientation: four questions at most, plain GET forms, never a 500."""

import datetime as dt
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pathways.models import Pathway
from services_directory.models import Notice, Referent, Service
from tests.factories import make_referent
from tests.pathways.factories import make_pathway

URL = reverse("pathways:orient")


def _get(client, **params):
    response = client.get(URL + ("?" + urlencode(params) if params else ""))
    assert response.status_code == 200
    return unescape(response.content.decode())


class _FormReader(HTMLParser):
    """The guide's form as a browser without JavaScript sees it."""

    def __init__(self):
        super().__init__()
        self.action, self.hidden, self.fields = None, {}, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and "hx-get" in attrs:
            self.action = attrs["action"]
        elif tag in ("input", "select") and self.action:
            if attrs.get("type") == "hidden":
                self.hidden[attrs["name"]] = attrs["value"]
            elif attrs.get("name"):
                self.fields.add(attrs["name"])


def _submit(client, html, **answers):
    """Submit the page's form the way a browser does: hidden fields plus the answers."""
    form = _FormReader()
    form.feed(html)
    assert form.action == URL
    assert set(answers) <= form.fields, f"the page asks for {form.fields}"
    response = client.get(form.action, {**form.hidden, **answers})
    assert response.status_code == 200
    return unescape(response.content.decode())


def test_it_asks_who_you_are_first(client, db):
    html = _get(client)
    assert "Question 1 sur 4" in html
    assert "Qui êtes-vous ?" in html
    assert 'value="futur-parent"' in html


def test_the_whole_guide_works_without_javascript(client, territory):
    html = _get(client)
    html = _submit(client, html, profil="parent")
    assert "Question 2 sur 4" in html and "Quel âge a votre enfant ?" in html
    html = _submit(client, html, age="2")
    assert "Question 3 sur 4" in html and "De quoi avez-vous besoin ?" in html
    assert "Faire garder mon enfant" in html
    html = _submit(client, html, besoin="faire-garder-mon-enfant")
    assert "Question 4 sur 4" in html and "Dans quelle commune habitez-vous ?" in html
    html = _submit(client, html, commune="pont-sur-yonne")

    assert "Votre orientation" in html
    assert "Je suis parent · 2 ans · Faire garder mon enfant · Pont-sur-Yonne" in html
    assert 'href="/parcours/de-la-creche-a-l-ecole/?commune=pont-sur-yonne"' in html
    services = html[html.index("Par où commencer") :]
    assert services.index("Relais Petite Enfance") < services.index("Micro-crèche")
    assert services.index("Micro-crèche") < services.index("Crèche des Bords de Seine")


def test_future_parents_answer_four_questions_too(client, territory):
    # "Question 2 sur 4" throughout: a future parent gives their own age.
    html = _get(client, profil="futur-parent")
    assert "Question 2 sur 4" in html and "Quel âge avez-vous ?" in html
    html = _get(client, profil="futur-parent", age="24")
    assert "Question 3 sur 4" in html and "De quoi avez-vous besoin ?" in html
    Pathway.objects.filter(pk=territory.pathway.pk).update(for_future_parents=True)
    html = _get(
        client,
        profil="futur-parent",
        age="24",
        besoin="faire-garder-mon-enfant",
        commune="michery",
    )
    assert "De la crèche à l'école maternelle" in html
    assert "Micro-crèche des Coquelicots" in html


def test_a_baby_s_age_can_be_given_in_months(client, territory):
    html = _get(client, profil="parent")
    assert 'name="unite"' in html and '<option value="mois">' in html
    html = _get(
        client,
        profil="parent",
        age="14",
        unite="mois",
        besoin="faire-garder-mon-enfant",
        commune="michery",
    )
    assert "14 mois" in html
    assert "Micro-crèche des Coquelicots" in html  # 0 to 3 years: a 1-year-old fits
    html = _get(client, profil="parent", age="40", unite="mois")
    assert "Indiquez un âge entre 0 et 35 mois" in html


def test_the_needs_offered_first_fit_who_asks_and_the_age(client, territory):
    html = _get(client, profil="parent", age="1")
    first, others = html.split("Autres besoins")
    assert "Faire garder mon enfant" in first and "Emploi" not in first
    assert "Emploi" in others
    html = _get(client, profil="jeune", age="19")
    first, _others = html.split("Autres besoins")
    assert "Emploi" in first and "Faire garder mon enfant" not in first


def test_a_professional_is_asked_about_the_person(client, db):
    assert "Quel âge a la personne que vous accompagnez ?" in _get(client, profil="pro")
    html = _get(client, profil="pro", age="30", q="emploi")
    assert "Dans quelle commune vit la personne ?" in html


def test_it_understands_a_need_typed_in_everyday_words(client, territory):
    html = _get(client, profil="parent", age="2", q="une nounou", commune="pont-sur-yonne")
    assert "De la crèche à l'école maternelle" in html
    assert "« une nounou »" in html
    assert "Relais Petite Enfance" in html


def test_it_only_offers_pathways_for_the_age_and_the_profile(client, territory):
    html = _get(
        client, profil="parent", age="9", besoin="faire-garder-mon-enfant", commune="michery"
    )
    assert "De la crèche à l'école maternelle" not in html  # for 2 to 3 years old
    assert "Crèche des Bords de Seine" not in html  # crèches take children under 4
    html = _get(client, profil="jeune", age="17", besoin="faire-garder-mon-enfant", commune="cuy")
    assert "Cette commune n'est pas sur la liste" in html


def test_when_no_pathway_fits_it_gives_the_referent_of_the_theme_only(client, territory):
    html = _get(client, profil="jeune", age="17", q="permis de conduire", commune="michery")
    assert "Aucun parcours type ne correspond exactement à votre situation." in html
    # No référent of an unrelated theme: the childcare relay is not for a driving licence.
    assert "Animatrice du Relais Petite Enfance" not in html
    assert "Référente réservée aux professionnels" not in html
    assert "Aucun service de l'annuaire ne répond à ce besoin pour votre commune." in html
    make_referent(theme=Referent.Theme.ENFANCE_JEUNESSE, role="Coordinateur jeunesse")
    html = _get(client, profil="jeune", age="17", q="permis de conduire", commune="michery")
    assert "La bonne personne à appeler" in html and "Coordinateur jeunesse" in html


def test_the_referent_of_the_need_is_the_one_proposed(client, territory):
    make_referent(theme=Referent.Theme.ENFANCE_JEUNESSE, role="Coordinateur jeunesse")
    html = _get(client, profil="jeune", age="16", besoin="espace-jeunes", commune="michery")
    call = html[html.index("La bonne personne à appeler") :]
    assert "Coordinateur jeunesse" in call
    assert "Animatrice du Relais" not in call


def test_violence_shows_the_emergency_numbers_first_and_no_unrelated_referent(client, territory):
    html = _get(
        client, profil="parent", age="4", besoin="violences-intrafamiliales", commune="michery"
    )
    assert html.index('class="emergency"') < html.index("Votre orientation")
    assert 'href="tel:3919"' in html and "Quitter ce site rapidement" in html
    assert "Animatrice du Relais Petite Enfance" not in html
    html = _get(client, profil="parent", age="4", q="mon mari me frappe", commune="michery")
    assert 'class="emergency"' in html


def test_the_referent_is_not_shown_when_a_pathway_fits(client, territory):
    html = _get(
        client, profil="parent", age="2", besoin="faire-garder-mon-enfant", commune="michery"
    )
    assert "La bonne personne à appeler" not in html


@pytest.mark.parametrize(
    ("params", "message", "question"),
    [
        ({"profil": "astronaute"}, "Nous n'avons pas compris qui vous êtes", "Qui êtes-vous ?"),
        ({"profil": "parent", "age": "deux"}, "L'âge doit être un nombre", "Quel âge a votre"),
        ({"profil": "parent", "age": "-1"}, "Indiquez un âge entre 0 et 25 ans.", "Quel âge"),
        ({"profil": "jeune", "age": "8"}, "Indiquez un âge entre 11 et 30 ans.", "Quel âge avez"),
        ({"profil": "pro", "age": "1e9"}, "L'âge doit être un nombre", "Quel âge a la personne"),
        (
            {"profil": "parent", "age": "2", "besoin": "licorne"},
            "Ce besoin n'existe pas dans la liste",
            "De quoi avez-vous besoin ?",
        ),
        (
            {"profil": "parent", "age": "2", "q": "!!! ?"},
            "Écrivez votre besoin en quelques mots",
            "De quoi avez-vous besoin ?",
        ),
        (
            {"profil": "parent", "age": "2", "q": "x" * 500},
            "Écrivez votre besoin en 120 caractères au plus.",
            "De quoi avez-vous besoin ?",
        ),
        (
            {"profil": "parent", "age": "2", "q": "crèche", "commune": "paris"},
            "Cette commune n'est pas sur la liste : choisissez la vôtre.",
            "Dans quelle commune",
        ),
        (
            {"profil": "parent", "age": "2", "besoin": "garde\x00; drop"},
            "Ce besoin n'existe pas dans la liste",
            "De quoi avez-vous besoin ?",
        ),
        (
            {"profil": "pro", "age": "40", "q": "emploi", "commune": "x" * 5000},
            "Cette commune n'est pas sur la liste",
            "Dans quelle commune vit la personne ?",
        ),
        (
            {"profil": "parent\x00", "age": "2"},
            "Nous n'avons pas compris qui vous êtes",
            "Qui êtes-vous ?",
        ),
        (
            {"commune": "michery", "besoin": "faire-garder-mon-enfant"},
            "Il manque une réponse : répondez d'abord à cette question.",
            "Qui êtes-vous ?",
        ),
        (
            {"profil": "parent", "commune": "michery"},
            "Il manque une réponse",
            "Quel âge a votre enfant ?",
        ),
        (
            {"profil": "parent", "age": "2", "etape": "besoin"},
            "Répondez à la question pour continuer.",
            "De quoi avez-vous besoin ?",
        ),
    ],
)
def test_bad_or_missing_answers_bring_back_the_right_question(
    client, territory, params, message, question
):
    html = _get(client, **params)
    assert message in html
    assert question in html
    assert 'role="alert"' in html
    assert "Votre orientation" not in html


def test_a_bad_answer_keeps_the_good_ones_before_it(client, territory):
    html = _get(client, profil="parent", age="2", besoin="licorne")
    form = _FormReader()
    form.feed(html)
    assert form.hidden == {"etape": "besoin", "profil": "parent", "age": "2"}


def test_the_back_link_goes_to_the_previous_question(client, db):
    html = _get(client, profil="parent", age="4")
    assert 'href="/orienter/?profil=parent"' in html
    assert "Revenir à la question précédente" in html
    assert "Revenir à la question précédente" not in _get(client)


def test_the_results_can_be_changed_one_answer_at_a_time(client, territory):
    html = _get(client, profil="parent", age="2", besoin="faire-garder-mon-enfant", commune="cuy")
    assert "Cette commune n'est pas sur la liste" in html
    html = _get(
        client, profil="parent", age="2", besoin="faire-garder-mon-enfant", commune="michery"
    )
    changes = html[html.index("change-links") :]
    assert 'href="/orienter/?profil=parent&amp;age=2&amp;besoin=faire-garder-mon-enfant"' in (
        changes.replace("&", "&amp;")
    )


def test_the_commune_of_the_results_is_remembered(client, territory):
    _get(client, profil="parent", age="2", besoin="faire-garder-mon-enfant", commune="michery")
    page = client.get(territory.pathway.get_absolute_url()).content.decode()
    assert "Services affichés pour la commune : Michery." in page


def test_htmx_gets_the_guide_only_and_the_history_the_whole_page(client, territory):
    response = client.get(URL + "?profil=parent", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="guide"')
    assert "autofocus" in html, "focus moves to the new question"
    assert "HX-Request" in response["Vary"]
    restore = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    assert "<html" in client.get(URL + "?profil=parent", headers=restore).content.decode()


def test_every_question_is_a_form_that_works_with_and_without_htmx(client, territory):
    for params in [{}, {"profil": "parent"}, {"profil": "parent", "age": "2"}]:
        html = _get(client, **params)
        assert '<form method="get" action="/orienter/" hx-get="/orienter/"' in html
        assert 'hx-push-url="true"' in html


def test_the_results_cost_a_bounded_number_of_queries(
    client, territory, django_assert_max_num_queries
):
    for _ in range(10):
        make_pathway(needs=[territory.garde], for_parents=True)
    params = "?profil=parent&age=2&besoin=faire-garder-mon-enfant&commune=michery"
    with django_assert_max_num_queries(14):
        response = client.get(URL + params)
    assert response.status_code == 200
    # The first five matching pathways, each a card.
    assert response.text.count('<li class="card">') >= 5


def test_it_refuses_a_post(client, db):
    assert client.post(URL).status_code == 405


def test_a_closed_creche_is_shown_closed_with_its_reopening_date(client, territory):
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        Notice.objects.create(
            service=Service.objects.get(slug="creche-milieu"),
            kind=Notice.Kind.CLOSURE,
            reason="travaux",
            start=dt.date(2026, 11, 28),
            end=dt.date(2026, 12, 12),
        )
        html = _get(
            client,
            profil="parent",
            age="2",
            besoin="faire-garder-mon-enfant",
            commune="pont-sur-yonne",
        )
    services = html[html.index("Par où commencer") :]
    coquelicots = services[services.index("Micro-crèche des Coquelicots") :]
    assert (
        "Fermé temporairement jusqu'au 12 décembre — travaux · rouvre le 14 décembre à 7 h 30"
        in coquelicots[: coquelicots.index("</li>")]
    )


# --- what the result keeps per content version (pathways.nearest.answer_for_need) -------

RESULT = {"profil": "parent", "age": "2", "besoin": "faire-garder-mon-enfant"}


@time_machine.travel("2025-05-06 10:00 +02:00", tick=False)
@pytest.mark.parametrize("prefix", ["", "/ar"])
def test_a_second_result_reads_fewer_queries_and_shows_the_same_page(client, territory, prefix):
    url = prefix + URL + "?" + urlencode({**RESULT, "commune": "michery"})
    with CaptureQueriesContext(connection) as first:
        first_html = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as second:
        second_html = client.get(url).content.decode()
    # Everything read is content, kept per content version (the notices, stops and
    # sessions too, per day); what today says (statuses, notices in force) is worked out
    # again from it at each render.
    assert len(second) == 0 < len(first), [q["sql"] for q in second]
    assert second_html == first_html
    assert "Micro-crèche des Coquelicots" in second_html


def test_a_pathway_saved_shows_at_once_in_the_result(client, territory):
    _get(client, **RESULT, commune="michery")
    territory.pathway.title = "De la crèche à l'école"
    territory.pathway.save()
    html = _get(client, **RESULT, commune="michery")
    assert "De la crèche à l'école</a>" in html
    assert "De la crèche à l'école maternelle" not in html


def test_each_set_of_answers_has_its_own_result(client, territory):
    near = _get(client, **RESULT, commune="pont-sur-yonne")
    far = _get(client, **RESULT, commune="villeneuve-la-guyard")
    for html, first in ((near, "Relais Petite Enfance"), (far, "Crèche des Bords de Seine")):
        services = html[html.index("Par où commencer") :]
        assert services.index(first) < services.index("Micro-crèche des Coquelicots")
    older = _get(client, **{**RESULT, "age": "9"}, commune="pont-sur-yonne")
    assert "De la crèche à l'école maternelle" in near
    assert "De la crèche à l'école maternelle" not in older  # for 2 to 3 years old


def test_the_result_s_opening_statuses_are_read_at_each_render(client, territory):
    with time_machine.travel("2025-05-06 10:00 +02:00", tick=False):
        morning = _get(client, **RESULT, commune="michery")
    with time_machine.travel("2025-05-06 20:00 +02:00", tick=False):
        evening = _get(client, **RESULT, commune="michery")
    assert 'class="status-open"' in morning
    assert 'class="status-open"' not in evening
