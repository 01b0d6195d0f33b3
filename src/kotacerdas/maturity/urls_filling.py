"""The region's side of the maturity stage (steps 8 and 9): ``isi/``.

Continuing from the readiness stage, the admin's opening, the overview, one
indicator's figures and their evidence.
"""

from django.urls import path

from kotacerdas.maturity import views_filling as views

urlpatterns = [
    path("isi/lanjut/<int:pk>/", views.continue_stage, name="fill_continue"),
    path("isi/buka/<int:pk>/", views.open_stage, name="fill_open"),
    path("isi/<int:pk>/", views.overview, name="fill_overview"),
    path("isi/<int:pk>/salin/", views.copy_forward, name="fill_copy"),
    path("isi/<int:pk>/kirim/", views.submit, name="fill_submit"),
    path("isi/data/<int:pk>/", views.response_page, name="fill_response"),
    path("isi/data/<int:pk>/tugaskan/", views.assign, name="fill_assign"),
    path("isi/data/<int:pk>/simpan/", views.autosave, name="fill_autosave"),
    path("isi/data/<int:pk>/bukti/", views.add_evidence, name="fill_add_evidence"),
    path(
        "isi/bukti/<int:pk>/hapus/", views.remove_evidence, name="fill_remove_evidence"
    ),
]
