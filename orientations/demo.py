"""Demo accounts (one per role) and a few months of realistic, fictitious orientations.

`load(data, stdout)` is called by `manage.py load_demo` (portal) with the content of
`portal/demo/orientations.toml`, after the directory and the pathways. Idempotent: the
accounts are updated in place, and the orientations are generated only once.

Orientations go through the same model methods as at the counter (creation, status
moves, family answers, re-orientation, purge), dated in the past: the demo can never
tell a story the workflow would refuse.
"""

import datetime as dt
import random
import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from pathways.models import Pathway
from services_directory import access
from services_directory.demo import schema
from services_directory.models import Commune, Partner, Role, Service, StaffProfile, Territory

from .models import Actor, AgeBand, FamilyAnswer, Origin, Referral, Situation, UnmetNeed

ACCOUNT = {
    "role": schema.REQUIRED,
    "login": schema.REQUIRED,
    "password": schema.REQUIRED,
    "partner": "",
    "first_name": "",
    "last_name": "",
}
ROLES = {*Role.values, access.ADMIN}
REFERRALS = dict.fromkeys(
    [
        "seed",
        "count",
        "days_back",
        "adviser_partner",
        "other_origins",
        "origin_partner_weights",
        "receiving_partner",
        "receiving_share",
        "kind_weights",
        "origin_weights",
        "with_commune",
        "with_pathway",
        "answered",
        "reoriented",
        "reorientation_delays",
        "first_names",
        "consent_text",
    ],
    schema.REQUIRED,
)
UNMET_NEEDS = dict.fromkeys(
    ["seed", "count", "days_back", "frequent", "frequent_share", "reason_weights"], schema.REQUIRED
)


def load(data: dict, stdout) -> None:
    territory = Territory.objects.current()
    if territory is None or not territory.is_demo:
        # Known passwords must never reach a real territory.
        stdout.write("Orientations : territoire réel, pas de comptes de démonstration.")
        return
    accounts = schema.records(data.get("accounts"), "compte", ACCOUNT, label="login")
    for account in accounts:
        if account["role"] not in ROLES:
            raise CommandError(f"Démonstration, compte {account['login']} : rôle inconnu.")
    referrals = schema.record(data.get("referrals"), "orientations", REFERRALS)
    unmet_needs = schema.record(data.get("unmet_needs"), "besoins non couverts", UNMET_NEEDS)
    with transaction.atomic():
        users = _accounts(accounts)
        if Referral.objects.filter(created_by=users[Role.ADVISER]).exists():
            stdout.write("Orientations de démonstration : déjà chargées.")
        else:
            count = _referrals(users, referrals)
            unmet = _unmet_needs(users, unmet_needs, referrals["adviser_partner"])
            stdout.write(
                f"Orientations de démonstration : {count} orientations, "
                f"{unmet} besoins non couverts."
            )
    stdout.write("Comptes de démonstration (identifiant / mot de passe) :")
    for account in accounts:
        label = dict(Role.choices).get(account["role"], "Administration")
        where = f", {account['partner']}" if account.get("partner") else ""
        stdout.write(f"  {label}{where} : {account['login']} / {account['password']}")


def _accounts(accounts: list[dict]) -> dict:
    User = get_user_model()
    users = {}
    for account in accounts:
        role = account["role"]
        user, _created = User.objects.get_or_create(username=account["login"])
        user.email = account["login"]
        user.first_name, user.last_name = account["first_name"], account["last_name"]
        user.is_active = True
        user.is_superuser = role == access.ADMIN
        user.is_staff = role in (access.ADMIN, Role.COORDINATOR)
        user.set_password(account["password"])
        user.save()
        if role != access.ADMIN:
            slug = account.get("partner")
            partner = Partner.objects.get(slug=slug) if slug else None
            StaffProfile.objects.update_or_create(
                user=user, defaults={"role": role, "partner": partner}
            )
        if role == Role.COORDINATOR:
            user.groups.add(access.ensure_coordination_group())
        users[role] = user
    return users


def _age_band_for(service: Service, rng: random.Random) -> str:
    bands = [band for band in AgeBand.values if service.meets_ages(*AgeBand.bounds(band))]
    return rng.choice(bands) if bands else ""


