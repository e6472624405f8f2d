"""The pathway page's « validé le … par … » line: the validator's role is French free text,
marked `lang="fr"` inside a translated sentence; its dates as the language writes them."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import translation

from tests.pathways.factories import make_pathway


def url(pathway, language: str, name: str = "pathways:detail") -> str:
    with translation.override(language):
        return reverse(name, args=[pathway.slug])


def test_in_arabic_the_validator_s_role_is_marked_french(client, db):
    pathway = make_pathway(validated_on=dt.date(2026, 3, 1), validated_by="la chargée de mission")
    text = client.get(url(pathway, "ar")).text
    assert (
        'صادق على المسار <span lang="fr" dir="ltr">la chargée de mission</span> بتاريخ'
    ) in text


def test_in_french_the_line_is_plain_and_the_first_is_1er(client, db):
    pathway = make_pathway(validated_on=dt.date(2026, 3, 1), validated_by="la chargée de mission")
    text = client.get(url(pathway, "fr")).text
    assert "Parcours validé le 1er mars 2026 par la chargée de mission." in text
    assert '<span lang="fr"' not in text.split("Parcours validé")[1].split("</p>")[0]


@time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC))
def test_the_printed_page_marks_the_role_and_dates_the_printing(client, db):
    pathway = make_pathway(validated_on=dt.date(2026, 3, 2), validated_by="la coordinatrice")
    text = client.get(url(pathway, "fr", "pathways:print")).text
    assert "Parcours validé le 2 mars 2026 par la coordinatrice." in text
    assert "Imprimé le 1er décembre 2026" in text
    text = client.get(url(pathway, "en", "pathways:print")).text
    assert '<span lang="fr" dir="ltr">la coordinatrice</span>' in text
    assert "Dec. 1, 2026" in text
