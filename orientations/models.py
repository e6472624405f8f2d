"""Orientations that follow a visitor until they reach the right service (closed loop).

Personal data lives only in `ReferralContact` (and free-text event notes): the purge
deletes them and keeps the orientation, anonymised, for the indicators.
"""

import datetime as dt
import secrets
import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from services_directory import access
from services_directory.fields import author_field
from services_directory.models import Commune, Need, Partner, Service
from services_directory.phones import validate_phone

from . import notices

# --- the visitor's anonymous profile ----------------------------------------------------------


class Origin(models.TextChoices):
    PETITE_ENFANCE = "petite_enfance", _("Petite Enfance")
    ENFANCE = "enfance", _("Enfance")
    JEUNESSE = "jeunesse", _("Jeunesse")
    PARENTALITE = "parentalite", _("Parentalité")
    FRANCE_SERVICES = "france_services", _("France Services")
    OTHER = "other", _("Autre")

    @classmethod
    def of_partner(cls, partner: Partner) -> list[str]:
        """The origins a structure's own orientations can have: France Services for a
        France Services, else the sectors of its published services (Petite Enfance,
        Enfance, Jeunesse, Parentalité), so the passerelles are recorded by the services
        themselves. Empty when nothing says it (the professional then chooses)."""
        if partner.kind == Partner.Kind.FRANCE_SERVICES:
            return [cls.FRANCE_SERVICES]
        slugs = set(
            Service.objects.published()
            .filter(partner=partner)
            .values_list("sectors__slug", flat=True)
        )
        return [code for code, slug in ORIGIN_SECTORS.items() if slug in slugs]


# The origins that are sectors of the directory (seeded, stable slugs).
ORIGIN_SECTORS = {
    Origin.PETITE_ENFANCE: "petite-enfance",
    Origin.ENFANCE: "enfance",
    Origin.JEUNESSE: "jeunesse",
    Origin.PARENTALITE: "parentalite",
}


class AgeBand(models.TextChoices):
    UNDER_3 = "0-2", _("Moins de 3 ans")
    FROM_3 = "3-5", _("3 à 5 ans")
    FROM_6 = "6-10", _("6 à 10 ans")
    FROM_11 = "11-15", _("11 à 15 ans")
    FROM_16 = "16-17", _("16 à 17 ans")
    FROM_18 = "18-25", _("18 à 25 ans")
    ADULT = "26-59", _("Adulte (26 à 59 ans)")
    SENIOR = "60+", _("60 ans et plus")

    @classmethod
    def bounds(cls, value: str) -> tuple[int, int]:
        if value.endswith("+"):
            return int(value[:-1]), 120
        low, _sep, high = value.partition("-")
        return int(low), int(high)


class Situation(models.TextChoices):
    FAMILY = "famille", _("Famille avec enfants")
    SINGLE_PARENT = "parent_isole", _("Parent isolé")
    FUTURE_PARENT = "futur_parent", _("Futur parent")
    YOUNG = "jeune", _("Jeune sans enfant")
    ADULT = "adulte", _("Adulte sans enfant à charge")
    DISABILITY = "handicap", _("Situation de handicap (personne ou enfant)")
    CARER = "aidant", _("Aidant d'un proche")
    OTHER = "autre", _("Autre ou non précisé")


# --- orientations --------------------------------------------------------------------------


def reorientation_delay() -> dt.timedelta:
    """How long after a failure a new orientation still continues the same chain."""
    return dt.timedelta(days=settings.REFERRAL_REORIENTATION_DAYS)


def continues_in_time(failed_at: dt.datetime, reoriented_at: dt.datetime) -> bool:
    """The re-orientation rule, written once (docs/indicateurs.md says it in plain words):
    a chain re-oriented within the delay counts once, by its last orientation."""
    return reoriented_at - failed_at <= reorientation_delay()


