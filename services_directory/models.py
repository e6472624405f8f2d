"""The directory: who does what, for whom, where and when."""

import calendar
import datetime as dt
import difflib
import hashlib
import math
import re
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass

from data_inclusion.schema import v1
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, RegexValidator
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Lower
from django.db.models.query import ModelIterable
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.models import TranslatableModel, TranslatedFieldsModel

from . import dates, until, versions
from . import hours as hours_lib
from .ages import AgeRange, AgeRangeQuerySet
from .fields import SearchWordsField
from .phones import validate_phone
from .text import fold, normalize

KM_PER_DEGREE = 111.2
# A notice starting within this many days already shows on the result cards.
UPCOMING_NOTICE_DAYS = 14


def unique_slug(model, text: str, instance_pk=None, max_length: int = 80) -> str:
    base = slugify(text)[: max_length - 6] or "element"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=instance_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def update_rows(model, objects, fields: list[str]) -> None:
    """Write `fields` of many objects, one UPDATE per row sent in a batch (executemany).

    Much faster than QuerySet.bulk_update's CASE WHEN statements for thousands of rows
    with long texts (an import), on SQLite and PostgreSQL alike.
    """
    objects = list(objects)
    if not objects:
        return
    columns = [model._meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in columns)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


class Imported(models.Model):
    """Where a record came from when an import created it (data·inclusion: `source`, `id`).

    `imported_values` keeps the values the last import wrote, field by field: a field whose
    value differs from it was edited here, and the next import leaves it alone (see
    datainclusion.py). Records typed in the admin have no source.
    """

    source = models.CharField(
        _("source des données"),
        max_length=100,
        blank=True,
        default="",
        help_text=_("Le producteur d'origine (data·inclusion : dora, soliguide…), si importé."),
    )
    source_id = models.CharField(
        _("identifiant à la source"), max_length=200, blank=True, default=""
    )
    imported_values = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_imported(self) -> bool:
        return bool(self.source)


def unique_source_id():
    """One record per (source, identifier) among imported records."""
    return models.UniqueConstraint(
        fields=["source", "source_id"],
        condition=~Q(source=""),
        name="%(class)s_unique_source_id",
    )


