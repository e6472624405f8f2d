import logging

from indicators import rollup
from portal.jobs import DailyJobCommand

logger = logging.getLogger("passerelles.indicators")


class Command(DailyJobCommand):
    help = (
        "Recompte, jour par jour, ce que le tableau de bord des indicateurs affiche "
        "(orientations suivies, sans rupture, ruptures, origines, passerelles, réponses des "
        "familles, avis des pages parcours, besoins non couverts, bénéficiaires d'actions "
        "ciblées) pour tous les jours avant aujourd'hui, avec les mêmes règles que le calcul "
        "en direct. À lancer chaque nuit (cron ou timer systemd) : idempotent, sans effet sur "
        "les orientations. Sans cette commande, tout est calculé en direct (plus lent)."
    )

    def run(self, **options):
        done = rollup.refresh(log=self.stdout.write if options["verbosity"] > 1 else None)
        message = f"Indicateurs recomptés : {len(done)} séries, {sum(done.values())} lignes."
        logger.info(message)
        self.stdout.write(self.style.SUCCESS(message))
