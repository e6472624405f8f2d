from django.urls import path

from . import views

app_name = "pathways"

urlpatterns = [
    # /parcours/
    path("parcours/", views.pathway_list, name="list"),
    path("parcours/<slug:slug>/", views.pathway_detail, name="detail"),
    path("parcours/<slug:slug>/vu.gif", views.pathway_seen, name="seen"),
    path("parcours/<slug:slug>/imprimer/", views.pathway_print, name="print"),
    path("parcours/<slug:slug>/avis/", views.pathway_feedback, name="feedback"),
    path("parcours/<slug:slug>/apercu/", views.pathway_preview, name="preview"),
    # /orienter/
    path("orienter/", views.orient, name="orient"),
]