class TerritoryQuerySet(models.QuerySet):
    def current(self):
        """The territory this portal serves (one per installation)."""
        return self.order_by("pk").first()

    def shown(self):
        """The current territory as the pages show it: read once per content version
        (every page names it). Never to be changed: other requests share it."""
        return versions.remembered(("territory",), self.current, per_language=False)


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
    contact_phone = models.CharField(
        _("téléphone de contact"), max_length=30, blank=True, validators=[validate_phone]
    )
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


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier (the month's last day when it has no such day)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def months_after(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)


class Sector(models.Model):
    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = ("name", "description")

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

    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = ("name", "description", "synonyms")

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
    description = models.CharField(_("description courte"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    # Derived from ContentTranslation: the reviewed names and synonyms in every other
    # language, one per line, read by the search with the need itself (no query more).
    other_words = models.TextField(_("mots dans les autres langues"), blank=True, editable=False)
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

    @property
    def other_word_list(self) -> list[str]:
        return [line.strip() for line in self.other_words.splitlines() if line.strip()]

    def search_words(self) -> str:
        return " ".join([self.name, *self.synonym_list])

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The vocabulary that corrects typing mistakes knows every word of every need. The
        # services need nothing: the engine reads the needs' words at each query.
        SearchTerm.objects.add_texts([self.search_words()])


class ThematiqueMappingQuerySet(models.QuerySet):
    def for_import(self):
        return self.filter(
            direction__in=[ThematiqueMapping.Direction.BOTH, ThematiqueMapping.Direction.IMPORT]
        )

    def for_export(self):
        return self.filter(
            direction__in=[ThematiqueMapping.Direction.BOTH, ThematiqueMapping.Direction.EXPORT],
            need__isnull=False,
        )


class ThematiqueMapping(models.Model):
    """How a data·inclusion thématique and our needs and sectors correspond.

    Our needs are finer than data·inclusion's thématiques (which have no petite enfance,
    jeunesse or loisirs): on export a service gives the thématiques of its needs; on import
    a thématique gives the one need (or only the sector) of its import row.
    """

    class Direction(models.TextChoices):
        BOTH = "both", _("à l'import et à l'export")
        EXPORT = "export", _("à l'export seulement")
        IMPORT = "import", _("à l'import seulement")

    thematique = models.CharField(_("thématique data·inclusion"), max_length=120, db_index=True)
    need = models.ForeignKey(
        Need,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thematique_mappings",
        verbose_name=_("besoin"),
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("secteur"),
        help_text=_("Laissez vide pour prendre le secteur du besoin."),
    )
    direction = models.CharField(
        _("sens"), max_length=10, choices=Direction.choices, default=Direction.BOTH
    )

    objects = ThematiqueMappingQuerySet.as_manager()

    class Meta:
        verbose_name = _("correspondance data·inclusion")
        verbose_name_plural = _("correspondances data·inclusion")
        ordering = ["thematique", "direction", "pk"]
        constraints = [
            # An imported thématique must give one answer.
            models.UniqueConstraint(
                fields=["thematique"],
                condition=Q(direction__in=["both", "import"]),
                name="one_import_row_per_thematique",
            ),
            models.UniqueConstraint(fields=["thematique", "need"], name="unique_thematique_need"),
        ]

    def __str__(self) -> str:
        return f"{self.thematique} → {self.need or self.sector}"

    def clean(self):
        errors = {}
        if self.thematique not in {item.value for item in v1.Thematique}:
            errors["thematique"] = _(
                "Cette thématique n'existe pas dans le schéma data·inclusion."
            )
        if not self.need_id and not self.sector_id:
            errors["need"] = _("Choisissez un besoin, ou au moins un secteur.")
        if self.direction != self.Direction.IMPORT and not self.need_id:
            errors["need"] = _("À l'export, une thématique vient d'un besoin : choisissez-le.")
        if errors:
            raise ValidationError(errors)

    @property
    def import_sector_id(self):
        return self.sector_id or (self.need.sector_id if self.need_id else None)


class Language(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("nom"), max_length=60)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    # Each language named in itself, then in the page's language when that differs: a
    # family finds « العربيّة (Arabe) » whatever it reads (Django's catalogues name them).
    @property
    def local_name(self) -> str:
        info = LANG_INFO.get(self.code)
        return info["name_local"] if info else self.name

    @property
    def page_name(self) -> str:
        """The name in the page's language, or "" when it is the same as `local_name`."""
        info = LANG_INFO.get(self.code)
        translated = gettext(info["name"]) if info else self.name
        return "" if translated.lower() == self.local_name.lower() else translated

    @property
    def is_bidi(self) -> bool:
        return LANG_INFO.get(self.code, {}).get("bidi", False)

    @property
    def label(self) -> str:
        page_name = self.page_name
        return f"{self.local_name} ({page_name})" if page_name else self.local_name


class PartnerQuerySet(models.QuerySet):
    def france_services_counter(self):
        """The France Services counter to call when the directory finds nothing."""
        return (
            self.filter(kind=Partner.Kind.FRANCE_SERVICES)
            .exclude(phone="")
            .order_by("name")
            .first()
        )


class Partner(Imported):
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
    phone = models.CharField(
        _("téléphone"), max_length=30, blank=True, validators=[validate_phone]
    )
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
        constraints = [unique_source_id()]

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

    def answering_for(self, partner_id: int):
        """Active accounts that answer the orientations this partner receives."""
        return self.filter(
            role=Role.PARTNER_STAFF, partner_id=partner_id, user__is_active=True
        ).select_related("user")


class StaffProfile(models.Model):
    """What a professional account is, and for which partner it works."""

    class Notify(models.TextChoices):
        EACH = "each", _("Un courriel à chaque nouvelle orientation")
        DAILY = "daily", _("Un résumé par jour")

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
    notify = models.CharField(
        _("orientations reçues"),
        max_length=10,
        choices=Notify.choices,
        default=Notify.EACH,
        db_default=Notify.EACH,
        help_text=_("Comment ce professionnel apprend qu'une orientation lui est adressée."),
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


class Place(Imported):
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
        constraints = [unique_source_id()]

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
    # for_listing(): the rows read, their places are attached from what the process
    # keeps per content version (attach_listing_places), not read again each time.
    _with_listing_places = False

    def _clone(self):
        clone = super()._clone()
        clone._with_listing_places = self._with_listing_places
        return clone

    def _fetch_all(self):
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._with_listing_places and self._iterable_class is ModelIterable:
            attach_listing_places(self._result_cache)

    def published(self):
        return self.filter(status=Service.Status.PUBLISHED)

    def to_verify(self, today: dt.date | None = None):
        """Published services due for a check: never checked, or checked longer ago than
        their own frequency (3, 6 or 12 months)."""
        today = today or timezone.localdate()
        due = Q(verified_on__isnull=True)
        for months in Service.CheckFrequency.values:
            due |= Q(check_every_months=months, verified_on__lte=months_before(today, months))
        return self.published().filter(due)

    def answering(self, need: Need):
        through = Service.needs.through.objects
        return self.filter(Exists(through.filter(service_id=OuterRef("pk"), need_id=need.pk)))

    def for_the_needs_of(self, service: "Service"):
        """Other services answering one of the service's needs in none of its sectors
        (« Pour le même besoin, dans d'autres domaines »); its needs and sectors prefetched.

        Their ids come first, from the two link tables' indexes alone. Joined to the
        services then made DISTINCT, the query read and sorted the whole row of every
        service of those needs (thousands at 50,000 services: 18 ms median, 100 ms for
        the widest); as one query with a semi-join, PostgreSQL walks the names' index
        hoping to meet six soon, through all of them when few cross sectors (150–470 ms).
        """
        needs = [need.pk for need in service.needs.all()]
        sectors = [sector.pk for sector in service.sectors.all()]
        links = Service.needs.through.objects.filter(need_id__in=needs).exclude(
            service_id=service.pk
        )
        if sectors:
            in_a_sector = Service.sectors.through.objects.filter(
                service_id=OuterRef("service_id"), sector_id__in=sectors
            )
            links = links.exclude(Exists(in_a_sector))
        return self.filter(pk__in=sorted(set(links.values_list("service_id", flat=True))))

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

        A join on ServiceReach (one row per service and commune), instead of a distance
        computation over every place of every candidate. A join rather than a subquery per
        candidate: ordered by distance, PostgreSQL can read the `(commune, distance2)` index
        in order and stop at the first few, instead of ranking every candidate (the guided
        orientation's five nearest services of a need, a pathway's four per step).
        """
        return self.filter(reach__commune=commune).annotate(distance2=F("reach__distance2"))

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

    def refresh_derived(self, chunk: int = 1000) -> list[int]:
        """Service.refresh_derived() for many services at once (an import of thousands):
        search text in bulk, the hours' slots and flags, then reach and search documents."""
        ids = sorted(self.values_list("pk", flat=True))
        for start in range(0, len(ids), chunk):
            services = list(
                Service.objects.filter(pk__in=ids[start : start + chunk])
                .select_related("partner")
                .prefetch_related(
                    "sectors",
                    "needs",
                    models.Prefetch(
                        "service_places",
                        queryset=ServicePlace.objects.select_related("place__commune"),
                    ),
                )
            )
            for service in services:
                service.search_text = service.build_search_text()
            update_rows(Service, services, ["search_text"])
        if ids:
            Service.objects.filter(pk__in=ids).refresh_hours()
            ServiceReach.objects.rebuild(service_ids=ids)
            ServiceSearch.objects.rebuild(ids)
        return ids

    def refresh_hours(self, today: dt.date | None = None, *, instances=()) -> list[int]:
        """Recompute the "open now" slots and the Saturday, evening and lunchtime flags of
        these services for the WINDOW_DAYS days from `today`, notices, school and public
        holidays and monthly rules applied. A few queries per 500 services; only the
        services whose slots or flags change are written. Returns their ids."""
        today = today or hours_lib.local_now().date()
        by_pk = {service.pk: service for service in instances}
        changed = []
        ids = list(self.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            changed += _refresh_hours_of(chunk, today, by_pk)
        return changed

    def for_listing(self):
        """What every card shows live: its partner, and its places (for the opening
        status) attached once the rows are read (attach_listing_places). The domains are
        read when a card's tags are written (Service.card_sectors)."""
        clone = self.select_related("partner")
        clone._with_listing_places = True
        return clone


def _listing_places_of(ids: list) -> dict:
    found = defaultdict(list)
    service_places = ServicePlace.objects.filter(service_id__in=ids).select_related(
        "place__commune"
    )
    for service_place in service_places.order_by("pk"):
        found[service_place.service_id].append(service_place)
    return {pk: tuple(found.get(pk, ())) for pk in ids}


def attach_listing_places(services) -> None:
    """Each service's places (with their commune), as `service.service_places.all()`
    gives them, kept per content version: a page of cards reads them only for the
    services whose places it has not read since the content last changed. The places
    are shared by the requests of the process: read, never changed."""
    places = versions.remembered_many(
        "listing-places", [s.pk for s in services], _listing_places_of
    )
    for service in services:
        queryset = service.service_places.all()
        queryset._result_cache = list(places[service.pk])
        queryset._prefetch_done = True
        if not hasattr(service, "_prefetched_objects_cache"):
            service._prefetched_objects_cache = {}
        service._prefetched_objects_cache["service_places"] = queryset


def _refresh_hours_of(ids: list[int], today: dt.date, instances: dict) -> list[int]:
    service_places = defaultdict(list)
    for service_place in ServicePlace.objects.filter(service_id__in=ids).order_by("pk"):
        service_places[service_place.service_id].append(service_place)
    place_ids = {sp.place_id for sps in service_places.values() for sp in sps}
    notices = list(
        Notice.objects.current(today).filter(
            Q(service_id__in=ids) | Q(service__isnull=True, place_id__in=place_ids)
        )
    )
    existing = defaultdict(list)
    for slot in OpeningSlot.objects.filter(service_id__in=ids):
        existing[slot.service_id].append(
            (slot.service_place_id, slot.weekday, slot.opens, slot.closes)
        )
    flags_now = {
        pk: flags
        for pk, *flags in Service.objects.filter(pk__in=ids).values_list(
            "pk", *Service.HOURS_FLAGS
        )
    }
    new_slots, new_flags = [], {}
    for pk in ids:
        slots = []
        for service_place in service_places[pk]:
            if not service_place.opening_hours:
                continue
            periods = [
                n.period for n in notices if n.period and n.applies_to(pk, service_place.place_id)
            ]
            ph_closed = hours_lib.closed_on_public_holidays(service_place.opening_hours)
            week = hours_lib.window(service_place.opening_hours, periods, today)
            for weekday, ranges in enumerate(week):
                for opens, closes in ranges:
                    slots.append(
                        OpeningSlot(
                            service_id=pk,
                            service_place_id=service_place.pk,
                            weekday=weekday,
                            opens=opens,
                            closes=closes,
                            closed_on_public_holidays=ph_closed,
                        )
                    )
        flags = hours_lib.adapted_hours((slot.weekday, slot.opens, slot.closes) for slot in slots)
        keys = sorted((s.service_place_id, s.weekday, s.opens, s.closes) for s in slots)
        if keys != sorted(existing[pk]) or tuple(flags_now.get(pk, ())) != flags:
            new_slots += slots
            new_flags[pk] = flags
        if pk in instances:
            for name, value in zip(Service.HOURS_FLAGS, flags, strict=True):
                setattr(instances[pk], name, value)
    if not new_flags:
        return []
    with transaction.atomic():
        stale = OpeningSlot.objects.filter(service_id__in=list(new_flags))
        stale._raw_delete(stale.db)
        OpeningSlot.objects.bulk_create(new_slots, batch_size=500)
        by_flags = defaultdict(list)
        for pk, flags in new_flags.items():
            by_flags[flags].append(pk)
        for flags, pks in by_flags.items():
            Service.objects.filter(pk__in=pks).update(
                **dict(zip(Service.HOURS_FLAGS, flags, strict=True))
            )
    return list(new_flags)


class Service(AgeRange, Imported):
    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = (
        "name",
        "summary",
        "what_we_do",
        "what_we_dont_do",
        "audience",
        "access_conditions",
        "cost_details",
        "documents",
        "contact_details",
        "collective_details",
    )

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")
        ARCHIVED = "archived", _("Archivé")

    class Cost(models.TextChoices):
        FREE = "free", _("Gratuit")
        INCOME = "income", _("Selon les revenus")
        PAID = "paid", _("Payant")
        # An imported service whose source says nothing about its cost.
        UNKNOWN = "unknown", _("Coût à demander au service")

    class CheckFrequency(models.IntegerChoices):
        THREE_MONTHS = 3, _("tous les 3 mois")
        SIX_MONTHS = 6, _("tous les 6 mois")
        TWELVE_MONTHS = 12, _("tous les 12 mois")

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
    phone = models.CharField(
        _("téléphone"), max_length=30, blank=True, validators=[validate_phone]
    )
    email = models.EmailField(_("courriel"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    appointment_url = models.URLField(_("prise de rendez-vous en ligne"), blank=True)
    walk_in = models.BooleanField(_("accueil sans rendez-vous"), default=False)
    interpreting = models.BooleanField(
        _("interprétariat possible"),
        default=False,
        help_text=_(
            "Un interprète (sur place, par téléphone ou en vidéo) peut être proposé à une "
            "personne qui parle peu le français."
        ),
    )
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
    check_every_months = models.PositiveSmallIntegerField(
        _("à faire vérifier"),
        choices=CheckFrequency.choices,
        default=CheckFrequency.SIX_MONTHS,
        help_text=_(
            "Quand ce délai est passé depuis « vérifiées le », le partenaire reçoit un courriel "
            "pour confirmer ou corriger sa fiche."
        ),
    )
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

    # What a partner's staff changes on its own sheet ("Mes services"): practical information
    # is applied at once; what the service does and who it is for waits for the coordination.
    PRACTICAL_FIELDS = [
        "phone",
        "email",
        "website",
        "appointment_url",
        "walk_in",
        "contact_details",
        "documents",
        "collective_details",
    ]
    MODERATED_FIELDS = [
        "name",
        "summary",
        "what_we_do",
        "what_we_dont_do",
        "audience",
        "age_of",
        "age_min",
        "age_max",
        "access_conditions",
        "cost",
        "cost_details",
    ]
    HOURS_FLAGS = ("open_saturday", "open_evening", "open_lunchtime")
    UNREACHABLE = _(
        "Un service publié doit pouvoir être joint : donnez un téléphone, un courriel ou un "
        "lien, ou cochez « accueil sans rendez-vous » si l'on vient seulement sur place."
    )

    class Meta(AgeRange.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]
        constraints = [*AgeRange.Meta.constraints, unique_source_id()]
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
        if self.status == self.Status.PUBLISHED and not (self.has_contact or self.walk_in):
            errors["phone"] = self.UNREACHABLE
        if self.cost in (self.Cost.INCOME, self.Cost.PAID) and not self.cost_details:
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
        # The same fields in the territory's other languages, once reviewed: "childcare"
        # or "kreş" reach the service whose own words say so, as the French words do.
        parts += (
            ContentTranslation.objects.of(self)
            .filter(
                master__field__in=ContentTranslation.SEARCHED_SERVICE_FIELDS,
                state=ContentTranslation.State.REVIEWED,
            )
            .values_list("text", flat=True)
        )
        parts += [sector.name for sector in self.sectors.all()]
        if "service_places" in getattr(self, "_prefetched_objects_cache", {}):
            service_places = sorted(self.service_places.all(), key=lambda sp: sp.pk)
        else:
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

    def refresh_hours(self, today: dt.date | None = None) -> bool:
        """Rebuild opening slots and adapted-hours flags from the places' hours and the
        notices, for the WINDOW_DAYS days from today (each weekday on its own date).

        Returns whether anything changed. `manage.py refresh_hours` does it for every
        service each night, since the window moves; saving hours or a notice does it at once.
        """
        return bool(Service.objects.filter(pk=self.pk).refresh_hours(today, instances=[self]))

    # --- display helpers ---------------------------------------------------------------

    @staticmethod
    def annotate_for_display(
        services, now: dt.datetime | None = None, commune: Commune | None = None
    ) -> None:
        """What a result card says, for one page of services, in three queries at most.

        One place per service, the nearest to `commune` (else the first): `place`,
        `distance_km` from the commune's centre and `status_now` are all of that same place
        (a card never shows one place's address with another's hours). Also the notices in
        force or to come (`current_notices`, `upcoming_notice`), the next itinerant stop in
        or nearest to the commune (`next_stop`; its distance is then the one shown) and the
        next collective session (`next_session`). Places prefetched (for_listing)."""
        services = list(services)
        if not services:
            return
        now = now or hours_lib.local_now()
        today = now.date()
        # Notices, stops and sessions are content: read once per content version (and day)
        # by each process, then chosen here for this page and this minute.
        ids = {service.pk for service in services}
        place_ids = {sp.place_id for service in services for sp in service.service_places.all()}
        notices = [
            notice
            for notice in Notice.objects.remembered_current(today)
            if notice.service_id in ids
            or (notice.service_id is None and notice.place_id in place_ids)
        ]
        itinerant = [service.pk for service in services if service.itinerant]
        stops = ItinerantStop.objects.remembered_of(itinerant) if itinerant else {}
        sessions = {}
        collective = {service.pk for service in services if service.collective}
        if collective:
            for session in GroupSession.objects.remembered_from(today):
                if session.service_id in collective and session.is_upcoming(now):
                    sessions.setdefault(session.service_id, session)
        soon = today + dt.timedelta(days=UPCOMING_NOTICE_DAYS)
        for service in services:
            # The page's cards are read together when one of them needs its texts in the
            # page's language or its domains (shown(), card_sectors): once, and only for
            # the parts of a card that are not kept ({% remember %}).
            service.translation_batch = services
            service.current_notices = [notice for notice in notices if notice.concerns(service)]
            service.place = service.nearest_place(commune)
            service.distance_km = None
            if service.place is not None and commune is not None:
                place = service.place.place
                service.distance_km = math.sqrt(
                    squared_km(
                        commune.latitude, commune.longitude, place.latitude, place.longitude
                    )
                )
            service.status_now = (
                service.place.live_status(now, service.current_notices)
                if service.place
                else service.closure_status(now, service.current_notices)
            )
            service.upcoming_notice = next(
                (
                    notice
                    for notice in service.current_notices
                    if today < notice.start <= soon and notice.kind != Notice.Kind.MESSAGE
                ),
                None,
            )
            service.next_stop = next_stop(
                stops.get(service.pk, ()), now, commune, service.current_notices
            )
            if service.next_stop:
                # The distance that matters is to the stop, not to the nearest place.
                service.distance_km = service.next_stop.distance_km
            service.next_session = sessions.get(service.pk)
            service.note_changes(now)

    def note_changes(self, now: dt.datetime) -> None:
        """When what the card says about now changes (services_directory.until): its
        opening status, its next stop, its next session; midnight is always one. A stop
        or session under way changes at its end (its start, clipped to `now`, is past)."""
        if self.status_now is not None:
            until.note(self.status_now.changes_at)
        for begin, end in (
            (self.next_stop.begin, self.next_stop.end) if self.next_stop else (None, None),
            (self.next_session.begin, self.next_session.finish)
            if self.next_session
            else (None, None),
        ):
            if begin is not None and begin > now:
                until.note(begin)
            until.note(end)

    @property
    def card_sectors(self):
        """The service's domains on a card, read with the other cards' of the page
        (`translation_batch`, set by annotate_for_display) when the first card shows them:
        one query for the page, none when every card's tags are kept ({% remember %})."""
        if "sectors" not in getattr(self, "_prefetched_objects_cache", {}):
            batch = [
                service
                for service in getattr(self, "translation_batch", None) or [self]
                if "sectors" not in getattr(service, "_prefetched_objects_cache", {})
            ]
            models.prefetch_related_objects(batch, "sectors")
            sectors = [sector for service in batch for sector in service.sectors.all()]
            for sector in sectors:
                sector.translation_batch = sectors
        return self.sectors.all()

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

    @staticmethod
    def open_first(services) -> list:
        """The same services, those closed for a while (a notice) after the others: a
        family should not be sent first to a crèche closed for works. After
        annotate_for_display; the order is kept otherwise."""
        return sorted(
            services, key=lambda s: bool(getattr(s.status_now, "temporarily_closed", False))
        )

    @staticmethod
    def closure_status(now: dt.datetime, notices) -> "hours_lib.LiveStatus | None":
        """For a service without hours: closed temporarily, or nothing to say."""
        periods = [n.period for n in notices if n.period and n.place_id is None]
        if any(period.closed and period.covers(now.date()) for period in periods):
            return hours_lib.live_status("", now, periods)
        return None

    @property
    def has_contact(self) -> bool:
        return bool(self.phone or self.email or self.website or self.appointment_url)

    @property
    def walk_in_only(self) -> bool:
        """No phone, e-mail or link: the public is told plainly to come in person."""
        return self.walk_in and not self.has_contact

    def is_stale(self, today: dt.date | None = None) -> bool:
        """Checked more than a year ago (or never): the public is warned."""
        today = today or timezone.localdate()
        return self.verified_on is None or self.verified_on < today - dt.timedelta(days=365)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def next_check_on(self) -> dt.date | None:
        """When this service's information is due for a check (None: never checked)."""
        if self.verified_on is None:
            return None
        return months_after(self.verified_on, self.check_every_months)

    def confirm_unchanged(self, *, by=None, link=None, today=None) -> "ServiceChange":
        """« Rien n'a changé »: the partner checked its sheet today (from « Mes services »
        or the signed link of a freshness request)."""
        with transaction.atomic():
            self.verified_on = today or timezone.localdate()
            self.save(update_fields=["verified_on", "updated_at", "search_text"])
            change = ServiceChange.objects.record(
                self, ServiceChange.Kind.CONFIRMED, {}, by=by, link=link
            )
            if link is not None:
                link.record_answer(FreshnessRequest.Answer.CONFIRMED)
        return change

    def is_due_for_check(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.next_check_on is None or self.next_check_on <= today

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

    def periods(self, notices) -> list:
        """The closures and changed hours, among `notices`, that apply at this place."""
        return [
            notice.period
            for notice in notices
            if notice.period and notice.applies_to(self.service_id, self.place_id)
        ]

    def live_status(self, now: dt.datetime | None = None, notices=()):
        periods = self.periods(notices)
        if not self.opening_hours:
            now = now or hours_lib.local_now()
            if any(period.closed and period.covers(now.date()) for period in periods):
                return hours_lib.live_status("", now, periods)
            return None
        return hours_lib.live_status(self.opening_hours, now, periods)

    def week_table(self, today: dt.date | None = None, notices=()) -> list:
        """The next seven days as rows for a French table: date, ranges, why they differ.

        Rows keep the keys `day`, `ranges` and `is_today` of the former typical week.
        """
        if not self.opening_hours:
            return []
        return hours_lib.week_rows(self.opening_hours, self.periods(notices), today)

    @property
    def rules(self) -> list:
        """The hours' rules in plain French (seasons, monthly rules), for under the table."""
        return hours_lib.describe(self.opening_hours)

    @property
    def school_holiday_rules(self) -> list:
        return [rule for rule in self.rules if rule.school_holidays]

    @property
    def school_holidays_next(self) -> tuple | None:
        """The school holidays in progress or to come: (first day, last day, name)."""
        return hours_lib.next_school_holidays(hours_lib.local_now().date())

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
    INTERPRETING = "interpretariat"

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
            # Nothing to look for ("le", "3 ans"): no row, but the same columns as a
            # result (`distance2` with a commune) so that a page of nothing reads alike.
            return (self.nearest_to(commune) if commune else self).none()
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
                (service.interpreting, Facet.INTERPRETING),
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
    "interpreting",
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
        texts += [
            other_language_words(text)
            for text in Need.objects.values_list("other_words", flat=True)
        ]
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


def other_language_words(text: str) -> str:
    """The words of a need's translation worth knowing: three letters or more. Two-letter
    words of other languages ("in", "va") would cut French typing mistakes into pieces
    ("vacsin" → "va c s in") instead of correcting them."""
    return " ".join(word for word in re.split(r"[^\w]+", text or "") if len(word) >= 3)


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


class ItinerantStopQuerySet(models.QuerySet):
    def remembered_of(self, service_ids) -> dict:
        """{service id: its stops, with their place and commune}, read once per content
        version in each process (services_directory.versions): shared, never to be changed."""

        def read(ids: list) -> dict:
            found = defaultdict(list)
            for stop in self.filter(service_id__in=ids).select_related("place__commune"):
                found[stop.service_id].append(stop)
            return {pk: tuple(found.get(pk, ())) for pk in ids}

        return versions.remembered_many("stops", service_ids, read)


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

    objects = ItinerantStopQuerySet.as_manager()

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

    def next_dates(
        self, start: dt.datetime | None = None, limit: int = 3, notices=()
    ) -> list[tuple]:
        """The next (start, end) datetimes of this stop, at most `limit`, within 120 days;
        a passage during a closure of the service (or of the place) is left out."""
        start = start or hours_lib.local_now()
        closures = [
            notice.period
            for notice in notices
            if notice.kind == Notice.Kind.CLOSURE
            and notice.applies_to(self.service_id, self.place_id)
        ]
        if self.date:
            begin = dt.datetime.combine(self.date, self.start_time)
            end = dt.datetime.combine(self.date, self.end_time)
            if end < start or any(period.covers(self.date) for period in closures):
                return []
            return [(begin, end)]
        horizon = start + dt.timedelta(days=120)
        found = hours_lib.open_intervals(self.schedule, start, horizon, closures)
        return found[:limit]

    @property
    def label(self) -> str:
        """The regular passages in plain French: as written, or read from the schedule."""
        if self.schedule_label:
            return self.schedule_label
        rules = hours_lib.describe(self.schedule)
        return "; ".join(rule.text for rule in rules)


@dataclass
class NextStop:
    """The itinerant stop a card shows: in or nearest to the chosen commune, soonest."""

    stop: ItinerantStop
    begin: dt.datetime
    end: dt.datetime
    distance_km: float | None

    @property
    def place(self) -> Place:
        return self.stop.place

    @property
    def when_label(self) -> str:
        """« jeudi 3 décembre, 9 h–12 h »."""
        date = dates.long_date(self.begin.date(), "weekday")
        return f"{date}, {dates.short_time(self.begin)}–{dates.short_time(self.end)}"


def next_stop(stops, now: dt.datetime, commune=None, notices=()) -> NextStop | None:
    """The next passage in `commune`, else the nearest to it, else the soonest anywhere."""
    candidates = []
    for stop in stops:
        dates = stop.next_dates(now, limit=1, notices=notices)
        if not dates:
            continue
        distance = None
        if commune is not None:
            distance = math.sqrt(
                squared_km(
                    commune.latitude, commune.longitude, stop.place.latitude, stop.place.longitude
                )
            )
        candidates.append(NextStop(stop, dates[0][0], dates[0][1], distance))
    if not candidates:
        return None
    if commune is not None:
        return min(
            candidates,
            key=lambda c: (c.place.commune_id != commune.pk, round(c.distance_km or 0), c.begin),
        )
    return min(candidates, key=lambda c: c.begin)


# --- dated notices, collective sessions, error reports ---------------------------------------


class NoticeQuerySet(models.QuerySet):
    def current(self, today: dt.date):
        """In force today or to come."""
        return self.filter(end__gte=today).order_by("start", "end", "pk")

    def remembered_current(self, today: dt.date) -> list:
        """Every notice in force today or to come, read once per content version and day
        in each process (services_directory.versions): shared, never to be changed."""
        return versions.remembered(
            ("notices", today),
            lambda: list(self.current(today).select_related("place")),
            per_language=False,
        )

    def concerning(self, services):
        """Notices of these services, and of the places where they are received."""
        services = list(services)
        service_ids = [service.pk for service in services]
        place_ids = {sp.place_id for service in services for sp in service.service_places.all()}
        return self.filter(
            Q(service_id__in=service_ids) | Q(service__isnull=True, place_id__in=place_ids)
        )


class Notice(models.Model):
    """A dated notice (the model Soliguide and Open Referral use): a temporary closure,
    other hours for a while, or a message, for a service, a service at one place, or
    every service of a place."""

    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = ("text",)

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Fermeture temporaire")
        HOURS = "hours", _("Horaires modifiés")
        MESSAGE = "message", _("Information")

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("service"),
        help_text=_("Vide : l'avis vaut pour tous les services du lieu choisi."),
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("lieu"),
        help_text=_("Vide : l'avis vaut pour tous les lieux du service."),
    )
    kind = models.CharField(_("type d'avis"), max_length=10, choices=Kind.choices)
    reason = models.CharField(
        _("motif en quelques mots"),
        max_length=80,
        blank=True,
        help_text=_("Par exemple « travaux », « congés d'été » : affiché à côté du statut."),
    )
    text = models.TextField(_("précisions"), max_length=600, blank=True)
    start = models.DateField(_("du"))
    end = models.DateField(_("au (inclus)"))
    opening_hours = models.CharField(
        _("horaires pendant la période (syntaxe OpenStreetMap)"),
        max_length=255,
        blank=True,
        validators=[hours_lib.validate_period_hours],
        help_text=_("Pour des horaires modifiés seulement, par exemple « Mo-Fr 13:30-17:00 »."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("avis daté")
        verbose_name_plural = _("avis datés (fermetures, horaires modifiés)")
        ordering = ["start", "end", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | Q(place__isnull=False),
                name="notice_for_a_service_or_a_place",
            ),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="notice_dates_ordered"),
        ]
        indexes = [models.Index(fields=["end", "service"]), models.Index(fields=["end", "place"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.dates_label}"

    def clean(self):
        errors = {}
        if not (self.service_id or self.place_id):
            errors["place"] = _("Choisissez le service ou le lieu concerné.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("La fin de l'avis doit suivre son début.")
        if self.kind == self.Kind.HOURS and not self.opening_hours:
            errors["opening_hours"] = _("Donnez les horaires de la période.")
        if self.kind != self.Kind.HOURS and self.opening_hours:
            errors["opening_hours"] = _("Des horaires ne vont qu'avec « Horaires modifiés ».")
        if self.kind == self.Kind.MESSAGE and not self.text:
            errors["text"] = _("Écrivez le message à afficher.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self._refresh_services()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._refresh_services()
        return result

    def _refresh_services(self) -> None:
        # "Open now", Saturday, evening and lunchtime filters follow at once.
        if self.service_id:
            services = Service.objects.filter(pk=self.service_id)
        else:
            services = Service.objects.filter(service_places__place_id=self.place_id).distinct()
        ServiceSearch.objects.rebuild(services.refresh_hours())

    @property
    def period(self) -> "hours_lib.Period | None":
        if self.kind == self.Kind.MESSAGE:
            return None
        return hours_lib.Period(
            self.start,
            self.end,
            closed=self.kind == self.Kind.CLOSURE,
            expression=self.opening_hours,
            reason=self.reason,
        )

    def applies_to(self, service_id: int, place_id: int | None) -> bool:
        if self.service_id is None:
            return self.place_id == place_id
        return self.service_id == service_id and self.place_id in (None, place_id)

    def concerns(self, service: Service) -> bool:
        if self.service_id is not None:
            return self.service_id == service.pk
        return any(sp.place_id == self.place_id for sp in service.service_places.all())

    def is_active(self, today: dt.date) -> bool:
        return self.start <= today <= self.end

    @property
    def dates_label(self) -> str:
        if self.start == self.end:
            return _("le %(date)s") % {"date": dates.long_date(self.start, "day")}
        return _("du %(start)s au %(end)s") % {
            "start": dates.long_date(self.start, "day"),
            "end": dates.long_date(self.end, "day"),
        }

    @property
    def headline(self) -> str:
        """« Fermé du 28 novembre au 12 décembre — travaux »."""
        if self.kind == self.Kind.CLOSURE:
            text = _("Fermé %(dates)s") % {"dates": self.dates_label}
        elif self.kind == self.Kind.HOURS:
            text = _("Horaires modifiés %(dates)s") % {"dates": self.dates_label}
        else:
            text = _("Information %(dates)s") % {"dates": self.dates_label}
        return f"{text} — {self.reason}" if self.reason else text

    @property
    def hours_text(self) -> str:
        return "; ".join(rule.text for rule in hours_lib.describe(self.opening_hours))


class GroupSessionQuerySet(models.QuerySet):
    def upcoming(self, now: dt.datetime):
        """Sessions that have not ended yet, soonest first."""
        return (
            self.filter(Q(date__gt=now.date()) | Q(date=now.date(), end_time__gt=now.time()))
            .select_related("place__commune")
            .order_by("date", "start_time", "pk")
        )

    def remembered_from(self, today: dt.date) -> list:
        """Every session of today or later, soonest first, read once per content version
        and day in each process (services_directory.versions): shared, never to be changed.
        `GroupSession.is_upcoming` then says which have not ended yet."""
        return versions.remembered(
            ("sessions", today),
            lambda: list(
                self.filter(date__gte=today)
                .select_related("place__commune")
                .order_by("date", "start_time", "pk")
            ),
            per_language=False,
        )


class GroupSession(models.Model):
    """One dated collective session (atelier, groupe de parole, temps collectif)."""

    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = ("topic", "audience", "registration_details")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("service")
    )
    topic = models.CharField(
        _("thème"), max_length=160, help_text=_("Par exemple « Le sommeil du tout-petit ».")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("de"))
    end_time = models.TimeField(_("à"))
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("lieu"),
        help_text=_("Vide pour une séance à distance."),
    )
    audience = models.CharField(
        _("pour qui"),
        max_length=160,
        blank=True,
        help_text=_("Par exemple « parents de 0-3 ans »"),
    )
    registration_required = models.BooleanField(_("inscription obligatoire"), default=False)
    registration_details = models.CharField(
        _("comment s'inscrire"),
        max_length=200,
        blank=True,
        help_text=_("Par exemple « au 03 53 73 40 10 » ; vide : le téléphone du service."),
    )
    places_left = models.PositiveSmallIntegerField(
        _("places restantes"),
        null=True,
        blank=True,
        help_text=_("Si vous le savez ; vide : non précisé."),
    )

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance collective")
        verbose_name_plural = _("séances collectives")
        ordering = ["date", "start_time", "pk"]
        indexes = [models.Index(fields=["service", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_it_starts"
            )
        ]

    def __str__(self) -> str:
        return f"{self.topic} ({self.date:%d/%m/%Y})"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("L'heure de fin doit suivre l'heure de début.")})

    def is_upcoming(self, now: dt.datetime) -> bool:
        """Not ended yet (GroupSessionQuerySet.upcoming, for a kept list)."""
        return self.date > now.date() or (self.date == now.date() and self.end_time > now.time())

    @property
    def begin(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time)

    @property
    def finish(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time)

    @property
    def when_label(self) -> str:
        """« mardi 8 décembre, 14 h–16 h »."""
        date = dates.long_date(self.date, "weekday")
        start, end = dates.short_time(self.start_time), dates.short_time(self.end_time)
        return f"{date}, {start}–{end}"

    def get_ics_url(self) -> str:
        return reverse("services_directory:session_ics", args=[self.service.slug, self.pk])


class ErrorReportQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ErrorReport.Status.NEW)


class ErrorReport(models.Model):
    """« Signaler une erreur »: what a visitor says is wrong on a service page. Anonymous:
    no name, no address, no IP is stored."""

    class Topic(models.TextChoices):
        HOURS = "hours", _("Les horaires ou les dates")
        PLACE = "place", _("L'adresse ou le lieu")
        CONTACT = "contact", _("Le téléphone, le courriel ou le site")
        CLOSED = "closed", _("Le service n'existe plus")
        CONDITIONS = "conditions", _("Pour qui, les conditions ou le prix")
        OTHER = "other", _("Autre chose")

    class Status(models.TextChoices):
        NEW = "new", _("À traiter")
        CLOSED = "closed", _("Traité")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="error_reports", verbose_name=_("service")
    )
    topic = models.CharField(_("ce qui ne va pas"), max_length=12, choices=Topic.choices)
    comment = models.TextField(_("précisions"), max_length=1000, blank=True)
    created_at = models.DateTimeField(_("reçu le"), default=timezone.now, db_index=True)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.NEW)
    closed_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traité par"),
    )
    resolution = models.CharField(_("ce qui a été fait"), max_length=255, blank=True)

    objects = ErrorReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement d'erreur")
        verbose_name_plural = _("signalements d'erreur")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_topic_display()}"

    def close(self, *, by, mark_verified: bool = False, resolution: str = "") -> None:
        """Close the report; `mark_verified` also marks the service checked today."""
        self.status = self.Status.CLOSED
        self.closed_at = timezone.now()
        self.closed_by = by
        if resolution:
            self.resolution = resolution[:255]
        self.save(update_fields=["status", "closed_at", "closed_by", "resolution"])
        if mark_verified:
            Service.objects.filter(pk=self.service_id).update(
                verified_on=timezone.localdate(), updated_at=timezone.now()
            )


def visitor_key(remote_addr: str, day: dt.date) -> str:
    """A rate-limit key that says nothing about the visitor: a keyed hash of the address
    and the day, kept in the cache only as long as the limit lasts."""
    secret = settings.SECRET_KEY.encode()
    return hashlib.sha256(secret + f"|{remote_addr}|{day.isoformat()}".encode()).hexdigest()


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
    phone = models.CharField(
        _("téléphone professionnel"), max_length=30, blank=True, validators=[validate_phone]
    )
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


# --- the outbox: every message the portal sends (see outbox.py) ---------------------------


class OutgoingMessageQuerySet(models.QuerySet):
    def queue(self, *, to: str, subject: str, body: str, kind: str, key: str = ""):
        """Write a message to send, in the caller's transaction (the event that causes it).

        `key` makes queueing idempotent: a second call with the same key queues nothing, so
        a retried request or job never sends a message twice.
        """
        to = (to or "").strip()
        if not to:
            return None
        fields = {"to": to, "subject": subject[:200], "body": body, "kind": kind}
        if key:
            message, _created = self.get_or_create(key=key[:120], defaults=fields)
            return message
        return self.create(**fields)

    def due(self, now: dt.datetime):
        return self.filter(status=OutgoingMessage.Status.WAITING, next_attempt_at__lte=now)

    def unsent(self):
        return self.filter(status=OutgoingMessage.Status.WAITING)

    def due_for_purge(self, now: dt.datetime):
        """Sent or given up for longer than the retention of personal data: their bodies
        carry follow-up links and the addresses are personal."""
        limit = now - dt.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
        return self.exclude(status=OutgoingMessage.Status.WAITING).filter(updated_at__lt=limit)


class OutgoingMessage(models.Model):
    """One e-mail to one address, written with the event that causes it, sent by the worker
    (`manage.py send_messages`), retried with back-off while the mail server is down."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("En attente")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Abandonné")

    created_at = models.DateTimeField(_("écrit le"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    kind = models.CharField(_("type"), max_length=40, db_index=True)
    key = models.CharField(
        _("clé d'unicité"),
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text=_("Un même événement n'écrit qu'un message."),
    )
    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("texte"))
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    attempts = models.PositiveSmallIntegerField(_("essais"), default=0)
    next_attempt_at = models.DateTimeField(_("prochain essai"), default=timezone.now)
    last_error = models.CharField(_("dernière erreur"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = OutgoingMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message envoyé par le portail")
        verbose_name_plural = _("messages envoyés par le portail")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} · {self.subject}"


# --- partners keep their own sheets: changes, moderation, freshness requests ----------------


class ServiceChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ServiceChange.Status.PENDING)

    def record(self, service, kind: str, changes: dict, *, by=None, link=None, status=None):
        """One entry of a sheet's history, in the caller's transaction."""
        status = status or ServiceChange.Status.APPLIED
        return self.create(
            service=service,
            kind=kind,
            status=status,
            changes=changes,
            author=by if getattr(by, "is_authenticated", False) else None,
            link=link,
        )

    def propose(self, service, changes: dict, *, by=None, link=None):
        """A change of what the service does or who it is for, for the coordination to
        validate. It replaces the partner's earlier proposal still waiting."""
        with transaction.atomic():
            self.pending().filter(service=service).update(
                status=ServiceChange.Status.SUPERSEDED, decided_at=timezone.now()
            )
            return self.record(
                service,
                ServiceChange.Kind.CONTENT,
                changes,
                by=by,
                link=link,
                status=ServiceChange.Status.PENDING,
            )


def word_diff(old: str, new: str) -> SafeString:
    """`new` with the words removed from `old` in <del> and the words added in <ins>."""
    before, after = str(old or "").split(), str(new or "").split()
    parts = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(f"<del>{escape(' '.join(before[i1:i2]))}</del>")
        if op in ("insert", "replace"):
            parts.append(f"<ins>{escape(' '.join(after[j1:j2]))}</ins>")
        if op == "equal":
            parts.append(escape(" ".join(before[i1:i2])))
    return mark_safe(" ".join(parts))  # every piece is escaped above


class ServiceChange(models.Model):
    """One change to a service's sheet made by its partner (« Mes services » or the signed
    link of a freshness request): the history of the sheet, and the moderation queue.

    Practical information (hours, notices, contacts, documents, sessions, stops) is applied
    at once; what the service does and who it is for waits for the coordination.
    `changes` maps a field's name (or an inline row's label) to [value before, value asked].
    """

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("« Rien n'a changé »")
        PRACTICAL = "practical", _("informations pratiques")
        CONTENT = "content", _("ce que fait le service, pour qui")

    class Status(models.TextChoices):
        APPLIED = "applied", _("appliquée")
        PENDING = "pending", _("à valider")
        ACCEPTED = "accepted", _("validée")
        REJECTED = "rejected", _("refusée")
        SUPERSEDED = "superseded", _("remplacée par une proposition plus récente")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="changes", verbose_name=_("service")
    )
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("état"), max_length=10, choices=Status.choices)
    changes = models.JSONField(_("modifications"), default=dict, blank=True)
    created_at = models.DateTimeField(_("le"), default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    link = models.ForeignKey(
        "FreshnessRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("par le lien envoyé le"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("décision de"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    decision_note = models.CharField(_("message au partenaire"), max_length=500, blank=True)

    objects = ServiceChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("modification d'une fiche par son partenaire")
        verbose_name_plural = _("modifications des fiches par les partenaires")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.service} — {self.get_kind_display()} ({self.get_status_display()})"

    @property
    def author_label(self) -> str:
        if self.author_id:
            return self.author.get_full_name() or self.author.get_username()
        if self.link_id:
            return _("lien envoyé à %(to)s") % {"to": self.link.sent_to}
        return _("inconnu")

    @staticmethod
    def label_for(key: str) -> str:
        """A service field's name in French; other keys (an inline's row) are labels."""
        try:
            return str(Service._meta.get_field(key).verbose_name)
        except Exception:  # FieldDoesNotExist: the key is already a label
            return key

    def rows(self) -> list[dict]:
        """What a moderator reads: each field's value then, now, and asked for."""
        rows = []
        for key, (before, after) in self.changes.items():
            now = getattr(self.service, key, before) if key in Service.MODERATED_FIELDS else before
            rows.append(
                {
                    "label": self.label_for(key),
                    "before": before,
                    "now": now,
                    "after": after,
                    "changed_since": now != before,
                    "diff": word_diff(now, after),
                }
            )
        return rows

    def accept(self, by) -> None:
        """Write the proposal into the service (the admin's checks apply), then record it."""
        if self.status != self.Status.PENDING:
            raise ValidationError(_("Cette proposition n'est plus en attente."))
        with transaction.atomic():
            service = Service.objects.select_for_update().get(pk=self.service_id)
            for key, (_before, after) in self.changes.items():
                if key in Service.MODERATED_FIELDS:
                    setattr(service, key, after)
            service.full_clean()
            service.save()
            service.refresh_derived()
            self.status = self.Status.ACCEPTED
            self.decided_by = by
            self.decided_at = timezone.now()
            self.save(update_fields=["status", "decided_by", "decided_at"])

    def reject(self, by, note: str = "") -> None:
        if self.status != self.Status.PENDING:
            raise ValidationError(_("Cette proposition n'est plus en attente."))
        self.status = self.Status.REJECTED
        self.decided_by = by
        self.decided_at = timezone.now()
        self.decision_note = note[:500]
        self.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


class FreshnessRequestQuerySet(models.QuerySet):
    def latest_for(self, service_ids):
        return self.filter(service_id__in=service_ids).order_by("service_id", "-sent_at")


class FreshnessRequest(models.Model):
    """« Votre fiche est-elle à jour ? »: one service's check asked of its partner by e-mail,
    with a signed link to confirm or edit it without an account (see access.py)."""

    class Answer(models.TextChoices):
        CONFIRMED = "confirmed", _("rien n'a changé")
        EDITED = "edited", _("fiche modifiée")

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="freshness_requests",
        verbose_name=_("service"),
    )
    sent_at = models.DateTimeField(_("demandée le"), default=timezone.now, db_index=True)
    sent_to = models.EmailField(_("à"))
    message = models.ForeignKey(
        OutgoingMessage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("courriel"),
    )
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)
    answer = models.CharField(_("réponse"), max_length=10, choices=Answer.choices, blank=True)

    objects = FreshnessRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de vérification")
        verbose_name_plural = _("demandes de vérification")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.service} — {self.sent_at:%d/%m/%Y}"

    @property
    def expires_at(self) -> dt.datetime:
        return self.sent_at + dt.timedelta(days=settings.FRESHNESS_LINK_DAYS)

    def record_answer(self, answer: str, at: dt.datetime | None = None) -> None:
        # "Edited" wins over a confirmation: the sheet changed.
        if self.answer == self.Answer.EDITED and answer == self.Answer.CONFIRMED:
            return
        self.answer = answer
        self.answered_at = at or timezone.now()
        self.save(update_fields=["answer", "answered_at"])


