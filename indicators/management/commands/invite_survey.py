import logging

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import ProfessionalSurvey
from services_directory import outbox
from services_directory.models import OutgoingMessage, StaffProfile

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Invite par courriel les professionnels (conseillers et agents des partenaires, comptes "
        "actifs) à répondre au questionnaire aux professionnels ouvert aujourd'hui "
        "(lisibilité et coordination des parcours). Une invitation par personne et par "
        "campagne ; ceux qui ont déjà répondu ne sont pas invités. Les messages passent par la "
        "boîte d'envoi (send_messages). À lancer chaque semaine : sans effet de plus."
    )

    def handle(self, *args, **options):
        today = timezone.localdate()
        link = settings.SITE_ROOT + reverse("indicators:survey")
        written = 0
        for survey in ProfessionalSurvey.objects.open_on(today):
            profiles = (
                StaffProfile.objects.surveyed()
                .exclude(user__email="")
                .exclude(user__in=survey.responses.values("respondent"))
                .select_related("user")
            )
            for profile in profiles:
                body = render_to_string(
                    "indicators/survey_invitation.txt", {"survey": survey, "link": link}
                )
                with transaction.atomic():
                    message = OutgoingMessage.objects.queue(
                        to=profile.user.email,
                        subject=_("Votre avis sur les parcours : 2 minutes"),
                        body=body,
                        kind="survey_invitation",
                        key=f"survey-{survey.pk}-{profile.user_id}",
                    )
                    outbox.send_soon(message)
                written += 1
        logger.info("survey invitations: %s", written)
        self.stdout.write(f"{written} invitation(s) au questionnaire.")
