"""The demo parcours types: realistic, validated, covering every sector and the passerelles."""

import io

from pathways import demo
from pathways.models import Pathway, Step
from services_directory import demo as directory_demo
from services_directory.models import Sector


def test_the_demo_pathways_are_complete_validated_and_cover_every_sector(db):
    # Loading the directory demo takes seconds: one test checks everything about it.
    directory_demo.load(io.StringIO())
    out = io.StringIO()
    demo.load(out)
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
    assert Step.objects.exclude(what_falc="").count() >= 8

    before = (Pathway.objects.count(), Step.objects.count())
    demo.load(io.StringIO())
    assert (Pathway.objects.count(), Step.objects.count()) == before, "idempotent"


def test_a_missing_service_is_reported_and_the_step_keeps_its_other_who(db, monkeypatch):
    pathway = demo.PATHWAYS[0]
    monkeypatch.setattr(demo, "PATHWAYS", [pathway])
    out = io.StringIO()
    demo.load(out)  # the directory demo is not loaded: no service exists
    assert "service « pmi-sage-femme » introuvable" in out.getvalue()
    first = Pathway.objects.get(slug=pathway["slug"]).steps.first()
    assert first.service is None and first.need.slug == "grossesse-naissance"


def test_a_pathway_left_without_enough_steps_stays_a_draft(db, monkeypatch):
    pathway = dict(demo.PATHWAYS[0], steps=[{"title": "Seule", "what": "…", "service": "x"}])
    monkeypatch.setattr(demo, "PATHWAYS", [pathway])
    out = io.StringIO()
    demo.load(out)
    assert "sans interlocuteur, ignorée" in out.getvalue()
    assert "laissé en brouillon" in out.getvalue()
    assert not Pathway.objects.published().exists()
