"""The chargée de mission's content tool for the directory."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import access
from . import hours as hours_lib
from .models import (
    Commune,
    ErrorReport,
    GroupSession,
    ItinerantStop,
    Language,
    Need,
    Notice,
    OutgoingMessage,
    Partner,
    Place,
    Referent,
    Sector,
    Service,
    ServicePlace,
    StaffProfile,
    Territory,
)

# --- opening hours: a live preview of what the public will see ---------------------------


def hours_preview_context(expression: str) -> dict:
    """The public's week table for `expression`, its error in French, its warnings."""
    check = hours_lib.check(expression)
    context = {"check": check, "preview": None, "preview_status": None, "rules": []}
    if check.is_valid and check.expression:
        now = hours_lib.local_now()
        preview = ServicePlace(opening_hours=check.expression, place=Place(name=_("ce lieu")))
        preview.week = preview.week_table(now.date())
        preview.status_now = preview.live_status(now)
        preview.all_closed = not any(row.ranges for row in preview.week)
        context.update(
            preview=preview,
            preview_status=preview.status_now,
            rules=hours_lib.describe(check.expression),
        )
    return context


class OpeningHoursWidget(forms.TextInput):
    """A text input followed by the preview of its value, as rendered by the server (so
    it shows after a save or an error without JavaScript); with htmx, it follows typing."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = dict(attrs or {})
        preview_id = f"{attrs.get('id', name)}_preview"
        attrs.update(
            {
                "hx-get": reverse("admin:services_directory_hours_preview"),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": f"#{preview_id}",
                "aria-describedby": preview_id,
            }
        )
        field = super().render(name, value, attrs, renderer)
        preview = render_to_string(
            "admin/services_directory/hours_preview.html", hours_preview_context(value or "")
        )
        return mark_safe(
            f'<div class="hours-field">{field}<div id="{preview_id}" class="hours-preview" '
            f'aria-live="polite">{preview}</div></div>'
        )


HOURS_WIDGETS = {
    "opening_hours": OpeningHoursWidget,
    "schedule": OpeningHoursWidget,
}


class HoursMedia:
    css = {"all": ["css/admin_hours.css"]}
    js = ["django_htmx/htmx-2.min.js"]


def warn_about_hours(request, label: str, expression: str) -> None:
    """After a save: the rules that replace others, said once more."""
    for warning in hours_lib.check(expression).warnings:
        messages.warning(request, f"{label} : {warning}")


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


class PlaceNoticeInline(admin.StackedInline):
    """Notices for every service of the place (the building closed for works…)."""

    model = Notice
    fk_name = "place"
    extra = 0
    fields = ["kind", ("start", "end"), "reason", "text", "opening_hours"]
    verbose_name_plural = _("avis datés pour tous les services de ce lieu")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(service__isnull=True)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "opening_hours":
            kwargs["widget"] = OpeningHoursWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "commune", "step_free"]
    list_filter = ["commune", "step_free"]
    search_fields = ["name", "address", "commune__name"]
    inlines = [PlaceNoticeInline]
    Media = HoursMedia


@admin.register(Referent)
class ReferentAdmin(admin.ModelAdmin):
    list_display = ["role", "theme", "partner", "visibility", "is_relay_person", "is_active"]
    list_filter = ["theme", "visibility", "is_relay_person", "is_active"]
    search_fields = ["role", "name", "partner__name"]
    filter_horizontal = ["communes"]


class HoursWidgetMixin:
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in HOURS_WIDGETS:
            kwargs["widget"] = HOURS_WIDGETS[db_field.name]
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class ServicePlaceInline(HoursWidgetMixin, admin.StackedInline):
    model = ServicePlace
    extra = 0
    autocomplete_fields = ["place"]
    fields = ["place", "opening_hours", "hours_notes"]


class ItinerantStopInline(HoursWidgetMixin, admin.StackedInline):
    model = ItinerantStop
    extra = 0
    autocomplete_fields = ["place"]
    fields = [
        "place",
        ("date", "start_time", "end_time"),
        "schedule",
        "schedule_label",
        "notes",
    ]


class NoticeInline(HoursWidgetMixin, admin.StackedInline):
    model = Notice
    fk_name = "service"
    extra = 0
    autocomplete_fields = ["place"]
    fields = ["kind", ("start", "end"), "reason", "text", "opening_hours", "place"]
    verbose_name_plural = _("avis datés : fermetures, horaires modifiés, informations")


class GroupSessionInline(admin.StackedInline):
    model = GroupSession
    extra = 0
    autocomplete_fields = ["place"]
    fields = [
        "topic",
        ("date", "start_time", "end_time"),
        "place",
        "audience",
        ("registration_required", "registration_details"),
        "places_left",
    ]
    verbose_name_plural = _("séances collectives datées")

    def get_queryset(self, request):
        # Past sessions stay for the record but leave the form short.
        today = timezone.localdate()
        return super().get_queryset(request).filter(date__gte=today - dt.timedelta(days=7))


class ToVerifyFilter(admin.SimpleListFilter):
    title = _("vérification")
    parameter_name = "verification"

    def lookups(self, request, model_admin):
        return [("a_verifier", _("À vérifier (plus de 6 mois)"))]

    def queryset(self, request, queryset):
        if self.value() == "a_verifier":
            return queryset.to_verify()
        return queryset


NO_CONTACT = _(
    "Ce service n'a ni téléphone, ni courriel, ni lien. Le public lira : « venez sur place, "
    "sans rendez-vous », avec la prochaine ouverture. Vérifiez ses horaires."
)


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "partner", "status", "verified_on", "updated_at"]
    list_filter = [ToVerifyFilter, "status", "sectors", "partner__kind", "itinerant", "collective"]
    search_fields = ["name", "summary", "partner__name"]
    autocomplete_fields = ["partner"]
    filter_horizontal = ["sectors", "needs", "languages", "communes_served"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["open_saturday", "open_evening", "open_lunchtime", "updated_at"]
    inlines = [ServicePlaceInline, NoticeInline, ItinerantStopInline, GroupSessionInline]
    actions = ["publish", "archive", "mark_verified_today"]
    save_on_top = True
    Media = HoursMedia
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
    ]

    def get_urls(self):
        preview = self.admin_site.admin_view(self.hours_preview)
        return [
            path("horaires/apercu/", preview, name="services_directory_hours_preview"),
            *super().get_urls(),
        ]

    def hours_preview(self, request):
        """The preview of an hours field as it is typed (htmx GET: the field's own value)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        value = next(
            (v for k, v in request.GET.items() if k.endswith(("opening_hours", "schedule"))), ""
        )
        context = hours_preview_context(value[:255])
        return render(request, "admin/services_directory/hours_preview.html", context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Sectors, needs and places are saved now: rebuild search text and hours flags.
        service = form.instance
        service.refresh_derived()
        for service_place in service.service_places.select_related("place"):
            warn_about_hours(request, service_place.place.name, service_place.opening_hours)
        if service.is_public and service.walk_in_only:
            messages.warning(request, NO_CONTACT)

    @admin.action(description=_("Publier les services sélectionnés"))
    def publish(self, request, queryset):
        self._set_status(request, queryset, Service.Status.PUBLISHED)

    @admin.action(description=_("Archiver les services sélectionnés"))
    def archive(self, request, queryset):
        self._set_status(request, queryset, Service.Status.ARCHIVED)

    def _set_status(self, request, queryset, status):
        # Saved one by one so that pathways using them are flagged (post_save).
        count = 0
        for service in queryset:
            if status == Service.Status.PUBLISHED and not (service.has_contact or service.walk_in):
                messages.error(
                    request,
                    _("« %(name)s » n'est pas publié : %(reason)s")
                    % {"name": service.name, "reason": Service.UNREACHABLE},
                )
                continue
            if status == Service.Status.PUBLISHED and service.walk_in_only:
                messages.warning(request, f"{service.name} : {NO_CONTACT}")
            service.status = status
            service.save(update_fields=["status", "updated_at", "search_text"])
            count += 1
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


# --- the outbox ---------------------------------------------------------------------------


def _masked(address: str) -> str:
    """A family's address is personal: only the domain shows to the coordination."""
    local, _sep, domain = address.partition("@")
    return f"{local[:1]}•••@{domain}"


@admin.register(OutgoingMessage)
class OutgoingMessageAdmin(admin.ModelAdmin):
    """What left, what waits and why: read-only, with a way to try a given-up one again."""

    list_display = ["created_at", "kind", "recipient", "subject", "status", "attempts"]
    list_filter = ["status", "kind"]
    date_hierarchy = "created_at"
    search_fields = ["subject"]
    actions = ["try_again"]

    @admin.display(description=_("destinataire"))
    def recipient(self, message):
        if access.can_grant_admin_rights(self.request_user):
            return message.to
        return _masked(message.to)

    def get_queryset(self, request):
        self.request_user = request.user
        return super().get_queryset(request)

    def get_fields(self, request, obj=None):
        fields = ["created_at", "kind", "recipient", "subject", "status", "attempts"]
        fields += ["next_attempt_at", "last_error", "sent_at"]
        # Bodies carry follow-up links: for admins only.
        return [*fields, "body"] if access.can_grant_admin_rights(request.user) else fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Réessayer maintenant"))
    def try_again(self, request, queryset):
        count = queryset.exclude(status=OutgoingMessage.Status.SENT).update(
            status=OutgoingMessage.Status.WAITING, next_attempt_at=timezone.now()
        )
        self.message_user(request, _("%(count)s message(s) remis en attente.") % {"count": count})


# --- « Signaler une erreur »: the chargée de mission's queue -------------------------------


class ErrorReportForm(forms.ModelForm):
    mark_verified = forms.BooleanField(
        label=_("Marquer le service comme vérifié aujourd'hui"),
        required=False,
        help_text=_("Quand vous avez vérifié (et corrigé) toute sa page."),
    )

    class Meta:
        model = ErrorReport
        fields = ["status", "resolution"]


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    form = ErrorReportForm
    list_display = ["created_at", "service", "topic", "status", "excerpt"]
    list_filter = ["status", "topic"]
    search_fields = ["service__name", "comment"]
    date_hierarchy = "created_at"
    readonly_fields = ["service_link", "topic", "comment", "created_at", "closed_at", "closed_by"]
    fields = [
        "service_link",
        "topic",
        "comment",
        "created_at",
        "status",
        "resolution",
        "mark_verified",
        "closed_at",
        "closed_by",
    ]
    actions = ["close", "close_and_mark_verified"]
    list_select_related = ["service"]

    @admin.display(description=_("précisions"))
    def excerpt(self, report):
        return report.comment[:80]

    @admin.display(description=_("service"))
    def service_link(self, report):
        url = reverse("admin:services_directory_service_change", args=[report.service_id])
        public = report.service.get_absolute_url()
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            url,
            report.service.name,
            public,
            _("page publique"),
        )

    def has_add_permission(self, request):
        return False  # reports come from visitors only

    def save_model(self, request, obj, form, change):
        closing = obj.status == ErrorReport.Status.CLOSED and "status" in form.changed_data
        if closing or form.cleaned_data.get("mark_verified"):
            obj.close(
                by=request.user,
                mark_verified=form.cleaned_data.get("mark_verified", False),
                resolution=obj.resolution,
            )
        else:
            super().save_model(request, obj, form, change)

    def _close(self, request, queryset, mark_verified: bool):
        count = 0
        for report in queryset.pending().select_related("service"):
            report.close(by=request.user, mark_verified=mark_verified)
            count += 1
        self.message_user(
            request,
            ngettext("%(n)d signalement traité.", "%(n)d signalements traités.", count)
            % {"n": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Marquer comme traités"))
    def close(self, request, queryset):
        self._close(request, queryset, mark_verified=False)

    @admin.action(
        description=_("Marquer comme traités et les services comme vérifiés aujourd'hui")
    )
    def close_and_mark_verified(self, request, queryset):
        self._close(request, queryset, mark_verified=True)
