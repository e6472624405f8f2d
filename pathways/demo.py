"""Demo parcours types for the Communauté de communes Yonne Nord.

`manage.py load_demo` reads them from `portal/demo/pathways.toml` and passes them in, after
loading the directory. Services are referred to by the directory demo's slugs; when one is
missing the step keeps its other "who" (a need, a kind of structure, a référent theme) and
a warning is printed. Idempotent: pathways are found by slug and their steps rewritten.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from services_directory.demo.schema import REQUIRED, record, records
from services_directory.models import Need, Sector, Service

from .models import LifeMoment, Pathway, Step

PATHWAYS_TOML = {"validated_by": REQUIRED, "pathways": REQUIRED}
# Pathway fields whose value the data may leave out.
PATHWAY_DEFAULTS = {
    "summary": "",
    "situation": "",
    "audience": "",
    "for_future_parents": False,
    "for_parents": False,
    "for_young_people": False,
    "age_min": None,
    "age_max": None,
}
PATHWAY_FIELDS = ["title", *PATHWAY_DEFAULTS]
PATHWAY = {
    "slug": REQUIRED,
    "title": REQUIRED,
    **PATHWAY_DEFAULTS,
    "moments": REQUIRED,  # slugs, like sectors and needs
    "sectors": REQUIRED,
    "needs": REQUIRED,
    "validated_days_ago": None,  # a draft under review
    "steps": REQUIRED,
}
STEP_FIELDS = ["title", "what", "what_falc", "referent_theme", "partner_kind", "who_details",
               "when", "expected", "fallback", "delay"]  # fmt: skip
STEP = {
    **dict.fromkeys(STEP_FIELDS, ""),
    "title": REQUIRED,
    "what": REQUIRED,
    "documents": [],  # one line each
    "service": None,  # slugs
    "need": None,
}


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(f"Parcours (démonstration) : {message}")


def _by_slug(model, slugs, stdout, what: str) -> list:
    found = {obj.slug: obj for obj in model.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            _say(stdout, f"{what} « {slug} » introuvable, ignoré.")
    return [found[slug] for slug in slugs if slug in found]


def checked(data: dict) -> dict:
    """The pathways with every record complete; refuses a typo before writing anything."""
    data = record(data, "parcours (pathways.toml)", PATHWAYS_TOML)
    pathways = records(data["pathways"], "parcours", PATHWAY)
    for pathway in pathways:
        what = f"parcours « {pathway['slug']} », étape"
        pathway["steps"] = records(pathway["steps"], what, STEP, "title")
    return {"validated_by": data["validated_by"], "pathways": pathways}


@transaction.atomic
def load(data: dict, stdout=None) -> list[Pathway]:
    data = checked(data)
    today = timezone.localdate()
    services = {service.slug: service for service in Service.objects.all()}
    needs = {need.slug: need for need in Need.objects.all()}
    pathways = []
    for item in data["pathways"]:
        days = item["validated_days_ago"]
        fields = {field: item[field] for field in PATHWAY_FIELDS}
        fields.update(
            status=Pathway.Status.PUBLISHED if days is not None else Pathway.Status.DRAFT,
            validated_on=today - dt.timedelta(days=days) if days is not None else None,
            validated_by=data["validated_by"] if days is not None else "",
            reviewed_on=today - dt.timedelta(days=days // 2) if days is not None else None,
            needs_review=False,
            review_reason="",
        )
        pathway, _created = Pathway.objects.update_or_create(slug=item["slug"], defaults=fields)
        pathway.life_moments.set(_by_slug(LifeMoment, item["moments"], stdout, "moment de vie"))
        pathway.sectors.set(_by_slug(Sector, item["sectors"], stdout, "secteur"))
        pathway.needs.set(_by_slug(Need, item["needs"], stdout, "besoin"))

        pathway.steps.all().delete()
        withdrawn = []
        for position, step_data in enumerate(item["steps"], start=1):
            step = Step(pathway=pathway, position=position)
            for name in STEP_FIELDS:
                setattr(step, name, step_data[name])
            step.documents = "\n".join(step_data["documents"])
            if step_data["service"] is not None:
                step.service = services.get(step_data["service"])
                if step.service is None:
                    _say(stdout, f"service « {step_data['service']} » introuvable.")
                elif not step.service.is_public:
                    withdrawn.append(step.service.name)
            if step_data["need"] is not None:
                step.need = needs.get(step_data["need"])
                if step.need is None:
                    _say(stdout, f"besoin « {step_data['need']} » introuvable.")
            if not step.has_who:
                _say(stdout, f"étape « {step.title} » sans interlocuteur, ignorée.")
                continue
            step.save()

        if withdrawn:
            pathway.needs_review = True
            pathway.review_reason = f"Service non publié : {', '.join(withdrawn)}"[:255]
            pathway.save(update_fields=["needs_review", "review_reason"])
        if pathway.is_published and Pathway.publication_errors(list(pathway.steps.all())):
            _say(stdout, f"« {pathway.title} » incomplet : laissé en brouillon.")
            pathway.unpublish()
        pathway.refresh_derived()
        pathways.append(pathway)

    published = sum(1 for pathway in pathways if pathway.is_published)
    _say(stdout, f"{len(pathways)} parcours types, dont {published} publiés et validés.")
    return pathways
