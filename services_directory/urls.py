from django.urls import path

from . import views

app_name = "services_directory"

urlpatterns = [
    # /annuaire/
    path("annuaire/", views.search, name="search"),
    path("annuaire/<slug:slug>/", views.service_detail, name="service"),
    # /partenaires/
    path("partenaires/<slug:slug>/", views.partner_detail, name="partner"),
]
