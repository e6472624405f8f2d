"""Accounts and anonymised orientations in the admin. Contact details never appear here."""

from django.contrib import admin

from .models import AuditLog, Referral, ReferralEvent, UnmetNeed


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
