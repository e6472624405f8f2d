"""What the pathway pages and the guided orientation read of the content, kept in each
process per content version (and page language) by `services_directory.versions`.

Only what the content alone decides: a pathway with its steps, sectors and diagram, the
communes and needs by slug. What a service says today (its opening status, notices, next
stop) and anything of the visitor is read for each request. Every value here is shared by
the requests of the process: never change one; copy it (`PathwayPage.fresh_steps`).
"""

import copy
from dataclasses import dataclass

from django.http import Http404

from services_directory import translations, versions
from services_directory.models import Commune, Need
from services_directory.safety import points_to_danger

from . import diagram
from .models import Pathway, Step


@dataclass(frozen=True)
class PathwayPage:
    """A pathway as its page shows it, in one language: what no visitor, clock or commune
    changes."""

    pathway: Pathway
    steps: tuple[Step, ...]  # their translations read, their service and need joined
    sectors: list
    life_moments: list
    danger: bool  # one of its needs points to danger: the emergency numbers first
    diagram: dict

    @classmethod
    def read(cls, pathway: Pathway) -> "PathwayPage":
        steps = list(pathway.steps.select_related("service", "need").order_by("position", "pk"))
        sectors = list(pathway.sectors.all())
        # The page's language: one query per model for the pathway, its steps and sectors.
        translations.attach([pathway, *steps, *sectors])
        return cls(
            pathway=pathway,
            steps=tuple(steps),
            sectors=sectors,
            life_moments=list(pathway.life_moments.all()),
            danger=points_to_danger(needs=list(pathway.needs.all())),
            diagram=diagram.layout(steps),
        )

    def fresh_steps(self) -> list[Step]:
        """Copies of the steps for one request to note its services on
        (`nearest.resolve_steps`), the kept steps staying as they are."""
        return [copy.copy(step) for step in self.steps]


def published_pathway_page(slug: str) -> PathwayPage:
    """The published pathway of this slug as its page shows it (404 when there is none:
    nothing is kept for a slug that names no pathway)."""

    def read() -> PathwayPage:
        pathway = Pathway.objects.published().filter(slug=slug).first()
        if pathway is None:
            raise Http404("No published pathway of this slug.")
        return PathwayPage.read(pathway)

    return versions.remembered(("pathway-page", slug), read)


def commune(slug: str) -> Commune | None:
    """The commune of this slug, None when there is none."""
    by_slug = versions.remembered(
        ("communes-by-slug",),
        lambda: {commune.slug: commune for commune in Commune.objects.all()},
        per_language=False,
    )
    return by_slug.get(slug)


def communes() -> list[Commune]:
    """The communes of a `<select>`, by name (their name and slug only)."""
    return versions.remembered(
        ("communes-by-name",),
        lambda: list(Commune.objects.only("name", "slug").order_by("name")),
        per_language=False,
    )


def need(slug: str) -> Need | None:
    """The need of this slug with its sector, its name in the page's language read."""

    def read() -> dict[str, Need]:
        needs = list(Need.objects.select_related("sector"))
        translations.attach(needs)
        return {need.slug: need for need in needs}

    return versions.remembered(("needs-by-slug",), read).get(slug)
