from django.urls import path, register_converter

from . import views


class ExportFormat:
    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormat, "export")

app_name = "indicators"

urlpatterns = [
    # /indicateurs/
    path("indicateurs/", views.dashboard, name="dashboard"),
    path(
        "indicateurs/tableau-de-bord.<export:fmt>", views.dashboard_export, name="dashboard_export"
    ),
    path("indicateurs/synthese/", views.synthesis, name="synthesis"),
    path("indicateurs/rapport/", views.report, name="report"),
    path("indicateurs/observatoire/", views.observatory_page, name="observatory"),
    path(
        "indicateurs/observatoire/<slug:table>.<export:fmt>",
        views.observatory_export,
        name="observatory_export",
    ),
    path("indicateurs/detail/<slug:slug>/", views.indicator_detail, name="indicator"),
    path(
        "indicateurs/detail/<slug:slug>/<slug:table>.<export:fmt>",
        views.indicator_export,
        name="indicator_export",
    ),
    # /indicateurs/questionnaire/ (advisers and partner staff answer it)
    path("indicateurs/questionnaire/", views.survey, name="survey"),
]