# --- imports of data·inclusion files (see datainclusion.py) ---------------------------------


class ImportRun(models.Model):
    """One import of data·inclusion files started in the admin: its files, its progress (for
    the page to show while it runs) and its report."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échec, rien n'a été enregistré")

    # A run whose worker has not written for this long has died (the process was stopped):
    # its transaction was rolled back by the database.
    STALE_AFTER = dt.timedelta(minutes=5)

    created_at = models.DateTimeField(_("lancé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("par"),
    )
    dry_run = models.BooleanField(_("simulation"), default=True)
    communes = models.JSONField(_("communes retenues (codes INSEE)"), default=list, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    stage = models.CharField(_("étape"), max_length=120, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    report = models.JSONField(_("compte rendu"), default=dict, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        verbose_name = _("import data·inclusion")
        verbose_name_plural = _("imports data·inclusion")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        what = _("Simulation") if self.dry_run else _("Import")
        return f"{what} du {timezone.localtime(self.created_at):%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def is_stale(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.RUNNING and self.updated_at < now - self.STALE_AFTER


class ImportFile(models.Model):
    """A file given to an import run, kept in the database: app servers keep no files."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("nom"), max_length=255)
    content = models.BinaryField()
    size = models.PositiveIntegerField(_("taille (octets)"))

    class Meta:
        verbose_name = _("fichier importé")
        verbose_name_plural = _("fichiers importés")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name


