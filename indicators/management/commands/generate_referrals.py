"""Synthetic orientations and answers, in bulk, for the dashboard benchmark."""

import datetime as dt
import heapq
import random
import time
from collections import deque
from contextlib import contextmanager

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from indicators import rollup
from orientations.models import (
    AgeBand,
    FamilyAnswer,
    Origin,
    Referral,
    Situation,
    UnmetNeed,
    continues_in_time,
    reorientation_delay,
)
from pathways.models import Pathway, PathwayFeedback, PathwayStat
from services_directory.models import Commune, Need, Partner, Service, Territory

MAX_REFERRALS = 5_000_000
BATCH = 5_000
# From this many rows, indexes and foreign keys are rebuilt after the load (PostgreSQL).
REBUILD_FROM = 50_000
ORIGIN_WEIGHTS = {
    Origin.PETITE_ENFANCE: 14,
    Origin.ENFANCE: 10,
    Origin.JEUNESSE: 12,
    Origin.PARENTALITE: 9,
    Origin.FRANCE_SERVICES: 40,
    Origin.OTHER: 15,
}
S = Referral.Status
# The fate of an orientation once its loop is closed (information-only ones excepted).
CLOSED_FATES = [
    (S.SUCCEEDED, 46),
    (S.TAKEN, 10),
    (S.REFUSED, 12),
    (S.DROPPED, 7),
    (S.EXPIRED, 17),
    (S.ACCEPTED, 8),
]
OPEN_FATES = [(S.PROPOSED, 40), (S.SENT, 35), (S.ACCEPTED, 15), (S.TAKEN, 10)]


def _pick(rng: random.Random, weighted: list[tuple]) -> object:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


