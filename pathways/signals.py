"""Keep pathways honest when the directory changes under them."""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext

from services_directory.models import Service

from .models import Pathway


def _flag_pathways_using(service: Service, reason: str) -> None:
    # The first reason stays until the chargée de mission reviews: it says what broke first.
    Pathway.objects.filter(steps__service=service, needs_review=False).update(
        needs_review=True, review_reason=reason[:255]
    )


@receiver(post_save, sender=Service, dispatch_uid="pathways_flag_withdrawn_service")
def flag_pathways_when_service_withdrawn(sender, instance: Service, raw=False, **kwargs):
    # Fixtures (raw) load services in any order: nothing to judge yet.
    if raw or instance.status == Service.Status.PUBLISHED:
        return
    _flag_pathways_using(
        instance,
        gettext("Le service « %(name)s » n'est plus publié (%(status)s).")
        % {"name": instance.name, "status": instance.get_status_display().lower()},
    )


@receiver(pre_delete, sender=Service, dispatch_uid="pathways_flag_deleted_service")
def flag_pathways_when_service_deleted(sender, instance: Service, **kwargs):
    _flag_pathways_using(
        instance, gettext("Le service « %(name)s » a été supprimé.") % {"name": instance.name}
    )
