from django.urls import path

from . import views

app_name = "orientations"

urlpatterns = [
    # /espace-pro/
    path("espace-pro/", views.staff_home, name="staff_home"),
    path("espace-pro/orientations/<int:pk>/", views.referral_detail, name="referral"),
    path("espace-pro/orientations/<int:pk>/statut/", views.referral_move, name="referral_move"),
    path(
        "espace-pro/orientations/<int:pk>/retour/", views.referral_answer, name="referral_answer"
    ),
    path(
        "espace-pro/orientations/<int:pk>/rappel-fait/",
        views.referral_callback_done,
        name="referral_callback_done",
    ),
    # /accueil/ (the adviser's counter)
    path("accueil/", views.counter, name="counter"),
    path("accueil/orienter/", views.referral_new, name="referral_new"),
    path("accueil/visite/ajouter/", views.visit_add, name="visit_add"),
    path("accueil/visite/retirer/", views.visit_remove, name="visit_remove"),
    path("accueil/besoin-non-couvert/", views.unmet_need_new, name="unmet_need_new"),
    path("accueil/orientations/", views.adviser_referrals, name="adviser_referrals"),
    path("accueil/fiche/<uuid:batch>/", views.handout, name="handout"),
    path("accueil/fiche/<uuid:batch>/envoyer/", views.handout_send, name="handout_send"),
    path("accueil/fiche/<uuid:batch>/langue/", views.handout_language, name="handout_language"),
    # /partenaire/ (partner staff)
    path("partenaire/orientations/", views.inbox, name="inbox"),
    path("partenaire/preferences/", views.inbox_notify, name="inbox_notify"),
    path("partenaire/reponse/<int:pk>/<str:signature>/", views.answer_link, name="answer_link"),
    # /suivi/ (the family's link, printed on the fiche)
    path("suivi/<str:token>/", views.follow_up, name="follow_up"),
    path("suivi/<str:token>/rappel/", views.follow_up_callback, name="follow_up_callback"),
]