class ReferralQuerySet(models.QuerySet):
    def followed(self):
        """Orientations the loop follows, one per chain: information-only ones are not."""
        return self.exclude(kind=Referral.Kind.INFORMATION).filter(reoriented=False)

    def ruptures(self, now: dt.datetime | None = None):
        deadline = (now or timezone.now()) - reorientation_delay()
        # A family that later says it was received is no rupture, whatever the status says.
        return self.followed().filter(
            Q(family_received=FamilyAnswer.Received.NO)
            | (
                Q(status__in=Referral.FAILED_STATUSES, closed_at__lt=deadline)
                & ~Q(family_received=FamilyAnswer.Received.YES)
            )
        )

    def without_rupture(self):
        return (
            self.followed()
            .filter(
                Q(status__in=Referral.REACHED_STATUSES)
                | Q(family_received=FamilyAnswer.Received.YES)
            )
            .exclude(family_received=FamilyAnswer.Received.NO)
        )

    def at_risk(self):
        """Failed and not re-oriented yet: the adviser's « risque de rupture » list. A
        re-orientation, however late, takes the failed one off it (the 15-day rule
        decides only how the indicator counts the chain)."""
        return (
            self.exclude(kind=Referral.Kind.INFORMATION)
            .filter(
                Q(status__in=Referral.FAILED_STATUSES)
                | Q(family_received=FamilyAnswer.Received.NO)
            )
            .exclude(Exists(Referral.objects.filter(previous=OuterRef("pk"))))
        )

    def callbacks(self):
        """The families who asked to be called back, and have not been yet."""
        return self.filter(callback_requested_at__isnull=False)

    def waiting_since(self, days: int, now: dt.datetime | None = None):
        """Still waiting for the partner's answer, sent at least `days` days ago."""
        limit = (now or timezone.now()) - dt.timedelta(days=days)
        return self.filter(status__in=Referral.AWAITING_ANSWER, created_at__lte=limit)

    def of_visit(self, token: str):
        """The orientations recorded in one visit (one sheet), found by the follow-up
        token printed on it: the token of any of them opens the visit."""
        return self.filter(batch__in=self.filter(token=token).values("batch"))

    def open(self):
        return self.filter(status__in=Referral.OPEN_STATUSES)

    def set_family_language(self, language: str) -> int:
        """The family's language for these orientations (a visit's): its sheet, its
        follow-up page and the e-mails it receives. Only a configured language."""
        if language not in dict(settings.LANGUAGES):
            raise ValueError(f"{language!r} is not a configured language")
        return self.update(family_language=language, updated_at=timezone.now())

    def visible_to(self, user):
        """Deny by default: the rule is access.referrals_q."""
        return self.filter(access.referrals_q(user))

    def for_listing(self):
        return self.select_related("service", "to_partner", "from_partner", "commune")

    # --- creation --------------------------------------------------------------------------

    def create_batch(
        self,
        *,
        batch: uuid.UUID,
        by,
        from_partner: Partner,
        services,
        kind: str,
        origin: str,
        needs=(),
        commune: Commune | None = None,
        age_band: str = "",
        situation: str = "",
        pathway=None,
        previous: "Referral | None" = None,
        contact: dict | None = None,
        per_service: dict | None = None,
        family_language: str = "fr",
        now: dt.datetime | None = None,
        notify: bool = True,
    ) -> list["Referral"]:
        """One orientation per service, recorded together (one visit, one hand-out sheet).

        `contact` (name, phone, email and the consent text read to the person) is kept only
        with the person's consent, which the caller has checked. `per_service` maps a
        service's pk to what differs for it in a visit with several needs (`kind`,
        `needs`, `age_band`). `family_language` is the one of its sheet, follow-up page and
        e-mails to the family. A re-orientation continues `previous`'s chain. Every
        creation is in the audit trail; with `notify`, the receiving partner is told at
        once, in the same transaction (the outbox).
        """
        now = now or timezone.now()
        default_kind = kind
        per_service = per_service or {}
        referrals = []
        with transaction.atomic():
            for service in services:
                own = per_service.get(service.pk, {})
                kind = own.get("kind") or default_kind
                status = Referral.INITIAL_STATUS[kind]
                referral = self.create(
                    batch=batch,
                    created_at=now,
                    created_by=by if getattr(by, "is_authenticated", False) else None,
                    from_partner=from_partner,
                    origin=origin,
                    commune=commune,
                    age_band=own.get("age_band", age_band),
                    situation=situation or Situation.OTHER,
                    service=service,
                    to_partner_id=service.partner_id,
                    kind=kind,
                    status=status,
                    closed_at=now if status in Referral.CLOSED_STATUSES else None,
                    pathway=pathway,
                    previous=previous,
                    answer_nonce=new_nonce() if kind != Referral.Kind.INFORMATION else "",
                    family_language=family_language,
                )
                referral.needs.set(own.get("needs") or needs)
                ReferralEvent.objects.create(
                    referral=referral, at=now, by=referral.created_by, to_status=status
                )
                if contact:
                    ReferralContact.objects.create(referral=referral, consent_at=now, **contact)
                AuditLog.record(by, AuditLog.Action.CREATE, referral, at=now)
                if notify and kind != Referral.Kind.INFORMATION:
                    notices.new_referral(referral)
                referrals.append(referral)
            if previous is not None:
                previous.continue_with(now)
        return referrals

    # --- what the daily commands act on ---------------------------------------------------

    def due_for_reminder(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        limit = now - dt.timedelta(days=settings.REFERRAL_REMINDER_DAYS)
        return self.filter(
            status__in=Referral.AWAITING_ANSWER,
            created_at__lte=limit,
            reminded_at__isnull=True,
            family_answered_at__isnull=True,
        )

    def due_for_expiry(self, now: dt.datetime | None = None):
        now = now or timezone.now()
        limit = now - dt.timedelta(days=settings.REFERRAL_EXPIRY_DAYS)
        return self.filter(status__in=Referral.AWAITING_ANSWER, created_at__lte=limit)

    def due_for_purge(self, now: dt.datetime | None = None):
        """Closed for longer than the retention period, or never closed and far older."""
        now = now or timezone.now()
        retention = dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
        expiry = dt.timedelta(days=settings.REFERRAL_EXPIRY_DAYS)
        with_personal_data = Q(contact__isnull=False) | Q(
            pk__in=ReferralEvent.objects.exclude(note="").values("referral_id")
        )
        return self.filter(with_personal_data).filter(
            Q(closed_at__lte=now - retention)
            | Q(closed_at__isnull=True, created_at__lte=now - retention - expiry)
        )


def new_token() -> str:
    # 64 random bits, URL-safe, 11 characters: short enough to type from a printed sheet.
    return secrets.token_urlsafe(8)


def new_nonce() -> str:
    # What makes the partner's answer link single-use: cleared once the link has answered.
    return secrets.token_urlsafe(16)


class AnswerLinkError(Exception):
    """Why a partner's answer link does not open: `invalid` (altered, or for another
    orientation), `expired`, or `used` (it has answered already)."""

    def __init__(self, code: str, referral: "Referral | None" = None):
        super().__init__(code)
        self.code = code
        self.referral = referral


class Actor(models.TextChoices):
    """Who moves an orientation: its two professionals, the family, or the daily job."""

    SENDER = access.SENDER, _("le conseiller qui a orienté")
    RECEIVER = access.RECEIVER, _("le partenaire destinataire")
    LINK = "link", _("le partenaire destinataire, par le lien reçu par courriel")
    FAMILY = "family", _("la famille")
    SYSTEM = "system", _("le système")


class Move:
    """One declared step of the workflow: to `target`, from `sources`, by `actors`."""

    def __init__(
        self, target: str, sources, actors, *, needs_reason: bool = False, automatic=False
    ):
        self.target = target
        self.sources = frozenset(sources)
        self.actors = frozenset(actors)
        self.needs_reason = needs_reason
        # Made by opening the orientation, never offered as a choice.
        self.automatic = automatic

    def __repr__(self) -> str:
        return f"Move({self.target!r} from {sorted(self.sources)} by {sorted(self.actors)})"


class Referral(models.Model):
    class Kind(models.TextChoices):
        INFORMATION = "information", _("Information seulement")
        ORIENTATION = "orientation", _("Orientation (la personne prend contact)")
        CONNECTION = "mise_en_relation", _("Mise en relation (je contacte le partenaire)")

    class Status(models.TextChoices):
        INFORMED = "informee", _("Information donnée")
        PROPOSED = "proposee", _("Proposée")
        SENT = "transmise", _("Transmise")
        SEEN = "vue", _("Vue par le partenaire")
        ACCEPTED = "acceptee", _("Acceptée")
        TAKEN = "prise_en_charge", _("Prise en charge")
        SUCCEEDED = "aboutie", _("Aboutie")
        REFUSED = "refusee", _("Refusée")
        DROPPED = "sans_suite", _("Sans suite")
        EXPIRED = "expiree", _("Expirée")

    class Reason(models.TextChoices):
        NOT_ELIGIBLE = "non_eligible", _("Ne remplit pas les conditions")
        FULL = "complet", _("Plus de place")
        UNREACHABLE = "injoignable", _("Personne injoignable")
        NO_SHOW = "absence", _("Ne s'est pas présentée")
        DUPLICATE = "doublon", _("Doublon")
        WRONG_SERVICE = "mauvais_service", _("Pas le bon service")
        GAVE_UP = "renonce", _("La personne a renoncé")
        OTHER = "autre", _("Autre raison")

    OPEN_STATUSES = (Status.PROPOSED, Status.SENT, Status.SEEN, Status.ACCEPTED, Status.TAKEN)
    # Named groups: what the partner has to answer, what it is working on, what is over.
    AWAITING_ANSWER = (Status.PROPOSED, Status.SENT, Status.SEEN)
    IN_PROGRESS = (Status.ACCEPTED, Status.TAKEN)
    REACHED_STATUSES = (Status.TAKEN, Status.SUCCEEDED)
    FAILED_STATUSES = (Status.REFUSED, Status.DROPPED, Status.EXPIRED)
    CLOSED_STATUSES = (Status.INFORMED, Status.SUCCEEDED, *FAILED_STATUSES)
    INITIAL_STATUS = {
        Kind.INFORMATION: Status.INFORMED,
        Kind.ORIENTATION: Status.PROPOSED,
        Kind.CONNECTION: Status.SENT,
    }
    # The declared workflow: every status move, from where, and who may make it. The
    # sender may confirm success or give up; only the receiver sees (by opening it),
    # accepts, takes or refuses, with its account or through the link e-mailed to it;
    # the family's "yes, I was received" closes the loop; the daily job expires the silent.
    WORKFLOW = {
        move.target: move
        for move in [
            Move(Status.SENT, [Status.PROPOSED], [Actor.SENDER]),
            Move(
                Status.SEEN,
                [Status.PROPOSED, Status.SENT],
                [Actor.RECEIVER, Actor.LINK],
                automatic=True,
            ),
            Move(Status.ACCEPTED, AWAITING_ANSWER, [Actor.RECEIVER]),
            Move(Status.TAKEN, [*AWAITING_ANSWER, Status.ACCEPTED], [Actor.RECEIVER, Actor.LINK]),
            Move(Status.SUCCEEDED, OPEN_STATUSES, [Actor.SENDER, Actor.RECEIVER, Actor.FAMILY]),
            Move(
                Status.REFUSED,
                [*AWAITING_ANSWER, Status.ACCEPTED],
                [Actor.RECEIVER, Actor.LINK],
                needs_reason=True,
            ),
            Move(Status.DROPPED, OPEN_STATUSES, [Actor.SENDER], needs_reason=True),
            Move(Status.EXPIRED, AWAITING_ANSWER, [Actor.SYSTEM]),
        ]
    }
    NEEDS_REASON = tuple(target for target, move in WORKFLOW.items() if move.needs_reason)

    token = models.CharField(
        _("jeton du lien de suivi"), max_length=16, unique=True, default=new_token, editable=False
    )
    batch = models.UUIDField(
        _("lot"),
        default=uuid.uuid4,
        db_index=True,
        editable=False,
        help_text=_(
            "Les orientations enregistrées ensemble (une fiche) ; sert aussi d'anti-doublon."
        ),
    )
    created_at = models.DateTimeField(_("créée le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifiée le"), auto_now=True)
    created_by = author_field(_("créée par"))
    from_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        verbose_name=_("partenaire qui oriente"),
    )
    origin = models.CharField(
        _("origine de l'orientation"), max_length=20, choices=Origin.choices, db_index=True
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("commune de la personne"),
    )
    age_band = models.CharField(
        _("tranche d'âge"), max_length=6, choices=AgeBand.choices, blank=True
    )
    situation = models.CharField(
        _("situation"), max_length=20, choices=Situation.choices, default=Situation.OTHER
    )
    needs = models.ManyToManyField(
        Need, related_name="referrals", blank=True, verbose_name=_("besoins")
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("service")
    )
    to_partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="referrals_received",
        verbose_name=_("partenaire destinataire"),
        editable=False,
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, db_index=True)
    status_reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices, blank=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("relance envoyée le"), null=True, blank=True)
    pathway = models.ForeignKey(
        "pathways.Pathway",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("parcours type remis"),
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reorientations",
        verbose_name=_("orientation précédente"),
    )
    reoriented = models.BooleanField(
        _("réorientée à temps"),
        default=False,
        help_text=_(
            "Une nouvelle orientation a pris le relais dans le délai : la chaîne compte une fois, "
            "par sa dernière orientation."
        ),
    )
    seen_at = models.DateTimeField(_("vue par le partenaire le"), null=True, blank=True)
    callback_requested_at = models.DateTimeField(
        _("la famille demande à être rappelée depuis le"), null=True, blank=True
    )
    answer_nonce = models.CharField(
        _("jeton à usage unique du lien de réponse"),
        max_length=32,
        blank=True,
        default="",
        db_default="",
        editable=False,
        help_text=_("Effacé dès que le partenaire a répondu par son lien."),
    )
    family_language = models.CharField(
        _("langue de la famille"),
        max_length=10,
        default="fr",
        db_default="fr",
        help_text=_(
            "Choisie par le conseiller en imprimant la fiche : la fiche, la page de suivi et "
            "les courriels à la famille sont dans cette langue, avec le français en dessous "
            "pour le service qui la reçoit."
        ),
    )
    family_received = models.CharField(
        _("la famille dit avoir été reçue"), max_length=10, blank=True
    )
    family_answered_at = models.DateTimeField(_("réponse de la famille le"), null=True, blank=True)
    contact_purged_at = models.DateTimeField(
        _("données personnelles effacées le"), null=True, blank=True
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("orientation")
        verbose_name_plural = _("orientations")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["from_partner", "status"]),
            models.Index(fields=["to_partner", "status"]),
            models.Index(fields=["commune", "created_at"]),
            models.Index(fields=["origin", "created_at"]),
        ]
        constraints = [
            # A double submit of the same form creates one orientation per service.
            models.UniqueConstraint(fields=["batch", "service"], name="referral_once_per_batch")
        ]

    def __str__(self) -> str:
        return _("Orientation n° %(pk)s vers %(service)s") % {
            "pk": self.pk,
            "service": self.service.name,
        }

    def save(self, *args, **kwargs):
        if not self.to_partner_id and self.service_id:
            self.to_partner_id = self.service.partner_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("orientations:referral", args=[self.pk])

    def get_follow_up_url(self) -> str:
        """The family's page, in the family's language (the sheet's QR code, its e-mails);
        the page's own links keep the language the family reads it in."""
        with translation.override(self.language_for_family):
            return reverse("orientations:follow_up", args=[self.token])

    @property
    def language_for_family(self) -> str:
        """The family's language, or French if the territory no longer offers it."""
        languages = dict(settings.LANGUAGES)
        return self.family_language if self.family_language in languages else "fr"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_at_risk(self) -> bool:
        return Referral.objects.at_risk().filter(pk=self.pk).exists()

    @property
    def failed_at(self) -> dt.datetime:
        """When the loop broke: closed by a failure, or the family said it was not received."""
        return self.closed_at or self.family_answered_at or self.created_at

    def continue_with(self, now: dt.datetime) -> None:
        """A new orientation takes over from this failed one (`previous` links them both
        ways, and takes this one off the worklist whenever it happens). Within the delay,
        the chain counts once, by its last orientation (`reoriented` takes this one out
        of the indicator)."""
        fields = ["callback_requested_at", "updated_at"]
        self.callback_requested_at = None
        if not self.reoriented and continues_in_time(self.failed_at, now):
            self.reoriented = True
            fields.append("reoriented")
        self.save(update_fields=fields)

    # --- the partner's answer link (no account needed) ------------------------------------

    ANSWER_LINK_SALT = "orientations.answer-link"

    def answer_link_path(self) -> str:
        """The signed, single-use address e-mailed to the receiving partner: it names this
        orientation and its current nonce, and expires after REFERRAL_LINK_DAYS."""
        signature = signing.dumps([self.pk, self.answer_nonce], salt=self.ANSWER_LINK_SALT)
        return reverse("orientations:answer_link", args=[self.pk, signature])

    @classmethod
    def from_answer_link(cls, pk: int, signature: str) -> "Referral":
        """The orientation this link answers, or AnswerLinkError."""
        max_age = dt.timedelta(days=settings.REFERRAL_LINK_DAYS)
        try:
            signed_pk, nonce = signing.loads(signature, salt=cls.ANSWER_LINK_SALT, max_age=max_age)
        except signing.SignatureExpired:
            raise AnswerLinkError("expired") from None
        except (signing.BadSignature, ValueError, TypeError):
            raise AnswerLinkError("invalid") from None
        if signed_pk != pk:
            raise AnswerLinkError("invalid")
        referral = (
            cls.objects.select_related("service__partner", "from_partner", "to_partner")
            .filter(pk=pk)
            .first()
        )
        if referral is None or not nonce:
            raise AnswerLinkError("invalid")
        if not secrets.compare_digest(referral.answer_nonce, nonce):
            raise AnswerLinkError("used", referral)
        if referral.status not in cls.AWAITING_ANSWER and referral.status != cls.Status.ACCEPTED:
            raise AnswerLinkError("used", referral)
        return referral

    def answer_by_link(self, status: str, *, reason: str = "") -> "Referral":
        """The partner's answer through its link: the move, then the link is spent."""
        with transaction.atomic():
            current = self.move_to(status, actor=Actor.LINK, reason=reason)
            Referral.objects.filter(pk=self.pk).update(answer_nonce="")
            current.answer_nonce = ""
        return current

    def mark_seen(self, *, by=None, actor: str | None = None) -> bool:
        """The receiver opens the orientation (account or link) for the first time: « Vue »."""
        if self.status not in self.WORKFLOW[self.Status.SEEN].sources:
            return False
        try:
            self.move_to(self.Status.SEEN, by=by, actor=actor)
        except (PermissionDenied, ValidationError):
            return False  # changed meanwhile, or not the receiver: nothing to record
        return True

    # --- the family -----------------------------------------------------------------------

    def request_callback(self, *, phone: str = "", at: dt.datetime | None = None) -> None:
        """The family asks to be called back (« Rappelez-moi »): the orientation goes to
        the top of its adviser's list, who is told. A phone number left with it is kept
        with the contact details, under the same retention."""
        at = at or timezone.now()
        with transaction.atomic():
            current = Referral.objects.select_for_update().get(pk=self.pk)
            already = current.callback_requested_at is not None
            current.callback_requested_at = current.callback_requested_at or at
            current.save(update_fields=["callback_requested_at", "updated_at"])
            if phone:
                contact, created = ReferralContact.objects.get_or_create(
                    referral=current,
                    defaults={"consent_at": at, "consent_text": callback_consent_text()},
                )
                contact.phone = phone
                contact.save(update_fields=["phone"])
            AuditLog.record(None, AuditLog.Action.CALLBACK, current, at=at)
            if not already:
                notices.callback_requested(current)
        self.callback_requested_at = current.callback_requested_at

    def callback_done(self, *, by) -> None:
        """The adviser has called the family back: the request leaves the top of the list."""
        Referral.objects.filter(pk=self.pk).update(
            callback_requested_at=None, updated_at=timezone.now()
        )
        self.callback_requested_at = None
        AuditLog.record(by, AuditLog.Action.CALLBACK, self, "rappel fait")

    def family_status(self) -> dict:
        """What the family reads about this orientation: where it stands, and what next."""
        return family_status(self)

    @classmethod
    def moves_for(cls, status: str, actors) -> list[str]:
        """The statuses these actors may move an orientation in `status` to, in order."""
        actors = set(actors)
        return [
            target
            for target, move in cls.WORKFLOW.items()
            if status in move.sources and move.actors & actors
        ]

    def allowed_moves(self, user) -> list[str]:
        """The statuses this person may choose for the orientation now, in display order."""
        return [
            status
            for status in self.moves_for(self.status, access.referral_sides(user, self))
            if not self.WORKFLOW[status].automatic
        ]

    def move_to(
        self,
        status: str,
        *,
        by=None,
        actor: str | None = None,
        reason: str = "",
        note: str = "",
        at: dt.datetime | None = None,
        notify: bool = True,
    ) -> "Referral":
        """Change the status under a row lock: a concurrent change is never overwritten.

        The mover is a user (`by`, whose side of the orientation decides) or an `actor`
        (the family, the daily job). Raises PermissionDenied when this status exists from
        here but is not theirs to set, and ValidationError with a French message when the
        move is not possible from the current status (which may have changed since the
        page was displayed) or lacks its reason. `at` dates a move told afterwards.
        """
        at = at or timezone.now()
        with transaction.atomic():
            current = Referral.objects.select_for_update().get(pk=self.pk)
            actors = {actor} if actor else set(access.referral_sides(by, current))
            if status not in self.moves_for(current.status, actors):
                move = self.WORKFLOW.get(status)
                if move is not None and current.status in move.sources:
                    raise PermissionDenied
                raise ValidationError(
                    _(
                        "Impossible de passer cette orientation de « %(from)s » à « %(to)s ». "
                        "Elle a peut-être été modifiée entre-temps : voici son état actuel."
                    ),
                    params={
                        "from": current.get_status_display(),
                        "to": Referral.Status(status).label,
                    },
                    code="invalid_transition",
                )
            if status in self.NEEDS_REASON and not reason:
                raise ValidationError(_("Choisissez un motif."), code="reason_required")
            previous_status = current.status
            current.status = status
            current.status_reason = reason if status in self.NEEDS_REASON else ""
            fields = ["status", "status_reason", "updated_at"]
            if status in self.CLOSED_STATUSES:
                current.closed_at = at
                fields.append("closed_at")
            if status == self.Status.SEEN or (
                current.seen_at is None and actors & {Actor.RECEIVER, Actor.LINK}
            ):
                current.seen_at = at
                fields.append("seen_at")
            current.save(update_fields=fields)
            ReferralEvent.objects.create(
                referral=current,
                at=at,
                by=by if getattr(by, "is_authenticated", False) else None,
                # Through its own link; told to the adviser, the event names the adviser.
                by_family=actor == Actor.FAMILY and not getattr(by, "is_authenticated", False),
                by_link=actor == Actor.LINK,
                from_status=previous_status,
                to_status=status,
                reason=current.status_reason,
                note=note,
            )
            action = (
                AuditLog.Action.EXPIRE if actor == Actor.SYSTEM else AuditLog.Action.STATUS_CHANGE
            )
            detail = f"{previous_status} → {status}" + (" (lien)" if actor == Actor.LINK else "")
            AuditLog.record(by, action, current, detail, at=at)
            if notify:
                notices.status_changed(current, previous_status)
        return current

    def record_family_answer(
        self,
        *,
        received: str = "",
        satisfaction: str = "",
        clarity: int | None = None,
        continuity: str = "",
        by=None,
        at: dt.datetime | None = None,
        **more,
    ) -> "FamilyAnswer":
        """The family's answer, through its link or told to its adviser (`by`). `more`
        holds the answer's other questions (FamilyAnswer's fields, e.g. `helped`)."""
        at = at or timezone.now()
        with transaction.atomic():
            current = Referral.objects.select_for_update().get(pk=self.pk)
            answer, _created = FamilyAnswer.objects.update_or_create(
                referral=current,
                defaults={
                    "received": received,
                    "satisfaction": satisfaction,
                    "clarity": clarity,
                    "continuity": continuity,
                    "answered_at": at,
                    "recorded_by": by if getattr(by, "is_authenticated", False) else None,
                    **more,
                },
            )
            current.family_received = received
            current.family_answered_at = answer.answered_at
            current.save(update_fields=["family_received", "family_answered_at", "updated_at"])
            AuditLog.record(by, AuditLog.Action.FAMILY_ANSWER, current, at=at)
            # The family saying it was received closes the loop, whoever wrote it down.
            if received == FamilyAnswer.Received.YES and current.status in self.OPEN_STATUSES:
                current.move_to(Referral.Status.SUCCEEDED, by=by, actor=Actor.FAMILY, at=at)
        return answer

    def purge_personal_data(self) -> None:
        with transaction.atomic():
            ReferralContact.objects.filter(referral=self).delete()
            self.events.exclude(note="").update(note="")
            self.contact_purged_at = timezone.now()
            self.save(update_fields=["contact_purged_at"])
            AuditLog.record(None, AuditLog.Action.PURGE, self)


