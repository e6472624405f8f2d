from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.jobs import DAILY_JOBS, run_once_today


class Command(BaseCommand):
    help = (
        "Lance une tâche quotidienne (" + ", ".join(DAILY_JOBS) + ") une fois par jour en "
        "tout : lancée sur plusieurs serveurs en même temps, une seule tourne (verrou "
        "PostgreSQL) ; relancée le même jour, elle ne refait rien. Chaque tâche sautée est une "
        "ligne de journal qui dit pourquoi. --force la relance le même jour. Une tâche "
        "interrompue n'est pas comptée comme faite : le lancement suivant la refait."
    )

    def add_arguments(self, parser):
        parser.add_argument("job", help="nom de la tâche")
        parser.add_argument(
            "--force", action="store_true", help="lancer même si elle a déjà tourné aujourd'hui"
        )

    def handle(self, *args, job: str, force: bool, **options):
        if job not in DAILY_JOBS:
            raise CommandError(
                f"« {job} » n'est pas une tâche quotidienne : {', '.join(DAILY_JOBS)}."
            )
        verbosity = options["verbosity"]
        run_once_today(
            job,
            lambda: call_command(job, stdout=self.stdout, verbosity=verbosity),
            force=force,
            say=self.stdout.write,
        )
