from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        # Connects the public page cache's invalidation, also for management commands.
        from django.contrib import admin

        from . import caching

        post_migrate.connect(caching.bump_after_migrate, sender=self, dispatch_uid="public-cache")
        # The admin is the project's: its titles belong to the shell, not to an app.
        admin.site.site_header = _("Passerelles — administration")
        admin.site.site_title = _("Passerelles")
        admin.site.index_title = _("Contenus et comptes")