def callback_consent_text() -> str:
    return str(
        _(
            "J'accepte que ce numéro soit transmis au conseiller qui m'a orienté, pour qu'il me "
            "rappelle. Il est effacé %(days)s jours après la fin du suivi."
        )
        % {"days": settings.PERSONAL_DATA_RETENTION_DAYS}
    )


# What the family reads on its page, status by status: where it stands, what happens next.
_S = Referral.Status
FAMILY_WORDS = {
    _S.INFORMED: (
        _("Voici un service qui peut vous aider."),
        _("Contactez-le quand vous en avez besoin."),
    ),
    _S.PROPOSED: (
        _("Ce service vous attend : c'est à vous de le contacter."),
        _("Appelez-le, écrivez-lui ou passez aux horaires d'accueil."),
    ),
    _S.SENT: (
        _("Le service a été prévenu."),
        _("Il va vous contacter. Sans nouvelles dans quelques jours, appelez-le."),
    ),
    _S.SEEN: (
        _("Le service a lu votre orientation."),
        _("Il va vous répondre. Vous pouvez aussi l'appeler."),
    ),
    _S.ACCEPTED: (
        _("Le service a accepté de vous recevoir."),
        _("Il va vous proposer un rendez-vous."),
    ),
    _S.TAKEN: (
        _("Le service s'occupe de vous."),
        _("Dites-nous ci-dessous si tout se passe bien."),
    ),
    _S.SUCCEEDED: (
        _("C'est fait : vous avez été reçu."),
        _("Vous pouvez encore nous dire comment ça s'est passé."),
    ),
    _S.REFUSED: (
        _("Le service ne peut pas vous recevoir."),
        _("Ce n'est pas de votre faute. Nous pouvons trouver une autre solution avec vous."),
    ),
    _S.DROPPED: (
        _("Cette orientation n'a pas abouti."),
        _("Nous pouvons trouver une autre solution avec vous."),
    ),
    _S.EXPIRED: (
        _("Le service n'a pas répondu."),
        _("Nous pouvons le relancer ou trouver une autre solution avec vous."),
    ),
}


