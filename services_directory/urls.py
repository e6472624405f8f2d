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
    # /donnees/ (open data, data·inclusion v1)
    path("donnees/", views.open_data, name="open_data"),
    path("donnees/<slug:dataset>.<slug:fmt>", views.open_data_file, name="open_data_file"),
    # /widget/ (iframe for other sites)
    path("widget/", views.widget, name="widget"),
    # /espace-pro/mes-services/ (a partner's own sheets)
    path("espace-pro/mes-services/", views.my_services, name="my_services"),
    path("espace-pro/mes-services/<int:pk>/", views.sheet, name="sheet"),
    path(
        "espace-pro/mes-services/<int:pk>/rien-n-a-change/",
        views.sheet_confirm,
        name="sheet_confirm",
    ),
    # /fiche/<token>/ (the signed link of a freshness request, no account)
    path("fiche/<str:token>/", views.sheet_link, name="sheet_link"),
    path(
        "fiche/<str:token>/rien-n-a-change/", views.sheet_link_confirm, name="sheet_link_confirm"
    ),
]