# Services waiting for their search text during ContentTranslation.batch_refresh().
_BATCH = threading.local()


class TranslatableText(TranslatableModel):
    """One translatable field of one object (a service's « ce que nous faisons », a step's
    easy-read text…). Its French is the object's own column; its translations, one per
    language, are django-parler's rows (`ContentTranslation`).

    Generic rather than one parler model per content model: French stays in the models'
    columns, which the search, the indexes and every query read unchanged, and a territory
    adds a language in its settings without a migration. The fields a model offers are its
    `translatable_fields`; what a page shows is `services_directory.translations.shown`.
    """

    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, verbose_name=_("type de contenu")
    )
    object_id = models.PositiveBigIntegerField(_("objet"))
    field = models.CharField(_("champ"), max_length=60)

    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("texte traduisible")
        verbose_name_plural = _("textes traduisibles")
        ordering = ["content_type", "object_id", "field"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field"], name="translatable_text_unique"
            )
        ]

    def __str__(self) -> str:
        target = self.content_object
        if target is None:
            return self.field
        return f"{target} — {capfirst(target._meta.get_field(self.field).verbose_name)}"

    def current_french(self) -> str:
        obj = self.content_object
        return getattr(obj, self.field, "") or "" if obj is not None else ""


class ContentTranslationQuerySet(models.QuerySet):
    def need_words(self) -> dict[int, list[str]]:
        """Each need's reviewed names and synonyms in every language, one per line (what the
        search matches besides the French)."""
        found = defaultdict(list)
        rows = self.filter(
            master__content_type=ContentType.objects.get_for_model(Need),
            master__field__in=["name", "synonyms"],
            state=ContentTranslation.State.REVIEWED,
        ).values_list("master__object_id", "text")
        for need_id, text in rows:
            found[need_id] += [line.strip() for line in text.splitlines() if line.strip()]
        return found

    def save_many(self, rows: list["ContentTranslation"]) -> None:
        """Write many translations at once (a new one or a new text for the same field
        and language), then what a save of each would update: the needs' words in other
        languages, the vocabulary, the services' searched text. Each row names its field
        with `ContentTranslation.of_field()`; the texts are created as needed."""
        keys = {row.text_key for row in rows}
        TranslatableText.objects.bulk_create(
            [TranslatableText(content_type_id=ct, object_id=oid, field=f) for ct, oid, f in keys],
            batch_size=500,
            ignore_conflicts=True,
        )
        masters = {}
        for master in TranslatableText.objects.filter(
            object_id__in={oid for _ct, oid, _f in keys}
        ):
            masters[(master.content_type_id, master.object_id, master.field)] = master
        for row in rows:
            row.master = masters[row.text_key]
        self.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["master", "language_code"],
            update_fields=["text", "source", "state", "reviewed_on", "reviewed_by"],
        )
        need_words = [row for row in rows if row.is_need_word()]
        if need_words:
            self.refresh_need_words(sorted({row.object_id for row in need_words}))
            SearchTerm.objects.add_texts([other_language_words(row.text) for row in need_words])
        with ContentTranslation.batch_refresh():
            for row in rows:
                row.refresh_service_search()

    def of(self, obj) -> "ContentTranslationQuerySet":
        return self.filter(
            master__content_type=ContentType.objects.get_for_model(obj),
            master__object_id=obj.pk,
        ).select_related("master")

    def refresh_need_words(self, need_ids) -> None:
        """Copy the needs' reviewed words in other languages onto `Need.other_words`."""
        found = self.filter(master__object_id__in=need_ids).need_words()
        for need_id in need_ids:
            Need.objects.filter(pk=need_id).update(other_words="\n".join(found.get(need_id, [])))


