from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portail")

    def ready(self):
        # Connects the public page cache's invalidation, also for management commands.
        from . import caching  # noqa: F401
