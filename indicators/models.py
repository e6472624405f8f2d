"""The evaluation frame: schéma or convention → axes → fiches actions → indicators.

Computed indicators name a metric of `indicators.metrics`; manual ones are entered per
period in the admin. Professionals answer a periodic questionnaire stored here too.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from services_directory.fields import author_field
from services_directory.models import Sector, StaffProfile


class Framework(models.Model):
    """A schéma or a convention that carries fiches actions, e.g. the CTG."""

    class Kind(models.TextChoices):
        CTG = "ctg", _("Convention territoriale globale (CTG)")
        SDSF = "sdsf", _("Schéma départemental des services aux familles")
        OTHER = "autre", _("Autre plan d'action")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.CTG)
    name = models.CharField(_("nom"), max_length=200)
    start_year = models.PositiveSmallIntegerField(
        _("première année"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    end_year = models.PositiveSmallIntegerField(
        _("dernière année"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    description = models.TextField(_("présentation"), blank=True)
    is_active = models.BooleanField(
        _("suivi dans le tableau de bord"),
        default=True,
        help_text=_("Décochez pour garder un ancien schéma sans l'afficher."),
    )
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("schéma ou convention")
        verbose_name_plural = _("schémas et conventions")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.name} {self.start_year}–{self.end_year}"
        return self.name

    def clean(self):
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": _("La dernière année doit suivre la première.")})


class Axis(models.Model):
    """An axe or orientation of a schéma, grouping fiches actions."""

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="axes", verbose_name=_("schéma")
    )
    number = models.CharField(_("numéro"), max_length=10, blank=True)
    title = models.CharField(_("intitulé"), max_length=255)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("axe")
        verbose_name_plural = _("axes")
        ordering = ["framework__position", "position", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}" if self.number else self.title


class ActionSheet(models.Model):
    """A fiche action: a goal, the ways to reach it and the indicators that evaluate it."""

    axis = models.ForeignKey(
        Axis, on_delete=models.CASCADE, related_name="action_sheets", verbose_name=_("axe")
    )
    number = models.CharField(_("numéro"), max_length=10, blank=True)
    title = models.CharField(_("intitulé"), max_length=255)
    goal = models.TextField(_("finalité, objectif général"), blank=True)
    expected_results = models.TextField(
        _("résultats attendus"), blank=True, help_text=_("Un résultat par ligne.")
    )
    lead = models.CharField(_("services mobilisés et responsables"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("fiche action")
        verbose_name_plural = _("fiches actions")
        ordering = ["axis__framework__position", "axis__position", "position", "number"]

    def __str__(self) -> str:
        if self.number:
            return _("Fiche %(number)s : %(title)s") % {"number": self.number, "title": self.title}
        return self.title

    @property
    def expected_result_list(self) -> list[str]:
        return [line.strip() for line in self.expected_results.splitlines() if line.strip()]


class IndicatorQuerySet(models.QuerySet):
    def for_dashboard(self):
        """Indicators of the followed schémas, in the order of their fiches."""
        return (
            self.filter(action_sheet__axis__framework__is_active=True)
            .select_related("action_sheet__axis__framework")
            .prefetch_related("sectors")
            .order_by(
                "action_sheet__axis__framework__position",
                "action_sheet__axis__position",
                "action_sheet__position",
                "position",
                "pk",
            )
        )


class Indicator(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", _("nombre")
        PERCENT = "percent", _("pourcentage")
        SCORE = "score", _("note sur 5")

    class Source(models.TextChoices):
        COMPUTED = "computed", _("Calculé à partir des données du portail")
        MANUAL = "manual", _("Saisi à la main, période par période")
        MIXED = "mixed", _("Calculé, plus les saisies à la main")

    class Periodicity(models.TextChoices):
        MONTH = "month", _("mensuelle")
        QUARTER = "quarter", _("trimestrielle")
        YEAR = "year", _("annuelle")

    class Direction(models.TextChoices):
        UP = "up", _("plus c'est haut, mieux c'est")
        DOWN = "down", _("plus c'est bas, mieux c'est")

    action_sheet = models.ForeignKey(
        ActionSheet,
        on_delete=models.CASCADE,
        related_name="indicators",
        verbose_name=_("fiche action"),
    )
    slug = models.SlugField(_("identifiant d'adresse"), max_length=80, unique=True)
    name = models.CharField(_("intitulé"), max_length=255)
    definition = models.TextField(
        _("définition"), help_text=_("Ce qui est compté, comment, et ce qui ne l'est pas.")
    )
    unit = models.CharField(_("unité"), max_length=10, choices=Unit.choices, default=Unit.COUNT)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MANUAL
    )
    metric = models.CharField(
        _("calcul"),
        max_length=40,
        blank=True,
        help_text=_("Pour un indicateur calculé : le calcul du portail à utiliser."),
    )
    sectors = models.ManyToManyField(
        Sector,
        blank=True,
        related_name="+",
        verbose_name=_("périmètre : secteurs"),
        help_text=_(
            "Pour les bénéficiaires d'actions ciblées : les secteurs dont les services "
            "portent ces actions."
        ),
    )
    counts_people = models.BooleanField(
        _("compte des personnes"),
        default=True,
        help_text=_(
            "Pour un indicateur saisi à la main : les valeurs de 1 à 4 sont masquées "
            "(secret statistique). Décochez pour compter autre chose que des personnes."
        ),
    )
    baseline = models.DecimalField(
        _("valeur de référence"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    baseline_label = models.CharField(
        _("référence : période"), max_length=60, blank=True, help_text=_("Par exemple « 2024 ».")
    )
    target = models.DecimalField(
        _("cible"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    target_label = models.CharField(
        _("cible : échéance"), max_length=60, blank=True, help_text=_("Par exemple « fin 2028 ».")
    )
    direction = models.CharField(
        _("sens souhaité"), max_length=4, choices=Direction.choices, default=Direction.UP
    )
    periodicity = models.CharField(
        _("périodicité"), max_length=10, choices=Periodicity.choices, default=Periodicity.YEAR
    )
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicateur")
        verbose_name_plural = _("indicateurs")
        ordering = ["action_sheet", "position", "pk"]
        permissions = [
            ("view_dashboard", _("Peut consulter le tableau de bord des indicateurs")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("indicators:indicator", args=[self.slug])

    @property
    def is_manual(self) -> bool:
        return self.source == self.Source.MANUAL

    @property
    def has_manual_values(self) -> bool:
        return self.source in (self.Source.MANUAL, self.Source.MIXED)


class ManualValueQuerySet(models.QuerySet):
    def within(self, start: dt.date, end: dt.date):
        """Values whose whole period lies between two dates (both included)."""
        return self.filter(period_start__gte=start, period_end__lte=end)


class ManualValue(models.Model):
    """A value entered by hand for one period, with who entered it and why."""

    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.CASCADE,
        related_name="manual_values",
        verbose_name=_("indicateur"),
    )
    period_start = models.DateField(_("début de la période"))
    period_end = models.DateField(_("fin de la période (incluse)"))
    value = models.DecimalField(_("valeur"), max_digits=12, decimal_places=2)
    comment = models.TextField(
        _("commentaire"),
        blank=True,
        help_text=_("Source, méthode, contexte. Aucune donnée personnelle."),
    )
    entered_by = author_field(_("saisi par"))
    entered_at = models.DateTimeField(_("saisi le"), default=timezone.now)

    objects = ManualValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("valeur saisie")
        verbose_name_plural = _("valeurs saisies")
        ordering = ["indicator", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period_start", "period_end"], name="unique_manual_value"
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="manual_value_period_ordered",
                violation_error_message=_("La fin de la période doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("La fin de la période doit suivre son début.")
        unit = self.indicator.unit if self.indicator_id else None
        if self.value is not None:
            if unit == Indicator.Unit.PERCENT and not Decimal(0) <= self.value <= Decimal(100):
                errors["value"] = _("Un pourcentage est compris entre 0 et 100.")
            if unit == Indicator.Unit.SCORE and not Decimal(1) <= self.value <= Decimal(5):
                errors["value"] = _("Une note est comprise entre 1 et 5.")
        if errors:
            raise ValidationError(errors)


class ProfessionalSurveyQuerySet(models.QuerySet):
    def open_on(self, day: dt.date):
        return self.filter(opens_on__lte=day, closes_on__gte=day)

    def awaiting_answer_from(self, user, day: dt.date):
        """The campaigns open that day which this professional has not answered yet."""
        return self.open_on(day).exclude(responses__respondent=user)


class ProfessionalSurvey(models.Model):
    """A campaign of the periodic questionnaire to advisers and partner staff."""

    title = models.CharField(_("intitulé"), max_length=200)
    opens_on = models.DateField(_("ouvert le"))
    closes_on = models.DateField(_("fermé après le"))
    invited_count = models.PositiveIntegerField(
        _("nombre de professionnels interrogés"),
        null=True,
        blank=True,
        help_text=_(
            "Le dénominateur du taux de réponse. Laissez vide : le portail compte les comptes "
            "actifs des conseillers et des agents partenaires à l'enregistrement."
        ),
    )

    objects = ProfessionalSurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("questionnaire aux professionnels")
        verbose_name_plural = _("questionnaires aux professionnels")
        ordering = ["-opens_on"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("La fermeture doit suivre l'ouverture.")})

    def save(self, *args, **kwargs):
        if self.invited_count is None:
            self.invited_count = StaffProfile.objects.surveyed().count()
        super().save(*args, **kwargs)


class ProfessionalResponse(models.Model):
    """One professional's answer. Shown only as aggregates; the respondent is kept so that
    nobody answers twice."""

    SCALE = [(n, str(n)) for n in range(1, 6)]

    survey = models.ForeignKey(
        ProfessionalSurvey,
        on_delete=models.CASCADE,
        related_name="responses",
        verbose_name=_("questionnaire"),
    )
    respondent = author_field(_("répondant"), blank=False)
    readability = models.PositiveSmallIntegerField(
        _("lisibilité des parcours"),
        choices=SCALE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    coordination = models.PositiveSmallIntegerField(
        _("coordination entre services"),
        choices=SCALE,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.TextField(_("commentaire"), blank=True, max_length=2000)
    submitted_at = models.DateTimeField(_("répondu le"), default=timezone.now)

    class Meta:
        verbose_name = _("réponse d'un professionnel")
        verbose_name_plural = _("réponses des professionnels")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="one_response_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey} · {self.submitted_at:%d/%m/%Y}"


class DailyCount(models.Model):
    """A count per local day, computed each night from the same querysets as the live figures
    (see rollup.py): what keeps a year of a million orientations fast to show."""

    series = models.CharField(max_length=60)
    # "" for the whole territory, "c<pk>" for a commune, "s<pk>" for a sector.
    slice = models.CharField(max_length=12, blank=True)
    # A day, or a whole month (then `day` is its first day): a year reads 12 rows, not 365.
    is_month = models.BooleanField(default=False)
    key = models.CharField(max_length=60, blank=True)
    day = models.DateField()
    n = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("décompte quotidien")
        verbose_name_plural = _("décomptes quotidiens")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "slice", "is_month", "day", "key"], name="unique_daily_count"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.slice} {self.key} {self.day}: {self.n}"


class RollupState(models.Model):
    """Up to which day a series of daily counts is complete, and when it was computed."""

    series = models.CharField(max_length=60, unique=True)
    complete_until = models.DateField(help_text="Les jours antérieurs sont comptés.")
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("état des décomptes quotidiens")
        verbose_name_plural = _("états des décomptes quotidiens")

    def __str__(self) -> str:
        return f"{self.series} < {self.complete_until}"
