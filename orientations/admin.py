"""Accounts and anonymised orientations in the admin. Contact details never appear here."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AuditLog, Referral, ReferralEvent, StaffProfile, UnmetNeed

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
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_readonly_fields(self, request, obj=None):
        # The coordinator manages accounts but cannot hand out admin rights, hers included.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["is_superuser", "is_staff", "groups", "user_permissions"]
        return readonly


class ReferralEventInline(admin.TabularInline):
    model = ReferralEvent
    extra = 0
    can_delete = False
    fields = ["at", "from_status", "to_status", "reason", "by_family"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Referral)
class ReferralAdmin(admin.ModelAdmin):
    """Read-only and anonymised: status changes go through the inbox and the counter."""

    list_display = ["pk", "created_at", "from_partner", "service", "kind", "status", "origin"]
    list_filter = ["status", "kind", "origin", "from_partner", "to_partner"]
    date_hierarchy = "created_at"
    list_select_related = ["from_partner", "service"]
    fields = [
        "created_at",
        "from_partner",
        "service",
        "to_partner",
        "kind",
        "status",
        "status_reason",
        "closed_at",
        "origin",
        "commune",
        "age_band",
        "situation",
        "needs",
        "pathway",
        "previous",
        "reoriented",
        "family_received",
        "contact_purged_at",
    ]
    inlines = [ReferralEventInline]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnmetNeed)
class UnmetNeedAdmin(admin.ModelAdmin):
    list_display = ["created_at", "need", "reason", "commune", "partner"]
    list_filter = ["reason", "need__sector", "commune"]
    date_hierarchy = "created_at"
    list_select_related = ["need", "commune", "partner"]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "object_repr", "detail"]
    list_filter = ["action"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    readonly_fields = ["at", "user", "action", "referral", "object_repr", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
