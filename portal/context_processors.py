from django.conf import settings
from django.conf.locale import LANG_INFO
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject

from indicators.models import ProfessionalSurvey
from services_directory import access
from services_directory.models import Territory


def portal(request):
    # Lazy: a page that never shows the territory's name does not query it.
    return {
        "territory": SimpleLazyObject(Territory.objects.shown),
        "site_root": settings.SITE_ROOT,
        "staff_areas": SimpleLazyObject(lambda: staff_areas(request.user)),
        "languages": SimpleLazyObject(lambda: language_links(request)),
    }


def language_links(request) -> list[dict]:
    """This very page in each of the territory's languages: the switcher and the hreflang
    links. Plain links, so the switcher works without JavaScript and each page stays
    cacheable under its own URL (the query string is kept)."""
    current = translation.get_language()
    path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        url = translate_url(path, code)
        links.append(
            {
                "code": code,
                "name": name,
                "url": url,
                "absolute_url": settings.SITE_ROOT + url,
                "current": code == current,
                "bidi": LANG_INFO[code]["bidi"],
            }
        )
    return links


def staff_areas(user) -> dict:
    """What the professional's menu offers this person (the rules are in access.py); the
    questionnaire is flagged while an open campaign waits for their answer."""
    survey = access.can_answer_survey(user)
    return {
        "counter": access.counter_partner(user) is not None,
        "inbox": access.inbox_partner(user) is not None,
        "sheets": access.sheet_partner(user) is not None,
        "dashboard": access.can_view_dashboard(user),
        "survey": survey,
        "survey_waiting": survey
        and ProfessionalSurvey.objects.awaiting_answer_from(user, timezone.localdate()).exists(),
    }
