from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "pathways"
    verbose_name = _("Parcours")

    def ready(self):
        from services_directory import search

        from . import signals  # noqa: F401  (connects the receivers)
        from .models import pathway_links

        # The directory shows the pathways its query finds ("Parcours : …").
        search.register_related(pathway_links)
