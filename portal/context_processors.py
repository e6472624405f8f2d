from django.conf import settings
from django.utils.functional import SimpleLazyObject

from services_directory.models import Territory


def portal(request):
    # Lazy: a page that never shows the territory's name does not query it.
    return {
        "territory": SimpleLazyObject(Territory.objects.current),
        "site_root": settings.SITE_ROOT,
    }