class Command(BaseCommand):
    help = (
        "Génère des orientations synthétiques pour mesurer le tableau de bord des indicateurs : "
        "--referrals orientations réparties sur --days jours jusqu'à aujourd'hui (origines, "
        "communes, services, statuts, chaînes de réorientation, réponses « reçu ? »), "
        "--feedback réponses de familles (satisfaction, clarté), un quart de ce nombre d'avis "
        "sur les pages parcours, des besoins non couverts et la diffusion quotidienne des "
        "parcours. Insertion par COPY sur PostgreSQL, par lots sur SQLite. S'appuie sur "
        "l'annuaire existant (charge la démonstration s'il est vide). Les orientations "
        "générées sont anonymes (aucune coordonnée). Ne pas utiliser sur une base de production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--referrals", type=int, default=10_000)
        parser.add_argument("--feedback", type=int, default=2_000)
        parser.add_argument("--days", type=int, default=4 * 365)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, referrals: int, feedback: int, days: int, seed: int, **options):
        if not 1 <= referrals <= MAX_REFERRALS:
            raise CommandError(f"--referrals doit être compris entre 1 et {MAX_REFERRALS}.")
        if not 0 <= feedback <= referrals:
            raise CommandError("--feedback doit être compris entre 0 et --referrals.")
        if not 30 <= days <= 20 * 365:
            raise CommandError("--days doit être compris entre 30 et 7300.")
        if not Service.objects.published().exists():
            self.stdout.write("Annuaire vide : chargement de la démonstration.")
            call_command("load_demo", stdout=self.stdout)
        started = time.monotonic()
        rng = random.Random(seed)
        self.now = timezone.now()
        self.days = days
        services = list(Service.objects.published().values_list("pk", "partner_id"))
        territory = Territory.objects.current()
        communes = list(Commune.objects.filter(territory=territory).values_list("pk", flat=True))
        origin_partners = list(
            Partner.objects.filter(kind=Partner.Kind.FRANCE_SERVICES).values_list("pk", flat=True)
        ) or list(Partner.objects.values_list("pk", flat=True)[:20])
        pathways = list(Pathway.objects.formalised().values_list("pk", flat=True))

        answered = self._referrals(rng, referrals, feedback, services, communes, origin_partners)
        self._family_answers(rng, answered)
        self._page_feedback(rng, feedback // 4, pathways)
        self._unmet_needs(rng, max(referrals // 50, 1), communes, origin_partners)
        self._pathway_stats(rng, pathways)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        generated = time.monotonic() - started
        # As the nightly job would: the dashboard reads past days from the daily counts.
        rollup.refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"{referrals} orientations, {len(answered)} réponses de familles, "
                f"{feedback // 4} avis sur les parcours générés en {generated:.0f} s, "
                f"décomptes quotidiens en {time.monotonic() - started - generated:.0f} s."
            )
        )

    # --- rows ------------------------------------------------------------------------

    def _moment(self, rng: random.Random) -> dt.datetime:
        return self.now - dt.timedelta(seconds=rng.randrange(self.days * 86400))

    def _referrals(self, rng, count, feedback, services, communes, origin_partners) -> list:
        """Insert the orientations; return (id, created_at, received) of those answered."""
        origins, weights = zip(*ORIGIN_WEIGHTS.items(), strict=True)
        expiry = dt.timedelta(days=settings.REFERRAL_EXPIRY_DAYS)
        reorientation = reorientation_delay()
        next_id = (Referral.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        answer_rate = feedback / count
        answered, rows = [], []
        # Failed orientations (id, closed_at) that a later one may re-orient, oldest first.
        failed_recent = deque()
        moments = sorted(self._moment(rng) for _n in range(count))
        age_bands, situations = AgeBand.values, Situation.values
        pending_failures = []  # a heap of (closed_at, id): not re-orientable before closing
        for index, created_at in enumerate(moments):
            pk = next_id + index
            while pending_failures and pending_failures[0][0] <= created_at:
                closed, failed_pk = heapq.heappop(pending_failures)
                failed_recent.append((failed_pk, closed))
            while failed_recent and failed_recent[0][1] + reorientation < created_at:
                failed_recent.popleft()
            service_id, partner_id = rng.choice(services)
            kind = rng.choices(
                [Referral.Kind.INFORMATION, Referral.Kind.ORIENTATION, Referral.Kind.CONNECTION],
                [20, 60, 20],
            )[0]
            closed_at = None
            previous_id = None
            if kind == Referral.Kind.INFORMATION:
                status, closed_at = Referral.INITIAL_STATUS[kind], created_at
            elif self.now - created_at > expiry:
                status = _pick(rng, CLOSED_FATES)
                if status in Referral.CLOSED_STATUSES:
                    closed_at = created_at + dt.timedelta(hours=rng.randrange(1, 30 * 24))
            else:
                status = _pick(rng, OPEN_FATES)
            # Some failed orientations are re-oriented within 15 days: a chain.
            if failed_recent and kind != Referral.Kind.INFORMATION and rng.random() < 0.05:
                candidate, candidate_closed = failed_recent[0]
                if continues_in_time(candidate_closed, created_at):
                    failed_recent.popleft()
                    previous_id = candidate
                    rows[candidate - next_id]["reoriented"] = True
            received = ""
            answered_at = None
            if kind != Referral.Kind.INFORMATION and rng.random() < answer_rate / 0.78:
                if status in (S.SUCCEEDED, S.TAKEN):
                    received = FamilyAnswer.Received.YES
                elif status in Referral.FAILED_STATUSES:
                    received = rng.choice(
                        [FamilyAnswer.Received.NO, FamilyAnswer.Received.NOT_YET]
                    )
                else:
                    received = FamilyAnswer.Received.NOT_YET
                answered_at = min(created_at + dt.timedelta(days=rng.randrange(1, 20)), self.now)
                answered.append((pk, answered_at, received))
            row = {
                "id": pk,
                "created_at": created_at,
                "updated_at": closed_at or created_at,
                "from_partner_id": rng.choice(origin_partners),
                "origin": rng.choices(origins, weights)[0],
                "commune_id": rng.choice(communes) if communes and rng.random() < 0.93 else None,
                "age_band": rng.choice(age_bands),
                "situation": rng.choice(situations),
                "service_id": service_id,
                "to_partner_id": partner_id,
                "kind": kind,
                "status": status,
                "status_reason": "autre" if status in Referral.NEEDS_REASON else "",
                "closed_at": closed_at,
                "previous_id": previous_id,
                "reoriented": False,
                "family_received": received,
                "family_answered_at": answered_at,
            }
            rows.append(row)
            if status in Referral.FAILED_STATUSES and closed_at:
                heapq.heappush(pending_failures, (closed_at, pk))
        # Exactly `feedback` answers: the few drawn beyond it are taken back.
        for pk, _at, _received in answered[feedback:]:
            rows[pk - next_id]["family_received"] = ""
            rows[pk - next_id]["family_answered_at"] = None
        self._insert(Referral, rows)
        return answered[:feedback]

    def _family_answers(self, rng, answered) -> None:
        satisfaction, continuity = FamilyAnswer.Satisfaction, FamilyAnswer.Continuity
        rows = []
        for pk, (referral_id, answered_at, received) in enumerate(
            answered, start=self._next_id(FamilyAnswer)
        ):
            if received == FamilyAnswer.Received.YES:
                feeling = rng.choices(satisfaction.values, [70, 22, 8])[0]
                followed = rng.choices(continuity.values, [65, 25, 10])[0]
            else:
                feeling = rng.choices(satisfaction.values, [20, 40, 40])[0]
                followed = rng.choices(continuity.values, [15, 35, 50])[0]
            rows.append(
                {
                    "id": pk,
                    "referral_id": referral_id,
                    "answered_at": answered_at,
                    "received": received,
                    "satisfaction": feeling,
                    "clarity": rng.choices([1, 2, 3, 4, 5], [4, 8, 20, 38, 30])[0],
                    "continuity": followed,
                }
            )
        self._insert(FamilyAnswer, rows)

    def _page_feedback(self, rng, count, pathways) -> None:
        if not pathways or not count:
            return
        answers = PathwayFeedback.Answer.values
        start = self._next_id(PathwayFeedback)
        rows = [
            {
                "id": start + n,
                "pathway_id": rng.choice(pathways),
                "created_at": self._moment(rng),
                "answer": rng.choices(answers, [62, 25, 13])[0],
                "comment": "",
            }
            for n in range(count)
        ]
        self._insert(PathwayFeedback, rows)

    def _unmet_needs(self, rng, count, communes, partners) -> None:
        needs = list(Need.objects.values_list("pk", flat=True))
        if not needs:
            return
        reasons = UnmetNeed.Reason.values
        start = self._next_id(UnmetNeed)
        rows = [
            {
                "id": start + n,
                "created_at": self._moment(rng),
                "partner_id": rng.choice(partners),
                "commune_id": rng.choice(communes) if communes else None,
                "need_id": rng.choice(needs),
                "reason": rng.choice(reasons),
                "age_band": "",
                "idempotency_key": None,
            }
            for n in range(count)
        ]
        self._insert(UnmetNeed, rows)

    def _pathway_stats(self, rng, pathways) -> None:
        today = timezone.localdate()
        stats = [
            PathwayStat(
                pathway_id=pathway_id,
                day=today - dt.timedelta(days=offset),
                views=rng.randrange(0, 40),
                prints=rng.randrange(0, 5),
                handouts=rng.randrange(0, 4),
            )
            for pathway_id in pathways
            for offset in range(self.days)
        ]
        PathwayStat.objects.bulk_create(stats, batch_size=BATCH, ignore_conflicts=True)

    # --- insertion -------------------------------------------------------------------

    @staticmethod
    def _next_id(model) -> int:
        return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def _insert(self, model, rows: list[dict]) -> None:
        """COPY on PostgreSQL (psycopg 3), bulk_create elsewhere; fields not given take
        their model default (tokens, batches)."""
        if not rows:
            return
        fields = model._meta.concrete_fields

        def value(row, field):
            if field.attname in row:
                return row[field.attname]
            return field.get_default()

        with transaction.atomic():
            if connection.vendor == "postgresql":
                table = model._meta.db_table
                columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
                rebuild = len(rows) >= REBUILD_FROM
                with (
                    connection.cursor() as cursor,
                    _without_secondary_structures(cursor, table, rebuild),
                ):
                    with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row([value(row, f) for f in fields])
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                        "(SELECT MAX(id) FROM " + table + "))",
                        [table],
                    )
            else:
                for start in range(0, len(rows), BATCH):
                    model.objects.bulk_create(
                        [
                            model(**{f.attname: value(row, f) for f in fields})
                            for row in rows[start : start + BATCH]
                        ]
                    )


@contextmanager
def _without_secondary_structures(cursor, table: str, rebuild: bool):
    """Load fast: drop the table's plain indexes and foreign keys, put them back after.

    Building an index once is much faster than updating twenty of them row by row, and
    re-adding a foreign key checks every row in one join. Run inside a transaction: on any
    error the schema is rolled back untouched. Unique constraints stay (they guard the data).
    """
    if not rebuild:
        yield
        return
    # Checks still pending in this transaction would forbid altering the tables.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f'",
        [table],
    )
    foreign_keys = cursor.fetchall()
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    for name, _definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