def _referrals(users: dict, settings: dict) -> int:
    rng = random.Random(settings["seed"])
    now = timezone.now()
    adviser_partner = Partner.objects.get(slug=settings["adviser_partner"])
    origin_partners = [
        adviser_partner,
        *Partner.objects.filter(slug__in=settings["other_origins"]),
    ]
    services = list(
        Service.objects.published()
        .exclude(partner=adviser_partner)
        .select_related("partner")
        .prefetch_related("needs")
    )
    receiving_slug = settings["receiving_partner"]
    receiving = [service for service in services if service.partner.slug == receiving_slug]
    communes = list(Commune.objects.all())
    pathways = list(Pathway.objects.published())
    kinds = [Referral.Kind.INFORMATION, Referral.Kind.ORIENTATION, Referral.Kind.CONNECTION]
    count = 0

    def add(service, created, previous=None, forced=None) -> Referral:
        nonlocal count
        kind = forced or rng.choices(kinds, settings["kind_weights"])[0]
        origin_partner = rng.choices(origin_partners, settings["origin_partner_weights"])[0]
        origin = rng.choices(Origin.values, settings["origin_weights"])[0]
        commune = rng.choice(communes) if rng.random() < settings["with_commune"] else None
        age_band = _age_band_for(service, rng)
        situation = rng.choice(Situation.values)
        with_pathway = pathways and rng.random() < settings["with_pathway"]
        pathway = rng.choice(pathways) if with_pathway else None
        path = _story(kind, (now - created).days, rng)
        moments = [created]
        for _step in path[1:]:
            moments.append(min(moments[-1] + dt.timedelta(days=rng.randint(1, 6)), now))
        contact = None
        if kind == Referral.Kind.CONNECTION:
            contact = {
                "consent_text": settings["consent_text"],
                "name": f"{rng.choice(settings['first_names'])} Exemple",
                "phone": f"06 00 00 {rng.randint(10, 99)} {rng.randint(10, 99)}",
            }
        adviser = users[Role.ADVISER] if origin_partner == adviser_partner else None
        (referral,) = Referral.objects.create_batch(
            batch=uuid.uuid4(),
            by=adviser,
            from_partner=origin_partner,
            services=[service],
            kind=kind,
            origin=origin,
            needs=list(service.needs.all())[:2],
            commune=commune,
            age_band=age_band,
            situation=situation,
            pathway=pathway,
            previous=previous,
            contact=contact,
            now=created,
            notify=False,
        )
        # The demo partner account answers for its own structure; others answer unnamed.
        receiver = users[Role.PARTNER_STAFF] if service.partner.slug == receiving_slug else None
        for (status, reason), moment in zip(path[1:], moments[1:], strict=True):
            actor = _actor_for(status)
            by = receiver if actor == Actor.RECEIVER else None
            referral.move_to(status, by=by, actor=actor, reason=reason, at=moment, notify=False)
        referral.refresh_from_db()
        if kind != Referral.Kind.INFORMATION and rng.random() < settings["answered"]:
            _family_answers(referral, moments[-1], now, rng)
        count += 1
        return referral

    for _n in range(settings["count"]):
        to_receiving = receiving and rng.random() < settings["receiving_share"]
        pool = receiving if to_receiving else services
        created = now - dt.timedelta(
            days=rng.uniform(0, settings["days_back"]), hours=rng.uniform(0, 8)
        )
        referral = add(rng.choice(pool), created)
        failed = referral.status in Referral.FAILED_STATUSES and referral.closed_at
        if failed and rng.random() < settings["reoriented"]:
            delay = dt.timedelta(days=rng.choice(settings["reorientation_delays"]))
            if referral.closed_at + delay < now:
                add(
                    rng.choice(services),
                    referral.closed_at + delay,
                    previous=referral,
                    forced=Referral.Kind.ORIENTATION,
                )
    # What the daily job would have purged by now is purged.
    for referral in Referral.objects.due_for_purge(now):
        referral.purge_personal_data()
    return count


def _actor_for(status: str) -> str:
    """Who, in the demo's stories, makes each move (one of those the workflow allows)."""
    for actor in (Actor.RECEIVER, Actor.SENDER, Actor.SYSTEM):
        if actor in Referral.WORKFLOW[status].actors:
            return actor
    raise ValueError(status)


