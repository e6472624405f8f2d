"""The demo parcours types: realistic, validated, covering every sector and the passerelles."""

import io
import re

import pytest
from django.core.management import CommandError

from pathways import demo
from pathways.models import Pathway, Step
from portal.management.commands.load_demo import read
from services_directory import demo as directory_demo
from services_directory.models import Sector

DATA = read("pathways")


def _only(pathway: dict) -> dict:
    """The demo data reduced to one pathway."""
    return {**DATA, "pathways": [pathway]}


def test_the_demo_pathways_are_complete_validated_and_cover_every_sector(db):
    # Loading the directory demo takes seconds: one test checks everything about it.
    directory_demo.load(read("directory"), io.StringIO())
    out = io.StringIO()
    demo.load(DATA, out)
    assert "introuvable" not in out.getvalue(), "every slug of the directory demo exists"

    published = Pathway.objects.published()
    assert Pathway.objects.formalised().count() >= 12
    assert 1 <= Pathway.objects.filter(status=Pathway.Status.DRAFT).count() <= 2
    assert not Pathway.objects.filter(needs_review=True).exists()
    for pathway in published.prefetch_related("steps"):
        assert Pathway.publication_errors(list(pathway.steps.all())) == [], pathway.title

    covered = set(Sector.objects.filter(pathways__in=published).values_list("slug", flat=True))
    assert covered == set(Sector.objects.values_list("slug", flat=True))
    crossings = {
        frozenset(p.sectors.values_list("slug", flat=True))
        for p in published.child_stage_passerelles()
    }
    assert frozenset({"petite-enfance", "enfance"}) in crossings
    assert frozenset({"enfance", "jeunesse"}) in crossings
    assert not Step.objects.filter(what_falc="").exists()

    before = (Pathway.objects.count(), Step.objects.count())
    demo.load(DATA, io.StringIO())
    assert (Pathway.objects.count(), Step.objects.count()) == before, "idempotent"


def test_a_missing_service_is_reported_and_the_step_keeps_its_other_who(db):
    pathway = DATA["pathways"][0]
    out = io.StringIO()
    demo.load(_only(pathway), out)  # the directory demo is not loaded: no service exists
    assert "service « pmi-sage-femme » introuvable" in out.getvalue()
    first = Pathway.objects.get(slug=pathway["slug"]).steps.first()
    assert first.service is None and first.need.slug == "grossesse-naissance"


def test_a_pathway_left_without_enough_steps_stays_a_draft(db):
    pathway = dict(DATA["pathways"][0], steps=[{"title": "Seule", "what": "…", "service": "x"}])
    out = io.StringIO()
    demo.load(_only(pathway), out)
    assert "sans interlocuteur, ignorée" in out.getvalue()
    assert "laissé en brouillon" in out.getvalue()
    assert not Pathway.objects.published().exists()


def test_a_typo_in_a_step_is_refused_with_the_step_named_and_nothing_written(db):
    pathway = dict(DATA["pathways"][0], steps=[{"title": "Seule", "what": "…", "servce": "x"}])

    with pytest.raises(CommandError) as refused:
        demo.load(_only(pathway), io.StringIO())

    assert str(refused.value) == (
        "Démonstration, parcours « trouver-une-garde-avant-la-naissance », étape n° 1 "
        "« Seule » : clé inconnue « servce » (vouliez-vous dire « service » ?)."
    )
    assert not Pathway.objects.exists()


def test_every_demo_step_has_an_easy_to_read_version_that_follows_the_rules():
    """FALC: one short sentence per line, common words, no abbreviation left unexplained."""
    acronym = re.compile(r"\b[A-ZÉ]{2,}\b")
    steps = [step for pathway in DATA["pathways"] for step in pathway["steps"]]
    assert len(steps) >= 40
    for step in steps:
        text = step.get("what_falc", "").strip()
        assert text, step["title"]
        for sentence in text.splitlines():
            assert len(sentence.split()) <= 16, sentence
            assert ". " not in sentence, f"one sentence per line: {sentence}"
        for word in acronym.findall(text):
            explained = [f"On dit aussi {article} {word}." for article in ("la", "le", "un")]
            assert any(line in text for line in explained), f"{word} unexplained: {step['title']}"