def family_status(referral: Referral) -> dict:
    """Plain words for the family: where it stands, what next, and whether it needs the
    « que faire maintenant » box (refused, expired, dropped, or the family said no)."""
    said_no = referral.family_received == FamilyAnswer.Received.NO
    failed = referral.status in Referral.FAILED_STATUSES
    now, then = FAMILY_WORDS[referral.status]
    if said_no and not failed:
        now, then = (
            _("Vous nous avez dit ne pas avoir été reçu."),
            _("Nous pouvons vous aider à trouver une autre solution."),
        )
    return {
        "now": now,
        "next": then,
        "reason": referral.get_status_reason_display() if referral.status_reason else "",
        "needs_help": failed or said_no,
        "information_only": referral.kind == Referral.Kind.INFORMATION,
    }


class ReferralEvent(models.Model):
    """One status change: who, when, from, to, why."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("orientation")
    )
    at = models.DateTimeField(_("le"), default=timezone.now)
    by = author_field(_("par"))
    by_family = models.BooleanField(_("par la famille"), default=False)
    by_link = models.BooleanField(_("par le lien du partenaire"), default=False, db_default=False)
    from_status = models.CharField(
        _("ancien statut"), max_length=20, choices=Referral.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("nouveau statut"), max_length=20, choices=Referral.Status.choices
    )
    reason = models.CharField(
        _("motif"), max_length=20, choices=Referral.Reason.choices, blank=True
    )
    note = models.CharField(
        _("commentaire"),
        max_length=300,
        blank=True,
        help_text=_("Effacé avec les données personnelles."),
    )

    class Meta:
        verbose_name = _("changement de statut")
        verbose_name_plural = _("changements de statut")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.from_status} → {self.to_status}"


class ReferralContact(models.Model):
    """The visitor's consent and contact details: kept apart, purged after retention."""

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="contact", verbose_name=_("orientation")
    )
    consent_at = models.DateTimeField(_("consentement recueilli le"))
    consent_text = models.TextField(_("texte du consentement présenté"))
    name = models.CharField(_("nom"), max_length=120)
    phone = models.CharField(
        _("téléphone"), max_length=30, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("courriel"), blank=True)

    class Meta:
        verbose_name = _("coordonnées et consentement")
        verbose_name_plural = _("coordonnées et consentements")

    def __str__(self) -> str:
        return str(_("Coordonnées de l'orientation n° %(pk)s") % {"pk": self.referral_id})


