from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from . import views

portal_patterns = [
    path("", views.home, name="home"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.personal_data, name="personal_data"),
    path("healthz", views.healthz, name="healthz"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
]

# French at the root, unchanged; every other language under its prefix (/en/…, /ar/…), so a
# page's language is in its URL: cacheable and shareable. At the root the language is always
# French, whatever the browser asks (LocaleMiddleware, prefix_default_language=False).
urlpatterns = i18n_patterns(
    path("", include((portal_patterns, "portal"))),
    path("", include("services_directory.urls")),
    path("", include("pathways.urls")),
    path("", include("orientations.urls")),
    path("", include("indicators.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=False,
)

handler400 = "portal.views.bad_request"
handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
