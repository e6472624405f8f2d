from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _refresh_coordination_rights(**kwargs) -> None:
    # Models are not loaded when apps.py is imported, hence the imports here.
    # New models bring new permissions (created at each app's post_migrate): an existing
    # coordination group gets those of its rules at once, not at the next account change.
    from django.contrib.auth.models import Group

    from . import access

    if Group.objects.filter(name=access.COORDINATION_GROUP).exists():
        access.ensure_coordination_group()


class ServicesDirectoryConfig(AppConfig):
    name = "services_directory"
    verbose_name = _("Annuaire des services")

    def ready(self):
        post_migrate.connect(_refresh_coordination_rights, dispatch_uid="coordination-rights")
