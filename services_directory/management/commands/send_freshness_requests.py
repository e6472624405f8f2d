from django.core.management.base import BaseCommand

from services_directory.freshness import REMIND_AFTER_DAYS, send_requests


class Command(BaseCommand):
    help = (
        "Campagne de fraîcheur : pour chaque service publié dont la vérification est "
        "échue (jamais vérifié, ou vérifié il y a plus de 3, 6 ou 12 mois selon le service), "
        "écrit dans la boîte d'envoi un courriel au partenaire avec un lien signé par "
        "service pour confirmer « Rien n'a changé » ou corriger la fiche sans compte. Un "
        "partenaire reçoit un seul courriel pour toutes ses fiches échues ; une demande "
        f"sans réponse est renouvelée après {REMIND_AFTER_DAYS} jours, pas avant. À lancer "
        "chaque jour (cron) ; relancer le même jour n'envoie rien de plus."
    )

    def handle(self, *args, **options):
        counts = send_requests()
        self.stdout.write(
            f"{counts['messages']} courriel(s) écrit(s) pour {counts['services']} service(s) à "
            f"vérifier ; {counts['without_address']} service(s) sans adresse de contact."
        )
