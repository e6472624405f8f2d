"""The directory: who does what, for whom, where and when."""

import datetime as dt
import math
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import hours as hours_lib
from .ages import AgeRange, AgeRangeQuerySet
from .fields import SearchWordsField
from .text import fold, normalize

KM_PER_DEGREE = 111.2


def unique_slug(model, text: str, instance_pk=None, max_length: int = 80) -> str:
    base = slugify(text)[: max_length - 6] or "element"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=instance_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class TerritoryQuerySet(models.QuerySet):
    def current(self):
        """The territory this portal serves (one per installation)."""
        return self.order_by("pk").first()


class Territory(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=60, blank=True)
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    is_demo = models.BooleanField(
        _("territoire de démonstration"),
        default=False,
        help_text=_("Affiche un bandeau « Démonstration » sur toutes les pages."),
    )
    contact_email = models.EmailField(_("courriel de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone de contact"), max_length=30, blank=True)
    address = models.CharField(_("adresse du siège"), max_length=255, blank=True)

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class Commune(models.Model):
    territory = models.ForeignKey(
        Territory, on_delete=models.CASCADE, related_name="communes", verbose_name=_("territoire")
    )
    insee_code = models.CharField(
        _("code INSEE"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("Un code INSEE a 5 caractères."))],
    )
    name = models.CharField(_("nom"), max_length=120)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    postcode = models.CharField(_("code postal"), max_length=5)
    latitude = models.FloatField(_("latitude du centre"))
    longitude = models.FloatField(_("longitude du centre"))

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        SearchTerm.objects.add_texts([self.name])
        # A new or moved commune: distances from it to every service change.
        ServiceReach.objects.rebuild(commune_ids=[self.pk])
        ServiceSearch.objects.rebuild(
            ServiceReach.objects.filter(commune=self).values_list("service_id", flat=True)
        )


def squared_km(lat0: float, lon0: float, lat: float, lon: float) -> float:
    """Equirectangular approximation: exact enough within an intercommunality."""
    dy = (lat - lat0) * KM_PER_DEGREE
    dx = (lon - lon0) * KM_PER_DEGREE * math.cos(math.radians(lat0))
    return dx * dx + dy * dy


def squared_km_expression(lat0: float, lon0: float, lat_field: str, lon_field: str):
    """The same approximation as a SQL expression (plain arithmetic: SQLite and PostgreSQL)."""
    ky = KM_PER_DEGREE
    kx = KM_PER_DEGREE * math.cos(math.radians(lat0))
    dy = (F(lat_field) - lat0) * ky
    dx = (F(lon_field) - lon0) * kx
    return dx * dx + dy * dy


