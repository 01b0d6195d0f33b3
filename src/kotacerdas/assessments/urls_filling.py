"""The region's filling of a stage (step 5) and the admin's opening of it.

Every path starts with its own word, so that it never meets a review page of
urls_review.py, which shares the /tahap/ prefix.
"""

from django.urls import path

from kotacerdas.assessments import views_filling as views

urlpatterns = [
    path("buka/<int:pk>/", views.open_stage, name="fill_open"),
    path("isi/<int:pk>/", views.overview, name="fill_overview"),
    path("isi/<int:pk>/kirim/", views.submit, name="fill_submit"),
    path("isi/jawaban/<int:pk>/", views.response_page, name="fill_response"),
    path("isi/jawaban/<int:pk>/tugaskan/", views.assign, name="fill_assign"),
    path("isi/jawaban/<int:pk>/simpan/", views.autosave, name="fill_autosave"),
    path("isi/jawaban/<int:pk>/bukti/", views.add_evidence, name="fill_add_evidence"),
    path(
        "isi/bukti/<int:pk>/hapus/", views.remove_evidence, name="fill_remove_evidence"
    ),
]
