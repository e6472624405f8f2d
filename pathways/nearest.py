"""From a step's "who" to the concrete services and référents near a commune.

Every lookup is one query for all the steps together (the nearest services of each need
and each partner kind), so a pathway of 3 or 30 steps costs the same.
"""

import copy
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, Value, Window
from django.db.models.functions import RowNumber

from services_directory import translations, versions
from services_directory.ages import meets_q
from services_directory.models import Commune, Referent, Service, ServiceSearch
from services_directory.safety import points_to_danger
from services_directory.search import analyse

from .models import Pathway

NEAREST_PER_STEP = 3
REFERENTS_PER_THEME = 2


def _ordering(commune: Commune | None) -> list:
    if commune is None:
        return [F("name").asc(), F("pk").asc()]
    # A service without a place (telephone, visio) has no distance: it comes last.
    return [F("distance2").asc(nulls_last=True), F("name").asc(), F("pk").asc()]


def _candidates(commune: Commune | None):
    services = Service.objects.published()
    if commune is not None:
        services = services.reaching(commune)
    return services


def _ranked(queryset, groups: list[str], keys: set[tuple], commune, limit) -> dict:
    """{key: [service ids, nearest first]}, at most `limit` per key, in one query.

    `groups` are the lookups that make a key, e.g. ["needs"] or ["needs", "partner__kind"].
    On PostgreSQL, one `LIMIT` per key joined by `UNION ALL`: each reads its services in
    the order of an index (the commune's distances, or the names) and stops at `limit`
    when they are many, or sorts the few there are — the planner chooses per key. A window
    over every candidate ranked all of them: at 50,000 services, the 10,000 of a kind of
    structure (the whole table read, 45–65 ms) for four.
    """
    if not keys:
        return {}
    if not connection.features.supports_slicing_ordering_in_compound:  # SQLite
        return _ranked_by_window(queryset, groups, keys, commune, limit)
    names = [f"key{i}" for i in range(len(groups))]
    parts = [
        queryset.filter(**dict(zip(groups, key, strict=True)))
        .annotate(
            **{name: Value(value) for name, value in zip(names, key, strict=True)},
            rank=Window(RowNumber(), order_by=_ordering(commune)),
        )
        .order_by(*_ordering(commune))
        .values_list("rank", "pk", *names)[:limit]
        for key in sorted(keys)
    ]
    ranked = defaultdict(list)
    for _rank, pk, *key in sorted(parts[0].union(*parts[1:], all=True)):
        ranked[tuple(key)].append(pk)
    return ranked


def _ranked_by_window(queryset, groups: list[str], keys: set[tuple], commune, limit) -> dict:
    """_ranked() where a compound query cannot take a LIMIT per part (SQLite)."""
    filters = {f"{group}__in": {key[i] for key in keys} for i, group in enumerate(groups)}
    rows = (
        queryset.filter(**filters)
        .annotate(
            **{f"key{i}": F(group) for i, group in enumerate(groups)},
            rank=Window(
                RowNumber(),
                partition_by=[F(group) for group in groups],
                order_by=_ordering(commune),
            ),
        )
        .filter(rank__lte=limit)
        .values_list("rank", "pk", *[f"key{i}" for i in range(len(groups))])
    )
    ranked = defaultdict(list)
    for _rank, pk, *key in sorted(rows):
        ranked[tuple(key)].append(pk)
    return ranked


def _key(step) -> tuple:
    """Which ranking answers a step: by need, by kind of structure, or by both at once."""
    if step.need_id and step.partner_kind:
        return ("pair", (step.need_id, step.partner_kind))
    if step.need_id:
        return ("need", (step.need_id,))
    if step.partner_kind:
        return ("kind", (step.partner_kind,))
    return (None, None)