class Sector(models.Model):
    name = models.CharField(_("nom"), max_length=80, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    description = models.CharField(_("description courte"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    is_child_stage = models.BooleanField(
        _("étape de l'enfance"),
        default=False,
        help_text=_(
            "Petite Enfance, Enfance, Jeunesse : les secteurs entre lesquels on compte "
            "les passerelles."
        ),
    )

    class Meta:
        verbose_name = _("secteur")
        verbose_name_plural = _("secteurs")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Need(models.Model):
    """A need a family or a young person can have, with the words people use for it."""

    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="needs", verbose_name=_("secteur")
    )
    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    synonyms = models.TextField(
        _("synonymes"),
        blank=True,
        help_text=_("Un mot ou une expression par ligne, par exemple « crèche », « nounou »."),
    )
    datainclusion_thematique = models.CharField(
        _("thématique data·inclusion"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple famille--garde-denfants."),
    )
    description = models.CharField(_("description courte"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    signals_danger = models.BooleanField(
        _("situation de danger"),
        default=False,
        help_text=_(
            "Les pages qui répondent à ce besoin montrent d'abord les numéros d'urgence "
            "(17, 112, 114, 3919, 119, 3114) et le bouton « Quitter ce site rapidement »."
        ),
    )

    class Meta:
        verbose_name = _("besoin")
        verbose_name_plural = _("besoins")
        ordering = ["sector__position", "position", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    def search_words(self) -> str:
        return " ".join([self.name, *self.synonym_list])

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The vocabulary that corrects typing mistakes knows every word of every need. The
        # services need nothing: the engine reads the needs' words at each query.
        SearchTerm.objects.add_texts([self.search_words()])


class Language(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("nom"), max_length=60)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerQuerySet(models.QuerySet):
    def france_services_counter(self):
        """The France Services counter to call when the directory finds nothing."""
        return (
            self.filter(kind=Partner.Kind.FRANCE_SERVICES)
            .exclude(phone="")
            .order_by("name")
            .first()
        )


class Partner(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Service communal")
        INTERCOMMUNALITY = "epci", _("Service intercommunal")
        CAF = "caf", _("CAF / MSA")
        DEPARTEMENT = "departement", _("Département / PMI")
        ASSOCIATION = "association", _("Association")
        MISSION_LOCALE = "mission_locale", _("Mission Locale")
        FRANCE_TRAVAIL = "france_travail", _("France Travail")
        FRANCE_SERVICES = "france_services", _("France Services")
        CCAS = "ccas", _("CCAS")
        HEALTH = "sante", _("Santé (CPAM, hôpital, CMP…)")
        EDUCATION = "education", _("Éducation nationale")
        OTHER = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    kind = models.CharField(_("type de structure"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("présentation"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    address = models.CharField(_("adresse"), max_length=255, blank=True)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="partners",
        verbose_name=_("commune"),
    )

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services_directory:partner", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Partner, self.name, self.pk, 200)
        super().save(*args, **kwargs)
        # Its name is in the title of its services' search documents ("CAF", "CCAS").
        services = list(self.services.select_related("partner"))
        for service in services:
            service.refresh_search_text()
        ServiceSearch.objects.rebuild([service.pk for service in services])


# --- partners' staff: who is who (the rules on what each may do are in access.py) ---------


class Role(models.TextChoices):
    ADVISER = "adviser", _("Conseiller ou conseillère d'accueil")
    PARTNER_STAFF = "partner_staff", _("Professionnel d'un partenaire")
    COORDINATOR = "coordinator", _("Coordination (chargée de mission)")


class StaffProfileQuerySet(models.QuerySet):
    def surveyed(self):
        """Active accounts that orient or receive visitors: who the professionals'
        questionnaire asks (the default denominator of a campaign)."""
        return self.filter(
            role__in=(Role.ADVISER, Role.PARTNER_STAFF),
            partner__isnull=False,
            user__is_active=True,
            user__is_superuser=False,
        )


class StaffProfile(models.Model):
    """What a professional account is, and for which partner it works."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("compte"),
    )
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)
    partner = models.ForeignKey(
        Partner,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("partenaire"),
        help_text=_("Obligatoire pour les conseillers et les professionnels des partenaires."),
    )

    objects = StaffProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("profil professionnel")
        verbose_name_plural = _("profils professionnels")

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    def clean(self):
        if self.role != Role.COORDINATOR and not self.partner_id:
            raise ValidationError({"partner": _("Choisissez le partenaire de ce compte.")})


class Place(models.Model):
    """A place where families are received (lieu d'accueil)."""

    name = models.CharField(_("nom du lieu"), max_length=200)
    address = models.CharField(_("adresse"), max_length=255)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="places", verbose_name=_("commune")
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    step_free = models.BooleanField(_("accès de plain-pied ou adapté fauteuil"), default=False)
    accessibility_notes = models.CharField(
        _("accessibilité : précisions"), max_length=255, blank=True
    )
    public_transport = models.CharField(_("transports en commun"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lieu d'accueil")
        verbose_name_plural = _("lieux d'accueil")
        ordering = ["commune__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"

    def save(self, *args, **kwargs):
        # A place without coordinates sits at its commune's centre for distance ordering.
        if self.latitude is None or self.longitude is None:
            self.latitude, self.longitude = self.commune.latitude, self.commune.longitude
        super().save(*args, **kwargs)
        service_ids = list(self.service_places.values_list("service_id", flat=True))
        if service_ids:
            # The commune's name is in the services' search text, the distance in their reach.
            for service in Service.objects.filter(pk__in=service_ids).select_related("partner"):
                service.refresh_search_text()
            ServiceReach.objects.rebuild(service_ids=service_ids)
            ServiceSearch.objects.rebuild(service_ids)

    @property
    def osm_url(self) -> str:
        return f"https://www.openstreetmap.org/?mlat={self.latitude:.5f}&mlon={self.longitude:.5f}#map=17/{self.latitude:.5f}/{self.longitude:.5f}"


class ServiceQuerySet(AgeRangeQuerySet):
    def published(self):
        return self.filter(status=Service.Status.PUBLISHED)

    def to_verify(self, today: dt.date | None = None):
        """Published services whose information was not checked for more than 6 months."""
        today = today or timezone.localdate()
        limit = today - dt.timedelta(days=183)
        return self.published().filter(Q(verified_on__isnull=True) | Q(verified_on__lt=limit))

    def answering(self, need: Need):
        through = Service.needs.through.objects
        return self.filter(Exists(through.filter(service_id=OuterRef("pk"), need_id=need.pk)))

    def open_at(self, moment: dt.datetime):
        """Open at a local (naive) moment by the typical week; public holidays respected."""
        slots = OpeningSlot.objects.filter(
            service=OuterRef("pk"),
            weekday=moment.weekday(),
            opens__lte=moment.time(),
            closes__gt=moment.time(),
        )
        if hours_lib.public_holiday_name(moment.date()):
            slots = slots.filter(closed_on_public_holidays=False)
        return self.filter(Exists(slots))

    def reaching(self, commune: Commune):
        """Services serving the commune, annotated with `distance2` (squared km, nearest place).

        Two lookups per candidate on ServiceReach's unique (commune, service) index, instead of
        a distance computation over every place of every candidate.
        """
        reach = ServiceReach.objects.filter(commune_id=commune.pk, service_id=OuterRef("pk"))
        return self.filter(Exists(reach)).annotate(
            distance2=Subquery(reach.values("distance2")[:1], output_field=models.FloatField())
        )

    def with_distance_from(self, commune: Commune):
        """Annotate `distance2` with a subquery: for small sets, whether or not they serve it."""
        nearest = (
            ServicePlace.objects.filter(service=OuterRef("pk"))
            .annotate(
                d2=squared_km_expression(
                    commune.latitude, commune.longitude, "place__latitude", "place__longitude"
                )
            )
            .order_by("d2")
            .values("d2")[:1]
        )
        return self.annotate(distance2=Subquery(nearest, output_field=models.FloatField()))

    def for_listing(self):
        return self.select_related("partner").prefetch_related(
            "sectors",
            models.Prefetch(
                "service_places",
                queryset=ServicePlace.objects.select_related("place__commune").order_by("pk"),
            ),
        )


class Service(AgeRange):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")
        ARCHIVED = "archived", _("Archivé")

    class Cost(models.TextChoices):
        FREE = "free", _("Gratuit")
        INCOME = "income", _("Selon les revenus")
        PAID = "paid", _("Payant")

    class AgeOf(models.TextChoices):
        CHILD = "child", _("âge de l'enfant")
        PERSON = "person", _("âge de la personne")

    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="services", verbose_name=_("partenaire")
    )
    name = models.CharField(_("nom du service"), max_length=200)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=200, unique=True)
    sectors = models.ManyToManyField(Sector, related_name="services", verbose_name=_("secteurs"))
    needs = models.ManyToManyField(
        Need, related_name="services", blank=True, verbose_name=_("besoins auxquels il répond")
    )
    summary = models.CharField(
        _("en une phrase"),
        max_length=255,
        help_text=_("Ce que le service apporte, en mots simples."),
    )
    what_we_do = models.TextField(_("ce que nous faisons"))
    what_we_dont_do = models.TextField(
        _("ce que nous ne faisons pas"),
        blank=True,
        help_text=_("Pour éviter les mauvaises orientations : dites vers qui aller à la place."),
    )
    audience = models.CharField(_("pour qui"), max_length=255)
    age_of = models.CharField(
        _("l'âge concerne"), max_length=10, choices=AgeOf.choices, default=AgeOf.CHILD
    )
    access_conditions = models.TextField(_("conditions d'accès"), blank=True)
    cost = models.CharField(_("coût"), max_length=10, choices=Cost.choices, default=Cost.FREE)
    cost_details = models.CharField(_("précisions sur le coût"), max_length=255, blank=True)
    documents = models.TextField(
        _("documents à apporter"), blank=True, help_text=_("Un document par ligne.")
    )
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    appointment_url = models.URLField(_("prise de rendez-vous en ligne"), blank=True)
    walk_in = models.BooleanField(_("accueil sans rendez-vous"), default=False)
    contact_details = models.CharField(
        _("comment nous joindre : précisions"), max_length=255, blank=True
    )
    on_site = models.BooleanField(_("accueil sur place"), default=True)
    itinerant = models.BooleanField(_("itinérant"), default=False)
    collective = models.BooleanField(_("temps collectifs"), default=False)
    collective_details = models.CharField(
        _("temps collectifs : précisions"), max_length=255, blank=True
    )
    remote = models.BooleanField(_("à distance (téléphone, visio)"), default=False)
    languages = models.ManyToManyField(
        Language, blank=True, related_name="services", verbose_name=_("langues parlées")
    )
    serves_whole_territory = models.BooleanField(
        _("pour tout le territoire"),
        default=True,
        help_text=_("Décochez pour choisir les communes desservies."),
    )
    communes_served = models.ManyToManyField(
        Commune, blank=True, related_name="services_serving", verbose_name=_("communes desservies")
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    verified_on = models.DateField(_("informations vérifiées le"), null=True, blank=True)
    notice_title = models.CharField(
        _("avis temporaire : titre"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « Fermeture pour congés »."),
    )
    notice_text = models.CharField(_("avis temporaire : texte"), max_length=500, blank=True)
    notice_is_closure = models.BooleanField(
        _("le service est fermé pendant l'avis"), default=False
    )
    notice_start = models.DateField(_("avis : du"), null=True, blank=True)
    notice_end = models.DateField(_("avis : au"), null=True, blank=True)

    # Derived, kept up to date on save, for fast filters and accent-insensitive search.
    open_saturday = models.BooleanField(_("ouvert le samedi"), default=False, editable=False)
    open_evening = models.BooleanField(_("ouvert après 18 h"), default=False, editable=False)
    open_lunchtime = models.BooleanField(
        _("ouvert entre midi et 14 h"), default=False, editable=False
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta(AgeRange.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "name"]),
            models.Index(Lower("name"), name="service_lower_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("services_directory:service", args=[self.slug])

    def clean(self):
        errors = self.age_range_errors()
        if self.notice_start and self.notice_end and self.notice_end < self.notice_start:
            errors["notice_end"] = _("La fin de l'avis doit suivre son début.")
        if (self.notice_start or self.notice_end or self.notice_text) and not self.notice_title:
            errors["notice_title"] = _("Donnez un titre à l'avis temporaire.")
        if self.cost != self.Cost.FREE and not self.cost_details:
            errors["cost_details"] = _("Précisez le coût (tarif, quotient familial…).")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Service, self.name, self.pk, 200)
        if self.pk:
            self.search_text = self.build_search_text()
        super().save(*args, **kwargs)
        # Publishing, archiving, renaming: the search document follows at once.
        ServiceSearch.objects.rebuild([self.pk])

    def refresh_derived(self) -> None:
        """Call after changing sectors, needs, communes served or places (the admin does)."""
        self.refresh_search_text()
        self.refresh_hours()
        ServiceReach.objects.rebuild(service_ids=[self.pk])
        ServiceSearch.objects.rebuild([self.pk])

    # --- derived data ---------------------------------------------------------------

    def build_search_text(self) -> str:
        """The service's own words, stemmed. Not its needs' names and synonyms: the engine
        matches those against the query itself and finds the services by their need ids
        (`facets`), so a document stays a few hundred bytes (search.py, ranked())."""
        parts = [self.name, self.partner.name, self.summary, self.audience]
        parts += [sector.name for sector in self.sectors.all()]
        service_places = self.service_places.select_related("place__commune").order_by("pk")
        parts += [sp.place.commune.name for sp in service_places]
        if self.itinerant:
            parts.append("itinerant bus permanence")
        if self.collective:
            parts.append("atelier collectif groupe")
        # Leading and trailing spaces let a query match word starts with " token".
        return f" {normalize(' '.join(parts))} "

    def build_title(self) -> str:
        """The words that say what the service is: its name and its partner's."""
        return f" {normalize(f'{self.name} {self.partner.name}')} "

    def refresh_search_text(self) -> None:
        self.search_text = self.build_search_text()
        Service.objects.filter(pk=self.pk).update(search_text=self.search_text)

    def refresh_hours(self) -> None:
        """Rebuild opening slots and adapted-hours flags from the places' hours."""
        with transaction.atomic():
            OpeningSlot.objects.filter(service=self).delete()
            slots = []
            for service_place in self.service_places.exclude(opening_hours=""):
                ph_closed = hours_lib.closed_on_public_holidays(service_place.opening_hours)
                week = hours_lib.typical_week(service_place.opening_hours)
                for weekday, ranges in enumerate(week):
                    for opens, closes in ranges:
                        slots.append(
                            OpeningSlot(
                                service=self,
                                service_place=service_place,
                                weekday=weekday,
                                opens=opens,
                                closes=closes,
                                closed_on_public_holidays=ph_closed,
                            )
                        )
            OpeningSlot.objects.bulk_create(slots)
            self.open_saturday = any(slot.weekday == 5 for slot in slots)
            self.open_evening = any(slot.closes > hours_lib.EVENING for slot in slots)
            self.open_lunchtime = any(
                slot.weekday < 5
                and slot.opens <= hours_lib.LUNCH_START
                and slot.closes >= hours_lib.LUNCH_END
                for slot in slots
            )
            Service.objects.filter(pk=self.pk).update(
                open_saturday=self.open_saturday,
                open_evening=self.open_evening,
                open_lunchtime=self.open_lunchtime,
            )

    # --- display helpers ---------------------------------------------------------------

    @staticmethod
    def annotate_for_display(
        services, now: dt.datetime | None = None, *, commune: Commune | None = None
    ) -> None:
        """For one page of results, one place per service and what a card says of it:
        `place` (the nearest to the commune, else the first), `distance_km` from the
        commune's centre and `status_now` are all of that same place. Places prefetched."""
        now = now or hours_lib.local_now()
        for service in services:
            service.place = service.nearest_place(commune)
            service.distance_km = None
            if service.place is not None and commune is not None:
                place = service.place.place
                service.distance_km = math.sqrt(
                    squared_km(
                        commune.latitude, commune.longitude, place.latitude, place.longitude
                    )
                )
            service.status_now = service.place.live_status(now) if service.place else None

    def nearest_place(self, commune: Commune | None):
        """The service's place nearest the commune's centre (the first without one)."""
        service_places = list(self.service_places.all())
        if commune is None or not service_places:
            return service_places[0] if service_places else None
        return min(
            service_places,
            key=lambda sp: squared_km(
                commune.latitude, commune.longitude, sp.place.latitude, sp.place.longitude
            ),
        )

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def active_notice(self, today: dt.date | None = None) -> bool:
        if not self.notice_title:
            return False
        today = today or timezone.localdate()
        if self.notice_start and today < self.notice_start:
            return False
        return not (self.notice_end and today > self.notice_end)

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def modality_labels(self) -> list[str]:
        labels = []
        if self.on_site:
            labels.append(_("Sur place"))
        if self.itinerant:
            labels.append(_("Itinérant"))
        if self.collective:
            labels.append(_("Temps collectifs"))
        if self.remote:
            labels.append(_("À distance"))
        return labels


class ServicePlace(models.Model):
    """A service at one of its places, with its hours there."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_places", verbose_name=_("service")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="service_places", verbose_name=_("lieu")
    )
    opening_hours = models.CharField(
        _("horaires (syntaxe OpenStreetMap)"),
        max_length=255,
        blank=True,
        validators=[hours_lib.validate],
        help_text=_(
            "Exemple : Mo-Fr 09:00-12:00,14:00-17:00; Sa 09:00-12:00; PH off "
            "(Mo lundi, Tu mardi, We mercredi, Th jeudi, Fr vendredi, Sa samedi, Su dimanche, "
            "PH jours fériés)."
        ),
    )
    hours_notes = models.CharField(
        _("horaires : précisions"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple « sur rendez-vous le mercredi »."),
    )

    class Meta:
        verbose_name = _("lieu et horaires")
        verbose_name_plural = _("lieux et horaires")
        constraints = [
            models.UniqueConstraint(fields=["service", "place"], name="unique_service_place")
        ]

    def __str__(self) -> str:
        return f"{self.service} — {self.place}"

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.service.refresh_derived()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.service.refresh_derived()
        return result

    def live_status(self, now: dt.datetime | None = None):
        if not self.opening_hours:
            return None
        return hours_lib.live_status(self.opening_hours, now)

    def week_table(self, today: dt.date | None = None) -> list[dict]:
        """The typical week as rows for a French table: day, ranges, is today."""
        if not self.opening_hours:
            return []
        today = today or hours_lib.local_now().date()
        rows = []
        for weekday, ranges in enumerate(hours_lib.typical_week(self.opening_hours, today)):
            rows.append(
                {
                    "day": hours_lib.DAY_NAMES[weekday],
                    "ranges": [
                        (hours_lib.french_time(opens), hours_lib.french_time(closes))
                        for opens, closes in ranges
                    ],
                    "is_today": weekday == today.weekday(),
                }
            )
        return rows

    @property
    def closed_on_public_holidays(self) -> bool:
        return hours_lib.closed_on_public_holidays(self.opening_hours)


class ServiceReachManager(models.Manager):
    def rebuild(self, service_ids=None, commune_ids=None) -> None:
        """Recompute reach rows: one per (service, commune it serves), nearest place distance.

        Plain SQL arithmetic (no COS in SQL: the factor is computed per commune here), so the
        same statements run on SQLite and PostgreSQL, and in bulk for 50,000 services.
        """
        table = self.model._meta.db_table
        service_table = Service._meta.db_table
        served_table = Service.communes_served.through._meta.db_table
        sp_table = ServicePlace._meta.db_table
        place_table = Place._meta.db_table
        with transaction.atomic():
            deleting = self.all()
            if service_ids is not None:
                deleting = deleting.filter(service_id__in=service_ids)
            if commune_ids is not None:
                deleting = deleting.filter(commune_id__in=commune_ids)
            deleting._raw_delete(deleting.db)
            communes = Commune.objects.all()
            if commune_ids is not None:
                communes = communes.filter(pk__in=commune_ids)
            only = ""
            if service_ids is not None:
                if not service_ids:
                    return
                # Integers only, so safe to inline; a few ids at a time outside bulk rebuilds.
                ids = ",".join(str(int(pk)) for pk in service_ids)
                only = f" AND s.id IN ({ids})"
            with connection.cursor() as cursor:
                for commune in communes:
                    ky = KM_PER_DEGREE
                    kx = KM_PER_DEGREE * math.cos(math.radians(commune.latitude))
                    cursor.execute(
                        f"""
                        INSERT INTO {table} (service_id, commune_id, distance2)
                        SELECT s.id, %s, (
                            SELECT MIN(((p.latitude - %s) * %s) * ((p.latitude - %s) * %s)
                                     + ((p.longitude - %s) * %s) * ((p.longitude - %s) * %s))
                            FROM {sp_table} sp JOIN {place_table} p ON p.id = sp.place_id
                            WHERE sp.service_id = s.id
                        )
                        FROM {service_table} s
                        WHERE (s.serves_whole_territory OR EXISTS (
                            SELECT 1 FROM {served_table} cs
                            WHERE cs.service_id = s.id AND cs.commune_id = %s
                        )){only}
                        """,
                        [
                            commune.pk,
                            commune.latitude,
                            ky,
                            commune.latitude,
                            ky,
                            commune.longitude,
                            kx,
                            commune.longitude,
                            kx,
                            commune.pk,
                        ],
                    )


class ServiceReach(models.Model):
    """A commune a service serves, with the distance from its centre to the nearest place.

    Derived data for the search: filtering by commune and ordering nearest first become
    one indexed join, whatever the number of services.
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="reach")
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    # Squared km; null for a service without a place (remote only), listed last.
    distance2 = models.FloatField(null=True)
    # The same service's search document, if it is published: a plain join on service_id
    # (no column of its own), so a search by commune reads distances in order from the
    # (commune, distance2) index instead of looking each match up.
    document = models.ForeignObject(
        "ServiceSearch",
        on_delete=models.DO_NOTHING,
        from_fields=["service"],
        to_fields=["service"],
        related_name="reach",
        null=True,
    )

    objects = ServiceReachManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "service"], name="unique_service_reach")
        ]
        indexes = [models.Index(fields=["commune", "distance2"])]


class Facet:
    """The words of a search document's `facets`: one per filter value a service has."""

    SECTOR = "s"
    NEED = "n"
    LANGUAGE = "l"
    COMMUNE = "c"  # a commune the service serves (ServiceReach)
    MODALITIES = {
        "on_site": "msurplace",
        "itinerant": "mitinerant",
        "collective": "mcollectif",
        "remote": "mdistance",
    }
    SATURDAY = "samedi"
    EVENING = "soir"
    LUNCHTIME = "midi"
    FREE = "gratuit"

    @staticmethod
    def of(kind: str, obj_or_pk) -> str:
        return f"{kind}{getattr(obj_or_pk, 'pk', obj_or_pk)}"


# What a search document earns for each piece of evidence (see ServiceSearchQuerySet.ranked).
# A need the words point to outweighs a word of the name, which outweighs a word anywhere;
# the distance only takes a few points off, so it orders results of the same relevance.
NEED_POINTS = 40
TITLE_POINTS = 30
WORD_POINTS = 10
# Squared km → points taken off: within 2 km nothing, then 2, 4, 6; farther or no place: 8.
DISTANCE_PENALTIES = [(4, 0), (25, 2), (100, 4), (400, 6)]
FAR_PENALTY = 8


def _points(base: int, weight: int) -> int:
    """A term's weight is out of 10 (10: a word of the directory; less: a common word)."""
    return base * weight // 10


class ServiceSearchQuerySet(AgeRangeQuerySet):
    def with_facets(self, *facets: str):
        return self.filter(facets__haswords=facets) if facets else self

    def open_at(self, moment: dt.datetime):
        return self.filter(service__in=Service.objects.open_at(moment).values("pk"))

    def by_name(self):
        return self.order_by("sort_name", "pk")

    def serving(self, commune: Commune):
        """The documents of services serving the commune, without their distance."""
        reach = ServiceReach.objects.filter(commune_id=commune.pk, service_id=OuterRef("pk"))
        return self.filter(Exists(reach))

    def near(self, commune: Commune):
        """The documents of services serving the commune, with `distance2` (squared km)."""
        return self.filter(reach__commune=commune).annotate(distance2=F("reach__distance2"))

    def nearest_to(self, commune: Commune):
        """Services serving the commune, nearest place first."""
        return self.near(commune).order_by(F("distance2").asc(nulls_last=True), "sort_name", "pk")

    def ranked(self, query, *, commune: Commune | None = None, by_distance: bool = False):
        """The documents a query finds, most relevant first, with their `score`.

        `query` is a `services_directory.search.Query`: its terms (stems, each with a
        weight out of 10) and the needs its words point to (with points). A document is a
        candidate when one of the query's words starts one of its words, or when it
        answers one of those needs: a sentence does not need every word to match. It then
        earns NEED_POINTS × relevance for each need it answers, TITLE_POINTS for a word in
        its name or its partner's and WORD_POINTS for a word anywhere (half for a word
        being typed that only starts one of its words). With a commune, the nearest come
        first among results of the same relevance (DISTANCE_PENALTIES), or first of all
        `by_distance`.
        Plain integer arithmetic over the same words: SQLite and PostgreSQL agree.
        """
        candidates = Q()
        exact = [term.stem for term in query.terms if term.filters and not term.prefix]
        if exact:
            candidates |= Q(words__hasany=exact)
        typing = [term.stem for term in query.terms if term.filters and term.prefix]
        if typing:
            candidates |= Q(words__startsany=typing)
        need_facets = [Facet.of(Facet.NEED, pk) for pk, _points in query.need_points]
        if need_facets:
            candidates |= Q(facets__hasany=need_facets)
        if not candidates:
            return self.none()
        score = Value(0)
        for pk, points in query.need_points:
            score += _when(Q(facets__haswords=[Facet.of(Facet.NEED, pk)]), points)
        for term in query.terms:
            title = _points(TITLE_POINTS, term.weight)
            anywhere = _points(WORD_POINTS, term.weight)
            for column, points in (("title", title), ("words", anywhere)):
                conditions = [When(Q(**{f"{column}__haswords": [term.stem]}), then=Value(points))]
                if term.prefix:
                    starts = Q(**{f"{column}__startwords": [term.stem]})
                    conditions.append(When(starts, then=Value(points // 2)))
                score += Case(*conditions, default=Value(0))
        documents = self.filter(candidates).annotate(score=score)
        if commune is None:
            return documents.order_by("-score", "sort_name", "pk")
        documents = documents.near(commune)
        if by_distance:
            return documents.order_by(
                F("distance2").asc(nulls_last=True), "-score", "sort_name", "pk"
            )
        penalty = Case(
            *[
                When(distance2__lte=limit, then=Value(points))
                for limit, points in DISTANCE_PENALTIES
            ],
            default=Value(FAR_PENALTY),
        )
        return documents.annotate(rank=F("score") - penalty).order_by(
            "-rank", F("distance2").asc(nulls_last=True), "sort_name", "pk"
        )


def _when(condition: Q, points: int):
    return Case(When(condition, then=Value(points)), default=Value(0))


class ServiceSearchManager(models.Manager.from_queryset(ServiceSearchQuerySet)):
    CHUNK = 900  # ids per query: under SQLite's limit on query parameters

    def rebuild(self, service_ids=None) -> None:
        """Recompute the documents of these services (all when None); drafts get none.

        Runs after the search text, the hours and ServiceReach are up to date. The
        vocabulary that corrects typing mistakes follows.
        """
        if service_ids is None:
            with transaction.atomic():
                self.all()._raw_delete(self.db)
                ids = list(Service.objects.published().order_by("pk").values_list("pk", flat=True))
                for start in range(0, len(ids), self.CHUNK):
                    self._insert(ids[start : start + self.CHUNK])
                SearchTerm.objects.rebuild()
            return
        ids = sorted(set(service_ids))
        with transaction.atomic():
            for start in range(0, len(ids), self.CHUNK):
                chunk = ids[start : start + self.CHUNK]
                stale = self.filter(pk__in=chunk)
                stale._raw_delete(stale.db)
                names = self._insert(chunk)
                SearchTerm.objects.add_texts(names)

    def _insert(self, ids: list[int]) -> list[str]:
        """Insert the documents of these services; returns their names and partners'."""
        services = Service.objects.published().filter(pk__in=ids).select_related("partner")
        facets: dict[int, list[str]] = {pk: [] for pk in ids}
        for through, field, kind in (
            (Service.sectors.through, "sector_id", Facet.SECTOR),
            (Service.needs.through, "need_id", Facet.NEED),
            (Service.languages.through, "language_id", Facet.LANGUAGE),
            (ServiceReach, "commune_id", Facet.COMMUNE),
        ):
            rows = through.objects.filter(service_id__in=ids).values_list("service_id", field)
            for service_id, value in rows.order_by("service_id", field):
                facets[service_id].append(Facet.of(kind, value))
        documents, names = [], []
        for service in services.only(*SEARCH_DOCUMENT_FIELDS, "partner__name"):
            words = facets[service.pk]
            words += [word for name, word in Facet.MODALITIES.items() if getattr(service, name)]
            for flag, word in (
                (service.open_saturday, Facet.SATURDAY),
                (service.open_evening, Facet.EVENING),
                (service.open_lunchtime, Facet.LUNCHTIME),
                (service.cost == Service.Cost.FREE, Facet.FREE),
            ):
                if flag:
                    words.append(word)
            documents.append(
                ServiceSearch(
                    service_id=service.pk,
                    words=service.search_text or " ",
                    title=service.build_title(),
                    facets=f" {' '.join(words)} ",
                    sort_name=fold(service.name)[:200],
                    age_min=service.age_min,
                    age_max=service.age_max,
                )
            )
            names += [service.name, service.partner.name]
        self.bulk_create(documents, batch_size=500)
        return names


SEARCH_DOCUMENT_FIELDS = [
    "pk",
    "name",
    "search_text",
    "age_min",
    "age_max",
    "cost",
    "open_saturday",
    "open_evening",
    "open_lunchtime",
    *Facet.MODALITIES,
]


class ServiceSearch(models.Model):
    """What the directory and the counter search: one narrow row per published service.

    Derived data, rebuilt with the service (save, refresh_derived). Words and every filter
    value sit in two word columns covered by one GIN index on PostgreSQL, so a search with
    text, commune, sector and need is one index scan over rows of a few hundred bytes,
    instead of joins over 50,000 wide service rows. The page's services are then loaded by
    primary key. `title` (the stems of the service's and its partner's names) only scores.
    """

    service = models.OneToOneField(
        Service, primary_key=True, on_delete=models.CASCADE, related_name="search_document"
    )
    words = SearchWordsField()
    title = SearchWordsField(default=" ")
    facets = SearchWordsField()
    sort_name = models.CharField(max_length=200)
    age_min = models.PositiveSmallIntegerField(null=True)
    age_max = models.PositiveSmallIntegerField(null=True)

    objects = ServiceSearchManager()

    class Meta:
        # For a page without words (no filter, or filters only), read in name order. A
        # search with words is ordered by its score, never by this index: PostgreSQL once
        # walked the names in order filtering a rare word, 300 ms for a page.
        indexes = [models.Index(fields=["sort_name", "service"], name="service_search_name")]

    def __str__(self) -> str:
        return self.sort_name


class SearchTermManager(models.Manager):
    def add_texts(self, texts) -> None:
        """Add the words of these texts that the vocabulary does not know yet."""
        found: dict[str, str] = {}
        for text in texts:
            for word, label in vocabulary_words(text):
                found.setdefault(word, label)
        if not found:
            return
        known = set()
        found_list = sorted(found)
        for start in range(0, len(found_list), 900):
            chunk = found_list[start : start + 900]
            known.update(self.filter(word__in=chunk).values_list("word", flat=True))
        missing = [
            SearchTerm(word=word, label=found[word][:60])
            for word in found_list
            if word not in known
        ]
        self.bulk_create(missing, batch_size=500, ignore_conflicts=True)

    def rebuild(self) -> None:
        """Every word of the needs, sectors, communes, published services and partners.

        A word that left the directory stays until this runs (`rebuild_search`): a
        correction towards it then finds nothing, and the page says so.
        """
        texts = [need.search_words() for need in Need.objects.all()]
        texts += list(Sector.objects.values_list("name", flat=True))
        texts += list(Commune.objects.values_list("name", flat=True))
        published = Service.objects.published()
        texts += list(published.values_list("name", flat=True).distinct())
        texts += list(
            Partner.objects.filter(services__in=published.values("pk"))
            .values_list("name", flat=True)
            .distinct()
        )
        with transaction.atomic():
            self.all()._raw_delete(self.db)
            self.add_texts(texts)

    def fingerprint(self) -> tuple:
        """Changes whenever a word is added or the vocabulary is rebuilt (ids only grow)."""
        found = self.aggregate(count=models.Count("pk"), last=models.Max("pk"))
        return found["count"], found["last"]


def vocabulary_words(text: str) -> list[tuple[str, str]]:
    """(folded word, word as written in lower case) for each word of a text worth
    correcting a query towards: letters only, 2 or more."""
    pairs = []
    for written in re.split(r"[^\w]+", (text or "").lower()):
        folded = fold(written)
        if len(folded) > 1 and folded.isalpha() and " " not in folded:
            pairs.append((folded, written))
    return pairs


class SearchTerm(models.Model):
    """A word of the directory: what a mistyped or joined query word is corrected towards.

    Derived data: the words of the needs (with synonyms), sectors, communes, and of the
    names of published services and of their partners (see `services_directory.search`).
    """

    word = models.CharField(max_length=60, unique=True)
    label = models.CharField(max_length=60)  # as written, with its accents: "crèche"

    objects = SearchTermManager()

    def __str__(self) -> str:
        return self.word


class UnansweredSearchQuerySet(models.QuerySet):
    def between(self, start: dt.date, end: dt.date):
        return self.filter(day__gte=start, day__lte=end)

    def by_words(self):
        """One row per wording: its total count, days and communes, most frequent first."""
        return (
            self.values("words")
            .annotate(
                total=models.Sum("count"),
                days=models.Count("day", distinct=True),
                last_day=models.Max("day"),
            )
            .order_by("-total", "words")
        )

    def by_commune(self):
        return (
            self.values("commune__name")
            .annotate(total=models.Sum("count"))
            .order_by("-total", "commune__name")
        )


class UnansweredSearchManager(models.Manager.from_queryset(UnansweredSearchQuerySet)):
    # Bounded: at most this many different wordings a day, kept this many days.
    MAX_PER_DAY = 500
    KEEP_DAYS = 400
    MAX_WORDS = 8

    def record(self, query: str, commune: Commune | None, day: dt.date | None = None):
        """Count one search that found nothing. Only the words (folded, without numbers,
        which could be a phone number or a date), the commune and the day: never who."""
        words = " ".join(
            word for word in fold(query).split() if word.isalpha() and len(word) <= 30
        )
        words = " ".join(words.split()[: self.MAX_WORDS])[:120].strip()
        if not words:
            return
        day = day or timezone.localdate()
        same = self.filter(day=day, words=words, commune=commune)
        if same.update(count=F("count") + 1):
            return
        if self.filter(day=day).count() >= self.MAX_PER_DAY:
            return
        self.filter(day__lt=day - dt.timedelta(days=self.KEEP_DAYS)).delete()
        try:
            with transaction.atomic():
                self.create(day=day, words=words, commune=commune)
        except IntegrityError:  # the same words counted at the same instant elsewhere
            same.update(count=F("count") + 1)


class UnansweredSearch(models.Model):
    """A wording the directory found nothing for, counted per day and commune, anonymous:
    what the observatory of unmet needs reads, and the chargée de mission turns into
    synonyms of a need."""

    day = models.DateField(_("jour"), db_index=True)
    words = models.CharField(_("mots cherchés"), max_length=120)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune"),
    )
    count = models.PositiveIntegerField(_("nombre de recherches"), default=1)

    objects = UnansweredSearchManager()

    class Meta:
        verbose_name = _("recherche sans résultat")
        verbose_name_plural = _("recherches sans résultat")
        ordering = ["-day", "-count", "words"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "words", "commune"],
                condition=Q(commune__isnull=False),
                name="unique_unanswered_search_commune",
            ),
            models.UniqueConstraint(
                fields=["day", "words"],
                condition=Q(commune__isnull=True),
                name="unique_unanswered_search",
            ),
        ]

    def __str__(self) -> str:
        return self.words


class OpeningSlot(models.Model):
    """One opening range of a typical week, derived from OSM hours, for SQL filters."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="opening_slots")
    service_place = models.ForeignKey(ServicePlace, on_delete=models.CASCADE, related_name="+")
    weekday = models.PositiveSmallIntegerField(validators=[MaxValueValidator(6)])
    opens = models.TimeField()
    closes = models.TimeField()
    closed_on_public_holidays = models.BooleanField(default=True)

    class Meta:
        indexes = [models.Index(fields=["service", "weekday", "opens", "closes"])]


class ItinerantStop(models.Model):
    """Where and when an itinerant service stops: once (a date) or on a schedule."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="stops", verbose_name=_("service")
    )
    place = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="stops", verbose_name=_("lieu")
    )
    date = models.DateField(_("date (passage unique)"), null=True, blank=True)
    start_time = models.TimeField(_("de"), null=True, blank=True)
    end_time = models.TimeField(_("à"), null=True, blank=True)
    schedule = models.CharField(
        _("passages réguliers (syntaxe OpenStreetMap)"),
        max_length=255,
        blank=True,
        validators=[hours_lib.validate],
        help_text=_(
            "Pour un passage régulier, par exemple « Tu[2] 09:00-12:00 » = le 2e mardi du mois, "
            "« We 14:00-17:00 » = chaque mercredi. Laissez vide pour un passage unique daté."
        ),
    )
    schedule_label = models.CharField(
        _("passages réguliers en clair"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « le 2e mardi du mois, de 9 h à 12 h »."),
    )
    notes = models.CharField(_("précisions"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("passage itinérant")
        verbose_name_plural = _("passages itinérants")
        ordering = ["date", "start_time", "pk"]

    def __str__(self) -> str:
        return f"{self.service} — {self.place}"

    def clean(self):
        if self.schedule and self.date:
            raise ValidationError(
                _("Choisissez une date unique ou des passages réguliers, pas les deux.")
            )
        if not self.schedule and not self.date:
            raise ValidationError(_("Indiquez une date ou des passages réguliers."))
        if self.date and not (self.start_time and self.end_time):
            raise ValidationError(_("Indiquez l'heure de début et de fin du passage."))
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("L'heure de fin doit suivre l'heure de début.")})

    def next_dates(self, start: dt.datetime | None = None, limit: int = 3) -> list[tuple]:
        """The next (start, end) datetimes of this stop, at most `limit`, within 120 days."""
        start = start or hours_lib.local_now()
        if self.date:
            begin = dt.datetime.combine(self.date, self.start_time)
            end = dt.datetime.combine(self.date, self.end_time)
            return [(begin, end)] if end >= start else []
        found = []
        horizon = start + dt.timedelta(days=120)
        for begin, end, state, _comment in hours_lib.parse(self.schedule).intervals(
            start, horizon
        ):
            if state == hours_lib.State.OPEN:
                found.append((begin, end))
                if len(found) >= limit:
                    break
        return found


class ReferentQuerySet(models.QuerySet):
    def public(self):
        return self.filter(visibility=Referent.Visibility.PUBLIC, is_active=True)

    def covering(self, commune: Commune):
        return self.filter(Q(covers_whole_territory=True) | Q(communes=commune))


class Referent(models.Model):
    """A personne-relais or référent thématique: a professional contact, never a private one."""

    class Theme(models.TextChoices):
        PARENTALITE = "parentalite", _("Parentalité")
        PRECARITE = "precarite", _("Précarité")
        HANDICAP = "handicap", _("Handicap")
        PETITE_ENFANCE = "petite_enfance", _("Petite enfance")
        ENFANCE_JEUNESSE = "enfance_jeunesse", _("Enfance - jeunesse")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        PROFESSIONALS = "pros", _("Professionnels seulement")

    theme = models.CharField(_("thème"), max_length=20, choices=Theme.choices)
    role = models.CharField(_("fonction"), max_length=160)
    name = models.CharField(
        _("nom (facultatif)"),
        max_length=120,
        blank=True,
        help_text=_(
            "Le nom d'usage professionnel, si la personne est d'accord pour qu'il paraisse."
        ),
    )
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="referents", verbose_name=_("partenaire")
    )
    phone = models.CharField(_("téléphone professionnel"), max_length=30, blank=True)
    email = models.EmailField(_("courriel professionnel"), blank=True)
    availability = models.CharField(_("disponibilité"), max_length=160, blank=True)
    covers_whole_territory = models.BooleanField(_("pour tout le territoire"), default=True)
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="referents", verbose_name=_("communes couvertes")
    )
    is_relay_person = models.BooleanField(
        _("personne-relais"),
        default=False,
        help_text=_("Habitant relais ou bénévole, plutôt que professionnel référent."),
    )
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    is_active = models.BooleanField(_("mobilisé actuellement"), default=True)
    mobilised_since = models.DateField(_("mobilisé depuis"), null=True, blank=True)

    objects = ReferentQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne-relais ou référent")
        verbose_name_plural = _("personnes-relais et référents")
        ordering = ["theme", "role"]

    def __str__(self) -> str:
        return f"{self.get_theme_display()} — {self.role} ({self.partner})"

    def clean(self):
        if not (self.phone or self.email):
            raise ValidationError(_("Donnez au moins un téléphone ou un courriel professionnel."))
