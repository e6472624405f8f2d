"""The chargée de mission's tool for parcours types."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from services_directory.admin import TranslationSummaryMixin

from .models import LifeMoment, Pathway, PathwayFeedback, PathwayStat, Step


@admin.register(LifeMoment)
class LifeMomentAdmin(admin.ModelAdmin):
    list_display = ["name", "age_min", "age_max", "position"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


class StepFormSet(forms.BaseInlineFormSet):
    """Publication rules checked on the steps as submitted: the model cannot do it,
    since the admin saves the pathway before its steps."""

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.status != Pathway.Status.PUBLISHED:
            return
        # The steps as they will be saved: neither deleted nor left empty.
        steps = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and (form.instance.pk or form.has_changed())
        ]
        steps.sort(key=lambda step: step.position)
        errors = Pathway.publication_errors(steps)
        if errors:
            raise ValidationError(
                [_("Ce parcours ne peut pas être publié :")] + errors, code="unpublishable"
            )


class StepInline(admin.StackedInline):
    model = Step
    formset = StepFormSet
    extra = 1
    ordering = ["position", "pk"]
    autocomplete_fields = ["service", "need"]
    fieldsets = [
        (None, {"fields": [("position", "title"), "what", "what_falc"]}),
        (
            _("Qui (au moins un)"),
            {"fields": [("service", "partner_kind"), ("referent_theme", "need"), "who_details"]},
        ),
        (
            _("Quand, avec quoi, et si ça ne marche pas"),
            {"fields": [("when", "delay"), "documents", "expected", "fallback"]},
        ),
    ]


class FormalisedFilter(admin.SimpleListFilter):
    title = _("formalisation")
    parameter_name = "formalise"

    def lookups(self, request, model_admin):
        return [("oui", _("Publié et validé")), ("non", _("Pas encore formalisé"))]

    def queryset(self, request, queryset):
        formalised = Pathway.objects.formalised().values("pk")
        if self.value() == "oui":
            return queryset.filter(pk__in=formalised)
        if self.value() == "non":
            return queryset.exclude(pk__in=formalised)
        return queryset


@admin.register(Pathway)
class PathwayAdmin(TranslationSummaryMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "needs_review",
        "validated_on",
        "step_count",
        "reviewed_on",
        "preview_link",
    ]
    list_filter = ["needs_review", "status", FormalisedFilter, "life_moments", "sectors"]
    search_fields = ["title", "summary", "audience"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["life_moments", "sectors", "needs"]
    readonly_fields = ["preview_link", "review_reason", "translation_summary"]
    inlines = [StepInline]
    actions = ["publish", "unpublish", "mark_reviewed", "validate_today"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "summary",
                    "situation",
                    "preview_link",
                    "translation_summary",
                ]
            },
        ),
        (
            _("Pour qui"),
            {
                "fields": [
                    "audience",
                    ("for_future_parents", "for_parents", "for_young_people"),
                    ("age_min", "age_max"),
                    "life_moments",
                    "sectors",
                    "needs",
                ]
            },
        ),
        (
            _("Publication et validation"),
            {
                "fields": [
                    "status",
                    ("validated_on", "validated_by"),
                    "reviewed_on",
                    ("needs_review", "review_reason"),
                ]
            },
        ),
    ]

    def translated_objects(self, obj) -> list:
        return [obj, *obj.steps.all()]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_step_count=Count("steps"))

    @admin.display(description=_("étapes"), ordering="_step_count")
    def step_count(self, obj):
        return obj._step_count

    @admin.display(description=_("aperçu"))
    def preview_link(self, obj):
        if not obj.pk:
            return "—"
        url = reverse("pathways:preview", args=[obj.slug])
        return format_html('<a href="{}">{}</a>', url, _("Voir l'aperçu"))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.instance.refresh_derived()

    @admin.action(description=_("Publier les parcours choisis"))
    def publish(self, request, queryset):
        published = 0
        for pathway in queryset.prefetch_related("steps"):
            try:
                pathway.publish()
            except ValidationError as error:
                messages.error(
                    request,
                    _("« %(title)s » n'est pas publié : %(reasons)s")
                    % {"title": pathway.title, "reasons": " ".join(error.messages)},
                )
            else:
                published += 1
        if published:
            messages.success(
                request,
                ngettext("%(n)d parcours publié.", "%(n)d parcours publiés.", published)
                % {"n": published},
            )

    @admin.action(description=_("Repasser en brouillon"))
    def unpublish(self, request, queryset):
        for pathway in queryset:
            pathway.unpublish()
        messages.success(request, _("Parcours repassés en brouillon."))

    @admin.action(description=_("Marquer comme relu aujourd'hui (enlève « à revoir »)"))
    def mark_reviewed(self, request, queryset):
        for pathway in queryset:
            pathway.mark_reviewed()
        messages.success(request, _("Parcours marqués comme relus."))

    @admin.action(description=_("Valider aujourd'hui, par moi"))
    def validate_today(self, request, queryset):
        who = request.user.get_full_name() or request.user.get_username()
        count = queryset.update(validated_on=timezone.localdate(), validated_by=who[:160])
        messages.success(
            request,
            ngettext("%(n)d parcours validé.", "%(n)d parcours validés.", count) % {"n": count},
        )


@admin.register(PathwayFeedback)
class PathwayFeedbackAdmin(admin.ModelAdmin):
    list_display = ["pathway", "answer", "created_at", "comment"]
    list_filter = ["answer", "pathway"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        # Answers come from families only.
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PathwayStat)
class PathwayStatAdmin(admin.ModelAdmin):
    list_display = ["pathway", "day", "views", "prints", "handouts"]
    list_filter = ["pathway"]
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
