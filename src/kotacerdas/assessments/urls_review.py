"""The assessors' pages of a stage (step 6), Indonesian URL words like every
path. Every path starts with ``tinjau/``, so that it never meets a filling page
of urls_filling.py, which shares the /tahap/ prefix."""

from django.urls import path

from kotacerdas.assessments import views_review as views

urlpatterns = [
    path("tinjau/<int:pk>/", views.review, name="review"),
    path("tinjau/<int:pk>/mulai/", views.start, name="review_start"),
    path(
        "tinjau/<int:pk>/nilai/<int:indicator_pk>/",
        views.score,
        name="review_score",
    ),
    path("tinjau/<int:pk>/nilai.json", views.scores_json, name="review_scores_json"),
    path("tinjau/<int:pk>/kirim/", views.submit_scores, name="review_submit"),
    path(
        "tinjau/<int:pk>/rekonsiliasi/<int:indicator_pk>/",
        views.reconcile,
        name="review_reconcile",
    ),
    path("tinjau/<int:pk>/selesai/", views.complete, name="review_complete"),
    path("tinjau/<int:pk>/putusan/", views.decide, name="review_decide"),
    path("tinjau/<int:pk>/klarifikasi/", views.clarify, name="review_clarify"),
    path(
        "tinjau/<int:pk>/klarifikasi/<int:clarification_pk>/perubahan/",
        views.changes,
        name="review_changes",
    ),
]
