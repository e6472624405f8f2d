import datetime as dt
import logging
from uuid import UUID

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from pathways.models import PathwayStat
from services_directory import access
from services_directory.hours import local_now
from services_directory.htmx import render_page, set_history_url, vary_on_htmx, wants_partial
from services_directory.ids import pk_or_none, pks
from services_directory.models import (
    Need,
    Partner,
    Role,
    Service,
    ServicePlace,
    StaffProfile,
)
from services_directory.safety import points_to_danger
from services_directory.search import explain

from . import notices
from .forms import (
    CallbackForm,
    CounterSearchForm,
    FamilyAnswerForm,
    FamilyLanguageForm,
    LinkAnswerForm,
    MoveForm,
    NotifyForm,
    ReferralForm,
    SendHandoutForm,
    UnmetNeedForm,
    WorklistForm,
    answer_form_for,
)
from .models import (
    Actor,
    AnswerLinkError,
    AuditLog,
    FamilyAnswer,
    Origin,
    Referral,
    ReferralContact,
    UnmetNeed,
)
from .visit import VisitBasket

logger = logging.getLogger(__name__)
PAGE_SIZE = 25
# Each section of the worklist shows its first cards and a link to all of them.
SECTION_SIZE = 10

# Pages that show personal data (names, contacts, a family's follow-up) are never stored
# by a browser or a proxy: Django's never_cache sends "Cache-Control: no-store…".
personal_page = never_cache

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
    if not pk_or_none(raw):
        return None
    return (
        Referral.objects.visible_to(request.user)
        .at_risk()
        .select_related("commune")
        .filter(pk=pk_or_none(raw))
        .first()
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


# --- staff home ----------------------------------------------------------------------------


@require_safe
@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    role = access.role_of(request.user)
    if role == access.ADMIN:
        return redirect("admin:index")
    # A partner's professional lands on what it receives; it can orient from there too.
    if access.inbox_partner(request.user):
        return redirect("orientations:inbox")
    if access.counter_partner(request.user):
        return redirect("orientations:counter")
    if role == Role.COORDINATOR:
        return redirect("indicators:dashboard")
    return render(request, "orientations/staff_home.html", status=403)


# --- at the counter: /accueil/ ----------------------------------------------------------------


def _visit_context(request: HttpRequest, basket: VisitBasket, here: str = "") -> dict:
    services = Service.objects.filter(pk__in=basket.service_ids).select_related("partner")
    by_pk = {service.pk: service for service in services}
    return {
        "visit": basket,
        "visit_services": [by_pk[pk] for pk in basket.service_ids if pk in by_pk],
        "here": here or request.get_full_path(),
    }


@require_safe
@login_required
@personal_page
@vary_on_htmx
def counter(request: HttpRequest) -> HttpResponse:
    _get_counter_partner(request)
    basket = VisitBasket(request.session)
    params = request.GET.copy()
    previous = _get_previous(request, params.get("depuis"))
    # A re-orientation starts from the previous visitor's profile; a visit keeps its own.
    if previous and "commune" not in params and "age" not in params:
        if previous.commune:
            params["commune"] = previous.commune.slug
        params["age"] = previous.age_band
    elif basket:
        params.setdefault("commune", basket.commune)
        params.setdefault("age", basket.age)
    form = CounterSearchForm(params)
    data = form.valid_data()
    services, has_more = form.first_services()
    Service.annotate_for_display(services, commune=data.get("commune"))
    services = Service.open_first(services)
    needs = form.matching_needs()
    _with_need_searched(services, [data["besoin"]] if data.get("besoin") else needs)
    explain(services, form.query)
    context = {
        "form": form,
        "data": data,
        "query": form.query,
        "services": services,
        "has_more": has_more,
        "needs": needs,
        "pathways": form.matching_pathways(),
        "previous": previous,
        "searched": bool(data.get("q") or data.get("besoin")),
        "referral_new_url": reverse("orientations:referral_new"),
        **_visit_context(request, basket),
        # The adviser gives the emergency numbers first when the words point to danger.
        "danger": form.query.danger or points_to_danger(needs=[data.get("besoin")]),
        "swapping": wants_partial(request),
    }
    status = 400 if form.errors else 200
    response = render_page(
        request, "orientations/counter.html", context, partial="results", status=status
    )
    set_history_url(request, response)
    return response


def _with_need_searched(services: list[Service], needs: list) -> None:
    """Each result gets the first need searched that it answers: the orientation form
    opens with it ticked (the results come with their needs: no query)."""
    for service in services:
        own = {need.pk for need in service.needs.all()}
        service.need_searched = next((need for need in needs if need.pk in own), None)


@require_POST
@login_required
@vary_on_htmx
def visit_add(request: HttpRequest) -> HttpResponse:
    """Adds the chosen services to the visit, with the need searched and the visitor's age."""
    _get_counter_partner(request)
    basket = VisitBasket(request.session)
    form = CounterSearchForm(request.POST)
    search = form.valid_data()
    ids = pks(request.POST.getlist("service"), 10)
    services = Service.objects.published().filter(pk__in=ids).prefetch_related("needs")
    # Each service goes with the need it was searched for: the need chosen, else the first
    # need the words name that this service answers, else its own first need.
    searched = [search["besoin"]] if search.get("besoin") else form.matching_needs()
    needs_by_service = {}
    for service in services:
        own = list(service.needs.all())
        need = next((n for n in searched if n in own), own[0] if own else None)
        needs_by_service[service.pk] = need.slug if need else ""
    added = basket.add(
        {pk: needs_by_service[pk] for pk in ids if pk in needs_by_service},
        age=search.get("age", ""),
        commune=search["commune"].slug if search.get("commune") else "",
    )
    if request.htmx:
        # The panel's forms come back to the search the adviser is on.
        here = _safe_next(request, reverse("orientations:counter"))
        context = _visit_context(request, basket, here)
        return render(request, "orientations/counter.html#visit", context)
    if not added:
        messages.info(request, _("Ce service est déjà dans la visite (10 services au plus)."))
    return redirect(_safe_next(request, reverse("orientations:counter")))


@require_POST
@login_required
def visit_remove(request: HttpRequest) -> HttpResponse:
    _get_counter_partner(request)
    basket = VisitBasket(request.session)
    raw = request.POST.get("service", "")
    if raw == "tout":
        basket.clear()
    elif pk_or_none(raw):
        basket.remove(pk_or_none(raw))
    return redirect(_safe_next(request, reverse("orientations:counter")))


def _referral_form_initial(request: HttpRequest, previous, basket, partner) -> dict:
    initial = {"previous": previous.pk if previous else None}
    search = CounterSearchForm(
        request.GET if request.GET.get("service") else {"commune": basket.commune}
    ).valid_data()
    if search.get("commune"):
        initial["commune"] = search["commune"]
    if request.GET.get("service"):
        if search.get("age"):
            initial["age_band"] = search["age"]
        if search.get("besoin"):
            initial["needs"] = [search["besoin"]]
    elif basket:
        initial["age_band"] = basket.age
        initial["needs"] = list(Need.objects.filter(slug__in=basket.need_slugs))
    origins = Origin.of_partner(partner)
    if origins:
        initial["origin"] = origins[0]
    if previous:
        initial.update(
            commune=previous.commune,
            age_band=previous.age_band,
            situation=previous.situation,
            origin=previous.origin,
            needs=list(previous.needs.all()),
        )
    return initial


@require_http_methods(["GET", "POST"])
@login_required
@personal_page
def referral_new(request: HttpRequest) -> HttpResponse:
    partner = _get_counter_partner(request)
    # A partner's professional orients from its own sector; a counter chooses.
    origins = Origin.of_partner(partner) if access.inbox_partner(request.user) else []
    basket = VisitBasket(request.session)
    source = request.POST if request.method == "POST" else request.GET
    service_ids = source.getlist("services") or source.getlist("service") or basket.service_ids
    previous = _get_previous(request, source.get("previous") or source.get("depuis"))
    if request.method == "POST":
        form = ReferralForm(request.POST, service_ids=service_ids, origins=origins)
        if form.is_valid():
            batch = form.cleaned_data["idempotency_key"]
            # A double submit (twice the same hidden key) shows the first one's fiche.
            if Referral.objects.filter(batch=batch).exists():
                return redirect("orientations:handout", batch=batch)
            try:
                referrals = Referral.objects.create_batch(
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
            if send_to:
                _send_handout(request, _handout_referrals(request, batch), send_to)
            if set(basket.service_ids) & {referral.service_id for referral in referrals}:
                basket.clear()
            messages.success(
                request,
                _("Orientation enregistrée. Imprimez ou envoyez la fiche à la personne."),
            )
            return redirect("orientations:handout", batch=batch)
    else:
        initial = _referral_form_initial(request, previous, basket, partner)
        form = ReferralForm(initial=initial, service_ids=service_ids, origins=origins)
        # Coming from the search, the chosen services are ticked already.
        form.initial["services"] = list(form.fields["services"].queryset)
        for service in form.services:
            form.initial[f"kind_{service.pk}"] = Referral.Kind.ORIENTATION
            form.initial[f"age_{service.pk}"] = basket.age_of(service.pk)
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "previous": previous,
        "back_query": request.GET.urlencode(),
        "fixed_origin": len(origins) == 1,
    }
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
    now = local_now()
    # Notices, next itinerant stop (for the visitor's commune) and next session.
    Service.annotate_for_display([r.service for r in referrals], now, referrals[0].commune)
    for referral in referrals:
        referral.places = list(referral.service.service_places.all())
        for service_place in referral.places:
            # The week is written out when rendered (`week_lines`), in the language of each
            # copy of the sheet.
            service_place.week = service_place.week_table(
                now.date(), referral.service.current_notices
            )
            service_place.all_closed = not any(row.ranges for row in service_place.week)
    return referrals


def follow_up_link(referrals: list[Referral]) -> str:
    """One visit, one follow-up link: its first orientation's opens them all."""
    return settings.SITE_ROOT + referrals[0].get_follow_up_url()


@require_safe
@login_required
@personal_page
def handout(request: HttpRequest, batch: UUID) -> HttpResponse:
    referrals = _handout_referrals(request, batch)
    pathway = next((r.pathway for r in referrals if r.pathway), None)
    # The family's language, picked by the adviser (handout_language): the sheet in it,
    # then in French for the receiving service; the follow-up link opens the family's
    # page in it too.
    family_language = referrals[0].language_for_family
    link = follow_up_link(referrals)
    with translation.override(family_language):
        pathway_link = settings.SITE_ROOT + pathway.get_absolute_url() if pathway else ""
    context = {
        "family_language": family_language,
        "sheet_languages": settings.LANGUAGES,
        "referrals": referrals,
        "pathway": pathway,
        "pathway_link": pathway_link,
        "follow_up_link": link,
        "qr": segno.make(link, error="m").svg_data_uri(scale=3),
        "phone_format": request.GET.get("format") == "telephone",
        "send_form": SendHandoutForm(),
        "batch": batch,
        "reminder_days": settings.REFERRAL_REMINDER_DAYS,
        "counter_phone": referrals[0].from_partner.phone,
    }
    return render(request, "orientations/handout.html", context)


@require_POST
@login_required
def handout_language(request: HttpRequest, batch: UUID) -> HttpResponse:
    """The adviser picks the family's language: kept on the visit's orientations, for
    the sheet, the follow-up page and the e-mails to the family."""
    partner = _get_counter_partner(request)
    referrals = Referral.objects.filter(batch=batch, from_partner=partner)
    if not referrals.exists():
        raise Http404
    form = FamilyLanguageForm(request.POST)
    if form.is_valid():
        referrals.set_family_language(form.cleaned_data["langue"])
    else:
        messages.error(request, form.errors["langue"][0])
    phone = "?format=telephone" if request.POST.get("format") == "telephone" else ""
    return redirect(reverse("orientations:handout", args=[batch]) + phone)


def _send_handout(request: HttpRequest, referrals: list[Referral], email: str) -> None:
    """Written in the outbox, sent by the worker: never lost while the mail server is down."""
    pathway = next((r.pathway for r in referrals if r.pathway), None)
    with transaction.atomic():
        notices.handout(referrals, email, pathway=pathway, at=timezone.now())
        for referral in referrals:
            AuditLog.record(request.user, AuditLog.Action.EMAIL, referral, "fiche d'orientation")


@require_POST
@login_required
def handout_send(request: HttpRequest, batch: UUID) -> HttpResponse:
    referrals = _handout_referrals(request, batch)
    form = SendHandoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["email"][0])
    else:
        _send_handout(request, referrals, form.cleaned_data["email"])
        messages.success(request, _("La fiche part par courriel (dans la minute)."))
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


