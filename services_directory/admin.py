"""The chargée de mission's content tool for the directory."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import (
    Commune,
    ItinerantStop,
    Language,
    Need,
    Partner,
    Place,
    Referent,
    Sector,
    Service,
    ServicePlace,
    Territory,
)

admin.site.site_header = _("Passerelles — administration")
admin.site.site_title = _("Passerelles")
admin.site.index_title = _("Contenus et comptes")

# An address typed without its scheme ("www.caf.fr") becomes https://, as Django 6 will do.
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "is_demo"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "postcode", "territory"]
    search_fields = ["name", "insee_code", "postcode"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "is_child_stage"]
    list_editable = ["position"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Need)
class NeedAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "datainclusion_thematique"]
    list_filter = ["sector"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


class ReferentInline(admin.StackedInline):
    model = Referent
    extra = 0
    filter_horizontal = ["communes"]


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone", "email"]
    list_filter = ["kind"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ReferentInline]
    formfield_overrides = HTTPS_URL_FIELDS


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "commune", "step_free"]
    list_filter = ["commune", "step_free"]
    search_fields = ["name", "address", "commune__name"]


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ["role", "theme", "partner", "visibility", "is_relay_person", "is_active"]
    list_filter = ["theme", "visibility", "is_relay_person", "is_active"]
    search_fields = ["role", "name", "partner__name"]
    filter_horizontal = ["communes"]


class ServicePlaceInline(admin.StackedInline):
    model = ServicePlace
    extra = 0
    autocomplete_fields = ["place"]
    fields = ["place", "opening_hours", "hours_notes"]


class ItinerantStopInline(admin.TabularInline):
    model = ItinerantStop
    extra = 0
    autocomplete_fields = ["place"]
    fields = ["place", "date", "start_time", "end_time", "schedule", "schedule_label", "notes"]


class ToVerifyFilter(admin.SimpleListFilter):
    title = _("vérification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("a_verifier", _("À vérifier (plus de 6 mois)"))]

    def queryset(self, request, queryset):
        if self.value() == "a_verifier":
            return queryset.to_verify()
        return queryset


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "status", "verified_on", "updated_at"]
    list_filter = [ToVerifyFilter, "status", "sectors", "partner__kind", "itinerant", "collective"]
    search_fields = ["name", "summary", "partner__name"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["sectors", "needs", "languages", "communes_served"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["open_saturday", "open_evening", "open_lunchtime", "updated_at"]
    inlines = [ServicePlaceInline, ItinerantStopInline]
    formfield_overrides = HTTPS_URL_FIELDS
    actions = ["publish", "archive", "mark_verified_today"]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "slug", "partner", "status", "verified_on"]}),
        (
            _("Rôle en mots simples"),
            {"fields": ["summary", "what_we_do", "what_we_dont_do", "sectors", "needs"]},
        ),
        (
            _("Pour qui, à quelles conditions"),
            {
                "fields": [
                    "audience",
                    "age_of",
                    ("age_min", "age_max"),
                    "access_conditions",
                    ("cost", "cost_details"),
                    "documents",
                    "languages",
                    "serves_whole_territory",
                    "communes_served",
                ]
            },
        ),
        (
            _("Nous joindre"),
            {
                "fields": [
                    ("phone", "email"),
                    ("website", "appointment_url"),
                    "walk_in",
                    "contact_details",
                ]
            },
        ),
        (
            _("Modalités d'accueil"),
            {
                "fields": [
                    ("on_site", "itinerant", "collective", "remote"),
                    "collective_details",
                    ("open_saturday", "open_evening", "open_lunchtime"),
                ]
            },
        ),
        (
            _("Avis temporaire (fermeture, changement)"),
            {
                "fields": [
                    "notice_title",
                    "notice_text",
                    "notice_is_closure",
                    ("notice_start", "notice_end"),
                ]
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Sectors, needs and places are saved now: rebuild search text and hours flags.
        form.instance.refresh_derived()

    @admin.action(description=_("Publier les services sélectionnés"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Service.Status.PUBLISHED)

    @admin.action(description=_("Archiver les services sélectionnés"))
    def archive(self, request, queryset):
        self._set_status(request, queryset, Service.Status.ARCHIVED)

    def _set_status(self, request, queryset, status):
        # Saved one by one so that pathways using them are flagged (post_save).
        for service in queryset:
            service.status = status
            service.save(update_fields=["status", "updated_at", "search_text"])
        count = queryset.count()
        self.message_user(
            request,
            ngettext("%(count)d service mis à jour.", "%(count)d services mis à jour.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Marquer comme vérifiés aujourd'hui"))
    def mark_verified_today(self, request, queryset):
        count = queryset.update(verified_on=timezone.localdate(), updated_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d service vérifié.", "%(count)d services vérifiés.", count)
            % {"count": count},
            messages.SUCCESS,
        )
