import logging
import smtplib
from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pathways.models import PathwayStat
from services_directory import access
from services_directory.hours import local_now
from services_directory.htmx import render_page, vary_on_htmx, wants_partial
from services_directory.models import Partner, Role, Service, ServicePlace
from services_directory.safety import points_to_danger
from services_directory.search import explain

from .forms import (
    CounterSearchForm,
    FamilyAnswerForm,
    MoveForm,
    ReferralForm,
    SendHandoutForm,
    UnmetNeedForm,
)
from .models import AuditLog, FamilyAnswer, Referral, ReferralContact, UnmetNeed

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
MAIL_FAILED = gettext_lazy(
    "Le courriel n'a pas pu partir (messagerie indisponible). Imprimez la fiche, ou réessayez "
    "plus tard depuis cette page."
)

# --- who may do what here: the rules are in services_directory/access.py ------------------


def _get_counter_partner(request: HttpRequest) -> Partner:
    partner = access.counter_partner(request.user)
    if partner is None:
        raise PermissionDenied
    return partner


def _get_inbox_partner(request: HttpRequest) -> Partner:
    partner = access.inbox_partner(request.user)
    if partner is None:
        raise PermissionDenied
    return partner


def _get_referral_for_user(request: HttpRequest, pk: int) -> Referral:
    """The orientation if this person may see it: 403 without a role, 404 if not theirs."""
    if access.role_of(request.user) is None:
        raise PermissionDenied
    queryset = Referral.objects.visible_to(request.user).select_related(
        "service__partner", "from_partner", "to_partner", "commune", "pathway", "previous"
    )
    return get_object_or_404(queryset, pk=pk)


def _get_previous(request: HttpRequest, raw) -> Referral | None:
    """The failed orientation being re-oriented, if this person may see it."""
    if not raw or not str(raw).isdigit():
        return None
    return (
        Referral.objects.visible_to(request.user)
        .at_risk()
        .select_related("commune")
        .filter(pk=int(raw))
        .first()
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


# --- staff home ----------------------------------------------------------------------------


@require_GET
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    role = access.role_of(request.user)
    if role == access.ADMIN:
        return redirect("admin:index")
    if access.counter_partner(request.user):
        return redirect("orientations:counter")
    if access.inbox_partner(request.user):
        return redirect("orientations:inbox")
    if role == Role.COORDINATOR:
        return redirect("indicators:dashboard")
    return render(request, "orientations/staff_home.html", status=403)


# --- at the counter: /accueil/ ----------------------------------------------------------------


@require_GET
@login_required
@vary_on_htmx
def counter(request: HttpRequest) -> HttpResponse:
    _get_counter_partner(request)
    params = request.GET.copy()
    previous = _get_previous(request, params.get("depuis"))
    # A re-orientation starts from the previous visitor's profile.
    if previous and "commune" not in params and "age" not in params:
        if previous.commune:
            params["commune"] = previous.commune.slug
        params["age"] = previous.age_band
    form = CounterSearchForm(params)
    data = form.valid_data()
    services, has_more = form.first_services()
    Service.annotate_for_display(services, commune=data.get("commune"))
    explain(services, form.query)
    context = {
        "form": form,
        "data": data,
        "query": form.query,
        "services": services,
        "has_more": has_more,
        "needs": form.matching_needs(),
        "pathways": form.matching_pathways(),
        "previous": previous,
        "searched": bool(data.get("q") or data.get("besoin")),
        "referral_new_url": reverse("orientations:referral_new"),
        # The adviser gives the emergency numbers first when the words point to danger.
        "danger": form.query.danger or points_to_danger(needs=[data.get("besoin")]),
        "swapping": wants_partial(request),
    }
    status = 400 if form.errors else 200
    return render_page(
        request, "orientations/counter.html", context, partial="results", status=status
    )


@require_http_methods(["GET", "POST"])
@login_required
def referral_new(request: HttpRequest) -> HttpResponse:
    partner = _get_counter_partner(request)
    source = request.POST if request.method == "POST" else request.GET
    service_ids = source.getlist("services") or source.getlist("service")
    previous = _get_previous(request, source.get("previous") or source.get("depuis"))
    if request.method == "POST":
        form = ReferralForm(request.POST, service_ids=service_ids)
        if form.is_valid():
            batch = form.cleaned_data["idempotency_key"]
            # A double submit (twice the same hidden key) shows the first one's fiche.
            if Referral.objects.filter(batch=batch).exists():
                return redirect("orientations:handout", batch=batch)
            try:
                Referral.objects.create_batch(
                    by=request.user, from_partner=partner, previous=previous, **form.batch_data()
                )
            except IntegrityError:
                if Referral.objects.filter(batch=batch).exists():
                    return redirect("orientations:handout", batch=batch)
                raise
            pathway = form.cleaned_data["pathway"]
            if pathway:
                PathwayStat.record(pathway, "handouts")
            send_to = form.cleaned_data["send_to"]
            if send_to and not _send_handout(request, _handout_referrals(request, batch), send_to):
                messages.error(request, MAIL_FAILED)
            messages.success(
                request,
                _("Orientation enregistrée. Imprimez ou envoyez la fiche à la personne."),
            )
            return redirect("orientations:handout", batch=batch)
    else:
        initial = {"previous": previous.pk if previous else None}
        commune = CounterSearchForm(request.GET).valid_data()
        if commune.get("commune"):
            initial["commune"] = commune["commune"]
        if commune.get("age"):
            initial["age_band"] = commune["age"]
        if commune.get("besoin"):
            initial["needs"] = [commune["besoin"]]
        if previous:
            initial.update(
                commune=previous.commune,
                age_band=previous.age_band,
                situation=previous.situation,
                origin=previous.origin,
                needs=list(previous.needs.all()),
            )
        form = ReferralForm(initial=initial, service_ids=service_ids)
        # Coming from the search, the chosen services are ticked already.
        form.initial["services"] = list(form.fields["services"].queryset)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "previous": previous, "back_query": request.GET.urlencode()}
    return render(request, "orientations/referral_form.html", context, status=status)