def _referents_by_theme(themes: set[str], commune: Commune | None) -> dict[str, list]:
    if not themes:
        return {}
    referents = Referent.objects.public().filter(theme__in=themes).select_related("partner")
    if commune is not None:
        referents = referents.covering(commune).distinct()
    by_theme = defaultdict(list)
    for referent in referents.order_by("theme", "is_relay_person", "role", "pk"):
        if len(by_theme[referent.theme]) < REFERENTS_PER_THEME:
            by_theme[referent.theme].append(referent)
    return by_theme


@dataclass(frozen=True)
class Choice:
    """Which services and référents a pathway's steps name near a commune: what the
    content alone decides (which services, nearest first, and their rows), not what they
    say today (opening status, notices, next stops), so it can be kept per content version
    (`remembered_choice`). Never changed once made: requests share it (`services_today`).
    """

    # Steps' own services that are public.
    direct_ids: frozenset[int]
    # Step pk → the nearby services' ids, nearest first, the step's own service left out.
    nearby_ids: dict[int, tuple[int, ...]]
    # Référent theme → its référents (covering the commune), as shown.
    referents: dict[str, list]
    # Every service named above: pk → its row, partner and places (`service_rows`).
    services: dict[int, Service]


def choose(steps, *, commune: Commune | None) -> Choice:
    """The services and référents for these steps near the commune (None: the whole
    territory): one ranking query per kind of "who" the steps use, one for the référents.

    `steps` should come with `select_related("service")`. A withdrawn service (draft or
    archived) is never named.
    """
    steps = list(steps)
    themes = {step.referent_theme for step in steps if step.referent_theme}
    keys = defaultdict(set)
    for step in steps:
        ranking, key = _key(step)
        if ranking:
            keys[ranking].add(key)

    candidates = _candidates(commune)
    # One extra per group, so that the step's own service can be left out of the list.
    limit = NEAREST_PER_STEP + 1
    ranked = {
        "need": _ranked(candidates, ["needs"], keys["need"], commune, limit),
        "kind": _ranked(candidates, ["partner__kind"], keys["kind"], commune, limit),
        "pair": _ranked(candidates, ["needs", "partner__kind"], keys["pair"], commune, limit),
    }
    nearby_ids = {}
    for step in steps:
        ranking, key = _key(step)
        found = ranked[ranking].get(key, []) if ranking else []
        nearby_ids[step.pk] = tuple(pk for pk in found if pk != step.service_id)[:NEAREST_PER_STEP]
    direct_ids = frozenset(
        step.service_id for step in steps if step.service_id and step.service.is_public
    )
    return Choice(
        direct_ids=direct_ids,
        nearby_ids=nearby_ids,
        referents=dict(_referents_by_theme(themes, commune)),
        services=service_rows(direct_ids.union(*nearby_ids.values())),
    )


def remembered_choice(pathway_id: int, steps, *, commune: Commune | None) -> Choice:
    """`choose()` for a pathway's steps, made once per content version, pathway and
    commune in each process (the same in every language)."""
    key = ("pathway-choice", pathway_id, commune.pk if commune else None)
    return versions.remembered(key, lambda: choose(steps, commune=commune), per_language=False)


def service_rows(ids) -> dict[int, Service]:
    """{pk: service} with what a card of these pages reads of the content: the service's
    row, its partner, its places (`for_listing`; not its sectors)."""
    if not ids:
        return {}
    return {service.pk: service for service in Service.objects.filter(pk__in=ids).for_listing()}


def services_today(rows: dict[int, Service], *, commune: Commune | None, now) -> dict:
    """Copies of kept `service_rows` ready for a card: what the services say today (their
    notices, opening status, next stop or session, nearest place to the commune), read for
    this request; the kept rows stay as they are."""
    services = {pk: copy.copy(service) for pk, service in rows.items()}
    Service.annotate_for_display(services.values(), now, commune=commune)
    return services


