"""Demo accounts (one per role) and a few months of realistic, fictitious orientations.

Called by `manage.py load_demo` after the directory and the pathways. Idempotent: the
accounts are updated in place, and the orientations are generated only once.
"""

import datetime as dt
import random
import uuid

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from pathways.models import Pathway
from services_directory.models import Commune, Partner, Service, Territory

from .models import (
    AgeBand,
    FamilyAnswer,
    Origin,
    Referral,
    ReferralContact,
    ReferralEvent,
    Role,
    Situation,
    StaffProfile,
    UnmetNeed,
    ensure_coordination_group,
    new_token,
)

# (role, login, password, partner slug, first name, last name): shown by `make run`.
ACCOUNTS = [
    (
        "adviser",
        "conseillere@passerelles.demo",
        "demo-conseillere",
        "france-services-yonne-nord",
        "Nadia",
        "Conseillère",
    ),
    (
        "partner_staff",
        "rpe@passerelles.demo",
        "demo-partenaire",
        "ccyn-petite-enfance",
        "Julie",
        "Relais",
    ),
    (
        "coordinator",
        "coordination@passerelles.demo",
        "demo-coordination",
        None,
        "Claire",
        "Coordination",
    ),
    ("admin", "admin@passerelles.demo", "demo-admin", None, "Admin", "Passerelles"),
]
ADVISER_PARTNER = "france-services-yonne-nord"
RECEIVING_PARTNER = "ccyn-petite-enfance"
OTHER_ORIGINS = ["ccyn-enfance-jeunesse", "ccas-pont-sur-yonne", "parents-en-chemin"]
REFERRALS = 320
UNMET_NEEDS = 70
DAYS_BACK = 180
FIRST_NAMES = ["Camille", "Sacha", "Alex", "Dominique", "Claude", "Morgane", "Yanis", "Inès"]


def load(stdout) -> None:
    territory = Territory.objects.current()
    if territory is None or not territory.is_demo:
        # Known passwords must never reach a real territory.
        stdout.write("Orientations : territoire réel, pas de comptes de démonstration.")
        return
    with transaction.atomic():
        users = _accounts()
        if Referral.objects.filter(created_by=users["adviser"]).exists():
            stdout.write("Orientations de démonstration : déjà chargées.")
        else:
            count = _referrals(users)
            unmet = _unmet_needs(users)
            stdout.write(
                f"Orientations de démonstration : {count} orientations, "
                f"{unmet} besoins non couverts."
            )
    stdout.write("Comptes de démonstration (identifiant / mot de passe) :")
    for role, login, password, partner, _first, _last in ACCOUNTS:
        label = dict(Role.choices).get(role, "Administration")
        where = f", {partner}" if partner else ""
        stdout.write(f"  {label}{where} : {login} / {password}")


def _accounts() -> dict:
    User = get_user_model()
    users = {}
    for role, login, password, partner_slug, first, last in ACCOUNTS:
        user, _created = User.objects.get_or_create(username=login)
        user.email, user.first_name, user.last_name = login, first, last
        user.is_active = True
        user.is_superuser = role == "admin"
        user.is_staff = role in ("admin", Role.COORDINATOR)
        user.set_password(password)
        user.save()
        if role != "admin":
            partner = Partner.objects.get(slug=partner_slug) if partner_slug else None
            StaffProfile.objects.update_or_create(
                user=user, defaults={"role": role, "partner": partner}
            )
        if role == Role.COORDINATOR:
            user.groups.add(ensure_coordination_group())
        users[role] = user
    return users


def _age_band_for(service: Service, rng: random.Random) -> str:
    low = service.age_min if service.age_min is not None else 0
    high = service.age_max if service.age_max is not None else 120
    bands = [
        band
        for band in AgeBand.values
        if AgeBand.bounds(band)[0] <= high and AgeBand.bounds(band)[1] >= low
    ]
    return rng.choice(bands) if bands else ""


