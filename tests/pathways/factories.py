"""Plain factory functions for pathways: every argument can be overridden."""

import itertools

from pathways.models import LifeMoment, Pathway, Step
from tests.factories import make_need, make_sector

_seq = itertools.count(1)


def make_pathway(*, steps=2, sectors=(), needs=(), life_moments=(), **kwargs) -> Pathway:
    """A published pathway with `steps` plain steps (each pointing to a new need)."""
    n = next(_seq)
    kwargs.setdefault("title", f"Parcours {n}")
    kwargs.setdefault("slug", f"parcours-{n}")
    kwargs.setdefault("summary", "Vous cherchez de l'aide pour votre enfant.")
    kwargs.setdefault("audience", "Parents")
    kwargs.setdefault("for_parents", True)
    kwargs.setdefault("status", Pathway.Status.PUBLISHED)
    pathway = Pathway.objects.create(**kwargs)
    pathway.sectors.set(sectors or [make_sector()])
    pathway.needs.set(needs)
    pathway.life_moments.set(life_moments or [LifeMoment.objects.order_by("position").first()])
    for _ in range(steps):
        make_step(pathway)
    pathway.refresh_derived()
    return pathway


def make_step(pathway: Pathway, **kwargs) -> Step:
    n = next(_seq)
    kwargs.setdefault("position", pathway.steps.count() + 1)
    kwargs.setdefault("title", f"Étape {n}")
    kwargs.setdefault("what", "Prenez rendez-vous.")
    kwargs.setdefault("what_falc", "Appelez le service.\nDemandez un rendez-vous.")
    who = {"service", "service_id", "need", "need_id", "partner_kind", "referent_theme"}
    if not who & kwargs.keys():
        kwargs["need"] = make_need()
    return Step.objects.create(pathway=pathway, **kwargs)