class ContentTranslation(TranslatedFieldsModel):
    """One field of one object in one of the territory's languages, with its review: the
    django-parler translation row of a `TranslatableText`."""

    class State(models.TextChoices):
        TO_REVIEW = "to_review", _("à relire")
        REVIEWED = "reviewed", _("relue")

    master = TranslationsForeignKey(
        TranslatableText,
        on_delete=models.CASCADE,
        related_name="translations",
        null=True,
        editable=False,
        verbose_name=_("texte traduisible"),
    )
    text = models.TextField(_("traduction"), blank=True)
    # The French it translates: when the French changes, the translation is no longer shown
    # until someone reviews it again (a family never reads an outdated translation).
    source = models.TextField(_("texte français traduit"), blank=True)
    state = models.CharField(
        _("état"), max_length=12, choices=State.choices, default=State.TO_REVIEW
    )
    reviewed_on = models.DateField(_("relue le"), null=True, blank=True)
    reviewed_by = models.CharField(
        _("relue par"),
        max_length=120,
        blank=True,
        help_text=_("Le nom de la personne ou de l'organisme qui a relu."),
    )

    objects = ContentTranslationQuerySet.as_manager()

    class Meta:
        verbose_name = _("traduction")
        verbose_name_plural = _("traductions")
        ordering = ["master", "language_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["master", "language_code"], name="content_translation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.field} ({self.language_code})"

    @classmethod
    def of_field(cls, obj, field: str, language: str, **values) -> "ContentTranslation":
        """A translation of `obj.field` in `language`, not saved: `save()` creates the
        field's `TranslatableText` if needed, `save_many()` does so in bulk."""
        row = cls(language_code=language, **values)
        row._text_key = (ContentType.objects.get_for_model(obj).pk, obj.pk, field)
        return row

    @property
    def text_key(self) -> tuple[int, int, str]:
        if self.master_id is None:
            return self._text_key
        return (self.master.content_type_id, self.master.object_id, self.master.field)

    # What the row translates, read from its `TranslatableText`.
    @property
    def content_type(self) -> ContentType:
        return ContentType.objects.get_for_id(self.text_key[0])

    @property
    def object_id(self) -> int:
        return self.text_key[1]

    @property
    def field(self) -> str:
        return self.text_key[2]

    @property
    def content_object(self):
        return self.master.content_object if self.master_id else None

    # A service's fields whose reviewed translations join its search text.
    SEARCHED_SERVICE_FIELDS = ("name", "summary", "audience")

    def save(self, *args, **kwargs):
        if self.master_id is None:
            content_type_id, object_id, field = self._text_key
            self.master, _created = TranslatableText.objects.get_or_create(
                content_type_id=content_type_id, object_id=object_id, field=field
            )
        super().save(*args, **kwargs)
        self.refresh_service_search()
        if self.is_need_word():
            ContentTranslation.objects.refresh_need_words([self.object_id])
            # Known words: a query in another language is never "corrected" into French.
            SearchTerm.objects.add_texts([other_language_words(self.text)])

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self.refresh_service_search()
        if self.is_need_word():
            ContentTranslation.objects.refresh_need_words([self.object_id])
        return result

    def refresh_service_search(self) -> None:
        """A service's searched text follows its reviewed translations: at once for one
        edit (the admin), once per service at the end of a batch (`batch_refresh`)."""
        if self.field not in self.SEARCHED_SERVICE_FIELDS:
            return
        if self.content_type.model_class() is not Service:
            return
        pending = _BATCH.__dict__.get("services")
        if pending is not None:
            pending.add(self.object_id)
            return
        service = Service.objects.filter(pk=self.object_id).select_related("partner").first()
        if service is not None:
            service.refresh_search_text()
            ServiceSearch.objects.rebuild([service.pk])

    @staticmethod
    @contextmanager
    def batch_refresh():
        """Many translations saved at once (load_translations): each service's search
        text is rebuilt once at the end, not once per translated field."""
        _BATCH.services = set()
        try:
            yield
            ids = _BATCH.services
        finally:
            _BATCH.services = None
        services = Service.objects.filter(pk__in=ids).select_related("partner")
        for service in services.prefetch_related("sectors"):
            service.refresh_search_text()
        ServiceSearch.objects.rebuild(ids)

    def is_need_word(self) -> bool:
        return self.content_type.model_class() is Need and self.field in ("name", "synonyms")

    def is_shown(self, french: str) -> bool:
        """Only a reviewed translation of today's French reaches a family."""
        return self.state == self.State.REVIEWED and bool(self.text) and self.source == french

    def current_french(self) -> str:
        return self.master.current_french() if self.master_id else ""

    def mark_reviewed(self, by: str, on: dt.date | None = None) -> None:
        """The reviewer read this translation against today's French."""
        self.state = self.State.REVIEWED
        self.source = self.current_french()
        self.reviewed_on = on or timezone.localdate()
        self.reviewed_by = by[:120]
        self.save(update_fields=["state", "source", "reviewed_on", "reviewed_by"])
