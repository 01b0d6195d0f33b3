"""The assessors' pages of a maturity stage (step 10) and the admin's agreement
statistics; every path starts with ``tinjau/``."""

from django.urls import path

from kotacerdas.maturity import views_review as views

urlpatterns = [
    path("tinjau/kesepakatan/", views.agreement_list, name="agreement"),
    path(
        "tinjau/kesepakatan/<int:user_pk>/",
        views.agreement_detail,
        name="agreement_detail",
    ),
    path("tinjau/<int:pk>/", views.review, name="review"),
    path("tinjau/<int:pk>/mulai/", views.start, name="review_start"),
    path(
        "tinjau/<int:pk>/nilai/<int:indicator_pk>/",
        views.level,
        name="review_level",
    ),
    path("tinjau/<int:pk>/nilai.json", views.levels_json, name="review_levels_json"),
    path("tinjau/<int:pk>/kirim/", views.submit, name="review_submit"),
    path(
        "tinjau/<int:pk>/rekonsiliasi/<int:indicator_pk>/",
        views.reconcile,
        name="review_reconcile",
    ),
    path("tinjau/<int:pk>/selesai/", views.complete, name="review_complete"),
    path("tinjau/<int:pk>/putusan/", views.decide, name="review_decide"),
    path("tinjau/<int:pk>/hasil/", views.result, name="review_result"),
    path(
        "tinjau/<int:pk>/klarifikasi/<int:clarification_pk>/perubahan/",
        views.changes,
        name="review_changes",
    ),
]