class FamilyAnswer(models.Model):
    """The family's own word on the orientation (one per orientation; the latest wins)."""

    class Received(models.TextChoices):
        YES = "oui", _("Oui")
        NOT_YET = "pas_encore", _("Pas encore")
        NO = "non", _("Non")

    class Satisfaction(models.TextChoices):
        GOOD = "tres_bien", _("Très bien")
        AVERAGE = "moyen", _("Moyen")
        BAD = "pas_bien", _("Pas bien")

    class Continuity(models.TextChoices):
        """Did the person feel followed, without having to tell their story again?"""

        YES = "oui", _("Oui")
        PARTLY = "en_partie", _("En partie")
        NO = "non", _("Non, j'ai dû tout répéter")

    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="answer", verbose_name=_("orientation")
    )
    answered_at = models.DateTimeField(_("répondu le"), default=timezone.now, db_index=True)
    received = models.CharField(
        _("avez-vous pu être reçu ?"),
        max_length=10,
        choices=Received.choices,
        blank=True,
        help_text=_("Vide pour une information seulement : on demande alors si elle a aidé."),
    )
    helped = models.CharField(
        _("ces informations vous ont-elles aidé ?"),
        max_length=10,
        choices=[("oui", _("Oui")), ("non", _("Non"))],
        blank=True,
        default="",
        db_default="",
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=10, choices=Satisfaction.choices, blank=True
    )
    clarity = models.PositiveSmallIntegerField(
        _("clarté de l'information (1 à 5)"), null=True, blank=True
    )
    continuity = models.CharField(
        _("s'est senti·e suivi·e"), max_length=10, choices=Continuity.choices, blank=True
    )
    recorded_by = author_field(
        _("saisie par"), help_text=_("Vide quand la famille a répondu elle-même par son lien.")
    )

    class Meta:
        verbose_name = _("réponse de la famille")
        verbose_name_plural = _("réponses des familles")
        constraints = [
            models.CheckConstraint(
                condition=Q(clarity__isnull=True) | Q(clarity__gte=1, clarity__lte=5),
                name="family_answer_clarity_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral_id}: {self.get_received_display()}"


class UnmetNeed(models.Model):
    """A need nothing on the territory could meet: it feeds the needs observatory."""

    class Reason(models.TextChoices):
        NO_SERVICE = "aucun_service", _("Aucun service sur le territoire")
        FULL = "complet", _("Service complet")
        TOO_FAR = "trop_loin", _("Trop loin")
        HOURS = "horaires", _("Horaires incompatibles")
        COST = "cout", _("Coût trop élevé")
        CONDITIONS = "conditions", _("Conditions d'accès non remplies")

    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now, db_index=True)
    created_by = author_field(_("par"))
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        related_name="unmet_needs",
        verbose_name=_("partenaire qui l'a relevé"),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="unmet_needs",
        verbose_name=_("commune de la personne"),
    )
    need = models.ForeignKey(
        Need, on_delete=models.PROTECT, related_name="unmet", verbose_name=_("besoin")
    )
    reason = models.CharField(_("raison"), max_length=20, choices=Reason.choices)
    age_band = models.CharField(
        _("tranche d'âge"), max_length=6, choices=AgeBand.choices, blank=True
    )
    idempotency_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("besoin non couvert")
        verbose_name_plural = _("besoins non couverts")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["commune", "need"])]

    def __str__(self) -> str:
        return f"{self.need} — {self.get_reason_display()}"


