"""Public results and open data (SPEC §10), mounted at /terbuka/."""

from django.urls import path

from kotacerdas.maturity import views_public

app_name = "open_results"

urlpatterns = [
    path("hasil/", views_public.results_list, name="list"),
    path("hasil/<str:code>/", views_public.region_page, name="region"),
    path("hasil/<str:code>/radar.svg", views_public.region_radar, name="radar"),
    path("hasil/<str:code>/tren.svg", views_public.region_trend, name="trend"),
    path("data/hasil.csv", views_public.results_csv, name="results_csv"),
    path("data/hasil.json", views_public.results_json, name="results_json"),
    path("data/indikator.csv", views_public.lines_csv, name="lines_csv"),
    path("api/v1/hasil/", views_public.api_list, name="api_list"),
    path(
        "api/v1/hasil/<str:code>/<int:period>/",
        views_public.api_detail,
        name="api_detail",
    ),
    path("api/openapi.json", views_public.openapi, name="openapi"),
]
