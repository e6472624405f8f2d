from django.conf import settings
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from indicators.models import ProfessionalSurvey
from services_directory import access
from services_directory.models import Territory


def portal(request):
    # Lazy: a page that never shows the territory's name does not query it.
    return {
        "territory": SimpleLazyObject(Territory.objects.current),
        "site_root": settings.SITE_ROOT,
        "staff_areas": SimpleLazyObject(lambda: staff_areas(request.user)),
    }


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
