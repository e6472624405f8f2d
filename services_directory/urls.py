from django.urls import path

from . import views

app_name = "services_directory"

urlpatterns = [
    # /annuaire/
    path("annuaire/", views.search, name="search"),
    path("annuaire/<slug:slug>/", views.service_detail, name="service"),
    path("annuaire/<slug:slug>/signaler/", views.report_error, name="report_error"),
    path("annuaire/<slug:slug>/seances/<int:pk>.ics", views.session_ics, name="session_ics"),
    path("annuaire/<slug:slug>/passages/<int:pk>/<str:day>.ics", views.stop_ics, name="stop_ics"),
    # /partenaires/
    path("partenaires/<slug:slug>/", views.partner_detail, name="partner"),
]