def resolve_steps(
    steps,
    *,
    commune: Commune | None,
    now: dt.datetime | None = None,
    choice: Choice | None = None,
) -> None:
    """Set on each step: `direct_service`, `service_withdrawn`, `nearby`, `contacts`
    (the direct service, then the nearby ones) and `referents`.

    `choice` is `choose(steps, commune=commune)` when already made (kept per content
    version); the services' hours and notices are read here, for `now`. A withdrawn
    service (draft or archived) is never linked: the template shows the step's fallback
    instead.
    """
    steps = list(steps)
    if choice is None:
        choice = choose(steps, commune=commune)
    services = services_today(choice.services, commune=commune, now=now)
    for step in steps:
        step.service_withdrawn = bool(step.service_id) and step.service_id not in choice.direct_ids
        step.direct_service = services.get(step.service_id) if not step.service_withdrawn else None
        step.nearby = Service.open_first(
            [services[pk] for pk in choice.nearby_ids.get(step.pk, ()) if pk in services]
        )
        step.contacts = ([step.direct_service] if step.direct_service else []) + step.nearby
        step.referents = choice.referents.get(step.referent_theme, [])


# --- the guided orientation's answer ----------------------------------------------------

ENTRY_POINTS = 5
MAX_PATHWAYS = 5
REFERENTS_WHEN_NOTHING_FITS = 2
# Which référent theme to suggest first, from the need's sector (slugs seeded by the
# directory's migration 0003) or, failing that, from who is asking.
THEME_BY_SECTOR = {
    "petite-enfance": Referent.Theme.PETITE_ENFANCE,
    "enfance": Referent.Theme.ENFANCE_JEUNESSE,
    "jeunesse": Referent.Theme.ENFANCE_JEUNESSE,
    "parentalite": Referent.Theme.PARENTALITE,
    "handicap": Referent.Theme.HANDICAP,
    "acces-aux-droits": Referent.Theme.PRECARITE,
}


def preferred_theme(*, profile: str, age: int | None, need) -> str:
    if need is not None and need.sector.slug in THEME_BY_SECTOR:
        return THEME_BY_SECTOR[need.sector.slug]
    if profile == "futur-parent" or (age is not None and age < 3):
        return Referent.Theme.PETITE_ENFANCE
    if profile == "jeune" or (age is not None and age <= 25):
        return Referent.Theme.ENFANCE_JEUNESSE
    if profile == "parent":
        return Referent.Theme.PARENTALITE
    return Referent.Theme.PRECARITE


def _services_for(*, profile: str, age: int | None):
    """The published services for who is asking, at that age."""
    services = Service.objects.published()
    if age is None:
        return services
    # A parent's own needs (CAF, emploi) have adult age bands: only children's
    # age bands are compared with the child's age.
    if profile == "parent":
        return services.filter(Q(age_of=Service.AgeOf.PERSON) | meets_q(age, age))
    if profile == "futur-parent":  # their own services, and the baby's (age 0)
        return services.filter(
            (Q(age_of=Service.AgeOf.PERSON) & meets_q(age, age))
            | (Q(age_of=Service.AgeOf.CHILD) & meets_q(0, 0))
        )
    return services.filter(meets_q(age, age))


def _pathways_for(*, profile: str, age: int | None):
    pathways = Pathway.objects.published().for_profile(profile)
    # A future parent gave their own age: pathways' ages are the child's.
    if age is not None and profile != "futur-parent":
        pathways = pathways.for_age(age)
    return pathways


def _referents_when_nothing_fits(*, profile: str, age: int | None, need, commune) -> list:
    theme = preferred_theme(profile=profile, age=age, need=need)
    candidates = Referent.objects.public().filter(theme=theme).select_related("partner")
    if commune is not None:
        candidates = candidates.covering(commune)
    return list(
        candidates.distinct().order_by("is_relay_person", "role", "pk")[
            :REFERENTS_WHEN_NOTHING_FITS
        ]
    )