# --- the adviser's worklist: /accueil/orientations/ -------------------------------------------


@require_safe
@login_required
@personal_page
def adviser_referrals(request: HttpRequest) -> HttpResponse:
    partner = _get_counter_partner(request)
    mine = Referral.objects.filter(from_partner=partner)
    waiting_days = settings.REFERRAL_WAITING_DAYS
    services = (
        Service.objects.filter(pk__in=mine.values("service_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    form = WorklistForm(request.GET, services=list(services))
    # The sender sees the names of its own orientations: it may search them.
    rows = form.filter(mine, waiting_days=waiting_days, search_names=True)
    rows = rows.for_listing().order_by(
        F("callback_requested_at").asc(nulls_last=True), "-created_at", "-pk"
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    sections = [
        (key, label, queryset.for_listing())
        for key, label, queryset in (
            ("rappel", _("Rappelez-moi"), mine.callbacks().order_by("callback_requested_at")),
            ("risque", _("Risque de rupture"), mine.at_risk().order_by("-updated_at", "-pk")),
            (
                "attente",
                _("Sans réponse depuis %(days)s jours ou plus") % {"days": waiting_days},
                mine.waiting_since(waiting_days).order_by("created_at", "pk"),
            ),
        )
    ]
    counts = mine.aggregate(
        rappel=Count("pk", filter=Q(callback_requested_at__isnull=False)),
        attente=Count(
            "pk",
            filter=Q(
                status__in=Referral.AWAITING_ANSWER,
                created_at__lte=timezone.now() - dt.timedelta(days=waiting_days),
            ),
        ),
    )
    counts["risque"] = mine.at_risk().count()
    context = {
        "form": form,
        "page": page,
        "sections": [
            {
                "key": key,
                "label": label,
                "count": counts[key],
                "cards": list(queryset[:SECTION_SIZE]),
            }
            for key, label, queryset in sections
        ],
        "filtered": bool(form.valid_data()),
        "query": _query_without_page(request),
        "now": timezone.now(),
    }
    return render(request, "orientations/referral_list.html", context)


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


# --- one orientation: /espace-pro/orientations/<pk>/ ----------------------------------------


@require_safe
@login_required
@personal_page
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _get_referral_for_user(request, pk)
    sides = access.referral_sides(request.user, referral)
    # The receiver's first opening is « Vue », shown to the one who oriented.
    if access.RECEIVER in sides and referral.mark_seen(by=request.user):
        referral.refresh_from_db()
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
    is_sender = access.SENDER in sides
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
        "is_sender": is_sender,
        "can_reorient": is_sender and referral.is_at_risk,
        "reorientations": list(referral.reorientations.select_related("service")),
        "follow_up_link": settings.SITE_ROOT + referral.get_follow_up_url() if is_sender else "",
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


@require_POST
@login_required
def referral_callback_done(request: HttpRequest, pk: int) -> HttpResponse:
    """The adviser has called the family back: the case leaves the top of the list."""
    referral = _get_referral_for_user(request, pk)
    if not access.may_record_family_answer(request.user, referral):
        raise PermissionDenied
    referral.callback_done(by=request.user)
    messages.success(request, _("Rappel noté : la demande quitte le haut de votre liste."))
    return redirect(referral.get_absolute_url())


# --- partner inbox: /partenaire/orientations/ -------------------------------------------------

INBOX_TABS = {
    "a-traiter": Referral.AWAITING_ANSWER,
    "en-cours": Referral.IN_PROGRESS,
    "closes": Referral.CLOSED_STATUSES,
}


@require_safe
@login_required
@personal_page
def inbox(request: HttpRequest) -> HttpResponse:
    partner = _get_inbox_partner(request)
    tab = request.GET.get("onglet", "a-traiter")
    if tab not in INBOX_TABS:
        tab = "a-traiter"
    received = Referral.objects.filter(to_partner=partner).visible_to(request.user)
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
        "notify_form": NotifyForm(initial={"notify": request.user.staff_profile.notify}),
    }
    return render(request, "orientations/inbox.html", context)


@require_POST
@login_required
def inbox_notify(request: HttpRequest) -> HttpResponse:
    """Each orientation by e-mail, or one summary a day."""
    _get_inbox_partner(request)
    form = NotifyForm(request.POST)
    if form.is_valid():
        StaffProfile.objects.filter(user=request.user).update(notify=form.cleaned_data["notify"])
        messages.success(request, _("Votre choix est enregistré."))
    else:
        messages.error(request, _("Choisissez une des deux façons d'être prévenu."))
    return redirect("orientations:inbox")


# --- the partner's answer link, without an account: /partenaire/reponse/<pk>/<signature>/ -----


@require_http_methods(["GET", "POST"])
@personal_page
def answer_link(request: HttpRequest, pk: int, signature: str) -> HttpResponse:
    """The e-mailed link: the receiving partner sees the orientation (« Vue ») and answers
    once. An altered link, or one for another orientation, is a 404; a used or expired one
    says so (410) and how to go on."""
    try:
        referral = Referral.from_answer_link(pk, signature)
    except AnswerLinkError as error:
        if error.code == "invalid":
            raise Http404 from None
        context = {"code": error.code, "referral": error.referral}
        return render(request, "orientations/answer_link_closed.html", context, status=410)
    form = LinkAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        status, reason = form.move()
        try:
            referral = referral.answer_by_link(status, reason=reason)
        except (ValidationError, PermissionDenied):
            referral.refresh_from_db()
            context = {"code": "used", "referral": referral}
            return render(request, "orientations/answer_link_closed.html", context, status=410)
        # The answer page, once: the contact to call for a mise en relation taken in charge.
        return render(
            request,
            "orientations/answer_link.html",
            _answer_link_context(referral, form, answered=True),
        )
    if request.method == "GET" and referral.mark_seen(actor=Actor.LINK):
        referral.refresh_from_db()
    return render(
        request,
        "orientations/answer_link.html",
        _answer_link_context(referral, form, answered=False),
        status=400 if form.errors else 200,
    )


def _answer_link_context(referral: Referral, form, *, answered: bool) -> dict:
    contact = ReferralContact.objects.filter(referral=referral).first()
    if contact:
        AuditLog.record(None, AuditLog.Action.VIEW_PERSONAL, referral, "coordonnées (lien)")
    return {
        "referral": referral,
        "needs": list(referral.needs.all()),
        "contact": contact,
        "form": form,
        "answered": answered,
    }


# --- the family's follow-up link: /suivi/<token>/ --------------------------------------------


def _get_visit(token: str) -> list[Referral]:
    referrals = list(
        Referral.objects.of_visit(token)
        .select_related("service__partner", "pathway", "from_partner")
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
    return referrals


@require_http_methods(["GET", "POST"])
@personal_page
def follow_up(request: HttpRequest, token: str) -> HttpResponse:
    """The family's page for its visit: each orientation's status in plain words, what
    next, its questions, and help when it failed. Answers stay per orientation."""
    referrals = _get_visit(token)
    answers = {
        answer.referral_id: answer
        for answer in FamilyAnswer.objects.filter(referral__in=[r.pk for r in referrals])
    }
    posted = ""
    if request.method == "POST":
        # One form per orientation; a visit of one needs no number.
        posted = request.POST.get("orientation") or (str(referrals[0].pk) * (len(referrals) == 1))
    now = local_now()
    # What is true today: notices (a closure, changed hours), the next stop and session.
    Service.annotate_for_display([r.service for r in referrals], now, referrals[0].commune)
    status = 200
    for referral in referrals:
        answer = answers.get(referral.pk)
        if posted == str(referral.pk):
            form = answer_form_for(referral, request.POST)
            if form.is_valid():
                referral.record_family_answer(**form.cleaned_data)
                messages.success(request, _("Merci ! Votre réponse a bien été enregistrée."))
                return redirect(
                    reverse("orientations:follow_up", args=[token]) + f"#orientation-{referral.pk}"
                )
            status = 400
        else:
            initial = {}
            if answer:
                # The answer as given, to change it: each question the forms ask.
                fields = ("received", "satisfaction", "clarity", "continuity", "helped")
                initial = {name: getattr(answer, name) for name in fields}
            form = answer_form_for(referral, initial=initial)
        referral.form = form
        referral.answer = answer
        referral.words = referral.family_status()
        referral.places = list(referral.service.service_places.all())
        for service_place in referral.places:
            service_place.week = service_place.week_table(
                now.date(), referral.service.current_notices
            )
            service_place.all_closed = not any(row.ranges for row in service_place.week)
    if request.method == "POST" and status == 200:
        raise Http404  # an orientation of another visit
    page_language = translation.get_language()
    if page_language != "fr":
        # The French copy under the page, for the service that receives the family: the
        # status' reason is written out now, so it is written out in French.
        with translation.override("fr"):
            for referral in referrals:
                referral.words_in_french = referral.family_status()
    family_language = referrals[0].language_for_family
    context = {
        "family_language": family_language,
        # A family that opens the page at another address than its sheet's finds its
        # language in one tap (and keeps the choice of the switcher).
        "family_link": referrals[0].get_follow_up_url()
        if family_language not in ("fr", page_language)
        else "",
        "referrals": referrals,
        "token": token,
        "counter": referrals[0].from_partner,
        "callback_form": CallbackForm(),
        "pathway": next((r.pathway for r in referrals if r.pathway), None),
    }
    return render(request, "orientations/follow_up.html", context, status=status)


@require_POST
@personal_page
def follow_up_callback(request: HttpRequest, token: str) -> HttpResponse:
    """« Rappelez-moi »: the case goes to the top of the adviser's list, who is told."""
    referrals = _get_visit(token)
    raw = request.POST.get("orientation", "")
    referral = next((r for r in referrals if str(r.pk) == raw), None)
    if referral is None or not referral.family_status()["needs_help"]:
        raise Http404
    form = CallbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["phone"][0])
    else:
        referral.request_callback(phone=form.cleaned_data["phone"])
        messages.success(
            request,
            _("C'est noté : %(partner)s va vous rappeler.") % {"partner": referral.from_partner},
        )
    return redirect(
        reverse("orientations:follow_up", args=[token]) + f"#orientation-{referral.pk}"
    )
