import base64

import segno
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from services_directory import access, translations, visitor
from services_directory.hours import local_now
from services_directory.htmx import render_page, vary_on_htmx, wants_partial
from services_directory.models import Commune, Need, Sector
from services_directory.safety import points_to_danger
from services_directory.search import analyse

from . import nearest, remembered
from .forms import (
    AGE_IN_MONTHS,
    AGE_QUESTIONS,
    PROFILES,
    FeedbackForm,
    Guide,
    PathwaySearchForm,
    needs_offered,
)
from .models import LifeMoment, Pathway, PathwayFeedback, PathwayStat
from .nearest import orientation, resolve_steps
from .remembered import PathwayPage

# The pathways this visitor already answered « Cette page vous a-t-elle aidé ? » for:
# the question is not asked twice.
SESSION_FEEDBACK = "pathways_feedback_given"
# A transparent 1×1 GIF.
PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


# « Version facile à lire »: a URL parameter carried on the pathway links, not the
# session, so that the public page cache keeps serving both versions.
EASY_READ = ("lecture", "facile")


def _easy_read(request: HttpRequest) -> bool:
    return request.GET.get(EASY_READ[0]) == EASY_READ[1]


def _reading_context(request: HttpRequest) -> dict:
    """`easy_read`, the query to carry on links, and the toggle's URL (other parameters
    kept)."""
    easy = _easy_read(request)
    params = request.GET.copy()
    params.pop(EASY_READ[0], None)
    if not easy:
        params[EASY_READ[0]] = EASY_READ[1]
    query = params.urlencode()
    return {
        "easy_read": easy,
        "reading_query": urlencode([EASY_READ]) if easy else "",
        "reading_toggle_url": f"{request.path}?{query}" if query else request.path,
    }


def _get_published_pathway(slug: str) -> Pathway:
    return get_object_or_404(Pathway.objects.published(), slug=slug)


def _commune_for(request: HttpRequest) -> tuple[Commune | None, str]:
    """The commune from ?commune=, else the one the visitor chose before (its cookie)."""
    if "commune" in request.GET:
        slug = request.GET["commune"].strip()
        if not slug:
            return None, ""
        commune = remembered.commune(slug)
        if commune is None:
            return None, _("Cette commune n'est pas sur la liste : choisissez la vôtre.")
        return commune, ""
    slug = visitor.cookie_slug(request)
    return (remembered.commune(slug) if slug else None), ""


def _pathway_context(request: HttpRequest, page: PathwayPage, **extra) -> dict:
    commune, commune_error = _commune_for(request)
    steps = page.fresh_steps()
    choice = nearest.remembered_choice(page.pathway.pk, steps, commune=commune)
    resolve_steps(steps, commune=commune, now=local_now(), choice=choice)
    given = request.session.get(SESSION_FEEDBACK, [])
    context = {
        "pathway": page.pathway,
        "sectors": page.sectors,
        "life_moments": page.life_moments,
        "steps": steps,
        "diagram": page.diagram,
        "commune": commune,
        "commune_error": commune_error,
        "communes": remembered.communes(),
        "feedback_form": FeedbackForm(),
        "feedback_given": page.pathway.pk in given,
        **_reading_context(request),
        # « Violences dans le couple ou la famille »: the emergency numbers first.
        "danger": page.danger,
    }
    context.update(extra)
    return context


# --- /parcours/ ------------------------------------------------------------------------


@require_safe
@vary_on_htmx
def pathway_list(request: HttpRequest) -> HttpResponse:
    form = PathwaySearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    context = {"form": form, "query": query, **_reading_context(request)}
    if query:
        analysed = analyse(query)
        context["analysed"] = analysed
        pathways = Pathway.objects.published().for_listing().matching(analysed, minimum=5)
        context["results"] = pathways
        shown = list(pathways)
    else:
        published = Pathway.objects.published().for_listing().order_by("title")
        moments = LifeMoment.objects.prefetch_related(Prefetch("pathways", queryset=published))
        context["moments"] = [moment for moment in moments if moment.pathways.all()]
        pathways = [pathway for moment in context["moments"] for pathway in moment.pathways.all()]
        shown = [*context["moments"], *pathways]
    # The visitor's language: one query per model, not one per pathway, sector and moment.
    sectors = [sector for pathway in pathways for sector in pathway.sectors.all()]
    translations.attach([*shown, *sectors])
    return render_page(request, "pathways/list.html", context, partial="results")


@require_safe
@vary_on_htmx
def pathway_detail(request: HttpRequest, slug: str) -> HttpResponse:
    context = _pathway_context(request, remembered.published_pathway_page(slug))
    response = render_page(request, "pathways/detail.html", context, partial="steps")
    visitor.remember(request, response, context["commune"])
    return response