@dataclass(frozen=True)
class NeedAnswer:
    """The guided orientation's answer to a need chosen from the list: what the content
    alone decides (which pathways, which services nearest first, which référents), kept
    per content version and set of answers. Ids only, small: there are many sets of
    answers (profile, age, need, commune); the pathways' and services' rows are kept
    apart, once per list of ids (`orientation`)."""

    pathway_ids: tuple[int, ...]  # by title
    service_ids: tuple[int, ...]  # nearest first
    referents: list  # only when no pathway fits


def answer_for_need(*, profile: str, age: int | None, need, commune) -> NeedAnswer:
    pathways = _pathways_for(profile=profile, age=age).filter(needs=need).order_by("title")
    pathway_ids = tuple(pathways.values_list("pk", flat=True)[:MAX_PATHWAYS])
    services = _services_for(profile=profile, age=age).answering(need)
    if commune is not None:
        services = services.reaching(commune)
    ids = tuple(services.order_by(*_ordering(commune)).values_list("pk", flat=True)[:ENTRY_POINTS])
    referents = []
    if not pathway_ids:
        referents = _referents_when_nothing_fits(
            profile=profile, age=age, need=need, commune=commune
        )
    return NeedAnswer(pathway_ids=pathway_ids, service_ids=ids, referents=referents)


def _pathway_cards(ids: tuple[int, ...]) -> list[Pathway]:
    """The pathways of these ids, in this order, their titles and summaries read in the
    page's language."""
    by_pk = Pathway.objects.in_bulk(ids)
    pathways = [by_pk[pk] for pk in ids if pk in by_pk]
    translations.attach(pathways)
    return pathways


def orientation(*, profile: str, age: int | None, need, query: str, commune, now=None) -> dict:
    """Matching pathways, entry-point services (most relevant, nearest first), and the
    référents of the need's theme when no pathway fits.

    Free text goes through the directory's engine: its typo corrections, the needs its
    words point to, its ranking. A référent is only proposed for the theme the need (or
    who is asking) points to, never one of an unrelated theme. For a need chosen from the
    list, the answer is made once per content version and set of answers.
    """
    if need is not None:
        key = ("orientation", profile, age, need.pk, commune.pk if commune else None)
        answer = versions.remembered(
            key,
            lambda: answer_for_need(profile=profile, age=age, need=need, commune=commune),
            per_language=False,
        )
        ids = answer.service_ids
        rows = versions.remembered(
            ("service-rows", ids), lambda: service_rows(ids), per_language=False
        )
        by_pk = services_today(rows, commune=commune, now=now)
        return {
            "pathways": versions.remembered(
                ("pathway-cards", answer.pathway_ids),
                lambda: _pathway_cards(answer.pathway_ids),
            ),
            "services": Service.open_first([by_pk[pk] for pk in ids if pk in by_pk]),
            "referents": answer.referents,
            "danger": points_to_danger(query, [need]),
            "analysed": None,
        }

    analysed = analyse(query)
    found = analysed.matched_needs
    pathways = _pathways_for(profile=profile, age=age).for_listing().matching(analysed)
    pathways = pathways[:MAX_PATHWAYS]
    documents = ServiceSearch.objects.filter(
        service__in=_services_for(profile=profile, age=age).values("pk")
    )
    documents = documents.ranked(analysed, commune=commune)
    ids = list(documents.values_list("pk", flat=True)[:ENTRY_POINTS])
    by_pk = service_rows(ids)  # read for this request only: nothing to copy
    Service.annotate_for_display(by_pk.values(), now, commune=commune)
    services = [by_pk[pk] for pk in ids if pk in by_pk]
    referents = []
    if not pathways:
        referents = _referents_when_nothing_fits(
            profile=profile, age=age, need=found[0] if found else None, commune=commune
        )
    return {
        "pathways": pathways,
        "services": services,
        "referents": referents,
        "danger": points_to_danger(query, analysed.matched_needs),
        "analysed": analysed,
    }
