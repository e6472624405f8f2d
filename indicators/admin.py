from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .metrics import METRICS, metric_choices
from .models import (
    ActionSheet,
    Axis,
    Framework,
    Indicator,
    ManualValue,
    ProfessionalResponse,
    ProfessionalSurvey,
)


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0
    fields = ["number", "title", "position"]
    show_change_link = True


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "start_year", "end_year", "is_active"]
    list_filter = ["kind", "is_active"]
    inlines = [AxisInline]


class ActionSheetInline(admin.StackedInline):
    model = ActionSheet
    extra = 0
    fields = ["number", "title", "position"]
    show_change_link = True


@admin.register(Axis)
class AxisAdmin(admin.ModelAdmin):
    list_display = ["__str__", "framework", "position"]
    list_filter = ["framework"]
    inlines = [ActionSheetInline]


class IndicatorAdminForm(forms.ModelForm):
    metric = forms.ChoiceField(
        label=_("calcul"),
        required=False,
        help_text=_("Pour un indicateur calculé : le calcul du portail à utiliser."),
    )

    class Meta:
        model = Indicator
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [
            ("", _("— aucun (saisie à la main) —")),
            *metric_choices(),
        ]

    def clean(self):
        # Here rather than in Indicator.clean: the model knows no metric (metrics read models).
        data = super().clean()
        source, metric, unit = (data.get(name) for name in ("source", "metric", "unit"))
        if None in (source, metric, unit):
            return data  # a field refused on its own says why
        computed = METRICS.get(metric)
        if source == Indicator.Source.MANUAL:
            if metric:
                self.add_error("metric", _("Un indicateur saisi à la main n'a pas de calcul."))
        elif computed is None:
            self.add_error("metric", _("Choisissez le calcul de cet indicateur."))
        elif source == Indicator.Source.MIXED and not (
            unit == computed.unit == Indicator.Unit.COUNT
        ):
            self.add_error(
                "source", _("Seul un nombre peut additionner calcul et saisies à la main.")
            )
        elif computed.unit != unit:
            self.add_error(
                "unit",
                _("Ce calcul donne un(e) %(unit)s.")
                % {"unit": Indicator.Unit(computed.unit).label},
            )
        return data


class IndicatorInline(admin.TabularInline):
    model = Indicator
    form = IndicatorAdminForm
    extra = 0
    # The calculation is shown so that an indicator added here can be a computed one.
    fields = ["name", "source", "metric", "unit", "periodicity", "position"]
    show_change_link = True


@admin.register(ActionSheet)
class ActionSheetAdmin(admin.ModelAdmin):
    list_display = ["__str__", "axis", "position"]
    list_filter = ["axis__framework"]
    search_fields = ["title", "goal"]
    inlines = [IndicatorInline]


# French figures are typed with a decimal comma.
LOCALIZED_DECIMALS = {models.DecimalField: {"localize": True}}


class ManualValueInline(admin.TabularInline):
    model = ManualValue
    formfield_overrides = LOCALIZED_DECIMALS
    extra = 1
    fields = ["period_start", "period_end", "value", "comment", "entered_by", "entered_at"]
    readonly_fields = ["entered_by", "entered_at"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    form = IndicatorAdminForm
    formfield_overrides = LOCALIZED_DECIMALS
    list_display = ["name", "action_sheet", "source", "unit", "target", "periodicity"]
    list_filter = ["source", "unit", "periodicity", "action_sheet__axis__framework"]
    search_fields = ["name", "definition", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sectors"]
    inlines = [ManualValueInline]
    fieldsets = [
        (None, {"fields": ["action_sheet", "name", "slug", "definition", "position"]}),
        (
            _("Calcul"),
            {"fields": ["source", "metric", "unit", "counts_people", "sectors", "periodicity"]},
        ),
        (
            _("Référence et cible"),
            {"fields": ["baseline", "baseline_label", "target", "target_label", "direction"]},
        ),
    ]

    def save_formset(self, request, form, formset, change):
        # Who entered each manual value is recorded, never typed.
        for value in formset.save(commit=False):
            if isinstance(value, ManualValue) and not value.entered_by_id:
                value.entered_by = request.user
            value.save()
        for value in formset.deleted_objects:
            value.delete()
        formset.save_m2m()


@admin.register(ManualValue)
class ManualValueAdmin(admin.ModelAdmin):
    formfield_overrides = LOCALIZED_DECIMALS
    list_display = ["indicator", "period_start", "period_end", "value", "entered_by", "entered_at"]
    list_filter = ["indicator"]
    date_hierarchy = "period_start"
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request, obj, form, change):
        if not obj.entered_by_id:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ProfessionalSurvey)
class ProfessionalSurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "invited_count", "response_count"]
    date_hierarchy = "opens_on"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_responses=Count("responses"))

    @admin.display(description=_("réponses"), ordering="n_responses")
    def response_count(self, survey: ProfessionalSurvey) -> int:
        return survey.n_responses


@admin.register(ProfessionalResponse)
class ProfessionalResponseAdmin(admin.ModelAdmin):
    """Read-only: answers are read as aggregates on the dashboard, without names."""

    list_display = ["survey", "readability", "coordination", "submitted_at"]
    list_filter = ["survey"]
    fields = ["survey", "readability", "coordination", "comment", "submitted_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