@never_cache
@require_safe
def pathway_seen(request: HttpRequest, slug: str) -> HttpResponse:
    """Count a view. The page loads this 1×1 image, so a view served from the public
    page cache is counted too; no JavaScript, no cookie, nothing about the visitor."""
    PathwayStat.record(_get_published_pathway(slug), "views")
    return HttpResponse(PIXEL, content_type="image/gif")


@never_cache
@require_safe
def pathway_print(request: HttpRequest, slug: str) -> HttpResponse:
    context = _pathway_context(request, remembered.published_pathway_page(slug))
    pathway = context["pathway"]
    page_url = request.build_absolute_uri(pathway.get_absolute_url())
    params = {"commune": context["commune"].slug} if context["commune"] else {}
    if context["easy_read"]:
        params[EASY_READ[0]] = EASY_READ[1]
    if params:
        page_url += "?" + urlencode(params)
    context["page_url"] = page_url
    # A QR code on paper brings the family back to the live page (hours change).
    qr = segno.make(page_url, error="m")
    svg = qr.svg_inline(scale=3, omitsize=True, svgclass="qr-code", title=_("Code QR du parcours"))
    context["qr_svg"] = mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))
    PathwayStat.record(pathway, "prints")
    return render(request, "pathways/print.html", context)


@require_safe
@vary_on_htmx
def pathway_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """Any pathway, drafts included, as the public will see it; not counted."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    # A professional without admin access is told so, not sent to a login they have.
    if not access.can_preview_drafts(request.user):
        raise PermissionDenied
    pathway = get_object_or_404(Pathway, slug=slug)
    # Drafts too, read again each time: what the coordination is editing.
    context = _pathway_context(request, PathwayPage.read(pathway), preview=True)
    return render_page(request, "pathways/detail.html", context, partial="steps")


@require_POST
def pathway_feedback(request: HttpRequest, slug: str) -> HttpResponse:
    pathway = _get_published_pathway(slug)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        # 400 like every other form; htmx swaps it in all the same (see base.html's config).
        # Nothing lost: the answer and comment come back as typed.
        if wants_partial(request):
            context = {"pathway": pathway, "feedback_form": form}
        else:
            page = remembered.published_pathway_page(slug)
            context = _pathway_context(request, page, feedback_form=form)
        return render_page(
            request, "pathways/detail.html", context, partial="feedback", status=400
        )
    PathwayFeedback.objects.create(pathway=pathway, **form.cleaned_data)
    request.session[SESSION_FEEDBACK] = [*request.session.get(SESSION_FEEDBACK, []), pathway.pk]
    if wants_partial(request):
        return render_page(
            request,
            "pathways/detail.html",
            {"pathway": pathway, "feedback_given": True},
            partial="feedback",
        )
    messages.success(request, _("Merci : votre avis est enregistré."))
    return redirect(pathway.get_absolute_url() + "#avis")


# --- /orienter/ ------------------------------------------------------------------------


@require_safe
@vary_on_htmx
def orient(request: HttpRequest) -> HttpResponse:
    guide = Guide(request.GET)
    context = {
        "guide": guide,
        "profiles": PROFILES,
        "action": reverse("pathways:orient"),
        "reading_query": urlencode([EASY_READ]) if _easy_read(request) else "",
    }
    if guide.is_done:
        context.update(
            orientation(
                profile=guide.profile,
                age=guide.age,
                need=guide.need,
                query=guide.query,
                commune=guide.commune,
                now=local_now(),
            )
        )
        context["change_links"] = _change_links(guide)
    elif guide.current == "age":
        context["age_label"], context["age_min"], context["age_max"] = AGE_QUESTIONS[guide.profile]
        context["age_in_months"] = guide.profile in AGE_IN_MONTHS
    elif guide.current == "besoin":
        sectors = Sector.objects.prefetch_related(
            Prefetch("needs", queryset=Need.objects.order_by("position", "name"))
        )
        context["sectors"], context["other_sectors"] = needs_offered(
            sectors, profile=guide.profile, age=guide.age
        )
    elif guide.current == "commune":
        context["communes"] = remembered.communes()
        context["remembered"] = visitor.cookie_slug(request)
    if guide.previous_question:
        context["back_url"] = _guide_url(guide.params(upto=guide.previous_question))
    if guide.need is not None or guide.query:
        context["danger"] = context.get("danger") or points_to_danger(guide.query, [guide.need])
    response = render_page(request, "pathways/orient.html", context, partial="guide")
    if guide.is_done:
        visitor.remember(request, response, guide.commune)
    return response


def _guide_url(params: dict) -> str:
    url = reverse("pathways:orient")
    return f"{url}?{urlencode(params)}" if params else url


def _change_links(guide: Guide) -> list[tuple[str, str]]:
    labels = {
        "profil": _("Changer de profil"),
        "age": _("Changer l'âge"),
        "besoin": _("Changer de besoin"),
        "commune": _("Changer de commune"),
    }
    return [(labels[q], _guide_url(guide.params(upto=q))) for q in guide.questions_asked()]
