from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """The last successful run of a daily job (portal.jobs), whichever server ran it."""

    name = models.CharField(_("tâche"), max_length=100, unique=True)
    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"))
    host = models.CharField(_("serveur"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("exécution d'une tâche quotidienne")
        verbose_name_plural = _("exécutions des tâches quotidiennes")

    def __str__(self) -> str:
        return f"{self.name} ({self.finished_at:%Y-%m-%d %H:%M})"