class AuditLog(models.Model):
    """Who did what, when: every status change and every display of personal data."""

    class Action(models.TextChoices):
        CREATE = "create", _("Création")
        STATUS_CHANGE = "status", _("Changement de statut")
        VIEW_PERSONAL = "view_personal", _("Affichage de données personnelles")
        FAMILY_ANSWER = "family_answer", _("Réponse de la famille")
        EMAIL = "email", _("Envoi d'un courriel")
        REMINDER = "reminder", _("Relance")
        EXPIRE = "expire", _("Expiration")
        PURGE = "purge", _("Effacement des données personnelles")
        CALLBACK = "callback", _("Demande de rappel de la famille")
        ACCOUNT = "account", _("Gestion des comptes")

    at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    user = author_field(_("par"))
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
        verbose_name=_("orientation"),
    )
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    detail = models.CharField(_("détail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"

    @classmethod
    def record(
        cls, user, action: str, obj=None, detail: str = "", *, at: dt.datetime | None = None
    ) -> "AuditLog":
        user = user if getattr(user, "is_authenticated", False) else None
        return cls.objects.create(
            at=at or timezone.now(),
            user=user,
            action=action,
            referral=obj if isinstance(obj, Referral) else None,
            object_repr=(f"{obj._meta.model_name} {obj.pk}" if obj is not None else "")[:200],
            detail=detail[:300],
        )
