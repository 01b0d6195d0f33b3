"""Pages of the maturity stage (steps 8–11), mounted at /kematangan/.

Each part has its own module and its own first URL word, so that the parts
never meet: ``isi/`` filling, ``excel/`` the spreadsheet round trip,
``tinjau/`` the review, ``laporan/`` the report, ``hasil/`` results for
signed-in users and ``kelola/`` the admin's pages.
"""

from django.urls import include, path

app_name = "maturity"

urlpatterns = [
    path("", include("kotacerdas.maturity.urls_filling")),
    path("", include("kotacerdas.maturity.urls_excel")),
    path("", include("kotacerdas.maturity.urls_review")),
    path("", include("kotacerdas.maturity.urls_report")),
    path("", include("kotacerdas.maturity.urls_results")),
]
