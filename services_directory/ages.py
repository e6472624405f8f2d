"""Age ranges: the one home of "for which ages" (services, pathways, life moments, searches).

A range with no bound on one side is open on that side; with no bound at all, it is for
every age. Two ranges meet when each one starts before the other ends.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

MAX_AGE = 120


def meets_q(low: int, high: int, prefix: str = "") -> Q:
    """Rows whose `age_min`/`age_max` (behind `prefix`, e.g. "service__") meet [low, high]."""
    age_min, age_max = f"{prefix}age_min", f"{prefix}age_max"
    return (Q(**{f"{age_min}__isnull": True}) | Q(**{f"{age_min}__lte": high})) & (
        Q(**{f"{age_max}__isnull": True}) | Q(**{f"{age_max}__gte": low})
    )


def meets(age_min: int | None, age_max: int | None, low: int, high: int) -> bool:
    """The same rule as meets_q, for rows already in memory."""
    return (age_min is None or age_min <= high) and (age_max is None or age_max >= low)


def age_label(age_min: int | None, age_max: int | None) -> str:
    """The range in plain French, the one way cards and pages say it: "de 3 à 11 ans",
    "moins de 4 ans" (0 to 3: a child of 3 and a half is in), "à partir de 16 ans"."""
    if age_min is None and age_max is None:
        return ""
    if not age_min:
        if age_max is None:
            return ""
        if age_max == 0:
            return _("moins d'un an")
        return _("moins de %(limit)s ans") % {"limit": age_max + 1}
    if age_max is None:
        return _("à partir de %(min)s ans") % {"min": age_min}
    if age_min == age_max:
        return _("%(age)s ans") % {"age": age_min}
    return _("de %(min)s à %(max)s ans") % {"min": age_min, "max": age_max}


class AgeRangeQuerySet(models.QuerySet):
    def for_age(self, age: int):
        return self.for_ages(age, age)

    def for_ages(self, low: int, high: int):
        """Rows whose range meets [low, high] (no range: every age)."""
        return self.filter(meets_q(low, high))


class AgeRange(models.Model):
    """`age_min` and `age_max` in years, ordered, with their label and validation."""

    age_min = models.PositiveSmallIntegerField(
        _("âge minimum (ans)"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("âge maximum (ans)"), null=True, blank=True, validators=[MaxValueValidator(MAX_AGE)]
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_min__lte=F("age_max")),
                name="%(class)s_age_range_ordered",
                violation_error_message=_("L'âge minimum dépasse l'âge maximum."),
            ),
        ]

    def age_range_errors(self) -> dict:
        """For a model's clean(): the message a form shows under `age_max`."""
        if self.age_min is not None and self.age_max is not None and self.age_min > self.age_max:
            return {"age_max": _("L'âge maximum doit être supérieur ou égal à l'âge minimum.")}
        return {}

    def clean(self):
        errors = self.age_range_errors()
        if errors:
            raise ValidationError(errors)

    @property
    def age_label(self) -> str:
        return age_label(self.age_min, self.age_max)

    def meets_ages(self, low: int, high: int) -> bool:
        return meets(self.age_min, self.age_max, low, high)
