"""Parcours types: who to contact, for what need, at what moment."""

import datetime as dt
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services_directory import translations
from services_directory.ages import AgeRange, AgeRangeQuerySet
from services_directory.models import Need, Partner, Referent, Sector, Service
from services_directory.search import text_score
from services_directory.text import normalize


@lru_cache(maxsize=1024)
def _title_stems(title: str) -> str:
    return normalize(title)


class LifeMoment(AgeRange):
    """A moment de vie: how families think of their situation, rather than by sector."""

    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = ("name", "description")

    name = models.CharField(_("nom"), max_length=120, unique=True)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=120, unique=True)
    description = models.CharField(_("description courte"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta(AgeRange.Meta):
        verbose_name = _("moment de vie")
        verbose_name_plural = _("moments de vie")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class PathwayQuerySet(AgeRangeQuerySet):
    def published(self):
        return self.filter(status=Pathway.Status.PUBLISHED)

    def formalised(self):
        """Published and validated: what the evaluation counts as a formalised pathway."""
        return self.published().filter(validated_on__isnull=False).exclude(validated_by="")

    def passerelles(self):
        """Pathways that cross two or more sectors."""
        return self.annotate(_sector_count=Count("sectors", distinct=True)).filter(
            _sector_count__gte=2
        )

    def child_stage_passerelles(self):
        """Pathways that cross two or more of Petite Enfance, Enfance, Jeunesse."""
        return self.annotate(
            _stage_count=Count("sectors", filter=Q(sectors__is_child_stage=True), distinct=True)
        ).filter(_stage_count__gte=2)

    def matching(self, query, *, minimum: int = 10) -> list:
        """The pathways a query (`services_directory.search.Query`) finds, most relevant
        first, scored like the directory's documents (`search.text_score`) in Python: a
        territory publishes tens of pathways, not thousands."""
        if not query:
            return []
        scored = []
        for pathway in self.prefetch_related("needs"):
            score = text_score(
                query,
                title=_title_stems(pathway.title),
                text=pathway.search_text,
                need_ids={need.pk for need in pathway.needs.all()},
            )
            if score >= minimum:
                scored.append((-score, pathway.title, pathway.pk, pathway))
        scored.sort(key=lambda item: item[:3])
        return [pathway for *_key, pathway in scored]

    def for_profile(self, profile: str):
        field = {
            "futur-parent": "for_future_parents",
            "parent": "for_parents",
            "jeune": "for_young_people",
        }.get(profile)
        # Professionals may accompany anyone: no filter for them.
        return self.filter(**{field: True}) if field else self

    def for_listing(self):
        return self.prefetch_related("sectors")


class Pathway(AgeRange):
    """A parcours type: a formalised, ordered journey for one situation."""

    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = ("title", "summary", "situation", "audience")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publié")

    MIN_STEPS = 2

    title = models.CharField(_("titre"), max_length=160)
    slug = models.SlugField(_("identifiant d'adresse"), max_length=160, unique=True)
    summary = models.CharField(
        _("en une phrase"),
        max_length=255,
        help_text=_("La situation, en mots simples : « Vous attendez un enfant et… »."),
    )
    situation = models.TextField(
        _("la situation en détail"),
        blank=True,
        help_text=_("À quelle situation ce parcours répond, et ce qu'il ne couvre pas."),
    )
    audience = models.CharField(
        _("pour qui"),
        max_length=160,
        help_text=_("Par exemple « Parents d'un enfant de 2 à 3 ans »."),
    )
    for_future_parents = models.BooleanField(_("pour les futurs parents"), default=False)
    for_parents = models.BooleanField(_("pour les parents"), default=False)
    for_young_people = models.BooleanField(_("pour les jeunes eux-mêmes"), default=False)
    life_moments = models.ManyToManyField(
        LifeMoment, related_name="pathways", verbose_name=_("moments de vie")
    )
    sectors = models.ManyToManyField(
        Sector,
        related_name="pathways",
        verbose_name=_("secteurs traversés"),
        help_text=_("Deux secteurs ou plus : le parcours est une passerelle."),
    )
    needs = models.ManyToManyField(
        Need,
        related_name="pathways",
        blank=True,
        verbose_name=_("besoins auxquels il répond"),
        help_text=_("Sert à l'orientation guidée : « M'orienter »."),
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    validated_on = models.DateField(_("validé le"), null=True, blank=True)
    validated_by = models.CharField(
        _("validé par"),
        max_length=160,
        blank=True,
        help_text=_("Une fonction plutôt qu'un nom, par exemple « la chargée de mission »."),
    )
    reviewed_on = models.DateField(_("dernière relecture le"), null=True, blank=True)
    needs_review = models.BooleanField(
        _("à revoir"),
        default=False,
        help_text=_("Posé automatiquement quand un service utilisé par une étape est retiré."),
    )
    review_reason = models.CharField(_("pourquoi le revoir"), max_length=255, blank=True)
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PathwayQuerySet.as_manager()

    class Meta(AgeRange.Meta):
        verbose_name = _("parcours type")
        verbose_name_plural = _("parcours types")
        ordering = ["title"]
        indexes = [models.Index(fields=["status", "title"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pathways:detail", args=[self.slug])

    def clean(self):
        errors = self.age_range_errors()
        if bool(self.validated_on) != bool(self.validated_by):
            errors["validated_by"] = _(
                "Indiquez à la fois la date de validation et qui a validé, ou aucun des deux."
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # A new pathway has no steps nor M2M yet: refresh_derived() follows them.
        if self.pk:
            self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_passerelle(self) -> bool:
        # len(all()) rather than count(): uses the prefetch when there is one.
        return len(self.sectors.all()) >= 2

    # --- publication ----------------------------------------------------------------

    @classmethod
    def publication_errors(cls, steps) -> list[str]:
        """Why these steps cannot be published, in French; empty when they can."""
        errors = []
        if len(steps) < cls.MIN_STEPS:
            errors.append(
                _("Un parcours publié doit avoir au moins %(n)s étapes.") % {"n": cls.MIN_STEPS}
            )
        for number, step in enumerate(steps, start=1):
            if not (step.title.strip() and step.what.strip()):
                errors.append(_("L'étape %(n)s doit dire quoi faire.") % {"n": number})
            if not step.has_who:
                errors.append(_("L'étape %(n)s doit dire à qui s'adresser.") % {"n": number})
            if not step.what_falc.strip():
                errors.append(
                    _("L'étape %(n)s doit avoir sa version facile à lire.") % {"n": number}
                )
        return errors

    def publish(self) -> None:
        """Publish, or raise a French ValidationError that says what is missing."""
        errors = self.publication_errors(list(self.steps.all()))
        if errors:
            raise ValidationError(errors)
        self.status = self.Status.PUBLISHED
        self.save(update_fields=["status", "search_text", "updated_at"])

    def unpublish(self) -> None:
        self.status = self.Status.DRAFT
        self.save(update_fields=["status", "search_text", "updated_at"])

    def mark_reviewed(self, today: dt.date | None = None) -> None:
        self.needs_review = False
        self.review_reason = ""
        self.reviewed_on = today or timezone.localdate()
        self.save(update_fields=["needs_review", "review_reason", "reviewed_on", "updated_at"])

    # --- derived data ---------------------------------------------------------------

    def build_search_text(self) -> str:
        parts = [self.title, self.summary, self.situation, self.audience]
        parts += [moment.name for moment in self.life_moments.all()]
        parts += [sector.name for sector in self.sectors.all()]
        parts += [need.search_words() for need in self.needs.all()]
        parts += [step.title for step in self.steps.all()]
        # Leading and trailing spaces let a query match word starts with " token".
        return f" {normalize(' '.join(parts))} "

    def refresh_derived(self) -> None:
        """Call after changing steps, moments, sectors or needs (the admin and demo do)."""
        self.search_text = self.build_search_text()
        Pathway.objects.filter(pk=self.pk).update(search_text=self.search_text)


class Step(models.Model):
    """One step of a pathway: what to do, who to see, when, and what if it fails."""

    # What a family reads, offered in every language (ContentTranslation).
    translatable_fields = (
        "title",
        "what",
        "what_falc",
        "who_details",
        "when",
        "documents",
        "expected",
        "fallback",
        "delay",
    )

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="steps", verbose_name=_("parcours")
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    title = models.CharField(
        _("l'étape en quelques mots"),
        max_length=90,
        help_text=_(
            "Apparaît dans le schéma, par exemple « S'inscrire au Relais Petite Enfance »."
        ),
    )
    what = models.TextField(_("ce qu'il faut faire"), help_text=_("En mots simples."))
    what_falc = models.TextField(
        _("ce qu'il faut faire, en version facile à lire (FALC)"),
        blank=True,
        help_text=_(
            "Obligatoire pour publier. Une idée par phrase, des phrases courtes, des mots de "
            "tous les jours, pas d'abréviation (écrivez « Caisse d'allocations familiales »), "
            "un exemple concret. Une phrase par ligne."
        ),
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pathway_steps",
        verbose_name=_("qui : un service de l'annuaire"),
    )
    referent_theme = models.CharField(
        _("qui : un référent du thème"),
        max_length=20,
        choices=Referent.Theme.choices,
        blank=True,
    )
    partner_kind = models.CharField(
        _("qui : le plus proche des structures de type"),
        max_length=20,
        choices=Partner.Kind.choices,
        blank=True,
        help_text=_("Par exemple « France Services » : la plus proche de la commune choisie."),
    )
    need = models.ForeignKey(
        Need,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pathway_steps",
        verbose_name=_("qui : les services les plus proches qui répondent au besoin"),
    )
    who_details = models.CharField(
        _("qui : précisions"),
        max_length=255,
        blank=True,
        help_text=_("Par exemple « la conseillère qui suit votre dossier »."),
    )
    when = models.CharField(
        _("quand"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « dès le 4e mois de grossesse », « à 3 ans », « sous 8 jours »."),
    )
    documents = models.TextField(
        _("documents à apporter"), blank=True, help_text=_("Un document par ligne.")
    )
    expected = models.TextField(_("ce qui doit se passer"), blank=True)
    fallback = models.TextField(
        _("si ça ne marche pas"),
        blank=True,
        help_text=_("L'autre solution, pour que personne ne reste sans réponse."),
    )
    delay = models.CharField(
        _("délai habituel"),
        max_length=120,
        blank=True,
        help_text=_("Par exemple « réponse sous 2 mois »."),
    )

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def has_who(self) -> bool:
        return bool(self.service_id or self.referent_theme or self.partner_kind or self.need_id)

    def clean(self):
        if not self.has_who:
            raise ValidationError(
                _(
                    "Dites à qui s'adresser : un service, un thème de référent, "
                    "un type de structure ou un besoin."
                )
            )

    @property
    def document_list(self) -> list[str]:
        return [line.strip() for line in self.documents.splitlines() if line.strip()]

    @property
    def who_label(self) -> str:
        """A short 'who' for the diagram, from what is known without a query."""
        if self.service_id and self.service.is_public:
            return self.service.name
        if self.partner_kind:
            return self.get_partner_kind_display()
        if self.referent_theme:
            return _("Référent %(theme)s") % {"theme": self.get_referent_theme_display().lower()}
        if self.need_id:
            return self.need.name
        return self.who_details


class PathwayStat(models.Model):
    """How often a pathway reached people on one day. Counts only, no personal data."""

    KINDS = ("views", "prints", "handouts")

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="stats", verbose_name=_("parcours")
    )
    day = models.DateField(_("jour"))
    views = models.PositiveIntegerField(_("consultations"), default=0)
    prints = models.PositiveIntegerField(_("impressions"), default=0)
    handouts = models.PositiveIntegerField(_("remises en main propre"), default=0)

    class Meta:
        verbose_name = _("diffusion d'un parcours (par jour)")
        verbose_name_plural = _("diffusion des parcours (par jour)")
        constraints = [
            models.UniqueConstraint(fields=["pathway", "day"], name="unique_pathway_stat_day")
        ]

    def __str__(self) -> str:
        return f"{self.pathway} — {self.day}"

    @classmethod
    def record(cls, pathway, kind: str, day: dt.date | None = None) -> None:
        """Add one to today's counter; `pathway` may be a Pathway or its pk."""
        if kind not in cls.KINDS:
            raise ValueError(f"Unknown counter {kind!r}; expected one of {cls.KINDS}")
        pathway_id = getattr(pathway, "pk", pathway)
        day = day or timezone.localdate()
        rows = cls.objects.filter(pathway_id=pathway_id, day=day)
        # An UPDATE with F() is atomic in the database: concurrent requests never lose a count.
        if rows.update(**{kind: F(kind) + 1}):
            return
        try:
            with transaction.atomic():
                cls.objects.create(pathway_id=pathway_id, day=day, **{kind: 1})
        except IntegrityError:
            # Another request created today's row between our UPDATE and INSERT.
            rows.update(**{kind: F(kind) + 1})


class PathwayFeedback(models.Model):
    """An anonymous answer to « Cette page vous a-t-elle aidé ? »."""

    class Answer(models.TextChoices):
        YES = "yes", _("Oui")
        PARTLY = "partly", _("En partie")
        NO = "no", _("Non")

    COMMENT_MAX_LENGTH = 500

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("parcours")
    )
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    answer = models.CharField(_("réponse"), max_length=10, choices=Answer.choices)
    comment = models.TextField(_("commentaire"), max_length=COMMENT_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("avis sur un parcours")
        verbose_name_plural = _("avis sur les parcours")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.pathway} — {self.get_answer_display()}"


def pathway_links(query, limit: int) -> list[tuple[str, str]]:
    """The published pathways a directory query finds clearly, as (title, url): the title
    in the page's language (`translations.Shown`: reviewed, else French to be marked)."""
    pathways = Pathway.objects.published().matching(query, minimum=STRONG_MATCH)[:limit]
    translations.attach(pathways)
    return [(translations.shown(p, "title"), p.get_absolute_url()) for p in pathways]


# A pathway offered beside directory results must answer a need of the query or carry one
# of its words in its title: a need's points at least.
STRONG_MATCH = 30
