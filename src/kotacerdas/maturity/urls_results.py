"""Results for signed-in users (``hasil/``) and the admin's pages (``kelola/``)."""

from django.urls import path

from kotacerdas.maturity import views_results

urlpatterns = [
    # Before the region code, which would otherwise take this word.
    path("hasil/persetujuan/", views_results.consent, name="results_consent"),
    path("hasil/<str:code>/", views_results.region_results, name="results_region"),
    path(
        "hasil/<str:code>/radar.svg",
        views_results.region_radar,
        name="results_radar",
    ),
    path(
        "hasil/<str:code>/tren.svg",
        views_results.region_trend,
        name="results_trend",
    ),
    path("kelola/nasional/", views_results.national_overview, name="national_overview"),
    path(
        "kelola/publikasi/",
        views_results.publication_policy,
        name="publication_policy",
    ),
]
