"""The freshness campaign: each published service is checked by its partner every 3, 6 or
12 months (Service.check_every_months).

When a service is due (never checked, or checked longer ago than its frequency), its
partner gets one e-mail through the outbox listing its due services, each with a signed
link (access.sheet_link_token) to confirm « Rien n'a changé » or edit the sheet without an
account. A service asked and still unanswered is asked again REMIND_AFTER_DAYS later, not
before. The admin's « à vérifier » list shows who was asked, when, and the answer.
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import access, outbox
from .models import FreshnessRequest, OutgoingMessage, Service, Territory

REMIND_AFTER_DAYS = 30


def recipient_of(service: Service) -> str:
    """The partner's address, else the service's own."""
    return (service.partner.email or service.email or "").strip()


def due_services(today: dt.date, services=None, force: bool = False):
    """Due for a check and not asked in the last REMIND_AFTER_DAYS days; with `force` (the
    admin's action), any published service of `services` not asked today."""
    services = services if services is not None else Service.objects.all()
    if force:
        services = services.published()
        recently = timezone.now() - dt.timedelta(days=1)
    else:
        services = services.to_verify(today)
        recently = timezone.now() - dt.timedelta(days=REMIND_AFTER_DAYS)
    return (
        services.exclude(freshness_requests__sent_at__gte=recently)
        .select_related("partner")
        .order_by("partner__name", "name")
    )


def send_requests(
    today: dt.date | None = None, services=None, force: bool = False
) -> dict[str, int]:
    """Queue one e-mail per partner for its due services; return counts. Idempotent for a
    day: a second run finds the services just asked."""
    today = today or timezone.localdate()
    by_address = defaultdict(list)
    without_address = 0
    for service in due_services(today, services, force):
        address = recipient_of(service)
        if address:
            by_address[(service.partner_id, address)].append(service)
        else:
            without_address += 1
    territory = Territory.objects.current()
    messages = 0
    for (partner_id, address), partner_services in by_address.items():
        with transaction.atomic():
            requests = [
                FreshnessRequest.objects.create(service=service, sent_to=address)
                for service in partner_services
            ]
            lines = [
                {
                    "service": request.service,
                    "link": settings.SITE_ROOT
                    + reverse(
                        "services_directory:sheet_link", args=[access.sheet_link_token(request)]
                    ),
                }
                for request in requests
            ]
            body = render_to_string(
                "services_directory/freshness_email.txt",
                {
                    "partner": partner_services[0].partner,
                    "lines": lines,
                    "territory_name": territory.name if territory else "Passerelles",
                    "days": settings.FRESHNESS_LINK_DAYS,
                },
            )
            count = len(partner_services)
            subject = (
                "Votre fiche est-elle à jour ?"
                if count == 1
                else f"Vos {count} fiches sont-elles à jour ?"
            )
            message = OutgoingMessage.objects.queue(
                to=address,
                subject=f"{subject} — {territory.display_name if territory else 'Passerelles'}",
                body=body,
                kind="freshness_request",
                key=f"freshness-{partner_id}-{requests[0].pk}",
            )
            FreshnessRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
                message=message
            )
            outbox.send_soon(message)
        messages += 1
    return {
        "messages": messages,
        "services": sum(len(items) for items in by_address.values()),
        "without_address": without_address,
    }