# --- the hand-out ------------------------------------------------------------------------


def _handout_referrals(request: HttpRequest, batch: UUID) -> list[Referral]:
    partner = _get_counter_partner(request)
    referrals = list(
        Referral.objects.filter(batch=batch, from_partner=partner)
        .select_related("service__partner", "pathway")
        .prefetch_related(
            Prefetch(
                "service__service_places",
                queryset=ServicePlace.objects.select_related("place__commune").order_by("pk"),
            )
        )
        .order_by("pk")
    )
    if not referrals:
        raise Http404
    today = local_now().date()
    for referral in referrals:
        referral.follow_up_link = settings.SITE_ROOT + referral.get_follow_up_url()
        referral.qr = segno.make(referral.follow_up_link, error="m").svg_data_uri(scale=4)
        referral.places = list(referral.service.service_places.all())
        for service_place in referral.places:
            service_place.week = service_place.week_table(today)
    return referrals


@require_GET
@login_required
def handout(request: HttpRequest, batch: UUID) -> HttpResponse:
    referrals = _handout_referrals(request, batch)
    pathway = next((r.pathway for r in referrals if r.pathway), None)
    context = {
        "referrals": referrals,
        "pathway": pathway,
        "pathway_link": settings.SITE_ROOT + pathway.get_absolute_url() if pathway else "",
        "phone_format": request.GET.get("format") == "telephone",
        "send_form": SendHandoutForm(),
        "batch": batch,
        "reminder_days": settings.REFERRAL_REMINDER_DAYS,
    }
    return render(request, "orientations/handout.html", context)


def _send_handout(request: HttpRequest, referrals: list[Referral], email: str) -> bool:
    pathway = next((r.pathway for r in referrals if r.pathway), None)
    context = {
        "referrals": referrals,
        "pathway": pathway,
        "pathway_link": settings.SITE_ROOT + pathway.get_absolute_url() if pathway else "",
    }
    body = render_to_string("orientations/handout_email.txt", context)
    try:
        send_mail(_("Votre fiche d'orientation"), body, None, [email])
    except (OSError, smtplib.SMTPException):
        logger.exception("could not send a hand-out by email")
        return False
    # The address is used for this message only: the log keeps no trace of it.
    for referral in referrals:
        AuditLog.record(request.user, AuditLog.Action.EMAIL, referral, "fiche d'orientation")
    return True


@require_POST
@login_required
def handout_send(request: HttpRequest, batch: UUID) -> HttpResponse:
    referrals = _handout_referrals(request, batch)
    form = SendHandoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["email"][0])
    elif _send_handout(request, referrals, form.cleaned_data["email"]):
        messages.success(request, _("La fiche a été envoyée par courriel."))
    else:
        messages.error(request, MAIL_FAILED)
    return redirect("orientations:handout", batch=batch)


# --- unmet needs ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def unmet_need_new(request: HttpRequest) -> HttpResponse:
    partner = _get_counter_partner(request)
    if request.method == "POST":
        form = UnmetNeedForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            UnmetNeed.objects.get_or_create(
                idempotency_key=data["idempotency_key"],
                defaults={
                    "created_by": request.user,
                    "partner": partner,
                    "commune": data["commune"],
                    "need": data["need"],
                    "reason": data["reason"],
                    "age_band": data["age_band"],
                },
            )
            messages.success(
                request,
                _("Besoin non couvert enregistré : il nourrit l'observatoire des besoins."),
            )
            return redirect("orientations:counter")
    else:
        search = CounterSearchForm(request.GET).valid_data()
        form = UnmetNeedForm(
            initial={
                "need": search.get("besoin"),
                "commune": search.get("commune"),
                "age_band": search.get("age", ""),
            }
        )
    status = 400 if form.errors else 200
    return render(request, "orientations/unmet_need_form.html", {"form": form}, status=status)


# --- the adviser's orientations ------------------------------------------------------------


