"""The report's pages (step 11): ``laporan/``."""

from django.urls import path

from kotacerdas.maturity import views_report as views

urlpatterns = [
    path("laporan/", views.report_list, name="report_list"),
    path("laporan/<int:stage_id>/", views.report_stage, name="report_stage"),
    path("laporan/<int:stage_id>/mulai", views.report_start, name="report_start"),
    path("laporan/<int:stage_id>/v<int:version>/", views.report_page, name="report"),
    path(
        "laporan/<int:stage_id>/v<int:version>/terbitkan",
        views.report_publish,
        name="report_publish",
    ),
    path(
        "laporan/<int:stage_id>/v<int:version>/radar.svg",
        views.report_radar,
        name="report_radar",
    ),
    path(
        "laporan/<int:stage_id>/v<int:version>/unduh",
        views.report_pdf,
        name="report_pdf",
    ),
]