def _family_answers(referral: Referral, last_move, now, rng: random.Random) -> None:
    received = {
        Referral.Status.SUCCEEDED: FamilyAnswer.Received.YES,
        Referral.Status.TAKEN: FamilyAnswer.Received.YES,
        Referral.Status.REFUSED: FamilyAnswer.Received.NO,
        Referral.Status.EXPIRED: FamilyAnswer.Received.NO,
    }.get(referral.status, FamilyAnswer.Received.NOT_YET)
    satisfaction = {
        FamilyAnswer.Received.YES: rng.choices(FamilyAnswer.Satisfaction.values, [70, 22, 8])[0],
        FamilyAnswer.Received.NO: rng.choices(FamilyAnswer.Satisfaction.values, [10, 30, 60])[0],
    }.get(received, "")
    # Drawn apart, so that the stories drawn from `rng` stay those of the demo.
    own = random.Random(referral.pk)
    continuity = FamilyAnswer.Continuity
    felt_followed = {
        FamilyAnswer.Received.YES: own.choices(continuity.values, [65, 25, 10])[0],
        FamilyAnswer.Received.NO: own.choices(continuity.values, [15, 35, 50])[0],
    }.get(received, "")
    answered = min(last_move + dt.timedelta(days=rng.randint(0, 5)), now)
    referral.record_family_answer(
        received=received,
        satisfaction=satisfaction,
        clarity=rng.choices([2, 3, 4, 5], [5, 20, 40, 35])[0],
        continuity=felt_followed,
        at=answered,
    )


def _story(kind: str, age_days: int, rng: random.Random) -> list[tuple[str, str]]:
    """The statuses an orientation went through, given its age in days."""
    status = Referral.Status
    first = Referral.INITIAL_STATUS[kind]
    if kind == Referral.Kind.INFORMATION:
        return [(first, "")]
    if age_days < 10:
        path = rng.choice([[(first, "")], [(first, ""), (status.ACCEPTED, "")]])
        # Some of the recent ones have been opened by the partner, not answered yet.
        if len(path) == 1 and kind == Referral.Kind.CONNECTION and age_days % 2:
            path.append((status.SEEN, ""))
        return path
    outcome = rng.choices(
        ["succeeded", "taken", "refused", "dropped", "expired", "accepted"], [45, 12, 14, 7, 14, 8]
    )[0]
    if outcome == "expired" and age_days >= 30:
        return [(first, ""), (status.EXPIRED, "")]
    if outcome == "refused":
        reason = rng.choice(
            ["non_eligible", "complet", "injoignable", "absence", "mauvais_service"]
        )
        return [(first, ""), (status.REFUSED, reason)]
    if outcome == "dropped":
        return [(first, ""), (status.ACCEPTED, ""), (status.DROPPED, "renonce")]
    if outcome == "accepted":
        return [(first, ""), (status.ACCEPTED, "")]
    if outcome == "taken":
        return [(first, ""), (status.ACCEPTED, ""), (status.TAKEN, "")]
    return [(first, ""), (status.ACCEPTED, ""), (status.TAKEN, ""), (status.SUCCEEDED, "")]


def _unmet_needs(users: dict, settings: dict, partner_slug: str) -> int:
    rng = random.Random(settings["seed"])
    now = timezone.now()
    partner = Partner.objects.get(slug=partner_slug)
    communes = list(Commune.objects.all())
    services = Service.objects.published().prefetch_related("needs")
    needs = sorted({need for service in services for need in service.needs.all()}, key=str)
    frequent = needs[: settings["frequent"]]
    UnmetNeed.objects.bulk_create(
        [
            UnmetNeed(
                created_at=now - dt.timedelta(days=rng.uniform(0, settings["days_back"])),
                created_by=users[Role.ADVISER],
                partner=partner,
                commune=rng.choice(communes),
                need=rng.choice(frequent)
                if rng.random() < settings["frequent_share"]
                else rng.choice(needs),
                reason=rng.choices(UnmetNeed.Reason.values, settings["reason_weights"])[0],
                age_band=rng.choice(AgeBand.values),
            )
            for _n in range(settings["count"])
        ]
    )
    return settings["count"]