@require_GET
@login_required
def adviser_referrals(request: HttpRequest) -> HttpResponse:
    partner = _get_counter_partner(request)
    mine = Referral.objects.filter(from_partner=partner)
    at_risk = list(mine.at_risk().for_listing().order_by("-updated_at", "-pk")[:50])
    page = Paginator(mine.for_listing().order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"at_risk": at_risk, "page": page}
    return render(request, "orientations/referral_list.html", context)


# --- one orientation: /espace-pro/orientations/<pk>/ ----------------------------------------


@require_GET
@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    personal = access.sees_personal_data(request.user, referral)
    contact = None
    events = list(referral.events.select_related("by"))
    if personal:
        contact = ReferralContact.objects.filter(referral=referral).first()
        # Free-text comments may name the person too: showing them is logged as well.
        shown = ["coordonnées"] if contact else []
        shown += ["commentaires"] if any(event.note for event in events) else []
        if shown:
            AuditLog.record(
                request.user, AuditLog.Action.VIEW_PERSONAL, referral, ", ".join(shown)
            )
    answer = FamilyAnswer.objects.filter(referral=referral).first()
    is_sender = access.may_record_family_answer(request.user, referral)
    context = {
        "referral": referral,
        "personal": personal,
        "contact": contact,
        "events": events,
        "answer": answer,
        "needs": list(referral.needs.all()),
        "moves": [Referral.Status(s) for s in referral.allowed_moves(request.user)],
        "move_form": MoveForm(),
        "answer_form": FamilyAnswerForm() if is_sender else None,
        "can_reorient": is_sender and referral.is_at_risk,
    }
    return render(request, "orientations/referral_detail.html", context)


@require_POST
@login_required
def referral_move(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, errors[0])
    else:
        data = form.cleaned_data
        try:
            referral = referral.move_to(
                data["status"], by=request.user, reason=data["reason"], note=data["note"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("Orientation n° %(pk)s : « %(status)s ».")
                % {"pk": referral.pk, "status": referral.get_status_display()},
            )
    return redirect(_safe_next(request, referral.get_absolute_url()))


@require_POST
@login_required
def referral_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The adviser records what the family said at the counter or on the phone."""
    referral = _get_referral_for_user(request, pk)
    if not access.may_record_family_answer(request.user, referral):
        raise PermissionDenied
    form = FamilyAnswerForm(request.POST)
    if form.is_valid():
        referral.record_family_answer(**form.cleaned_data, by=request.user)
        messages.success(request, _("Le retour de la famille est enregistré."))
    else:
        for errors in form.errors.values():
            messages.error(request, errors[0])
    return redirect(referral.get_absolute_url())


# --- partner inbox: /partenaire/orientations/ -------------------------------------------------

INBOX_TABS = {
    "a-traiter": Referral.AWAITING_ANSWER,
    "en-cours": Referral.IN_PROGRESS,
    "closes": Referral.CLOSED_STATUSES,
}


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    partner = _get_inbox_partner(request)
    tab = request.GET.get("onglet", "a-traiter")
    if tab not in INBOX_TABS:
        tab = "a-traiter"
    received = Referral.objects.visible_to(request.user)
    counts = received.aggregate(
        **{
            key.replace("-", "_"): Count("pk", filter=Q(status__in=statuses))
            for key, statuses in INBOX_TABS.items()
        }
    )
    ordering = "-closed_at" if tab == "closes" else "created_at"
    rows = (
        received.filter(status__in=INBOX_TABS[tab])
        .for_listing()
        .prefetch_related("needs")
        .order_by(ordering, "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for referral in page.object_list:
        referral.moves = [Referral.Status(s) for s in referral.allowed_moves(request.user)]
    context = {
        "partner": partner,
        "tab": tab,
        "counts": counts,
        "page": page,
        "reasons": Referral.Reason.choices,
        "here": request.get_full_path(),
    }
    return render(request, "orientations/inbox.html", context)


# --- the family's follow-up link: /suivi/<token>/ --------------------------------------------


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    referral = get_object_or_404(
        Referral.objects.select_related("service__partner", "pathway"), token=token
    )
    answer = FamilyAnswer.objects.filter(referral=referral).first()
    if request.method == "POST":
        form = FamilyAnswerForm(request.POST)
        if form.is_valid():
            referral.record_family_answer(**form.cleaned_data)
            messages.success(request, _("Merci ! Votre réponse a bien été enregistrée."))
            return redirect("orientations:follow_up", token=token)
    else:
        initial = {}
        if answer:
            initial = {
                "received": answer.received,
                "satisfaction": answer.satisfaction,
                "clarity": answer.clarity,
            }
        form = FamilyAnswerForm(initial=initial)
    service_places = list(
        ServicePlace.objects.filter(service=referral.service)
        .select_related("place__commune")
        .order_by("pk")
    )
    today = local_now().date()
    for service_place in service_places:
        service_place.week = service_place.week_table(today)
    context = {
        "referral": referral,
        "service": referral.service,
        "service_places": service_places,
        "form": form,
        "answer": answer,
    }
    return render(
        request, "orientations/follow_up.html", context, status=400 if form.errors else 200
    )
