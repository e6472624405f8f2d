"""The chargée de mission's content tool for the directory."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import access
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
    StaffProfile,
    Territory,
    UnansweredSearch,
)


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
    list_display = ["name", "sector", "signals_danger", "datainclusion_thematique"]
    list_filter = ["sector", "signals_danger"]
    search_fields = ["name", "synonyms"]
    prepopulated_fields = {"slug": ["name"]}


class AddSynonymForm(forms.Form):
    need = forms.ModelChoiceField(
        Need.objects.select_related("sector"),
        label=_("Besoin"),
        empty_label=_("Choisir…"),
        error_messages={"required": _("Choisissez le besoin auquel ajouter ces mots.")},
    )


@admin.register(UnansweredSearch)
class UnansweredSearchAdmin(admin.ModelAdmin):
    """What families searched without finding anything: the chargée de mission adds the
    missing words to a need's synonyms, and the next search finds its services."""

    list_display = ["words", "count", "commune", "day"]
    list_filter = ["commune"]
    date_hierarchy = "day"
    search_fields = ["words"]
    ordering = ["-day", "-count", "words"]
    actions = ["add_as_synonyms"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Ajouter ces mots aux synonymes d'un besoin…"))
    def add_as_synonyms(self, request, queryset):
        form = AddSynonymForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            need = form.cleaned_data["need"]
            lines = need.synonym_list
            known = {line.lower() for line in lines}
            added = list(dict.fromkeys(queryset.values_list("words", flat=True)))
            added = [words for words in added if words.lower() not in known]
            need.synonyms = "\n".join([*lines, *added])
            need.save()
            self.message_user(
                request,
                ngettext(
                    "%(count)d expression ajoutée aux synonymes de « %(need)s ».",
                    "%(count)d expressions ajoutées aux synonymes de « %(need)s ».",
                    len(added),
                )
                % {"count": len(added), "need": need.name},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Ajouter aux synonymes d'un besoin"),
            "form": form,
            "searches": queryset,
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/services_directory/add_synonyms.html", context)


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


# --- staff accounts -------------------------------------------------------------------

User = get_user_model()


class StaffProfileInline(admin.StackedInline):
    model = StaffProfile
    can_delete = False
    fields = ["role", "partner"]
    autocomplete_fields = ["partner"]
    verbose_name_plural = _("rôle dans Passerelles")


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [StaffProfileInline]
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["staff_profile__role", "is_active", "is_staff", "is_superuser"]
    list_select_related = ["staff_profile"]

    @admin.display(description=_("rôle"))
    def role(self, user):
        profile = getattr(user, "staff_profile", None)
        return profile.get_role_display() if profile else "—"

    def get_queryset(self, request):
        # Nobody but an admin may open an admin's account (and reset its password).
        users = super().get_queryset(request)
        if access.can_grant_admin_rights(request.user):
            return users
        return users.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        # The coordinator manages accounts but cannot hand out admin rights, hers included.
        readonly = list(super().get_readonly_fields(request, obj))
        if not access.can_grant_admin_rights(request.user):
            readonly += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return readonly