def _referrals(users: dict) -> int:
    rng = random.Random(20240917)
    now = timezone.now()
    adviser_partner = Partner.objects.get(slug=ADVISER_PARTNER)
    origin_partners = [adviser_partner, *Partner.objects.filter(slug__in=OTHER_ORIGINS)]
    services = list(
        Service.objects.published().exclude(partner=adviser_partner).prefetch_related("needs")
    )
    receiving = [service for service in services if service.partner.slug == RECEIVING_PARTNER]
    communes = list(Commune.objects.all())
    pathways = list(Pathway.objects.published())
    referrals, events, contacts, answers, needs_links = [], [], [], [], []

    def add(service, created, previous=None, forced=None):
        kind = (
            forced
            or rng.choices(
                [Referral.Kind.INFORMATION, Referral.Kind.ORIENTATION, Referral.Kind.CONNECTION],
                [15, 60, 25],
            )[0]
        )
        origin_partner = rng.choices(origin_partners, [70, 10, 10, 10])[0]
        referral = Referral(
            token=new_token(),
            batch=uuid.uuid4(),
            created_at=created,
            created_by=users["adviser"] if origin_partner == adviser_partner else None,
            from_partner=origin_partner,
            origin=rng.choices(Origin.values, [20, 15, 15, 15, 30, 5])[0],
            commune=rng.choice(communes) if rng.random() < 0.9 else None,
            age_band=_age_band_for(service, rng),
            situation=rng.choice(Situation.values),
            service=service,
            to_partner=service.partner,
            kind=kind,
            status=Referral.Status.PROPOSED,
            pathway=rng.choice(pathways) if pathways and rng.random() < 0.25 else None,
            previous=previous,
        )
        path = _story(referral, now, rng)
        moment = created
        for step, (status, reason) in enumerate(path):
            if step:
                moment = min(moment + dt.timedelta(days=rng.randint(1, 6)), now)
            events.append(
                ReferralEvent(
                    referral=referral,
                    at=moment,
                    from_status=path[step - 1][0] if step else "",
                    to_status=status,
                    reason=reason,
                    by=users["partner_staff"]
                    if status in Referral.PARTNER_MOVES
                    and service.partner.slug == RECEIVING_PARTNER
                    else None,
                )
            )
        referral.status, referral.status_reason = path[-1]
        if referral.status in Referral.CLOSED_STATUSES:
            referral.closed_at = moment
        if kind == Referral.Kind.CONNECTION:
            retention_over = referral.closed_at and now - referral.closed_at > dt.timedelta(
                days=90
            )
            if retention_over:
                referral.contact_purged_at = referral.closed_at + dt.timedelta(days=91)
            else:
                contacts.append(
                    ReferralContact(
                        referral=referral,
                        consent_at=created,
                        consent_text="Accord de démonstration (personne fictive).",
                        name=f"{rng.choice(FIRST_NAMES)} Exemple",
                        phone=f"06 00 00 {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    )
                )
        if kind != Referral.Kind.INFORMATION and rng.random() < 0.4:
            received = {
                Referral.Status.SUCCEEDED: FamilyAnswer.Received.YES,
                Referral.Status.TAKEN: FamilyAnswer.Received.YES,
                Referral.Status.REFUSED: FamilyAnswer.Received.NO,
                Referral.Status.EXPIRED: FamilyAnswer.Received.NO,
            }.get(referral.status, FamilyAnswer.Received.NOT_YET)
            satisfaction = {
                FamilyAnswer.Received.YES: rng.choices(
                    FamilyAnswer.Satisfaction.values, [70, 22, 8]
                )[0],
                FamilyAnswer.Received.NO: rng.choices(
                    FamilyAnswer.Satisfaction.values, [10, 30, 60]
                )[0],
            }.get(received, "")
            answered = min(moment + dt.timedelta(days=rng.randint(0, 5)), now)
            answers.append(
                FamilyAnswer(
                    referral=referral,
                    answered_at=answered,
                    received=received,
                    satisfaction=satisfaction,
                    clarity=rng.choices([2, 3, 4, 5], [5, 20, 40, 35])[0],
                )
            )
            referral.family_received, referral.family_answered_at = received, answered
        referrals.append(referral)
        needs_links.append((referral, list(service.needs.all())[:2]))
        return referral

    for _n in range(REFERRALS):
        pool = receiving if receiving and rng.random() < 0.35 else services
        created = now - dt.timedelta(days=rng.uniform(0, DAYS_BACK), hours=rng.uniform(0, 8))
        referral = add(rng.choice(pool), created)
        # About half the failures get a re-orientation, most of them in time (a chain).
        failed = referral.status in Referral.FAILED_STATUSES and referral.closed_at
        if failed and rng.random() < 0.5:
            delay = dt.timedelta(days=rng.choice([1, 3, 6, 10, 20]))
            if referral.closed_at + delay < now:
                referral.reoriented = delay <= dt.timedelta(days=15)
                add(
                    rng.choice(services),
                    referral.closed_at + delay,
                    previous=referral,
                    forced=Referral.Kind.ORIENTATION,
                )

    # Parents first: a re-orientation points to an orientation saved before it.
    Referral.objects.bulk_create([r for r in referrals if r.previous is None])
    Referral.objects.bulk_create([r for r in referrals if r.previous is not None])
    ReferralEvent.objects.bulk_create(events)
    ReferralContact.objects.bulk_create(contacts)
    FamilyAnswer.objects.bulk_create(answers)
    through = Referral.needs.through
    through.objects.bulk_create(
        [through(referral_id=r.pk, need_id=need.pk) for r, needs in needs_links for need in needs]
    )
    return len(referrals)


def _story(referral: Referral, now: dt.datetime, rng: random.Random) -> list[tuple[str, str]]:
    """The statuses this orientation went through, given its age."""
    status = Referral.Status
    if referral.kind == Referral.Kind.INFORMATION:
        return [(status.INFORMED, "")]
    first = status.SENT if referral.kind == Referral.Kind.CONNECTION else status.PROPOSED
    age = (now - referral.created_at).days
    if age < 10:
        return rng.choice([[(first, "")], [(first, ""), (status.ACCEPTED, "")]])
    outcome = rng.choices(
        ["succeeded", "taken", "refused", "dropped", "expired", "accepted"], [45, 12, 14, 7, 14, 8]
    )[0]
    if outcome == "expired" and age >= 30:
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


def _unmet_needs(users: dict) -> int:
    rng = random.Random(1789)
    now = timezone.now()
    partner = Partner.objects.get(slug=ADVISER_PARTNER)
    communes = list(Commune.objects.all())
    services = Service.objects.published().prefetch_related("needs")
    needs = sorted({need for service in services for need in service.needs.all()}, key=str)
    # A few needs come up again and again: that is what the observatory should show.
    frequent = needs[:4]
    UnmetNeed.objects.bulk_create(
        [
            UnmetNeed(
                created_at=now - dt.timedelta(days=rng.uniform(0, DAYS_BACK)),
                created_by=users["adviser"],
                partner=partner,
                commune=rng.choice(communes),
                need=rng.choice(frequent) if rng.random() < 0.5 else rng.choice(needs),
                reason=rng.choices(UnmetNeed.Reason.values, [15, 30, 25, 15, 8, 7])[0],
                age_band=rng.choice(AgeBand.values),
            )
            for _n in range(UNMET_NEEDS)
        ]
    )
    return UNMET_NEEDS
