import logging
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from orientations.models import AuditLog
from services_directory import access
from services_directory.models import Partner, Role, StaffProfile

logger = logging.getLogger(__name__)
ROLES = [*Role.values, access.ADMIN]


class Command(BaseCommand):
    help = (
        "Crée ou met à jour un compte professionnel. Rôles : adviser (conseiller d'accueil), "
        "partner_staff (professionnel d'un partenaire), coordinator (chargée de mission, "
        "gère les comptes et les contenus dans l'administration), admin. --partner (identifiant "
        "d'adresse du partenaire) est obligatoire sauf pour coordinator et admin. Un compte "
        "nouveau reçoit un mot de passe provisoire, affiché une seule fois ; un compte existant "
        "garde le sien sauf avec --reset-password."
    )

    def add_arguments(self, parser):
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", required=True)
        parser.add_argument("--partner", help="identifiant d'adresse (slug) du partenaire")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--reset-password", action="store_true")

    def handle(self, *args, role, email, partner, first_name, last_name, reset_password, **opts):
        email = email.strip().lower()
        if "@" not in email:
            raise CommandError(f"« {email} » n'est pas un courriel.")
        partner_obj = None
        if role in (Role.ADVISER, Role.PARTNER_STAFF):
            if not partner:
                raise CommandError("--partner est obligatoire pour ce rôle.")
            partner_obj = Partner.objects.filter(slug=partner).first()
            if partner_obj is None:
                raise CommandError(f"Aucun partenaire « {partner} ».")
        elif partner:
            partner_obj = Partner.objects.filter(slug=partner).first()
        User = get_user_model()
        password = None
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=email, defaults={"email": email})
            user.email = email
            user.first_name = first_name or user.first_name
            user.last_name = last_name or user.last_name
            user.is_active = True
            user.is_superuser = role == access.ADMIN
            user.is_staff = role in (access.ADMIN, Role.COORDINATOR)
            if created or reset_password:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
            user.save()
            if role == access.ADMIN:
                StaffProfile.objects.filter(user=user).delete()
            else:
                StaffProfile.objects.update_or_create(
                    user=user, defaults={"role": role, "partner": partner_obj}
                )
            if role == Role.COORDINATOR:
                user.groups.add(access.ensure_coordination_group())
            AuditLog.record(None, AuditLog.Action.ACCOUNT, user, f"{role} {email}")
        logger.info("account %s: %s (%s)", "created" if created else "updated", email, role)
        self.stdout.write(f"Compte {'créé' if created else 'mis à jour'} : {email} ({role}).")
        if password:
            self.stdout.write(f"Mot de passe provisoire, à changer : {password}")
